import type { ServiceCategory, TargetGroup } from "../../domain/vocabulary";

// What the analyses take and give (docs/api.md, "Analyses"), as numbers of the read model:
// organizations by their number (ReadModel.organizations[n]), referrals by theirs
// (ReadModel.referralEdge(r)). Lists of organizations come by slug; of referrals by the slug of
// `from`, then of `to`, then id; categories and target groups by name (alphabetically).

/** A profile: a target group and an age, each optional (null: not given). */
export interface Profile {
  targetGroup?: TargetGroup | null;
  age?: number | null;
}

/** The graph an analysis is on: network(region, profile, asOf). */
export interface GraphScope {
  /** A region's id; undefined for the whole network (where the analysis allows it). */
  regionId?: string;
  profile?: Profile | null;
  /** YYYY-MM-DD: the day the referrals are walked on. */
  asOf: string;
}

export interface CoverageCellResult {
  category: ServiceCategory;
  targetGroup: TargetGroup | null;
  age: number | null;
  /** Providers of the category for the cell's profile, by slug. */
  providers: number[];
  /** With `from`: those providers, other than from, reachable from it (within maxHops) on the cell's graph; else null. */
  reachableCount: number | null;
}

export interface AgeCliffResult {
  age: number;
  category: ServiceCategory;
  providersBefore: number;
  providersAfter: number;
  /** By slug. */
  lost: number[];
}

export interface CategoryChangeResult {
  category: ServiceCategory;
  providersBefore: number;
  providersAfter: number;
  /** By slug. */
  lost: number[];
  /** By slug. */
  gained: number[];
}

export interface ClosureImpactResult {
  /** Referral numbers, by slug of from, then of to, then id. */
  referralsLost: number[];
  /** By category name. */
  coverageLost: { category: ServiceCategory; providersBefore: number; providersAfter: number }[];
  /** By slug of from, then category name. */
  routesLost: { from: number; category: ServiceCategory; hopsBefore: number }[];
  /** By slug. */
  isolated: number[];
}

export interface CriticalityResult {
  organization: number;
  routesCarried: number;
}

export interface NetworkSummaryResult {
  organizationCount: number;
  referralCount: number;
  density: number;
  reciprocity: number;
  /** By slug. */
  isolated: number[];
  components: number;
  largestComponent: number;
  inDegreeCentralization: number;
  outDegreeCentralization: number;
  /** By slug. */
  brokers: number[];
}

export interface NetworkChangesResult {
  /** Referral numbers, by slug of from, then of to, then id. */
  opened: number[];
  closed: number[];
  before: NetworkSummaryResult;
  after: NetworkSummaryResult;
}

export interface CommunityResult {
  /** By slug. */
  organizations: number[];
  /** Referrals of the graph with both ends in the community, by slug of from, then of to, then id. */
  referrals: number[];
}
