import http from "node:http";
import { randomUUID } from "node:crypto";
import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { DataSource } from "typeorm";
import { Config } from "./config";
import { Context, requestContext } from "./context";
import { Logger } from "./common/log";
import { AppError, ErrorCode, RequestError, sendError, UnauthenticatedError, UnavailableError } from "./errors";
import { unavailability } from "./errors/database";
import { Viewer } from "./auth/viewer";
import { formatError, isUnexpected } from "./errors/format";
import { buildGraphQLSchema, createServices, Services } from "./schema";
import { handleExport } from "./graph/export";
import { serveExplorer } from "./explorer/serve";
import { costLimitPlugin, limitRules, tokenLimitError } from "./http/limits";
import { RateLimiter, rateLimitPlugin } from "./http/rate-limit";
import { Cors } from "./http/cors";
import { Exchange, Exchanges } from "./http/exchange";
import { databaseProblem } from "./db/data-source";
import { compiledExecution } from "./http/executor";
import { AnswerCache } from "./http/answer-cache";
import { requestPlugin } from "./http/request-plugin";

export interface Server {
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  services: Services;
  /** Starts listening; resolves with the port (useful with PORT=0). */
  listen(): Promise<number>;
  /**
   * Stops taking connections, answers every request already read (with `connection: close`),
   * closes idle connections, then resolves. Closes no database.
   */
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

/** Answers that are not errors (health, readiness); errors go through sendError. */
function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
}

/** The context of one request whose viewer is known (the HTTP pipeline authenticates once). */
function contextOf(services: Services, viewer: Viewer | null, requestId: string, address?: string): Context {
  return requestContext(services.models, { requestId, viewer, address });
}

/** The context of one request from its Authorization header; tests build it so for executeOperation. */
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
  return contextOf(services, viewer, requestId, address);
}


/** What Apollo's CSRF prevention lets through: a content type a form cannot send, or one of its headers. */
function preflighted(request: http.IncomingMessage): boolean {
  const type = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "" && !["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"].includes(type)) return true;
  return ["apollo-require-preflight", "x-apollo-operation-name"].some((name) => (request.headers[name] ?? "") !== "");
}

/** Apollo's refusals made before any plugin runs (a body it cannot use, a method): given the request id too. */
function withRequestId(body: string, requestId: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: Record<string, unknown> }[] };
    if (!Array.isArray(parsed.errors)) return body;
    for (const error of parsed.errors) error.extensions = { ...error.extensions, requestId };
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}

const JSON_BODY = /^application\/(graphql-response\+)?json\s*(;|$)/i;
const SEND_JSON = "POST the operation as JSON with the header `content-type: application/json`, e.g. curl -H 'content-type: application/json' -d '{\"query\":\"{ regions { slug } }\"}'";

