import { Args, Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../context";
import { OrganizationEntity } from "../organizations/organization.entity";
import { Network, OrganizationMetrics, Pathway, ReferralChain } from "./graph.type";
import { NetworkArgs, PathwaysArgs, ReferralChainArgs } from "./graph.inputs";
import { GraphService } from "./graph.service";
import { GraphSnapshot } from "./snapshot";

/**
 * The snapshot already holds these organizations: the request's loader need not fetch them again.
 * Records the snapshot's version, which the answer cache checks before keeping the answer.
 */
function prime(ctx: Context, snapshot: GraphSnapshot, organizations: Iterable<OrganizationEntity>): void {
  ctx.graph.versions.push(snapshot.version);
  for (const o of organizations) ctx.loaders.organizationById.prime(o.id, o);
}

@Resolver()
export class GraphResolver {
  constructor(private readonly service: GraphService) {}

  @Query(() => [Pathway], {
    description: "Simple paths of walkable referrals admitting the profile, fewest hops first, then by the sequence of slugs.",
  })
  async pathways(@Args(() => PathwaysArgs) args: PathwaysArgs, @Ctx() ctx: Context) {
    const { snapshot, pathways } = await this.service.pathways(args);
    prime(ctx, snapshot, pathways.flatMap((p) => p.organizations));
    return pathways;
  }

  @Query(() => ReferralChain, { description: "Every organization within maxDepth walkable referrals, with its least depth." })
  async referralChain(@Args(() => ReferralChainArgs) args: ReferralChainArgs, @Ctx() ctx: Context) {
    const { snapshot, chain } = await this.service.referralChain(args);
    prime(ctx, snapshot, chain.entries.map((e) => e.organization));
    return chain;
  }

  @Query(() => Network, { description: "A region's organizations (all, when absent), walkable referrals and partnerships among them." })
  async network(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const { snapshot, network } = await this.service.network(args);
    prime(ctx, snapshot, network.organizations);
    return network;
  }

  @Query(() => [OrganizationMetrics], { description: "Degrees, betweenness and downstream reach on the graph `network` returns." })
  async networkMetrics(@Args(() => NetworkArgs) args: NetworkArgs, @Ctx() ctx: Context) {
    const { snapshot, metrics } = await this.service.networkMetrics(args);
    prime(ctx, snapshot, metrics.map((m) => m.organization));
    return metrics;
  }
}
