import { Args, Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { Network, OrganizationMetrics, Pathway, ReferralChain } from "./graph.type";
import { NetworkArgs, PathwaysArgs, ReferralChainArgs } from "./graph.inputs";
import { GraphService } from "./graph.service";

/** Records the day taken as today when asOf was left out: the answer cache keeps the answer for that day only. */
function noteDay(ctx: Context, asOf: string | null | undefined, found: { day: string }): void {
  if (!asOf) ctx.graph.days.push(found.day);
}

@Resolver()
export class GraphResolver {
  constructor(private readonly service: GraphService) {}

  @Query(() => [Pathway], {
    description: "Simple paths of walkable referrals admitting the profile, fewest hops first, then by the sequence of slugs.",
  })
  async pathways(@Args(() => PathwaysArgs) args: PathwaysArgs, @Ctx() ctx: Context) {
    const found = await this.service.pathways(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.pathways;
  }

  @Query(() => ReferralChain, { description: "Every organization within maxDepth walkable referrals, with its least depth." })
  async referralChain(@Args(() => ReferralChainArgs) args: ReferralChainArgs, @Ctx() ctx: Context) {
    const found = await this.service.referralChain(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.chain;
  }

  @Query(() => Network, { description: "A region's organizations (all, when absent), walkable referrals and partnerships among them." })
  async network(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const found = await this.service.network(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.network;
  }

  @Query(() => [OrganizationMetrics], { description: "Degrees, betweenness and downstream reach on the graph `network` returns." })
  async networkMetrics(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const found = await this.service.networkMetrics(args, await ctx.model());
    noteDay(ctx, args.asOf, found);
    return found.metrics;
  }
}
