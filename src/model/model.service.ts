import { DataSource } from "typeorm";
import { graphVersion } from "../common/write";
import { createLogger, Logger } from "../common/log";
import { ReadModel } from "./model";
import { loadModelRows } from "./load";
import { embeddedWriteCount } from "../db/pglite-driver";

/**
 * Holds the read model of one database. `current()` costs at most one statement (the stored
 * version) while nothing was written, and none on the embedded database (this process's alone);
 * after a write, on this process or another sharing the database, it reads the touched rows
 * (graph_changes) and patches the model. One load at a time:
 * every request that arrives meanwhile waits for the same one (a cold start loads once, however
 * many ask).
 *
 * Requests that arrive together share one version check: a check sent after a request arrived
 * sees every write stored before it, so it answers for that request too. At most one check is in
 * flight; those who arrive meanwhile wait for the next, sent as soon as it returns. Under 16
 * concurrent readers that is a statement per round trip instead of one per request.
 */
export class ModelService {
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

  /** On the embedded database: the version the last check read, and the write count before it was sent. */
  private checked: { writes: number; version: number } | undefined;

  /** The model holding every write stored before this call. */
  async current(): Promise<ReadModel> {
    // The embedded database is this process's alone: while no statement that may write was sent
    // since the last check, the stored version cannot have moved, and no statement is needed.
    const writes = embeddedWriteCount(this.db);
    if (this.model && writes !== undefined && writes === this.checked?.writes && this.model.version >= this.checked.version) return this.model;
    const version = await this.storedVersion();
    if (this.model && this.model.version >= version) return this.model;
    const loaded = await (this.loading ??= this.load().finally(() => (this.loading = undefined)));
    // A load that started before this version was written is too old: load again.
    return loaded.version >= version ? loaded : this.current();
  }

  /** The stored version, read by a statement sent after this call (shared with others who wait). */
  private storedVersion(): Promise<number> {
    const send = (): Promise<number> => {
      // Counted before the check is sent: a write after it moves the count, and the next call checks again.
      const writes = embeddedWriteCount(this.db);
      const check = graphVersion(this.db)
        .then((version) => {
          if (writes !== undefined) this.checked = { writes, version };
          return version;
        })
        .finally(() => {
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
    const read = await loadModelRows(this.db, previous?.version);
    if (!read.rows) return previous!;
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
    return model;
  }
}
