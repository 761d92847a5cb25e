import http from "node:http";
import { randomUUID } from "node:crypto";
import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from "@apollo/server";
import { GraphQLError } from "graphql";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { DataSource } from "typeorm";
import { Config } from "./config";
import { Context, createLoaders } from "./context";
import { Logger } from "./common/log";
import { AppError, UnauthenticatedError, UnavailableError } from "./common/errors";
import { unavailability } from "./common/db-errors";
import { Viewer } from "./auth/viewer";
import { formatError, isUnexpected } from "./common/format-error";
import { buildGraphQLSchema, createServices, Services } from "./schema";
import { handleExport } from "./graph/export";
import { serveExplorer } from "./explorer/serve";
import { isCacheableOperation, ResponseCache } from "./graph/response-cache";
import { graphVersion } from "./common/write";
import { costLimitPlugin, limitRules, tokenLimitError } from "./common/limits";
import { RateLimiter, rateKeys, rateLimitedError, rateLimitPlugin } from "./common/rate-limit";
import { ErrorCode } from "./common/errors";
import { databaseProblem } from "./db/data-source";

export interface Server {
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  services: Services;
  /** Starts listening; resolves with the port (useful with PORT=0). */
  listen(): Promise<number>;
  /** Stops taking requests, lets in-flight ones finish, then resolves. Closes no database. */
  stop(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers["content-length"] ?? 0) > limit) {
      request.resume(); // drain without keeping, so the 413 can be written
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
}

/** The context of one request; tests build it the same way for executeOperation. */
export async function createContext(
  services: Services,
  db: DataSource,
  authorization: string | undefined,
  requestId: string = randomUUID(),
  address?: string,
): Promise<Context> {
  let viewer: Viewer | null;
  try {
    viewer = await services.apiKeys.authenticate(authorization);
  } catch (error) {
    // A bad token fails the whole request before any field runs: say so with HTTP 401.
    if (error instanceof UnauthenticatedError) error.extensions.http = { status: 401 };
    throw error;
  }
  return { requestId, viewer, address, loaders: createLoaders(db), graph: { cacheable: false, versions: [] } };
}

