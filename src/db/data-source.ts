import "reflect-metadata";
import path from "node:path";
import fs from "node:fs";
import { Client as PgClient, types as pgTypes } from "pg";
import { PGlite, types as pgliteTypes, type Extension, type PGliteOptions } from "@electric-sql/pglite";
import { DataSource, DataSourceOptions, Logger } from "typeorm";
import { RegionEntity } from "../regions/region.entity";
import { OrganizationEntity, ServiceEntity } from "../organizations/organization.entity";
import { ReferralEntity } from "../referrals/referral.entity";
import { PartnershipEntity, PartnershipMemberEntity } from "../partnerships/partnership.entity";
import {
  MeetingEntity,
  MeetingParticipantEntity,
  PlatformEntity,
  PlatformMemberEntity,
} from "../platforms/platform.entity";
import { ApiKeyEntity, AuditEntryEntity } from "../auth/api-key.entity";
import { durability, pgliteDriver } from "./pglite-driver";
import { READ_TIMEOUT_MESSAGE, driverError, unavailability } from "../errors/database";
import { Foundation1764320000000 } from "./migrations/1764320000000-Foundation";
import { GraphChanges1764900000000 } from "./migrations/1764900000000-GraphChanges";
import { EndedReferralsHaveUntil1765100000000 } from "./migrations/1765100000000-EndedReferralsHaveUntil";
import { ReferralVerifiedOn1765300000000 } from "./migrations/1765300000000-ReferralVerifiedOn";

export const entities = [
  RegionEntity,
  OrganizationEntity,
  ServiceEntity,
  ReferralEntity,
  PartnershipEntity,
  PartnershipMemberEntity,
  PlatformEntity,
  PlatformMemberEntity,
  MeetingEntity,
  MeetingParticipantEntity,
  ApiKeyEntity,
  AuditEntryEntity,
];

/** Every migration, oldest first; listed rather than globbed so that ts-jest and dist/ load the same ones. */
export const migrations = [Foundation1764320000000, GraphChanges1764900000000, EndedReferralsHaveUntil1765100000000, ReferralVerifiedOn1765300000000];

export interface DatabaseOptions {
  /** postgres:// URL; absent means the embedded PGlite. */
  databaseUrl?: string;
  /** PGlite folder, or "memory://" for a throw-away in-memory database. */
  dataDir?: string;
  statementTimeoutMs?: number;
  poolSize?: number;
  poolTimeoutMs?: number;
  /** Embedded database only: whether a commit waits until it is on disk (fsync), so a power loss keeps it. Default true. */
  pgliteFsync?: boolean;
  /** Called with every SQL statement sent (tests count them; debugging prints them). */
  onQuery?: (sql: string) => void;
}

/** Hands each statement to a callback; everything else TypeORM would log is dropped. */
function queryListener(onQuery: (sql: string) => void): Logger {
  return {
    logQuery: (sql) => onQuery(sql),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
}

// The contrib bundle ships CommonJS, but its type declarations are ES-module only.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require("@electric-sql/pglite/contrib/pg_trgm") as { pg_trgm: Extension };

/**
 * A pg client whose statement timed out on the client side is dropped, not reused: its socket may
 * still owe the answer (a frozen server), so the next borrower would wait behind it. Closing the
 * socket makes pg emit "error", on which TypeORM releases the client with the error and the pool
 * removes it; the transaction's next statement then fails at once instead of waiting again.
 */
class DiscardingClient extends PgClient {
  constructor(config?: ConstructorParameters<typeof PgClient>[0]) {
    super(config);
    // When PostgreSQL ends sessions (57P01 on a fast stop) a client may report it while neither the
    // pool nor TypeORM listens: unheard, that "error" event would end the process. Its queries get
    // the error anyway, and the pool drops a client that is no longer queryable.
    this.on("error", () => undefined);
  }

  override query(...args: unknown[]): never {
    const result = (PgClient.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if ((error as Error)?.message === READ_TIMEOUT_MESSAGE) (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      });
    }
    return result as never;
  }
}

const DATE_OID = 1082;
// A DATE is a calendar day, not an instant: keep 'YYYY-MM-DD' instead of a local-midnight Date.
pgTypes.setTypeParser(DATE_OID, (value: string) => value);

