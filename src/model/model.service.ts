import { DataSource } from "typeorm";
import { graphVersion } from "../common/write";
import { createLogger, Logger } from "../common/log";
import { ReadModel } from "./model";
import { loadModelRows } from "./load";

/**
 * Holds the read model of one database. `current()` costs one statement (the stored version) while
 * nothing was written; after a write, on this process or another sharing the database, it reads
 * the touched rows (graph_changes) and patches the model. One load at a time: every request that
 * arrives meanwhile waits for the same one (a cold start loads once, however many ask).
 */
export class ModelService {
  private model: ReadModel | undefined;
  private loading: Promise<ReadModel> | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger = createLogger("silent"),
  ) {}

  /** The model holding every write stored before this call. */
  async current(): Promise<ReadModel> {
    const version = await graphVersion(this.db);
    if (this.model && this.model.version >= version) return this.model;
    const loaded = await (this.loading ??= this.load().finally(() => (this.loading = undefined)));
    // A load that started before this version was written is too old: load again.
    return loaded.version >= version ? loaded : this.current();
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
    const model = read.touched && previous ? previous.patch(read.version, read.rows, read.touched) : ReadModel.build(read.version, read.rows, previous);
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
