import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { GraphQLSchema } from "graphql";
import { Config } from "../config/index";
import { Context } from "../context";
import { Logger } from "../log";
import { ErrorCode } from "../errors";
import { formatError } from "../errors/format";
import { compiledExecution } from "./executor";
import { Exchange } from "./exchange";
import { costLimitPlugin, limitRules, tokenLimitError } from "./limits";
import { RateLimiter, rateLimitPlugin } from "./rate-limit";
import { requestPlugin } from "./request-plugin";

// Apollo as Passerelle runs it: the compiled executor, the query limits, the plugins in their
// order (cost, rate limits, the request's log line), errors in the contract's shape.

export function createApollo(
  config: Config,
  schema: GraphQLSchema,
  limiters: { write: RateLimiter; graph: RateLimiter },
  exchangeOf: Map<string, Exchange>,
  logger: Logger,
): ApolloServer<Context> {
  const production = config.nodeEnv === "production";
  return new ApolloServer<Context>({
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
    // carry a request that runs but cannot be answered; Server.stop() (src/server.ts) drains instead.
    plugins: [
      // No cache hints are given, and Apollo's cache-control plugin would wrap every field's
      // resolver to collect them (a quarter of a large page's time): off; answers say no-store.
      ApolloServerPluginCacheControlDisabled(),
      costLimitPlugin<Context>(config.limits.maxCost),
      rateLimitPlugin<Context>(limiters),
      // Apollo's landing page loads its sandbox from a CDN: off everywhere. Outside production a
      // browser's GET /graphql gets GraphiQL from the installed package instead (src/graphiql/).
      ApolloServerPluginLandingPageDisabled(),
      requestPlugin(exchangeOf, logger),
    ],
  });
}
