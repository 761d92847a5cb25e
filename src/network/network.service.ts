import { DataSource } from "typeorm";
import { actorOf, requireWriter, Viewer } from "../auth/viewer";
import { ForbiddenError, InputError } from "../errors";
import { Role } from "../common/vocabulary";
import { ImportReport, importNetwork } from "./import";
import { jsonSource } from "./hsds";

/** Whole network files, in and out, for an API key (the CLI calls importNetwork/exportNetwork itself). */
export class NetworkService {
  constructor(private readonly db: DataSource) {}

  /** ADMIN, or an EDITOR for one of its regions; every record is checked against what the key may write. */
  async importText(viewer: Viewer | null, input: { content: string; dryRun?: boolean | null; region?: string | null; fileName?: string | null }): Promise<ImportReport> {
    const writer = requireWriter(viewer);
    const region = input.region ?? undefined;
    if (writer.role !== Role.ADMIN && region === undefined) {
      throw new ForbiddenError("An EDITOR key imports one of its regions at a time: give input.region.");
    }
    let read: Awaited<ReturnType<typeof jsonSource>>;
    try {
      read = await jsonSource({ text: input.content }, input.fileName ?? "upload.json", region);
    } catch (error) {
      if (error instanceof SyntaxError) throw new InputError("input.content", `is not JSON: ${error.message}`);
      throw error;
    }
    return importNetwork(this.db, read.source, { notes: read.notes, actor: actorOf(viewer), viewer, dryRun: input.dryRun ?? false, region });
  }
}
