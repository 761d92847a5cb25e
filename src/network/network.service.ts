import { DataSource } from "typeorm";
import { actorOf, requireWriter, Viewer } from "../auth/viewer";
import { ForbiddenError, InputError } from "../common/errors";
import { Role } from "../common/vocabulary";
import { ImportReport, importNetwork } from "./import";
import { NetworkFile, recordLines } from "./network-file";
import { isHsds, networkFromHsds } from "./hsds";

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
    let data: unknown;
    try {
      data = JSON.parse(input.content);
    } catch (error) {
      throw new InputError("input.content", `is not JSON: ${(error as Error).message}`);
    }
    // An Open Referral (HSDS) publication is mapped first; its records have no line of their own.
    const hsds = isHsds(data) ? networkFromHsds(data, { region }) : undefined;
    return importNetwork(this.db, hsds?.network ?? (data as NetworkFile), {
      notes: hsds?.notes,
      actor: actorOf(viewer),
      viewer,
      dryRun: input.dryRun ?? false,
      region,
      file: input.fileName ?? "upload.json",
      lines: hsds ? undefined : recordLines(input.content),
    });
  }
}
