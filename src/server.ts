import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { DataSource } from "typeorm";
import { Config } from "./config/index";
import { Context } from "./context";
import { Logger } from "./log";
import { buildGraphQLSchema, createFeatures, Features } from "./schema";
import { createApollo } from "./http/apollo";
import { AnswerCache } from "./http/answer-cache";
import { Cors } from "./http/cors";
import { Exchange, Exchanges } from "./http/exchange";
import { graphqlRoute } from "./http/graphql-route";
import { RateLimiter } from "./http/rate-limit";
import { failed, routes } from "./http/routes";

// The server: node:http with its timeouts and connection bound, the exchanges (a log line per
// request, the drain on stop), then the routes (src/http/routes.ts), /graphql through Apollo
// (src/http/graphql-route.ts, src/http/apollo.ts).

export { createContext } from "./http/graphql-route";

export interface Server {
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  features: Features;
  /** Starts listening; resolves with the port (useful with PORT=0). */
  listen(): Promise<number>;
  /**
   * Stops taking connections, answers every request already read (with `connection: close`),
   * closes idle connections, then resolves. Closes no database. `idleGraceMs`: how long an idle
   * connection may still bring a request it already sent (default 500 ms, IDLE_GRACE_MS in
   * src/http/exchange.ts); 0 where every client is known to be done (a test's end).
   */
  stop(idleGraceMs?: number): Promise<void>;
}

export async function createServer(config: Config, db: DataSource, logger: Logger): Promise<Server> {
  const features = createFeatures(db, logger, { graphSearchSteps: config.graphSearchSteps, graphMetricsRuns: config.graphMetricsRuns });
  const schema = await buildGraphQLSchema(features, { readRequiresAuth: config.readRequiresAuth });
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

  const apollo = createApollo(config, schema, limiters, exchangeOf, logger);
  await apollo.start();

  const handle = routes({ config, db, features, cors, graphql: graphqlRoute({ config, features, apollo, answers, exchangeOf }) });
  let stopping = false;
  httpServer.on("request", (request, response) => {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://localhost");
    } catch {
      url = new URL("http://localhost/");
    }
    const exchange = exchanges.begin(request, response, url.pathname);
    handle(request, response, url, exchange).catch((error: unknown) => failed(error, exchange, response, logger, production));
  });

  return {
    httpServer,
    apollo,
    features,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(config.port, config.host, () => {
          const address = httpServer.address();
          resolve(typeof address === "object" && address ? address.port : config.port);
        });
      }),
    stop: async (idleGraceMs?: number) => {
      if (stopping) return;
      stopping = true;
      await exchanges.drain(idleGraceMs);
      await apollo.stop();
    },
  };
}
