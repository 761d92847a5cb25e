// The one place that reads process.env: every setting has a default and a line saying what it does.

export interface Config {
  /** TCP port of the HTTP server. */
  port: number;
  /** Interface to listen on; 127.0.0.1 keeps the service local unless told otherwise. */
  host: string;
  /** PostgreSQL URL; when absent, the embedded PGlite database under `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database's files (PGlite), used only without `databaseUrl`. */
  dataDir: string;
  /** Embedded database only: each commit is on disk (fsync) before it is acknowledged, so a power loss keeps it. */
  pgliteFsync: boolean;
  /** `correze` seeds an empty database with the Corrèze network; `none` leaves it empty. */
  seed: "correze" | "none";
  /** When true, queries need an API key too; writes always do. */
  readRequiresAuth: boolean;
  /** `production` hides internal error details from clients. */
  nodeEnv: string;
  /** Whether the schema can be introspected (default: on outside production). */
  introspection: boolean;
  /** Query limits (src/common/limits.ts): nesting depth, aliases, directives, parser tokens, cost. */
  limits: { maxDepth: number; maxAliases: number; maxDirectives: number; maxTokens: number; maxCost: number };
  /** Most operations in one batched (JSON array) request; 1 turns batching off. */
  maxBatch: number;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Longest time a SQL statement may run on PostgreSQL, in milliseconds. */
  statementTimeoutMs: number;
  /** Size of the PostgreSQL connection pool. */
  poolSize: number;
  /** Longest wait for a free database connection, in milliseconds. */
  poolTimeoutMs: number;
  /** How long the start waits for an unreachable PostgreSQL, retrying, before it gives up; 0 waits for ever. */
  dbStartTimeoutMs: number;
  /** How long SIGTERM waits for in-flight requests before closing, in milliseconds. */
  shutdownGraceMs: number;
  /** Writes (mutations) a minute per API key and per client address; 0 turns the limit off. */
  writeRateLimit: number;
  /** Graph queries a minute per API key and per client address; 0 turns the limit off. */
  graphRateLimit: number;
  /** Most referrals one pathway search may look at before it is refused as too large. */
  graphSearchSteps: number;
  /** networkMetrics computations running at once; as many again may wait, more are refused (503). */
  graphMetricsRuns: number;
  /** Bytes of whole graph-query answers kept per process, served while the graph version holds; 0 turns it off. */
  graphCacheBytes: number;
  /** `info`, `warn`, `error` or `silent`. */
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must be a postgres:// URL, got "${databaseUrl.replace(/:[^:@/]*@/, ":***@")}"`);
  }
  const nodeEnv = env.NODE_ENV || "development";
  return {
    port: integer(env, "PORT", 4000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    databaseUrl,
    dataDir: env.DATA_DIR || "./data",
    pgliteFsync: boolean(env, "PGLITE_FSYNC", true),
    seed: oneOf(env, "SEED", "correze", ["correze", "none"] as const),
    readRequiresAuth: boolean(env, "READ_REQUIRES_AUTH", false),
    nodeEnv,
    introspection: boolean(env, "INTROSPECTION", nodeEnv !== "production"),
    limits: {
      maxDepth: integer(env, "MAX_QUERY_DEPTH", 10, 1, 100),
      maxAliases: integer(env, "MAX_ALIASES", 15, 0, 1000),
      maxDirectives: integer(env, "MAX_DIRECTIVES", 50, 0, 1000),
      maxTokens: integer(env, "MAX_QUERY_TOKENS", 2000, 10, 100_000),
      maxCost: integer(env, "MAX_QUERY_COST", 25_000, 1, 10_000_000),
    },
    maxBatch: integer(env, "MAX_BATCH", 1, 1, 100),
    bodyLimitBytes: integer(env, "BODY_LIMIT_BYTES", 1_000_000, 1_000, 100_000_000),
    statementTimeoutMs: integer(env, "STATEMENT_TIMEOUT_MS", 15_000, 0, 3_600_000),
    poolSize: integer(env, "DB_POOL_SIZE", 10, 2, 200),
    poolTimeoutMs: integer(env, "DB_POOL_TIMEOUT_MS", 5_000, 0, 600_000),
    dbStartTimeoutMs: integer(env, "DB_START_TIMEOUT_MS", 300_000, 0, 86_400_000),
    shutdownGraceMs: integer(env, "SHUTDOWN_GRACE_MS", 10_000, 0, 600_000),
    writeRateLimit: integer(env, "WRITE_RATE_LIMIT", 120, 0, 1_000_000),
    graphRateLimit: integer(env, "GRAPH_RATE_LIMIT", 600, 0, 1_000_000),
    graphSearchSteps: integer(env, "GRAPH_SEARCH_STEPS", 2_000_000, 1_000, 1_000_000_000),
    graphMetricsRuns: integer(env, "GRAPH_METRICS_RUNS", 2, 1, 64),
    graphCacheBytes: integer(env, "GRAPH_CACHE_BYTES", 64 * 2 ** 20, 0, 2 ** 32),
    logLevel: oneOf(env, "LOG_LEVEL", nodeEnv === "test" ? "warn" : "info", [
      "debug",
      "info",
      "warn",
      "error",
      "silent",
    ] as const),
  };
}

/** The database settings of a configuration, as openDatabase() takes them. */
export function databaseOptions(config: Config) {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pgliteFsync: config.pgliteFsync,
    statementTimeoutMs: config.statementTimeoutMs,
    poolSize: config.poolSize,
    poolTimeoutMs: config.poolTimeoutMs,
  };
}
