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
  platforms(@Ctx() ctx: Context) {
    return ctx.read((m) => m.platforms);
  }

  @Query(() => Platform, { nullable: true, description: "By id or slug; null when absent." })
  platform(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.read((m) => m.platforms.find((p) => p.id === id || p.slug === id) ?? null);
  }

  @FieldResolver(() => Region)
  region(@Root() platform: PlatformNode, @Ctx() ctx: Context) {
    return ctx.read((m) => m.regionById(platform.regionId));
  }

  @FieldResolver(() => Organization, { nullable: true })
  coordinator(@Root() platform: PlatformNode, @Ctx() ctx: Context) {
    return ctx.read((m) => platform.coordinatorId ? (m.organization(platform.coordinatorId) ?? null) : null);
  }

  @FieldResolver(() => [Organization], { description: "By name." })
  members(@Root() platform: PlatformNode, @Ctx() ctx: Context) {
    return ctx.read((m) => organizationsByName(m, platform.memberIds));
  }

  @FieldResolver(() => [Meeting])
  meetings(@Root() platform: PlatformNode) {
    return platform.meetings;
  }
}

@Resolver(() => Meeting)
export class MeetingResolver {
  @FieldResolver(() => [Organization])
  organizers(@Root() meeting: MeetingNode, @Ctx() ctx: Context) {
    return ctx.read((m) => organizationsByName(m, meeting.organizerIds));
  }

  @FieldResolver(() => [Organization])
  presenters(@Root() meeting: MeetingNode, @Ctx() ctx: Context) {
    return ctx.read((m) => organizationsByName(m, meeting.presenterIds));
  }
}
