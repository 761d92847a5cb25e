import http from "node:http";
import { DataSource } from "typeorm";
import { Config } from "../config/index";
import { Logger } from "../log";
import { AppError, ErrorCode, sendError, UnauthenticatedError, UnavailableError } from "../errors";
import { unavailability } from "../errors/database";
import { formatError, isUnexpected } from "../errors/format";
import { databaseProblem } from "../db/data-source";
import { serveExplorer } from "../explorer/serve";
import { serveGraphiQL } from "../graphiql/serve";
import { handleDownload } from "../graph/downloads";
import { Features } from "../schema";
import { Cors } from "./cors";
import { Exchange } from "./exchange";
import { browserVisit } from "./graphql-route";

// What each path serves: /graphql (graphql-route.ts; outside production, a browser's visit gets
// GraphiQL, src/graphiql/), health and readiness, the explorer, the graph exports; anything else
// is NOT_FOUND, and what a route lets escape, failed() answers.

/** Answers that are not errors (health, readiness); errors go through sendError. */
function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
}

export interface Routes {
  config: Config;
  db: DataSource;
  features: Features;
  cors: Cors;
  graphql: (request: http.IncomingMessage, response: http.ServerResponse, url: URL, exchange: Exchange) => Promise<void>;
}

/** The handler of every request, by its path. */
export function routes({ config, db, features, cors, graphql }: Routes) {
  const production = config.nodeEnv === "production";
  return async (request: http.IncomingMessage, response: http.ServerResponse, url: URL, exchange: Exchange): Promise<void> => {
    const route = url.pathname;
    if (cors.handle(request, response)) return;
    if (route === "/graphql") {
      // A browser's visit gets the query editor outside production; anything else is GraphQL.
      if (!production && browserVisit(request, url)) return void serveGraphiQL(route, request, response);
      return graphql(request, response, url, exchange);
    }
    // GraphiQL's files and the API reference it links to (src/graphiql/serve.ts lists them): only where its page is served.
    if (!production && serveGraphiQL(route, request, response)) return;
    if (route === "/healthz") return sendJson(response, 200, { status: "ok" });
    if ((route === "/explorer" || route.startsWith("/explorer/")) && serveExplorer(route, request, response)) return;
    if (route.startsWith("/export/")) {
      // Exports are reads: when READ_REQUIRES_AUTH is on, they need a key like any query.
      try {
        const viewer = await features.apiKeys.authenticate(request.headers.authorization);
        exchange.keyId = viewer?.keyId ?? null;
        if (config.readRequiresAuth && !viewer) {
          throw new UnauthenticatedError("Exports need an API key on this server (READ_REQUIRES_AUTH): send Authorization: Bearer TOKEN.");
        }
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        return sendError(response, error);
      }
      return handleDownload(features.graph, url, response);
    }
    if (route === "/readyz") {
      // Bounded on its own (READY_CHECK_MS): a frozen database must not hang the health check.
      const problem = await databaseProblem(db);
      if (problem === undefined) return sendJson(response, 200, { status: "ready" });
      return sendError(response, new UnavailableError(`Not ready: ${problem}`, 5));
    }
    return sendError(response, new AppError(`Nothing at ${route}: GraphQL is served at /graphql, the network explorer at /explorer.`, ErrorCode.NOT_FOUND));
  };
}

/** Anything a route let through: the database out of reach (503), or a fault of ours (500, logged once). */
export function failed(error: unknown, exchange: Exchange, response: http.ServerResponse, logger: Logger, production: boolean): void {
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
}
