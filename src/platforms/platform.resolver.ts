import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { Context, loadOrganizations } from "../context";
import { Organization } from "../organizations/organization.type";
import { Region } from "../regions/region.type";
import { Meeting, Platform } from "./platform.type";
import { MeetingEntity, MeetingRole, PlatformEntity } from "./platform.entity";
import { PlatformService } from "./platform.service";

@Resolver(() => Platform)
export class PlatformResolver {
  constructor(private readonly service: PlatformService) {}

  @Query(() => [Platform], { description: "Every platform, by name." })
  platforms() {
    return this.service.list();
  }

  @Query(() => Platform, { nullable: true, description: "By id or slug; null when absent." })
  platform(@Arg("id", () => ID) id: string) {
    return this.service.byRef(id);
  }

  @FieldResolver(() => Region)
  region(@Root() platform: PlatformEntity, @Ctx() ctx: Context) {
    return ctx.loaders.regionById.load(platform.regionId);
  }

  @FieldResolver(() => Organization, { nullable: true })
  coordinator(@Root() platform: PlatformEntity, @Ctx() ctx: Context) {
    return platform.coordinatorId ? ctx.loaders.organizationById.load(platform.coordinatorId) : null;
  }

  @FieldResolver(() => [Organization], { description: "By name." })
  async members(@Root() platform: PlatformEntity, @Ctx() ctx: Context) {
    const members = await ctx.loaders.platformMembersByPlatform.load(platform.id);
    return loadOrganizations(ctx, members.map((m) => m.organizationId), true);
  }

  @FieldResolver(() => [Meeting])
  meetings(@Root() platform: PlatformEntity, @Ctx() ctx: Context) {
    return ctx.loaders.meetingsByPlatform.load(platform.id);
  }
}

async function participants(ctx: Context, meeting: MeetingEntity, role: MeetingRole) {
  const rows = await ctx.loaders.participantsByMeeting.load(meeting.id);
  return loadOrganizations(ctx, rows.filter((p) => p.role === role).map((p) => p.organizationId), true);
}

@Resolver(() => Meeting)
export class MeetingResolver {
  @FieldResolver(() => [Organization])
  organizers(@Root() meeting: MeetingEntity, @Ctx() ctx: Context) {
    return participants(ctx, meeting, "ORGANIZER");
  }

  @FieldResolver(() => [Organization])
  presenters(@Root() meeting: MeetingEntity, @Ctx() ctx: Context) {
    return participants(ctx, meeting, "PRESENTER");
  }
}
