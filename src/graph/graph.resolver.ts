import { Args, Ctx, Resolver } from "type-graphql";
import type { Context } from "../context";
import { Network, OrganizationMetrics, Pathway, ReferralChain } from "./graph.type";
import { NetworkArgs, PathwaysArgs, ReferralChainArgs } from "./graph.inputs";
import { GraphQueries } from "./graph-queries";
import { GraphQuery } from "./graph-query";
import { DEPTH, HOPS } from "../api/ranges";

/** network and networkMetrics read a whole region (or all of them): a fixed price on top of what they return. */
export const WHOLE_GRAPH_COST = 1000;

/** Records the day taken as today when asOf was left out: the answer cache keeps the answer for that day only. */
export function noteDay(ctx: Context, asOf: string | null | undefined, found: { day: string }): void {
  if (!asOf) ctx.graph.days.push(found.day);
}

@Resolver()
export class GraphResolver {
  constructor(private readonly queries: GraphQueries) {}

  @GraphQuery(() => [Pathway], {
    cost: { search: { argument: "maxHops", range: HOPS } },
    description: "Simple paths of walkable referrals admitting the profile, fewest hops first, then by the sequence of slugs.",
  })
  async pathways(@Args(() => PathwaysArgs) args: PathwaysArgs, @Ctx() ctx: Context) {
    const found = await this.queries.pathways(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.pathways;
  }

  @GraphQuery(() => ReferralChain, { cost: { search: { argument: "maxDepth", range: DEPTH } }, description: "Every organization within maxDepth walkable referrals, with its least depth." })
  async referralChain(@Args(() => ReferralChainArgs) args: ReferralChainArgs, @Ctx() ctx: Context) {
    const found = await this.queries.referralChain(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.chain;
  }

  @GraphQuery(() => Network, { cost: { fixed: WHOLE_GRAPH_COST }, description: "A region's organizations (all, when absent), walkable referrals and partnerships among them." })
  async network(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const found = await this.queries.network(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.network;
  }

  @GraphQuery(() => [OrganizationMetrics], { cost: { fixed: WHOLE_GRAPH_COST }, description: "Degrees, betweenness and downstream reach on the graph `network` returns." })
  async networkMetrics(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const found = await this.queries.networkMetrics(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.metrics;
  }
}