export async function createServer(config: Config, db: DataSource, logger: Logger): Promise<Server> {
  const services = createServices(db, logger, { graphSearchSteps: config.graphSearchSteps, graphMetricsRuns: config.graphMetricsRuns });
  const schema = await buildGraphQLSchema(services, { readRequiresAuth: config.readRequiresAuth });
  const production = config.nodeEnv === "production";
  const httpServer = http.createServer({
    headersTimeout: config.http.headersTimeoutMs,
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (30 s by default): often enough that they hold.
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(config.http.headersTimeoutMs / 4))),
  });
  httpServer.maxConnections = config.http.maxConnections;
  const exchanges = new Exchanges(httpServer, logger);
  const cors = new Cors(config.corsOrigins);
  /** The exchange of each request in Apollo, by request id (Apollo copies the context object), for the log line's operation. */
  const exchangeOf = new Map<string, Exchange>();
  httpServer.on("clientError", (error: NodeJS.ErrnoException, socket) => exchanges.clientError(error, socket));
  let dropped = 0;
  httpServer.on("drop", () => {
    // Past HTTP_MAX_CONNECTIONS Node closes new connections at once: said once per burst, not per connection.
    if (dropped++ === 0) {
      setTimeout(() => {
        logger.warn("connections refused: HTTP_MAX_CONNECTIONS reached", { maxConnections: config.http.maxConnections, refused: dropped });
        dropped = 0;
      }, 1_000).unref();
    }
  });
  const limiters = { write: new RateLimiter(config.writeRateLimit), graph: new RateLimiter(config.graphRateLimit) };
  const answers = new AnswerCache(config.graphCacheBytes, limiters.graph, config.readRequiresAuth);

  const apollo = new ApolloServer<Context>({
    gateway: compiledExecution(schema),
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
    // No ApolloServerPluginDrainHttpServer: it half-closes idle keep-alive sockets, which may then
    // carry a request that runs but cannot be answered; stop() below drains instead.
    plugins: [
      // No cache hints are given, and Apollo's cache-control plugin would wrap every field's
      // resolver to collect them (a quarter of a large page's time): off; answers say no-store.
      ApolloServerPluginCacheControlDisabled(),
      costLimitPlugin<Context>(config.limits.maxCost),
      rateLimitPlugin<Context>(limiters),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
      requestPlugin(exchangeOf, logger),
    ],
  });
  await apollo.start();

  const handleGraphQL = async (request: http.IncomingMessage, response: http.ServerResponse, url: URL, exchange: Exchange) => {
    const { requestId } = exchange;
    const method = (request.method ?? "GET").toUpperCase();
    if (method === "OPTIONS") {
      // Not a CORS preflight (those are answered before): what the route serves.
      request.resume();
      response.writeHead(204, { allow: "GET, POST, OPTIONS" });
      return response.end();
    }
    if (method !== "GET" && method !== "POST") {
      request.resume();
      return sendError(response, new RequestError(405, "method", `/graphql is asked with ${method}: ${SEND_JSON} (GET works for queries too).`, { allow: "GET, POST, OPTIONS" }));
    }
    // Said here, before Apollo, whose CSRF refusal does not say what to send.
    if (method === "POST" && !JSON_BODY.test(request.headers["content-type"] ?? "")) {
      request.resume();
      const got = request.headers["content-type"] ? `\`${request.headers["content-type"]}\`` : "no content type";
      return sendError(response, new RequestError(415, "content-type", `This POST has ${got}: ${SEND_JSON}.`, { accept: "application/json" }));
    }
    if (method === "GET") {
      const landingPage = !production && /text\/html/.test(request.headers.accept ?? "");
      if (!url.searchParams.has("query") && !url.searchParams.has("extensions") && !landingPage) {
        return sendError(response, new RequestError(400, "query", `GET /graphql needs a ?query= parameter; better, ${SEND_JSON}.`));
      }
      if (!preflighted(request) && !landingPage) {
        return sendError(
          response,
          new RequestError(
            400,
            "apollo-require-preflight",
            `A GET /graphql needs the header \`apollo-require-preflight: 1\` (it keeps other sites' pages from sending it in your name); or ${SEND_JSON}.`,
          ),
        );
      }
    }
    let rawBody: string;
    try {
      rawBody = await readBody(request, config.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendError(
          response,
          new RequestError(413, "body", `The request body is larger than ${config.bodyLimitBytes} bytes (BODY_LIMIT_BYTES): send a smaller query.`, { connection: "close" }),
        );
      }
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    let body: unknown = undefined;
    if (method === "POST" && rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return sendError(response, new RequestError(400, "body", `The request body is not valid JSON: ${SEND_JSON}.`));
      }
    }
    if (Array.isArray(body) && body.length > config.maxBatch) {
      const message =
        config.maxBatch === 1
          ? "Batched requests (a JSON array of operations) are turned off on this server (MAX_BATCH=1): send one operation per request."
          : `A batched request holds at most ${config.maxBatch} operations (MAX_BATCH); this one holds ${body.length}: split it.`;
      return sendError(response, new RequestError(400, "body", message));
    }
    // The viewer, once per request: the cache, the rate limits, the resolvers and the log line use it.
    let viewer: Viewer | null;
    try {
      viewer = await services.apiKeys.authenticate(headers.get("authorization"));
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      return sendError(response, error);
    }
    exchange.keyId = viewer?.keyId ?? null;
    const address = request.socket.remoteAddress;
    // A graph query asked before, at the same graph version, by someone allowed to read: its answer
    // is sent as it was, without running GraphQL again. Anything else goes through Apollo.
    const cacheKey = answers.keyOf({ method, body, rawBody, accept: headers.get("accept") });
    const context = contextOf(services, viewer, requestId, address);
    const operationName = (body as { operationName?: unknown } | undefined)?.operationName;
    if (await answers.serve(cacheKey, { viewer, address, operationName }, context, exchange, response)) return;

    const httpGraphQLRequest: HTTPGraphQLRequest = { method, headers, search: url.search, body };
    exchangeOf.set(requestId, exchange);
    const result = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => context }).finally(() => exchangeOf.delete(requestId));
    const answerHeaders: Record<string, string> = {};
    for (const [name, value] of result.headers) answerHeaders[name] = value;
    await answers.keep(cacheKey, context, { status: result.status ?? 200, headers: answerHeaders, body: result.body.kind === "complete" ? result.body.string : undefined });
    if (answerHeaders.vary && response.getHeader("vary")) answerHeaders.vary = `${response.getHeader("vary")}, ${answerHeaders.vary}`;
    response.writeHead(result.status ?? 200, answerHeaders);
    if (result.body.kind === "complete") {
      response.end((result.status ?? 200) >= 400 ? withRequestId(result.body.string, requestId) : result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  };

  /** Anything a route let through: the database out of reach (503), or a fault of ours (500, logged once). */
  const fail = (error: unknown, exchange: Exchange, response: http.ServerResponse) => {
    if (isUnexpected(error)) {
      logger.error("unexpected error", { requestId: exchange.requestId, operation: exchange.operation ?? null, error: String((error as Error)?.stack ?? error) });
    }
    if (response.headersSent) {
      response.destroy(); // mid-answer: the client sees a cut, not a wrong ending
      return;
    }
    const unavailable = unavailability(error);
    const formatted = formatError({ message: String((error as Error)?.message ?? error) }, unavailable ?? error, production);
    const { code, requestId: _id, ...extensions } = (formatted.extensions ?? {}) as { code?: ErrorCode; requestId?: unknown };
    sendError(response, new AppError(formatted.message, code ?? ErrorCode.INTERNAL_SERVER_ERROR, extensions, unavailable && { status: unavailable.status, headers: unavailable.headers }));
  };

  let stopping = false;
  httpServer.on("request", (request, response) => {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://localhost");
    } catch {
      url = new URL("http://localhost/");
    }
    const route = url.pathname;
    const exchange = exchanges.begin(request, response, route);
    const handle = async () => {
      if (cors.handle(request, response)) return;
      if (route === "/graphql") return handleGraphQL(request, response, url, exchange);
      if (route === "/healthz") return sendJson(response, 200, { status: "ok" });
      if ((route === "/explorer" || route.startsWith("/explorer/")) && serveExplorer(route, request, response)) return;
      if (route.startsWith("/export/")) {
        // Exports are reads: when READ_REQUIRES_AUTH is on, they need a key like any query.
        try {
          const viewer = await services.apiKeys.authenticate(request.headers.authorization);
          exchange.keyId = viewer?.keyId ?? null;
          if (config.readRequiresAuth && !viewer) {
            throw new UnauthenticatedError("Exports need an API key on this server (READ_REQUIRES_AUTH): send Authorization: Bearer TOKEN.");
          }
        } catch (error) {
          if (!(error instanceof UnauthenticatedError)) throw error;
          return sendError(response, error);
        }
        return handleExport(services.graph, url, response);
      }
      if (route === "/readyz") {
        // Bounded on its own (READY_CHECK_MS): a frozen database must not hang the health check.
        const problem = await databaseProblem(db);
        if (problem === undefined) return sendJson(response, 200, { status: "ready" });
        return sendError(response, new UnavailableError(`Not ready: ${problem}`, 5));
      }
      return sendError(response, new AppError(`Nothing at ${route}: GraphQL is served at /graphql, the network explorer at /explorer.`, ErrorCode.NOT_FOUND));
    };
    handle().catch((error: unknown) => fail(error, exchange, response));
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
    stop: async () => {
      if (stopping) return;
      stopping = true;
      await exchanges.drain();
      await apollo.stop();
    },
  };
}
