import { Field, Float, Int, ObjectType } from "type-graphql";
import { Organization } from "../organizations/organization.type";
import { Referral } from "../referrals/referral.type";
import { Partnership } from "../partnerships/partnership.type";

@ObjectType({ simpleResolvers: true, description: "A route of referrals: organizations[i] sends to organizations[i + 1] through referrals[i]." })
export class Pathway {
  @Field(() => Int)
  hops: number;

  @Field(() => [Organization], { description: "From the start to the end." })
  organizations: Organization[];

  @Field(() => [Referral])
  referrals: Referral[];
}

@ObjectType({ simpleResolvers: true })
export class ReferralChainEntry {
  @Field(() => Organization)
  organization: Organization;

  @Field(() => Int, { description: "Least number of referrals from the start (0 for the start)." })
  depth: number;
}

@ObjectType({ simpleResolvers: true })
export class ReferralChain {
  @Field(() => [ReferralChainEntry], { description: "By depth, then slug." })
  entries: ReferralChainEntry[];

  @Field(() => [Referral], { description: "The walkable referrals followed from every entry closer than maxDepth." })
  referrals: Referral[];
}

@ObjectType({ simpleResolvers: true, description: "A region's graph (or the whole network's) as a dashboard draws it." })
export class Network {
  @Field(() => [Organization])
  organizations: Organization[];

  @Field(() => [Referral], { description: "Walkable referrals admitting the profile, with both ends among the organizations." })
  referrals: Referral[];

  @Field(() => [Partnership], { description: "Partnerships whose organizations are all among them." })
  partnerships: Partnership[];
}

@ObjectType({ simpleResolvers: true })
export class OrganizationMetrics {
  @Field(() => Organization)
  organization: Organization;

  @Field(() => Int, { description: "Referrals of the network arriving here." })
  inDegree: number;

  @Field(() => Int, { description: "Referrals of the network leaving from here." })
  outDegree: number;

  @Field(() => Float, { description: "Brandes' betweenness on the directed network, not normalised." })
  betweenness: number;

  @Field(() => Int, { description: "How many other organizations of the network can be reached downstream." })
  downstreamReach: number;
}
