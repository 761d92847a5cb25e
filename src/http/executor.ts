// GraphQL execution compiled once per document (graphql-jit), handed to Apollo through its
// gateway interface, the one place Apollo Server takes an executor of our choice. Apollo still
// parses, validates, runs the plugins and formats errors; graphql-jit replaces only graphql-js's
// execute, which interprets the query anew for every request (a page of 100 organizations is
// ~700 fields, each through several generic calls); a compiled query is a plain function.
import type { ApolloServerOptionsWithGateway, BaseContext } from "@apollo/server";
import { DocumentNode, execute, ExecutionResult, GraphQLError, GraphQLSchema } from "graphql";
import { getVariableValues } from "graphql/execution/values";
import { compileQuery, CompiledQuery, isCompiledQuery } from "graphql-jit";

/** The compiled form of each document Apollo hands over (Apollo keeps parsed documents in its store: one object per query text). */
type Compiled = CompiledQuery | ExecutionResult;
type Gateway = ApolloServerOptionsWithGateway<BaseContext>["gateway"];
type Executor = NonNullable<Awaited<ReturnType<Gateway["load"]>>["executor"]>;

/**
 * graphql-jit's errors as graphql-js makes them: with an `extensions` object always (Apollo's error
 * formatting reads its code), the resolver's error as `originalError`, path and locations kept.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  Object.defineProperty(made, "locations", { value: error.locations, enumerable: error.locations !== undefined, writable: true, configurable: true });
  return made;
}

export function compiledExecution(schema: GraphQLSchema): Gateway {
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();
  const compile = (document: DocumentNode, operationName: string | undefined): Compiled => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? "";
    let entry = byName.get(key);
    if (!entry) byName.set(key, (entry = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true })));
    return entry;
  };
  const executor: Executor = async (request) => {
    const { document, operation, context } = request;
    const variables = request.request.variables ?? {};
    // What graphql-js refuses before running anything (no such operation, variables that do not
    // fit) is said in graphql-js's words, which Apollo and our error format know (BAD_USER_INPUT
    // naming the variable): graphql-jit words these its own way.
    if (!operation) return execute({ schema, document, contextValue: context, variableValues: variables, operationName: request.request.operationName }) as ExecutionResult<Record<string, unknown>>;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const query = compile(document, request.operationName ?? undefined);
    if (!isCompiledQuery(query)) return query as ExecutionResult<Record<string, unknown>>;
    // graphql-js's coerced values, not the raw ones: graphql-jit reads a key set to undefined (from
    // an in-process caller; JSON has none) as given, graphql-js as absent. Coercing them again is
    // the identity (enums are their names, Date stays its string).
    const result = await query.query(undefined, context, coerced.coerced);
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : (result as ExecutionResult<Record<string, unknown>>);
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => undefined;
    },
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
}
