import { Args, Ctx, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { GraphQuery } from "../graph-query";
import { NetworkArgs } from "../graph.inputs";
import { noteDay, WHOLE_GRAPH_COST } from "../graph.resolver";
import { AgeCliff, CategoryChange, ClosureImpact, Community, CoverageCell, Criticality, NetworkChanges, NetworkSummary } from "./analyses.type";
import { AgeCliffsArgs, ClosureImpactArgs, CoverageArgs, CriticalOrganizationsArgs, NetworkChangesArgs, ProfileChangeArgs } from "./analyses.inputs";
import { GraphAnalyses } from "./graph-analyses";

// The analyses: graph queries declared on their fields (rate-limited, priced and cached as such:
// src/graph/graph-query.ts), answered from the request's read model by GraphAnalyses.

@Resolver()
export class AnalysesResolver {
  constructor(private readonly analyses: GraphAnalyses) {}

  @GraphQuery(() => [CoverageCell], {
    cost: { fixed: WHOLE_GRAPH_COST },
    description: "The gap matrix: providers of each category for each target group and age in a region, and how many one organization reaches.",
  })
  async coverage(@Args(() => CoverageArgs) args: CoverageArgs, @Ctx() ctx: Context) {
    const found = await this.analyses.coverage(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.cells;
  }

  @GraphQuery(() => [AgeCliff], { cost: { fixed: WHOLE_GRAPH_COST }, description: "Ages at which providers stop admitting a person one year older: where a pathway breaks at 18 or 26." })
  async ageCliffs(@Args(() => AgeCliffsArgs) args: AgeCliffsArgs, @Ctx() ctx: Context) {
    const found = await this.analyses.ageCliffs(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.cliffs;
  }

  @GraphQuery(() => [CategoryChange], { cost: { fixed: WHOLE_GRAPH_COST }, description: "Categories whose providers differ between two profiles: a minor turning 18 and changing status." })
  async profileChange(@Args(() => ProfileChangeArgs) args: ProfileChangeArgs, @Ctx() ctx: Context) {
    const found = await this.analyses.profileChange(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.changes;
  }

  @GraphQuery(() => ClosureImpact, { cost: { fixed: WHOLE_GRAPH_COST }, description: "What the graph loses if these organizations close (and these referrals end)." })
  async closureImpact(@Args(() => ClosureImpactArgs) args: ClosureImpactArgs, @Ctx() ctx: Context) {
    const found = await this.analyses.closureImpact(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.impact;
  }

  @GraphQuery(() => [Criticality], { cost: { fixed: WHOLE_GRAPH_COST }, description: "The organizations that alone carry the most routes of a region." })
  async criticalOrganizations(@Args(() => CriticalOrganizationsArgs) args: CriticalOrganizationsArgs, @Ctx() ctx: Context) {
    const found = await this.analyses.criticalOrganizations(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.rows;
  }

  @GraphQuery(() => NetworkSummary, { cost: { fixed: WHOLE_GRAPH_COST }, description: "Density, reciprocity, isolated organizations, components, centralization and brokers of the graph `network` returns." })
  async networkSummary(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const found = await this.analyses.networkSummary(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.summary;
  }

  @GraphQuery(() => NetworkChanges, { cost: { fixed: WHOLE_GRAPH_COST }, description: "Referrals opened and closed between two days, with the summary on each." })
  async networkChanges(@Args(() => NetworkChangesArgs) args: NetworkChangesArgs, @Ctx() ctx: Context) {
    return this.analyses.networkChanges(args, await ctx.model());
  }

  @GraphQuery(() => [Community], { cost: { fixed: WHOLE_GRAPH_COST }, description: "Groups of organizations that refer to each other more than to the rest (Louvain, fixed seed: the same network gives the same groups)." })
  async communities(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const found = await this.analyses.communities(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.communities;
  }
}
