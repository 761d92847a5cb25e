import { DocumentNode, GraphQLField, GraphQLSchema, TypeInfo, visit, visitWithTypeInfo } from "graphql";
import { Extensions, FieldResolver, Query } from "type-graphql";
import type { ArgumentRange } from "../api/ranges";

// A graph query is declared once, on its field: `@GraphQuery(() => T, { cost })` in place of
// `@Query` (`@GraphField` in place of `@FieldResolver` for a nested one). What the declaration carries (the field's `extensions.graphQuery` in the built schema)
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

/** FieldResolver's own arguments: what it returns, and its options. */
type FieldReturns = Parameters<typeof FieldResolver>[0];
type FieldOptions = NonNullable<Parameters<typeof FieldResolver>[1]>;

/** `@FieldResolver` for a field of an object answered from the read model's graph (Meeting.networkChanges), with the same rules as a graph query. */
export function GraphField(returns: FieldReturns, options: FieldOptions & GraphQueryRules): MethodDecorator {
  const { cost, ...fieldOptions } = options;
  const rules: GraphQueryRules = { cost };
  const field = FieldResolver(returns, fieldOptions);
  const extensions = Extensions({ [KEY]: rules });
  return (target, key, descriptor) => {
    field(target, key, descriptor);
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

const graphDocuments = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, boolean>>();

/** Whether a document asks for a graph field anywhere: a graph query at its root, or a nested graph field (Meeting.networkChanges). */
export function asksGraphField(schema: GraphQLSchema, document: DocumentNode): boolean {
  let known = graphDocuments.get(schema);
  if (!known) graphDocuments.set(schema, (known = new WeakMap()));
  let found = known.get(document);
  if (found === undefined) {
    found = false;
    const info = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(info, {
        Field() {
          const field = info.getFieldDef();
          if (field && graphQueryRules(field)) found = true;
        },
      }),
    );
    known.set(document, found);
  }
  return found;
}
