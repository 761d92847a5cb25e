import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context";
import { NetworkService } from "./network.service";
import { ImportNetworkInput, ImportReport } from "./network.type";

@Resolver()
export class NetworkResolver {
  constructor(private readonly service: NetworkService) {}

  @Authorized()
  @Mutation(() => ImportReport, {
    description: "Loads a network file in one transaction (nothing when a record is bad), matching records by slug. ADMIN, or EDITOR for one of its regions (give region).",
  })
  importNetwork(@Arg("input", () => ImportNetworkInput) input: ImportNetworkInput, @Ctx() ctx: Context): Promise<ImportReport> {
    return this.service.importText(ctx.viewer, input);
  }
}
