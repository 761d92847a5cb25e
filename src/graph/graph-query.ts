import { GraphQLField, GraphQLSchema } from "graphql";
import { Extensions, Query } from "type-graphql";
import type { ArgumentRange } from "../api/ranges";

// A graph query is declared once, on its field: `@GraphQuery(() => T, { cost })` in place of
// `@Query`. What the declaration carries (the field's `extensions.graphQuery` in the built schema)
// is all the rest reads: the rate limit counts the field as a graph query, the answer cache keeps
// whole answers of operations made of such fields, and the cost estimator adds the field's price.
// A new analysis declared this way cannot be left out of any of them.

/** What a graph query costs on top of what it returns. */
export type GraphCost =
  /** A search that grows with the network's branching: GRAPH_SEARCH_BASE raised to the argument (clamped to its range). */
  | { search: { argument: string; range: ArgumentRange } }
  /** A fixed price: the query reads a whole region, or all of them. */
  | { fixed: number };

export interface GraphQueryRules {
  cost: GraphCost;
}

const KEY = "graphQuery";

/** Query's own arguments (type-graphql does not export their types): what it returns, and its options. */
type Returns = Parameters<typeof Query>[0];
type QueryOptions = NonNullable<Parameters<typeof Query>[1]>;

/** `@Query` for a field answered from the read model's graph, with its rules. */
export function GraphQuery(returns: Returns, options: QueryOptions & GraphQueryRules): MethodDecorator {
  const { cost, ...queryOptions } = options;
  const rules: GraphQueryRules = { cost };
  const query = Query(returns, queryOptions);
  const extensions = Extensions({ [KEY]: rules });
  return (target, key, descriptor) => {
    query(target, key, descriptor);
    extensions(target, key, descriptor);
  };
}

/** The rules a field was declared with, if it is a graph query. */
export function graphQueryRules(field: GraphQLField<unknown, unknown>): GraphQueryRules | undefined {
  return field.extensions?.[KEY] as GraphQueryRules | undefined;
}

const namesBySchema = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

/** The names of the schema's graph queries (root fields of Query declared with GraphQuery). */
export function graphQueryNames(schema: GraphQLSchema): ReadonlySet<string> {
  let names = namesBySchema.get(schema);
  if (!names) {
    const fields = Object.values(schema.getQueryType()?.getFields() ?? {});
    names = new Set(fields.filter((f) => graphQueryRules(f) !== undefined).map((f) => f.name));
    namesBySchema.set(schema, names);
  }
  return names;
}
