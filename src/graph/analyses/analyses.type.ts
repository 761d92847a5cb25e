import { Field, Float, Int, ObjectType } from "type-graphql";
import { ServiceCategory, TargetGroup } from "../../domain/vocabulary";
import { Organization } from "../../organizations/organization.type";
import { Referral } from "../../referrals/referral.type";

// What the analyses answer (docs/api.md, "Analyses"). Organizations come by slug, referrals by the
// slug of their sending organization, then of the receiving one, then id.

@ObjectType({ simpleResolvers: true, description: "Who provides a category to a profile in a region, and how many of them one organization can reach." })
export class CoverageCell {
  @Field(() => ServiceCategory)
  category: ServiceCategory;

  @Field(() => TargetGroup, { nullable: true, description: "null: any group." })
  targetGroup: TargetGroup | null;

  @Field(() => Int, { nullable: true, description: "null: any age." })
  age: number | null;

  @Field(() => Int, { description: "0: a service gap; 1: a single point of failure." })
  providerCount: number;

  @Field(() => [Organization], { description: "Organizations of the region with a service of the category admitting the profile." })
  providers: Organization[];

  @Field(() => Int, { nullable: true, description: "With from: the providers, other than from, reachable from it (within maxHops); else null." })
  reachableCount: number | null;
}

@ObjectType({ simpleResolvers: true, description: "An age at which providers of a category stop admitting a person one year older." })
export class AgeCliff {
  @Field(() => Int, { description: "The age (1..120) at which they are lost: a provider for age - 1 is none for this age." })
  age: number;

  @Field(() => ServiceCategory)
  category: ServiceCategory;

  @Field(() => Int, { description: "Providers for age - 1 (with from: reachable ones)." })
  providersBefore: number;

  @Field(() => Int, { description: "Providers for this age (with from: reachable ones)." })
  providersAfter: number;

  @Field(() => [Organization], { description: "Providers for age - 1 that are none for this age." })
  lost: Organization[];
}

@ObjectType({ simpleResolvers: true, description: "A category whose providers differ between two profiles." })
export class CategoryChange {
  @Field(() => ServiceCategory)
  category: ServiceCategory;

  @Field(() => Int)
  providersBefore: number;

  @Field(() => Int)
  providersAfter: number;

  @Field(() => [Organization], { description: "Providers for the first profile that are none for the second." })
  lost: Organization[];

  @Field(() => [Organization], { description: "Providers for the second profile that were none for the first." })
  gained: Organization[];
}

@ObjectType({ simpleResolvers: true, description: "A category whose providers change when organizations close." })
export class CoverageLoss {
  @Field(() => ServiceCategory)
  category: ServiceCategory;

  @Field(() => Int)
  providersBefore: number;

  @Field(() => Int)
  providersAfter: number;
}

@ObjectType({ simpleResolvers: true, description: "A route lost: `from` could reach a provider of `category` before, and no longer can." })
export class LostRoute {
  @Field(() => Organization)
  from: Organization;

  @Field(() => ServiceCategory)
  category: ServiceCategory;

  @Field(() => Int, { description: "The fewest referrals the route took before." })
  hopsBefore: number;
}

@ObjectType({ simpleResolvers: true, description: "What the graph loses if organizations close (and referrals end)." })
export class ClosureImpact {
  @Field(() => [Referral], { description: "The graph's referrals touching a closed organization, or listed." })
  referralsLost: Referral[];

  @Field(() => [CoverageLoss], { description: "Every category whose providers change, by name." })
  coverageLost: CoverageLoss[];

  @Field(() => [LostRoute], { description: "By slug of from, then category." })
  routesLost: LostRoute[];

  @Field(() => [Organization], { description: "Organizations, not closed, with a referral of the graph before and none after." })
  isolated: Organization[];
}

@ObjectType({ simpleResolvers: true })
export class Criticality {
  @Field(() => Organization)
  organization: Organization;

  @Field(() => Int, { description: "Routes (s, c) of the region's graph, s another organization, lost if this one alone closed." })
  routesCarried: number;
}

@ObjectType({ simpleResolvers: true, description: "Platform-health figures of a graph; a tie is an ordered pair (a, b) with at least one referral from a to b." })
export class NetworkSummary {
  @Field(() => Int)
  organizationCount: number;

  @Field(() => Int)
  referralCount: number;

  @Field(() => Float, { description: "ties / (n (n - 1)); 0 when n < 2." })
  density: number;

  @Field(() => Float, { description: "Share of ties whose reverse is also a tie; 0 when there is none." })
  reciprocity: number;

  @Field(() => [Organization], { description: "Organizations with no referral in or out." })
  isolated: Organization[];

  @Field(() => Int, { description: "Weakly connected components (an isolated organization is one)." })
  components: number;

  @Field(() => Int, { description: "Organizations in the largest component." })
  largestComponent: number;

  @Field(() => Float, { description: "Freeman's, on ties: Σ(max − dᵢ) / (n − 1)²; 0 when n < 2." })
  inDegreeCentralization: number;

  @Field(() => Float)
  outDegreeCentralization: number;

  @Field(() => [Organization], { description: "Articulation points of the undirected graph of ties: removing one splits the network." })
  brokers: Organization[];
}

@ObjectType({ simpleResolvers: true, description: "What opened and closed between two days, and the summary on each." })
export class NetworkChanges {
  @Field(() => [Referral], { description: "Walkable on until and not on since." })
  opened: Referral[];

  @Field(() => [Referral], { description: "Walkable on since and not on until." })
  closed: Referral[];

  @Field(() => NetworkSummary, { description: "On since." })
  before: NetworkSummary;

  @Field(() => NetworkSummary, { description: "On until." })
  after: NetworkSummary;
}

@ObjectType({ simpleResolvers: true, description: "A group of organizations that refer to each other more than to the rest (Louvain's modularity)." })
export class Community {
  @Field(() => Int, { description: "1 for the largest, then by size and first slug." })
  number: number;

  @Field(() => [Organization])
  organizations: Organization[];

  @Field(() => [Referral], { description: "The graph's referrals with both ends in the group." })
  referrals: Referral[];
}