export function createDataSource(options: DatabaseOptions): DataSource {
  const common = {
    type: "postgres",
    entities,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: "all",
    synchronize: false,
    installExtensions: false,
    uuidExtension: "pgcrypto",
    ...(options.onQuery ? { logger: queryListener(options.onQuery) } : { logging: false }),
  } as const;

  if (options.databaseUrl) {
    return new DataSource({
      ...common,
      url: options.databaseUrl,
      poolSize: options.poolSize ?? 10,
      extra: {
        Client: DiscardingClient,
        // Without these, a busy pool waits forever and a runaway statement never ends.
        connectionTimeoutMillis: options.poolTimeoutMs ?? 5_000,
        statement_timeout: options.statementTimeoutMs ?? 15_000,
        // The server's statement_timeout does nothing when the server itself stops answering
        // (frozen, network cut): the client keeps its own limit, a little longer, so that a server
        // that does answer names the statement it stopped (57014) before the client gives up.
        query_timeout: clientTimeoutMs(options.statementTimeoutMs ?? 15_000),
        application_name: "passerelle",
      },
    } as DataSourceOptions);
  }

  const dataDir = options.dataDir ?? "memory://";
  return new DataSource({
    ...common,
    driver: pgliteDriver(
      pgliteOptions(dataDir.startsWith("memory://") ? undefined : path.resolve(dataDir), options.pgliteFsync),
      options.poolTimeoutMs ?? 30_000,
    ),
  } as DataSourceOptions);
}

/** How much longer than STATEMENT_TIMEOUT_MS the client waits for a server that says nothing at all. */
export const CLIENT_TIMEOUT_MARGIN_MS = 1_000;

/** The client-side limit for a statement timeout (0: none, as PostgreSQL's own 0). */
export function clientTimeoutMs(statementTimeoutMs: number): number {
  return statementTimeoutMs === 0 ? 0 : statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS;
}

/** How every embedded database is opened (and created: see createDataDir). */
function pgliteOptions(dataDir: string | undefined, fsync = true): PGliteOptions {
  return {
    // In memory there is no disk to wait for.
    ...(dataDir === undefined ? {} : durability(dataDir, fsync)),
    parsers: { [pgliteTypes.DATE]: (value: string) => value },
    extensions: { pg_trgm },
    // PostgreSQL's default 128 MB of shared buffers lives in PGlite's WebAssembly memory, which
    // never shrinks; the files are on disk, so the OS caches them anyway. 32 MB: -110 MB of
    // resident memory at no measured cost to the snapshot load (bench/).
    postgresqlconf: ["shared_buffers = 32MB"],
  };
}

/** How long GET /readyz waits for the database before it answers 503: a load balancer's check must not hang. */
export const READY_CHECK_MS = 3_000;

