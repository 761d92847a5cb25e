import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { Region } from "./region.type";
import { CreateRegionInput } from "./region.inputs";
import { RegionService } from "./region.service";

@Resolver(() => Region)
export class RegionResolver {
  constructor(private readonly service: RegionService) {}

  @Query(() => [Region], { description: "Every region, by name." })
  regions(): Promise<Region[]> {
    return this.service.list();
  }

  @Query(() => Region, { nullable: true })
  region(@Arg("slug", () => String) slug: string): Promise<Region | null> {
    return this.service.bySlug(slug);
  }

  @Authorized()
  @Mutation(() => Region, { description: "ADMIN only." })
  createRegion(@Arg("input", () => CreateRegionInput) input: CreateRegionInput, @Ctx() ctx: Context): Promise<Region> {
    return this.service.create(ctx.viewer, input);
  }
}
