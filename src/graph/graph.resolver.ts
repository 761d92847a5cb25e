import { Args, Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { OrganizationEntity } from "../organizations/organization.entity";
import { Network, OrganizationMetrics, Pathway, ReferralChain } from "./graph.type";
import { NetworkArgs, PathwaysArgs, ReferralChainArgs } from "./graph.inputs";
import { GraphService } from "./graph.service";
import { GraphSnapshot } from "./snapshot";

/**
 * The snapshot already holds these organizations: the request's loader need not fetch them again.
 * Records the snapshot's version, and the day taken as today when asOf was left out: the answer
 * cache keeps the answer for that version, and that day.
 */
function prime(ctx: Context, asOf: string | null | undefined, found: { snapshot: GraphSnapshot; day: string }, organizations: Iterable<OrganizationEntity>): void {
  ctx.graph.versions.push(found.snapshot.version);
  if (!asOf) ctx.graph.days.push(found.day);
  for (const o of organizations) ctx.loaders.organizationById.prime(o.id, o);
}

@Resolver()
export class GraphResolver {
  constructor(private readonly service: GraphService) {}

  @Query(() => [Pathway], {
    description: "Simple paths of walkable referrals admitting the profile, fewest hops first, then by the sequence of slugs.",
  })
  async pathways(@Args(() => PathwaysArgs) args: PathwaysArgs, @Ctx() ctx: Context) {
    const found = await this.service.pathways(args);
    prime(ctx, args.asOf, found, found.pathways.flatMap((p) => p.organizations));
    return found.pathways;
  }

  @Query(() => ReferralChain, { description: "Every organization within maxDepth walkable referrals, with its least depth." })
  async referralChain(@Args(() => ReferralChainArgs) args: ReferralChainArgs, @Ctx() ctx: Context) {
    const found = await this.service.referralChain(args);
    prime(ctx, args.asOf, found, found.chain.entries.map((e) => e.organization));
    return found.chain;
  }

  @Query(() => Network, { description: "A region's organizations (all, when absent), walkable referrals and partnerships among them." })
  async network(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const found = await this.service.network(args);
    prime(ctx, args.asOf, found, found.network.organizations);
    return found.network;
  }

  @Query(() => [OrganizationMetrics], { description: "Degrees, betweenness and downstream reach on the graph `network` returns." })
  async networkMetrics(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const found = await this.service.networkMetrics(args);
    prime(ctx, args.asOf, found, found.metrics.map((m) => m.organization));
    return found.metrics;
  }
}
