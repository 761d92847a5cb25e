// The one place that reads process.env: every setting has a default and a line saying what it does.

import { isIP } from "node:net";
import { didYouMean, nearest } from "./spelling";

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
  /** `production` hides internal error details from clients; `test` is what jest sets. */
  nodeEnv: (typeof NODE_ENVS)[number];
  /** Whether the schema can be introspected (default: on outside production). */
  introspection: boolean;
  /** Query limits (src/http/limits.ts): nesting depth, aliases, directives, parser tokens, cost. */
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
  /** Browser origins (scheme://host[:port]) whose pages may call this server (CORS); empty: none. */
  corsOrigins: string[];
  /** Node's HTTP server bounds against slow or idle clients (src/server.ts applies them). */
  http: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number; maxConnections: number };
  /** `info`, `warn`, `error` or `silent`. */
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const NODE_ENVS = ["production", "development", "test"] as const;

/** The faults of the loadConfig call running (it is synchronous): each setting is checked, so one start names them all. */
let faults: string[] | undefined;

/** A wrong value: noted (its default is read on) while loadConfig runs, else thrown. */
function refuse<T>(message: string, fallback: T): T {
  if (!faults) throw new ConfigError(message);
  faults.push(message);
  return fallback;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    return refuse(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`, fallback);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  return refuse(`${name} must be true or false, got "${raw}"`, fallback);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    // `prod` for production, `warning` for warn: a value one begins the other with counts, before spelling.
    const typed = raw.toLowerCase();
    const begun = (a: string, b: string) => b.length >= 3 && a.startsWith(b);
    const started = allowed.filter((value) => value === typed || begun(value, typed) || begun(typed, value));
    const hint = didYouMean(started.length ? started : nearest(typed, allowed, (value) => (value.length >= 6 ? 2 : 1)));
    return refuse(`${name} must be one of ${allowed.join(", ")}, got "${raw}"${hint ? `: ${hint}` : ""}`, fallback);
  }
  return raw as T;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** An IP address or a host name; whether it is one of this machine's is known only at listen (src/main.ts says so). */
function host(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (isIP(raw)) return raw;
  const withoutPort = raw.replace(/:\d+$/, "");
  let why: string;
  if (/^\[.*\]$/.test(raw)) why = `write an IPv6 address without brackets: ${raw.slice(1, -1)}`;
  else if (withoutPort !== raw && (isIP(withoutPort) || HOST_NAME.test(withoutPort))) why = "give the port in PORT, not in " + name;
  else if (/^[\d.]+$/.test(raw)) why = "this is not an IPv4 address (four numbers from 0 to 255)";
  else if (!HOST_NAME.test(raw)) why = "this is neither an IP address nor a host name";
  else return raw;
  return refuse(`${name} must be an address of this machine (127.0.0.1, 0.0.0.0 for every interface, ::1) or its host name, got "${raw}": ${why}`, fallback);
}

// An environment variable of the shape of ours (upper case, words joined by _) that is not one of
// ours but is this close to one is taken for a slip of the fingers; others (PATH, PGHOST...) pass.
const SETTING_SHAPE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const slipsAllowed = (setting: string) => (setting.length >= 10 ? 2 : 1);

/** What the environment holds near our names: one line per misspelt variable, naming the right one. */
function misspeltSettings(env: Env, settings: ReadonlySet<string>): string[] {
  const ours = [...settings].filter((name) => SETTING_SHAPE.test(name));
  const lines: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (settings.has(name) || env[name] === undefined || !SETTING_SHAPE.test(name)) continue;
    const hint = didYouMean(nearest(name, ours, slipsAllowed));
    if (hint) lines.push(`${name} is not a setting of Passerelle: ${hint} Rename it, or unset it.`);
  }
  return lines;
}

/**
 * The configuration of `env`. The settings are the names readConfig asks `env` for (recorded as
 * it reads them), so a variable added there is known to the misspelling check without a list.
 */
/** CORS_ORIGINS: comma-separated origins such as https://dash.example.org, each exactly an origin (no path, no `*`). */
function origins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return [];
  return raw.split(",").map((text) => {
    const origin = text.trim();
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      const hint = parsed && /^https?:$/.test(parsed.protocol) ? `; did you mean ${parsed.origin}?` : "";
      return refuse(
        `${name} must list origins such as https://dash.example.org (scheme, host, optional port; no path, no trailing slash, no *), separated by commas; got "${origin}"${hint}`,
        origin,
      );
    }
    return origin;
  });
}

/** Node's server timeouts: a headers timeout longer than the whole-request one would never fire. */
function httpBounds(env: Env): Config["http"] {
  const requestTimeoutMs = integer(env, "HTTP_REQUEST_TIMEOUT_MS", 60_000, 100, 3_600_000);
  const headersTimeoutMs = integer(env, "HTTP_HEADERS_TIMEOUT_MS", 10_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    refuse(`HTTP_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}): lower the first or raise the second`, undefined);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, "HTTP_KEEP_ALIVE_TIMEOUT_MS", 5_000, 0, 600_000),
    maxConnections: integer(env, "HTTP_MAX_CONNECTIONS", 1_000, 1, 1_000_000),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const asked = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === "string") asked.add(name);
      return Reflect.get(target, name);
    },
  });
  const found: string[] = (faults = []);
  let config: Config | undefined;
  try {
    config = readConfig(recording);
  } catch (error) {
    // A check that throws instead of calling refuse() stops the reading: what was read so far is checked.
    if (!(error instanceof ConfigError)) throw error;
    found.push(error.message);
  } finally {
    faults = undefined;
  }
  found.push(...misspeltSettings(env, asked));
  if (found.length > 0 || !config) throw new ConfigError(found.join("\n"));
  return config;
}

// Ask env for every setting on every call (not inside a condition): what is asked is what is known.
function readConfig(env: Env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    refuse(`DATABASE_URL must be a postgres:// URL, got "${databaseUrl.replace(/:[^:@/]*@/, ":***@")}"`, undefined);
  }
  const nodeEnv = oneOf(env, "NODE_ENV", "development", NODE_ENVS);
  return {
    port: integer(env, "PORT", 4000, 0, 65535),
    host: host(env, "HOST", "127.0.0.1"),
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
    corsOrigins: origins(env, "CORS_ORIGINS"),
    http: httpBounds(env),
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
