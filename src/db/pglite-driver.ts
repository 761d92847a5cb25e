import { EventEmitter } from "node:events";
import fs from "node:fs";
import { PGlite, PGliteOptions } from "@electric-sql/pglite";
import type { DataSource } from "typeorm";
import { POOL_TIMEOUT } from "../errors/database";

type Done = (err?: unknown) => void;
// The node-postgres pool interface TypeORM's postgres driver calls.
type ConnectCallback = (err: unknown, client: PGliteClient | null, done: Done) => void;
type QueryCallback = (err: unknown, result: unknown) => void;

/** What TypeORM treats as a pg client: queries go to the one PGlite session. */
class PGliteClient extends EventEmitter {
  /** Statements sent that may have written: all but a lone SELECT or a transaction's own control (see embeddedWriteCount). */
  writes = 0;

  constructor(private readonly db: Promise<PGlite>) {
    super();
  }

  async query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<unknown> {
    if (typeof params === "function") [callback, params] = [params, undefined];
    if (!LONE_SELECT.test(sql) && !TRANSACTION_CONTROL.test(sql)) this.writes++;
    try {
      const db = await this.db;
      // exec() runs several statements (migrations send some); TypeORM wants the last result.
      const result =
        Array.isArray(params) && params.length > 0
          ? await db.query(sql, params)
          : ((await db.exec(sql)).at(-1) ?? { rows: [], fields: [], affectedRows: 0 });
      const shaped = { ...result, rowCount: (result as { affectedRows?: number }).affectedRows ?? result.rows.length };
      callback?.(null, shaped);
      return shaped;
    } catch (error) {
      callback?.(error, null);
      if (!callback) throw error;
      return undefined;
    }
  }
}

/** One SELECT and nothing after it (a `;` anywhere, even in a literal, counts as more: when unsure, a write). */
const LONE_SELECT = /^\s*SELECT\b[^;]*;?\s*$/i;
/** Begin, end, or set a transaction's isolation: writes nothing (what the transaction writes is counted as it is sent). */
const TRANSACTION_CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SET TRANSACTION ISOLATION LEVEL [A-Z ]+)\s*;?\s*$/i;
const WRITES = Symbol("writes");

/**
 * On the embedded database, how many statements other than a lone SELECT (or a transaction's
 * START and COMMIT) have been sent to it since it opened: PGlite is one session of this process,
 * so while the count stands still nothing was written. Undefined on PostgreSQL, where other
 * processes write too.
 */
export function embeddedWriteCount(db: DataSource): number | undefined {
  const pool = (db.driver as unknown as { master?: { [WRITES]?: () => number } }).master;
  return pool?.[WRITES]?.();
}

/**
 * TypeORM's postgres driver over PGlite, in the shape of a node-postgres pool. A PGlite database
 * is one session, so the pool lends it to one TypeORM query runner at a time (a FIFO lock):
 * two requests in flight never share a transaction. Each data source owns its own PGlite, so
 * several databases can be open in one process (typeorm-pglite keeps one global instance,
 * which is why this small adapter replaces it). Never open a second query runner while
 * holding one: use the transaction's manager.
 */
export function pgliteDriver(options: PGliteOptions, acquireTimeoutMs: number): unknown {
  class PGlitePool extends EventEmitter {
    private readonly db = PGlite.create(options);
    private readonly client = new PGliteClient(this.db);
    private tail: Promise<void> = Promise.resolve();

    [WRITES](): number {
      return this.client.writes;
    }

    connect(callback: ConnectCallback): void {
      let unlock!: () => void;
      const mine = new Promise<void>((resolve) => (unlock = resolve));
      const previous = this.tail;
      this.tail = previous.then(() => mine);
      let timer: NodeJS.Timeout | undefined;
      // The wait for the session is bounded; the database's own start-up (WebAssembly, recovery) is not.
      const turn = this.db.then(() =>
        Promise.race([
          previous.then(() => "ready" as const),
          new Promise<"timeout">((resolve) => {
            if (acquireTimeoutMs > 0) timer = setTimeout(() => resolve("timeout"), acquireTimeoutMs);
          }),
        ]),
      );
      void turn.then(
        (outcome) => {
          clearTimeout(timer);
          if (outcome === "timeout") {
            previous.then(unlock); // give the turn away untouched once it comes
            callback(Object.assign(new Error(`the embedded database stayed busy for ${acquireTimeoutMs} ms; try again`), { code: POOL_TIMEOUT }), null, () => {});
            return;
          }
          let released = false;
          callback(null, this.client, () => {
            if (!released) {
              released = true;
              unlock();
            }
          });
        },
        (error: unknown) => {
          clearTimeout(timer);
          unlock();
          callback(error, null, () => {});
        },
      );
    }

    end(callback?: (err?: unknown) => void): Promise<void> {
      const closing = this.tail.then(() => this.db).then((db) => db.close());
      return closing.then(
        () => callback?.(),
        (error: unknown) => {
          callback?.(error);
          if (!callback) throw error;
        },
      );
    }
  }
  return { Pool: PGlitePool };
}

// The nodefs bundle ships CommonJS, but its type declarations are ES-module only.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { NodeFS } = require("@electric-sql/pglite/nodefs") as { NodeFS: new (dir: string) => NodeFSLike };
interface NodeFSLike {
  init(pg: PGlite, opts: Record<string, unknown>): Promise<{ emscriptenOpts: Record<string, unknown> }>;
}
interface EmscriptenModule {
  NODEFS: { stream_ops: Record<string, unknown> };
  FS: { ErrnoError: new (errno: number) => Error };
}
const EIO = 29; // WASI's errno numbering, as emscripten's FS uses

/**
 * PGlite's folder on disk, with fsync that reaches the disk. Emscripten's node filesystem has no fsync
 * (PGlite 0.5: PostgreSQL's fsync() returns at once, having synced nothing), so `fsync = on` alone would
 * be a promise kept only until a power cut. This one calls the OS's fsync on the file's descriptor.
 */
class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Record<string, unknown>) {
    const { emscriptenOpts } = await super.init(pg, opts);
    const preRun = [
      ...((emscriptenOpts.preRun as ((mod: EmscriptenModule) => void)[] | undefined) ?? []),
      (mod: EmscriptenModule) => {
        mod.NODEFS.stream_ops.fsync = (stream: { nfd?: number }) => {
          try {
            if (typeof stream.nfd === "number") fs.fsyncSync(stream.nfd);
          } catch {
            throw new mod.FS.ErrnoError(EIO);
          }
          return 0;
        };
      },
    ];
    return { emscriptenOpts: { ...emscriptenOpts, preRun } };
  }
}

/**
 * The PGlite options that make a folder's database durable on power loss (PGLITE_FSYNC=on) or not:
 * PGlite starts PostgreSQL with -F (fsync off) by default; durable drops it, syncs the WAL with
 * fsync() (its fdatasync() is a no-op too) and gives PostgreSQL a filesystem whose fsync is real.
 */
export function durability(dataDir: string, durable: boolean): Partial<PGliteOptions> {
  if (!durable) return { dataDir };
  return {
    fs: new DurableNodeFS(dataDir) as unknown as PGliteOptions["fs"],
    startParams: [...PGlite.defaultStartParams.filter((param) => param !== "-F"), "-c", "fsync=on", "-c", "wal_sync_method=fsync"],
  };
}
