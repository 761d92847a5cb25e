import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { Organization } from "../organizations/organization.type";
import { Region } from "../regions/region.type";
import type { MeetingNode, PlatformNode } from "../model/nodes";
import { organizationsByName } from "../model/queries";
import { Meeting, Platform } from "./platform.type";
import { ProfileInput } from "../domain/eligibility";
import { GraphField } from "../graph/graph-query";
import { WHOLE_GRAPH_COST } from "../graph/graph.resolver";
import { NetworkChanges } from "../graph/analyses/analyses.type";
import { GraphAnalyses } from "../graph/analyses/graph-analyses";

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
  constructor(private readonly analyses: GraphAnalyses) {}

  @GraphField(() => NetworkChanges, {
    nullable: true,
    cost: { fixed: WHOLE_GRAPH_COST },
    description: "What changed in the platform's region between its previous roundtable and this one (null for its first): referrals opened and closed, and the summary on each day.",
  })
  async networkChanges(@Root() meeting: MeetingNode, @Arg("profile", () => ProfileInput, { nullable: true }) profile: ProfileInput | null, @Ctx() ctx: Context) {
    const model = await ctx.model();
    const platform = model.platforms.find((p) => p.id === meeting.platformId);
    // A platform's meetings are by date, then id: the previous one is the one before this.
    const previous = platform?.meetings[platform.meetings.findIndex((m) => m.id === meeting.id) - 1];
    if (!platform || !previous) return null;
    return this.analyses.networkChanges({ region: model.regionById(platform.regionId)!.slug, since: previous.date, until: meeting.date, profile }, model);
  }

  @FieldResolver(() => [Organization])
  organizers(@Root() meeting: MeetingNode, @Ctx() ctx: Context) {
    return ctx.read((m) => organizationsByName(m, meeting.organizerIds));
  }

  @FieldResolver(() => [Organization])
  presenters(@Root() meeting: MeetingNode, @Ctx() ctx: Context) {
    return ctx.read((m) => organizationsByName(m, meeting.presenterIds));
  }
}