/** Why the database cannot serve now, or undefined when it answered `SELECT 1` within `withinMs`. */
export async function databaseProblem(db: DataSource, withinMs = READY_CHECK_MS): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the database did not answer within ${withinMs} ms`), withinMs);
  });
  const asked = db.query("SELECT 1").then(
    () => undefined,
    (error: unknown) => {
      const code = (error as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ?? (error as { code?: unknown })?.code;
      return `the database does not answer${typeof code === "string" ? ` (${code})` : ""}`;
    },
  );
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Another process has the embedded database's folder open; the message says what to do. */
export class DataDirInUseError extends Error {}

/** The file that tells other processes an embedded database folder is open. */
export const LOCK_FILE = "passerelle.lock";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // there, but someone else's
  }
};

/** The process holding `file` (a lock), if it is another one and still alive. */
function liveHolder(file: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, "utf8").trim());
  } catch {
    return undefined;
  }
  return pid !== process.pid && Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

function inUse(dir: string, pid: number): DataDirInUseError {
  const file = path.join(dir, LOCK_FILE);
  return new DataDirInUseError(
    `The embedded database in ${dir} is open in process ${pid} (the server, or another npm run command): it is opened by one process at a time. ` +
      `Stop that process first, or give both the same DATABASE_URL (PostgreSQL). If process ${pid} is not Passerelle, delete ${file}.`,
  );
}

/**
 * PGlite is one process's database: two processes on one folder (the server and `npm run import`)
 * each keep their own copy in memory and overwrite each other's files. The folder is taken with a
 * lock file holding the process id; a lock whose process is gone is taken over. Returns its release.
 */
function lockDataDir(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  try {
    fs.writeFileSync(file, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const pid = liveHolder(file);
    if (pid !== undefined) throw inUse(dir, pid);
    fs.writeFileSync(file, String(process.pid)); // its process is gone: take it over
  }
  const release = () => {
    try {
      if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.once("exit", release);
  return () => {
    process.removeListener("exit", release);
    release();
  };
}

/** DATA_DIR holds part of a database: an older Passerelle was killed while creating it there. */
export class DataDirHalfMadeError extends Error {}

const halfMade = (dir: string, what: string) =>
  new DataDirHalfMadeError(
    `DATA_DIR ${dir} was left half-created by an interrupted first start (${what}): move it away or delete it, then start again ` +
      `(a new database is created; nothing was ever stored in this one).`,
  );

/** Where a new embedded database is made before it is renamed to `dir`: beside it, named after this process. */
const creatingName = (dir: string, pid: number) => `${path.basename(dir)}.creating-${pid}`;

/**
 * Makes sure `dir` holds a whole embedded database. A new one is created (PGlite's initdb, seconds of
 * WebAssembly) in a folder beside it and renamed into place once complete, so that a process killed
 * meanwhile leaves only that folder, which the next start removes: DATA_DIR itself is never half-made.
 * A half-made DATA_DIR from an older version (created in place) is refused with what to do.
 */
export async function createDataDir(dir: string, fsync: boolean | undefined): Promise<void> {
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  const prefix = `${path.basename(dir)}.creating-`;
  for (const name of fs.readdirSync(parent)) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
    if (Number.isInteger(pid) && (pid === process.pid || !alive(pid))) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name !== LOCK_FILE) : undefined;
  if (entries && entries.length > 0) {
    if (!entries.includes("PG_VERSION")) throw halfMade(dir, "it has files but no PG_VERSION");
    if (!fs.existsSync(path.join(dir, "global", "pg_control"))) throw halfMade(dir, "it has no global/pg_control");
    return; // a database: opened as it is
  }
  if (entries) {
    const holder = liveHolder(path.join(dir, LOCK_FILE));
    if (holder !== undefined) throw inUse(dir, holder);
  }
  const temp = path.join(parent, creatingName(dir, process.pid));
  const created = await PGlite.create(pgliteOptions(temp, fsync));
  await created.close();
  try {
    if (entries) fs.rmSync(dir, { recursive: true, force: true }); // empty, or a stale lock only
    fs.renameSync(temp, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
    fs.rmSync(temp, { recursive: true, force: true }); // another process created it first: use that one
  }
}

// Any number that no other program on the same PostgreSQL uses for an advisory lock.
const STARTUP_LOCK = 7_318_004_211;

/**
 * Opens the database, brings its schema up to date, then runs `afterMigrations` (the seed).
 * On PostgreSQL both run under an advisory lock, so instances starting together on one
 * database take turns instead of racing to create the same tables and rows.
 */
/** The embedded database's folder of `options`, when it is one on disk. */
const embeddedDir = (options: DatabaseOptions) =>
  !options.databaseUrl && options.dataDir && !options.dataDir.startsWith("memory://") ? path.resolve(options.dataDir) : undefined;

/**
 * The data source of `options`, on an embedded database on disk with DATA_DIR made whole first
 * (createDataDir) and its lock taken before PGlite touches it, given back by destroy() or when
 * initialize() fails. openDatabase() and the migration CLI (ormconfig.ts) both open it so: no
 * process opens a folder another one has open.
 */
export async function guardedDataSource(options: DatabaseOptions): Promise<DataSource> {
  const dataDir = embeddedDir(options);
  if (!dataDir) return createDataSource(options);
  await createDataDir(dataDir, options.pgliteFsync);
  let release: (() => void) | undefined = lockDataDir(dataDir);
  const letGo = () => {
    release?.();
    release = undefined;
  };
  let dataSource: DataSource;
  try {
    dataSource = createDataSource(options); // PGlite starts opening the folder here
  } catch (error) {
    letGo();
    throw error;
  }
  const initialize = dataSource.initialize.bind(dataSource);
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.initialize = async () => {
    try {
      return await initialize();
    } catch (error) {
      letGo();
      throw error;
    }
  };
  dataSource.destroy = async () => {
    try {
      await destroy();
    } finally {
      letGo();
    }
  };
  return dataSource;
}

export async function openDatabase(
  options: DatabaseOptions,
  afterMigrations?: (db: DataSource) => Promise<unknown>,
): Promise<DataSource> {
  const dataDir = embeddedDir(options);
  const dataSource = await guardedDataSource(options);
  try {
    await dataSource.initialize().catch((error: unknown) => {
      if (!dataDir) throw error;
      // PGlite fails on a damaged folder from inside WebAssembly: say which folder, and what to do.
      const first = String((error as Error)?.message ?? error).split("\n")[0];
      throw new DataDirHalfMadeError(
        `DATA_DIR ${dataDir} could not be opened by the embedded database (${first}). If an older Passerelle was stopped during its first start there, ` +
          `it was left half-created: move it away or delete it, then start again. Otherwise restore the folder from a backup.`,
      );
    });
    if (options.databaseUrl) {
      const lock = dataSource.createQueryRunner();
      await lock.connect();
      try {
        await lock.query(`SELECT pg_advisory_lock(${STARTUP_LOCK})`);
        await dataSource.runMigrations({ transaction: "all" });
        await afterMigrations?.(dataSource);
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(${STARTUP_LOCK})`).catch(() => undefined);
        await lock.release();
      }
    } else {
      // PGlite is one process and one session: nobody to race with, and no second session to lock from.
      await dataSource.runMigrations({ transaction: "all" });
      await afterMigrations?.(dataSource);
    }
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** First and longest pause between two attempts to reach PostgreSQL at start-up (doubling in between). */
export const START_RETRY_FIRST_MS = 500;
export const START_RETRY_MAX_MS = 10_000;

