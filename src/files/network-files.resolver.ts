import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context";
import { NetworkFiles } from "./network-files";
import { ImportNetworkInput, ImportReport } from "./network-files.type";

@Resolver()
export class NetworkFilesResolver {
  constructor(private readonly files: NetworkFiles) {}

  @Authorized()
  @Mutation(() => ImportReport, {
    description: "Loads a network file in one transaction (nothing when a record is bad), matching records by slug. ADMIN, or EDITOR for one of its regions (give region).",
  })
  importNetwork(@Arg("input", () => ImportNetworkInput) input: ImportNetworkInput, @Ctx() ctx: Context): Promise<ImportReport> {
    return this.files.importText(ctx.viewer, input);
  }
}
