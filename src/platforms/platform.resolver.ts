import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { Organization } from "../organizations/organization.type";
import { Region } from "../regions/region.type";
import type { MeetingNode, PlatformNode } from "../model/nodes";
import { organizationsByName } from "../model/queries";
import { Meeting, Platform } from "./platform.type";

@Resolver(() => Platform)
export class PlatformResolver {
  @Query(() => [Platform], { description: "Every platform, by name." })
  async platforms(@Ctx() ctx: Context) {
    return (await ctx.model()).platforms;
  }

  @Query(() => Platform, { nullable: true, description: "By id or slug; null when absent." })
  async platform(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return (await ctx.model()).platforms.find((p) => p.id === id || p.slug === id) ?? null;
  }

  @FieldResolver(() => Region)
  async region(@Root() platform: PlatformNode, @Ctx() ctx: Context) {
    return (await ctx.model()).regionById(platform.regionId);
  }

  @FieldResolver(() => Organization, { nullable: true })
  async coordinator(@Root() platform: PlatformNode, @Ctx() ctx: Context) {
    return platform.coordinatorId ? ((await ctx.model()).organization(platform.coordinatorId) ?? null) : null;
  }

  @FieldResolver(() => [Organization], { description: "By name." })
  async members(@Root() platform: PlatformNode, @Ctx() ctx: Context) {
    return organizationsByName(await ctx.model(), platform.memberIds);
  }

  @FieldResolver(() => [Meeting])
  meetings(@Root() platform: PlatformNode) {
    return platform.meetings;
  }
}

@Resolver(() => Meeting)
export class MeetingResolver {
  @FieldResolver(() => [Organization])
  async organizers(@Root() meeting: MeetingNode, @Ctx() ctx: Context) {
    return organizationsByName(await ctx.model(), meeting.organizerIds);
  }

  @FieldResolver(() => [Organization])
  async presenters(@Root() meeting: MeetingNode, @Ctx() ctx: Context) {
    return organizationsByName(await ctx.model(), meeting.presenterIds);
  }
}