/** PostgreSQL stayed unreachable for DB_START_TIMEOUT_MS at start-up; the message says where and why. */
export class DatabaseUnreachableError extends Error {}

/** Where a postgres:// URL points, without user or password: "host:port/database". */
export function databaseAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname || "localhost"}:${parsed.port || 5432}${parsed.pathname.length > 1 ? parsed.pathname : ""}`;
}

/** A short, password-free name of why a connection failed: the driver's code, else its first line. */
function reasonOf(error: unknown): string {
  const code = driverError(error)?.code;
  return code ?? String((error as Error)?.message ?? error).split("\n")[0].slice(0, 120);
}

/**
 * openDatabase(), waiting for PostgreSQL when it is not there yet (started in the wrong order, restarting):
 * each failed attempt that is an outage (refused, timed out, starting up) is told to `onWait` and retried
 * after a pause doubling from START_RETRY_FIRST_MS to START_RETRY_MAX_MS, for at most `timeoutMs`
 * (0: for ever). Anything else (a wrong password, a missing database, the embedded database) fails at once.
 */
export async function openDatabaseWhenReachable(
  options: DatabaseOptions,
  afterMigrations: ((db: DataSource) => Promise<unknown>) | undefined,
  wait: { timeoutMs: number; onWait: (line: string, fields: Record<string, unknown>) => void },
): Promise<DataSource> {
  const started = Date.now();
  let pause = START_RETRY_FIRST_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await openDatabase(options, afterMigrations);
    } catch (error) {
      if (!options.databaseUrl || !unavailability(error)) throw error;
      const address = databaseAddress(options.databaseUrl);
      const reason = reasonOf(error);
      const waited = Date.now() - started;
      if (wait.timeoutMs > 0 && waited + pause > wait.timeoutMs) {
        throw new DatabaseUnreachableError(
          `PostgreSQL at ${address} did not answer for ${Math.round(waited / 1000)} s (${reason}; ${attempt} attempts). ` +
            `Start it, or check DATABASE_URL; DB_START_TIMEOUT_MS (now ${wait.timeoutMs}) sets how long to wait, 0 for ever.`,
        );
      }
      wait.onWait(`waiting for PostgreSQL at ${address} (${reason}); next attempt in ${pause / 1000} s`, { attempt, address, reason, retryInMs: pause });
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, START_RETRY_MAX_MS);
    }
  }
}
