import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, OperationDefinitionNode } from "graphql";
import type { Context } from "../context";
import type { Logger } from "../log";
import type { UnavailableError } from "../errors";
import { unavailability } from "../errors/database";
import { isUnexpected } from "../errors/format";
import { isCacheableOperation } from "../graph/response-cache";
import { graphQueryNames } from "../graph/graph-query";
import type { Exchange } from "./exchange";

/** Whether an operation asks for anything but `__typename` or introspection at its root (which need no model). */
function readsData(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some((s) => s.kind !== Kind.FIELD || !s.name.value.startsWith("__"));
}

/**
 * What every GraphQL request does around Apollo's pipeline: names its operation in the log line's
 * exchange, marks writes and cacheable graph queries, takes the read model before executing a
 * query, logs unexpected errors, answers 503 with Retry-After when the database could not serve,
 * says no-store, and gives every error the request id.
 */
export function requestPlugin(exchangeOf: ReadonlyMap<string, Exchange>, logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue, request }) {
      let unavailable: UnavailableError | undefined;
      const exchange = exchangeOf.get(contextValue.requestId);
      if (exchange) exchange.operation = request.operationName ?? null;
      return {
        async didResolveOperation({ operation, operationName, schema }) {
          contextValue.operation.writes = operation?.operation === "mutation";
          contextValue.graph.cacheable = operation !== undefined && isCacheableOperation(operation, graphQueryNames(schema));
          if (exchange) exchange.operation = operationName ?? null;
          // A query takes its model before executing, so nested fields need no promise each
          // (src/context.ts). A failure is not thrown here: the fields that read meet it.
          if (operation && !contextValue.operation.writes && readsData(operation)) await contextValue.model().catch(() => undefined);
        },
        async didEncounterErrors({ errors }) {
          contextValue.graph.cacheable = false;
          for (const error of errors) {
            unavailable ??= unavailability(error.originalError ?? error);
            if (isUnexpected(error.originalError ?? error)) {
              logger.error("unexpected error", {
                requestId: contextValue.requestId,
                operation: request.operationName ?? null,
                error: String((error.originalError ?? error).stack ?? error),
              });
            }
          }
        },
        async willSendResponse({ response }) {
          response.http.headers.set("cache-control", "no-store");
          if (unavailable) {
            // The database could not serve: 503 tells clients and load balancers to wait.
            response.http.status = 503;
            response.http.headers.set("retry-after", String(unavailable.extensions.retryAfterSeconds));
          }
          if (response.body.kind === "single" && response.body.singleResult.errors) {
            for (const e of response.body.singleResult.errors) {
              (e.extensions as Record<string, unknown> | undefined) ??= {};
              (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };
}
