import { DataSource } from "typeorm";
import { Actor, actorOf, requireWriter, Viewer } from "../auth/viewer";
import { ForbiddenError, InputError } from "../errors";
import { Role } from "../domain/vocabulary";
import { ImportOptions, ImportReport, importNetwork } from "./import";
import type { NetworkFile } from "./network-file";
import type { NetworkSource } from "./network-source";
import { jsonSource } from "./hsds";

/**
 * Who imports: an API key, whose role and regions decide what it may write (the importNetwork
 * mutation), or the operator at the shell (`npm run import`), who holds the database and may write
 * everything; `operator` names the tool in the audit trail.
 */
export type Importer = { viewer: Viewer | null } | { operator: string };

/** Whole network files in, for the API and the command line alike: who may import is decided here only. */
export class NetworkFiles {
  constructor(private readonly db: DataSource) {}

  /** Imports a network (a file in memory or a source read a section at a time) as `importer` may. */
  async import(importer: Importer, input: NetworkFile | NetworkSource, options: Omit<ImportOptions, "actor" | "viewer">): Promise<ImportReport> {
    return importNetwork(this.db, input, { ...options, ...this.permit(importer, options.region) });
  }

  /** The importNetwork mutation: a JSON network given as text. */
  async importText(viewer: Viewer | null, input: { content: string; dryRun?: boolean | null; region?: string | null; fileName?: string | null }): Promise<ImportReport> {
    const region = input.region ?? undefined;
    // Who may import is said before the content is read.
    this.permit({ viewer }, region);
    let read: Awaited<ReturnType<typeof jsonSource>>;
    try {
      read = await jsonSource({ text: input.content }, input.fileName ?? "upload.json", region);
    } catch (error) {
      if (error instanceof SyntaxError) throw new InputError("input.content", `is not JSON: ${error.message}`);
      throw error;
    }
    return this.import({ viewer }, read.source, { notes: read.notes, dryRun: input.dryRun ?? false, region });
  }

  /**
   * An API key needs to write: ADMIN, or an EDITOR for one of its regions at a time (every record is
   * then checked against what the key may write); the operator may write everything.
   */
  private permit(importer: Importer, region: string | undefined): { actor: Actor; viewer?: Viewer | null } {
    if ("operator" in importer) return { actor: actorOf(null, importer.operator) };
    const writer = requireWriter(importer.viewer);
    if (writer.role !== Role.ADMIN && region === undefined) {
      throw new ForbiddenError("An EDITOR key imports one of its regions at a time: give input.region.");
    }
    return { actor: actorOf(importer.viewer), viewer: importer.viewer };
  }
}
