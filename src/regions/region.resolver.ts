import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { Region } from "./region.type";
import { CreateRegionInput } from "./region.inputs";
import { RegionWrites } from "./region.writes";
import type { RegionNode } from "../model/nodes";

@Resolver(() => Region)
export class RegionResolver {
  constructor(private readonly writes: RegionWrites) {}

  @Query(() => [Region], { description: "Every region, by name." })
  regions(@Ctx() ctx: Context) {
    return ctx.read((m) => m.regions);
  }

  @Query(() => Region, { nullable: true })
  region(@Arg("slug", () => String) slug: string, @Ctx() ctx: Context) {
    return ctx.read((m) => m.region(slug) ?? null);
  }

  @Authorized()
  @Mutation(() => Region, { description: "ADMIN only." })
  createRegion(@Arg("input", () => CreateRegionInput) input: CreateRegionInput, @Ctx() ctx: Context): Promise<RegionNode> {
    return this.writes.create(ctx.viewer, input);
  }
}
