import { InputError } from "../errors";
import { checkProfile, ProfileInput } from "../domain/eligibility";
import { ReferralDirection, ServiceCategory } from "../domain/vocabulary";
import { ReadModel } from "../model/model";
import { ReadModels } from "../model/read-models";
import { walkRule, WalkRule } from "./walk";
import { FoundPathway, findPathways, SearchTooLarge } from "./pathways";
import { referralChain } from "./chain";
import { FoundNetwork, networkMetricsInSlices, networkOf } from "./metrics";
import { Computations } from "./computations";
import { organizationOf, regionIdOf } from "./arguments";
import { DEPTH, HOPS, inRange, PATHWAY_LIMIT } from "../api/ranges";

/**
 * About 70 ms of search on one core. A hub with a 30-member clique behind it (every walk a dead end
 * once the hub is on the path) takes 14 s unbounded at maxHops 8; the bench network's worst
 * pathways query (maxHops 8, limit 100) looks at far fewer and takes 10 ms.
 */
export const DEFAULT_SEARCH_STEPS = 2_000_000;

export interface PathwaysRequest {
  from: string;
  to?: string | null;
  toCategory?: ServiceCategory | null;
  profile?: ProfileInput | null;
  maxHops?: number | null;
  limit?: number | null;
  asOf?: string | null;
}

export interface ChainRequest {
  organization: string;
  direction?: ReferralDirection | null;
  maxDepth?: number | null;
  profile?: ProfileInput | null;
  asOf?: string | null;
}

export interface NetworkRequest {
  region?: string | null;
  profile?: ProfileInput | null;
  asOf?: string | null;
}

/**
 * Answers graph questions from the read model: the one a request took (src/model/), or the
 * current one for callers outside a request (exports).
 */
export class GraphQueries {
  constructor(
    private readonly models: ReadModels,
    /** networkMetrics answers, by model version and question; whole-network betweenness takes a turn among GRAPH_METRICS_RUNS. */
    private readonly computations: Computations = new Computations(),
    /** Most referrals one pathway search may look at (GRAPH_SEARCH_STEPS). */
    private readonly maxSearchSteps = DEFAULT_SEARCH_STEPS,
  ) {}

  private rule(profile: ProfileInput | null | undefined, asOf: string | null | undefined): WalkRule {
    return walkRule({ profile: checkProfile(profile), asOf });
  }

  async pathways(request: PathwaysRequest, model?: ReadModel) {
    const maxHops = inRange(request.maxHops, HOPS, "maxHops");
    const limit = inRange(request.limit, PATHWAY_LIMIT, "limit");
    const hasTo = request.to !== null && request.to !== undefined;
    const hasCategory = request.toCategory !== null && request.toCategory !== undefined;
    if (hasTo === hasCategory) throw new InputError(hasTo ? "toCategory" : "to", "give exactly one of to and toCategory");
    const rule = this.rule(request.profile, request.asOf);
    const s = model ?? (await this.models.current());
    const from = organizationOf(s, request.from, "from");
    const to = hasTo ? organizationOf(s, request.to!, "to") : undefined;
    let found: FoundPathway[];
    try {
      found = findPathways(s, { from, to, toCategory: request.toCategory ?? undefined, rule, maxHops, limit, maxSteps: this.maxSearchSteps });
    } catch (error) {
      if (!(error instanceof SearchTooLarge)) throw error;
      throw new InputError(
        "maxHops",
        `this search is too large for the network's shape (it looked at over ${error.maxSteps} referrals, GRAPH_SEARCH_STEPS): ` +
          `lower maxHops, give a profile, or ask for a destination rather than a category`,
      );
    }
    return {
      snapshot: s,
      day: rule.day,
      pathways: found.map((p) => ({
        hops: p.referrals.length,
        organizations: p.organizations.map((o) => s.organizations[o]!),
        referrals: p.referrals.map((r) => s.referralEdge(r)!),
      })),
    };
  }

  async referralChain(request: ChainRequest, model?: ReadModel) {
    const maxDepth = inRange(request.maxDepth, DEPTH, "maxDepth");
    const rule = this.rule(request.profile, request.asOf);
    const s = model ?? (await this.models.current());
    const start = organizationOf(s, request.organization, "organization");
    const chain = referralChain(s, { start, upstream: request.direction === ReferralDirection.UPSTREAM, maxDepth, rule });
    return {
      snapshot: s,
      day: rule.day,
      chain: {
        entries: chain.entries.map((e) => ({ organization: s.organizations[e.organization]!, depth: e.depth })),
        referrals: chain.referrals.map((r) => s.referralEdge(r)!),
      },
    };
  }

  private async networkFound(request: NetworkRequest, model?: ReadModel): Promise<{ s: ReadModel; found: FoundNetwork; rule: WalkRule; regionId?: string }> {
    const rule = this.rule(request.profile, request.asOf);
    const s = model ?? (await this.models.current());
    const regionId = regionIdOf(s, request.region);
    return { s, found: networkOf(s, { regionId, rule }), rule, regionId };
  }

  async network(request: NetworkRequest, model?: ReadModel) {
    const { s, found, rule } = await this.networkFound(request, model);
    return {
      snapshot: s,
      day: rule.day,
      network: {
        organizations: found.organizations.map((o) => s.organizations[o]!),
        referrals: found.referrals.map((r) => s.referralEdge(r)!),
        partnerships: found.partnerships.map((p) => s.partnerships[p]),
      },
    };
  }

  async networkMetrics(request: NetworkRequest, model?: ReadModel) {
    const { s, found, rule, regionId } = await this.networkFound(request, model);
    // By the day walked on (asOf or today), so yesterday's figures are not served today.
    const key = `networkMetrics|${s.version}|${regionId ?? "*"}|${rule.groupBit}|${rule.age}|${rule.day}`;
    const rows = await this.computations.get(key, () => networkMetricsInSlices(s, found), { what: "network metrics", fields: { version: s.version, region: request.region ?? null } });
    return {
      snapshot: s,
      day: rule.day,
      metrics: rows.map((m) => ({ ...m, organization: s.organizations[m.organization]! })),
    };
  }
}