export async function createServer(config: Config, db: DataSource, logger: Logger): Promise<Server> {
  const services = createServices(db, logger, { graphSearchSteps: config.graphSearchSteps, graphMetricsRuns: config.graphMetricsRuns });
  const schema = await buildGraphQLSchema(services, { readRequiresAuth: config.readRequiresAuth });
  const production = config.nodeEnv === "production";
  const httpServer = http.createServer();
  const answers = new ResponseCache(config.graphCacheBytes);
  const limiters = { write: new RateLimiter(config.writeRateLimit), graph: new RateLimiter(config.graphRateLimit) };

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: !production,
    allowBatchedHttpRequests: config.maxBatch > 1,
    validationRules: limitRules(config.limits),
    parseOptions: { maxTokens: config.limits.maxTokens },
    // No "Did you mean ...?": unknown fields do not reveal the schema's names.
    hideSchemaDetailsFromClientErrors: true,
    // main.ts owns SIGTERM: drain, close the database, exit 0.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    formatError: (formatted, error) => {
      const tokens = tokenLimitError(formatted.message, config.limits.maxTokens);
      if (tokens) return { message: tokens, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } };
      return formatError(formatted, error, production);
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      costLimitPlugin<Context>(config.limits.maxCost),
      rateLimitPlugin<Context>(limiters),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
      {
        async requestDidStart({ contextValue, request }) {
          const started = process.hrtime.bigint();
          let unavailable: UnavailableError | undefined;
          return {
            async didResolveOperation({ operation }) {
              contextValue.graph.cacheable = operation !== undefined && isCacheableOperation(operation);
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
              logger.info("graphql request", {
                requestId: contextValue.requestId,
                operation: request.operationName ?? null,
                keyId: contextValue.viewer?.keyId ?? null,
                ms: Number(process.hrtime.bigint() - started) / 1e6,
              });
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  /** Sends the cached answer to `key` if the asker may read and the graph version still holds; false when it does not. */
  const sendCachedAnswer = async (
    key: string,
    body: { operationName?: unknown },
    headers: HeaderMap,
    requestId: string,
    address: string | undefined,
    response: http.ServerResponse,
  ): Promise<boolean> => {
    const started = process.hrtime.bigint();
    let viewer: Viewer | null;
    try {
      viewer = await services.apiKeys.authenticate(headers.get("authorization"));
    } catch (error) {
      if (error instanceof UnauthenticatedError) return false; // Apollo answers the 401
      throw error;
    }
    if (config.readRequiresAuth && !viewer) return false;
    const hit = answers.get(key, await graphVersion(db));
    if (!hit) return false;
    const wait = limiters.graph.take(rateKeys({ viewer, address }));
    if (wait !== undefined) {
      const { message, extensions } = rateLimitedError("graph", limiters.graph, wait);
      const { http: status, ...rest } = extensions as { http: { status: number; headers: HeaderMap } };
      sendJson(response, status.status, { errors: [{ message, extensions: { ...rest, requestId } }] }, { ...Object.fromEntries(status.headers), "x-request-id": requestId });
      return true;
    }
    response.writeHead(hit.status, { ...hit.headers, "x-request-id": requestId, "x-passerelle-cache": "hit" });
    response.end(hit.body);
    logger.info("graphql request", {
      requestId,
      operation: typeof body.operationName === "string" ? body.operationName : null,
      keyId: viewer?.keyId ?? null,
      cache: "hit",
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    });
    return true;
  };

  const handleGraphQL = async (request: http.IncomingMessage, response: http.ServerResponse, url: URL) => {
    const requestId = randomUUID();
    let rawBody: string;
    try {
      rawBody = await readBody(request, config.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendJson(
          response,
          413,
          { errors: [{ message: `The request body is larger than ${config.bodyLimitBytes} bytes (BODY_LIMIT_BYTES): send a smaller query.`, extensions: { code: "BAD_REQUEST" } }] },
          { connection: "close" },
        );
      }
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    let body: unknown = undefined;
    const contentType = headers.get("content-type") ?? "";
    if (request.method === "POST" && /^application\/(graphql-response\+)?json/i.test(contentType) && rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        sendJson(response, 400, {
          errors: [{ message: "The request body is not valid JSON.", extensions: { code: "BAD_REQUEST" } }],
        });
        return;
      }
    } else if (request.method === "POST") {
      body = rawBody;
    }
    if (Array.isArray(body) && body.length > config.maxBatch) {
      const message =
        config.maxBatch === 1
          ? "Batched requests (a JSON array of operations) are turned off on this server (MAX_BATCH=1): send one operation per request."
          : `A batched request holds at most ${config.maxBatch} operations (MAX_BATCH); this one holds ${body.length}: split it.`;
      sendJson(response, 400, { errors: [{ message, extensions: { code: "BAD_REQUEST" } }] }, { "x-request-id": requestId });
      return;
    }
    // A graph query asked before, at the same graph version, by someone allowed to read: its answer
    // is sent as it was, without running GraphQL again. Anything else goes through Apollo.
    const cacheKey = request.method === "POST" && body !== null && typeof body === "object" && !Array.isArray(body) && answers.enabled ? `${headers.get("accept") ?? ""}\n${rawBody}` : undefined;
    if (cacheKey !== undefined && answers.has(cacheKey) && (await sendCachedAnswer(cacheKey, body as { operationName?: unknown }, headers, requestId, request.socket.remoteAddress, response))) return;

    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (request.method ?? "GET").toUpperCase(),
      headers,
      search: url.search,
      body,
    };
    let context: Context | undefined;
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => {
        try {
          return (context = await createContext(services, db, headers.get("authorization"), requestId, request.socket.remoteAddress));
        } catch (error) {
          if (error instanceof AppError) throw error; // a bad token: the client's own doing
          const unavailable = unavailability(error);
          if (unavailable) {
            unavailable.extensions.requestId = requestId; // an outage is expected: no stack (isUnexpected)
            throw unavailable;
          }
          // No plugin hook sees a failed context: log it here, once, and give the client the id.
          logger.error("unexpected error", { requestId, operation: null, error: String((error as Error)?.stack ?? error) });
          throw new GraphQLError(String((error as Error)?.message ?? error), { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } });
        }
      },
    });
    const answerHeaders: Record<string, string> = {};
    for (const [name, value] of result.headers) answerHeaders[name] = value;
    if (cacheKey !== undefined && context?.graph.cacheable && (result.status ?? 200) === 200 && result.body.kind === "complete") {
      // Kept only if the stored version is still the one every graph field was computed at: the
      // nested lists read from SQL then saw that same state.
      const version = await graphVersion(db);
      if (context.graph.versions.length > 0 && context.graph.versions.every((v) => v === version)) {
        answers.set(cacheKey, { version, status: 200, headers: answerHeaders, body: Buffer.from(result.body.string) });
      }
    }
    response.writeHead(result.status ?? 200, { ...answerHeaders, "x-request-id": requestId });
    if (result.body.kind === "complete") {
      response.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  };

  httpServer.on("request", (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const route = url.pathname;
    const handle = async () => {
      if (route === "/graphql") return handleGraphQL(request, response, url);
      if (route === "/healthz") return sendJson(response, 200, { status: "ok" });
      if ((route === "/explorer" || route.startsWith("/explorer/")) && serveExplorer(route, request, response)) return;
      if (route.startsWith("/export/")) {
        // Exports are reads: when READ_REQUIRES_AUTH is on, they need a key like any query.
        try {
          const viewer = await services.apiKeys.authenticate(request.headers.authorization);
          if (config.readRequiresAuth && !viewer) {
            throw new UnauthenticatedError("Exports need an API key on this server (READ_REQUIRES_AUTH): send Authorization: Bearer TOKEN.");
          }
        } catch (error) {
          if (!(error instanceof UnauthenticatedError)) throw error;
          return sendJson(response, 401, { errors: [{ message: error.message, extensions: { code: "UNAUTHENTICATED" } }] }, { "www-authenticate": "Bearer" });
        }
        return handleExport(services.graph, url, response);
      }
      if (route === "/readyz") {
        // Bounded on its own (READY_CHECK_MS): a frozen database must not hang the health check.
        const problem = await databaseProblem(db);
        if (problem === undefined) return sendJson(response, 200, { status: "ready" });
        return sendJson(response, 503, { status: "unavailable", reason: problem }, { "retry-after": "5" });
      }
      return sendJson(response, 404, { error: `Nothing at ${route}: GraphQL is served at /graphql, the network explorer at /explorer.` });
    };
    handle().catch((error: unknown) => {
      logger.error("request failed", { error: String((error as Error)?.stack ?? error) });
      if (!response.headersSent) sendJson(response, 500, { errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      else response.end();
    });
  });

  return {
    httpServer,
    apollo,
    services,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(config.port, config.host, () => {
          const address = httpServer.address();
          resolve(typeof address === "object" && address ? address.port : config.port);
        });
      }),
    stop: () => apollo.stop(),
  };
}
