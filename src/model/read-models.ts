import { DataSource } from "typeorm";
import { graphVersion } from "../db/write";
import { createLogger, Logger } from "../log";
import { ReadModel } from "./model";
import { loadModelRows } from "./load";
import { embeddedWriteCount } from "../db/pglite-driver";

/**
 * Holds the read model of one database. `current()` costs at most one statement (the stored
 * version) while nothing was written, and none on the embedded database (this process's alone);
 * after a write, on this process or another sharing the database, it reads the touched rows
 * (graph_changes) and patches the model (on the embedded database with no check before: the load
 * reads the version itself). One load at a time:
 * every request that arrives meanwhile waits for the same one (a cold start loads once, however
 * many ask).
 *
 * Requests that arrive together share one version check: a check sent after a request arrived
 * sees every write stored before it, so it answers for that request too. At most one check is in
 * flight; those who arrive meanwhile wait for the next, sent as soon as it returns. Under 16
 * concurrent readers that is a statement per round trip instead of one per request.
 */
export class ReadModels {
  private model: ReadModel | undefined;
  private loading: Promise<ReadModel> | undefined;
  /** The version check in flight (sent before anyone waiting for `nextCheck` arrived). */
  private checking: Promise<number> | undefined;
  /** The check to send once `checking` returns, shared by all who arrived while it was in flight. */
  private nextCheck: Promise<number> | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger = createLogger("silent"),
  ) {}

  /**
   * On the embedded database: the write count before the last load began. Every write counted up
   * to it is in the model: the load's transaction waited for the session behind them (FIFO).
   */
  private loadedAfterWrites: number | undefined;

  /** The model holding every write stored before this call. */
  async current(): Promise<ReadModel> {
    const writes = embeddedWriteCount(this.db);
    if (writes !== undefined) return this.currentEmbedded(writes);
    const version = await this.storedVersion();
    if (this.model && this.model.version >= version) return this.model;
    const loaded = await this.loadOnce();
    // A load that started before this version was written is too old: load again.
    return loaded.version >= version ? loaded : this.current();
  }

  /**
   * The embedded database is this process's alone: while no statement that may write was sent
   * since the last load began, the stored version cannot have moved, and no statement is needed;
   * after one, the load reads the version in its own transaction, with no check before it.
   */
  private async currentEmbedded(writes: number): Promise<ReadModel> {
    if (this.model && this.loadedAfterWrites !== undefined && writes <= this.loadedAfterWrites) return this.model;
    await this.loadOnce();
    // A load that began before this caller's writes is too old for it: load again.
    return this.loadedAfterWrites !== undefined && writes <= this.loadedAfterWrites ? this.model! : this.currentEmbedded(writes);
  }

  private loadOnce(): Promise<ReadModel> {
    return (this.loading ??= this.load().finally(() => (this.loading = undefined)));
  }

  /** The stored version, read by a statement sent after this call (shared with others who wait). */
  private storedVersion(): Promise<number> {
    const send = (): Promise<number> => {
      const check = graphVersion(this.db).finally(() => {
        if (this.checking === check) this.checking = undefined;
      });
      return (this.checking = check);
    };
    if (!this.checking) return send();
    return (this.nextCheck ??= this.checking
      .catch(() => undefined)
      .then(() => {
        this.nextCheck = undefined;
        return send();
      }));
  }

  /** The model as it is, without asking the database: undefined before the first load. */
  latest(): ReadModel | undefined {
    return this.model;
  }

  private async load(): Promise<ReadModel> {
    const previous = this.model;
    const started = performance.now();
    const writes = embeddedWriteCount(this.db);
    const read = await loadModelRows(this.db, previous?.version);
    // Moved on only once the model holds what was read: a patch that throws leaves the next request to load again.
    const loadedAfter = () => {
      if (writes !== undefined) this.loadedAfterWrites = Math.max(writes, this.loadedAfterWrites ?? writes);
    };
    if (!read.rows) {
      loadedAfter();
      return previous!;
    }
    const loaded = performance.now();
    const model = read.touched ? previous!.patch(read.version, read.rows, read.touched) : ReadModel.build(read.version, read.rows, previous);
    const patchMs = performance.now() - loaded;
    this.logger.info(read.touched ? "read model patched" : "read model loaded", {
      version: model.version,
      organizations: model.organizationCount,
      referrals: model.referralCount,
      reread: read.touched ? read.touched.organizations.length + read.touched.referrals.length + read.touched.partnerships.length : "all",
      loadMs: Math.round(loaded - started),
      patchMs: Math.round(patchMs * 10) / 10,
    });
    if (!this.model || model.version > this.model.version) this.model = model;
    loadedAfter();
    return model;
  }
}
