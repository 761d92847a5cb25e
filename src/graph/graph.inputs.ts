import { ArgsType, Field, ID, Int } from "type-graphql";
import { ProfileInput } from "../domain/eligibility";
import { ReferralDirection, ServiceCategory } from "../domain/vocabulary";
import { DateScalar } from "../api/scalars";
import { DEPTH, HOPS, PATHWAY_LIMIT } from "../api/ranges";

const range = (r: { min: number; max: number }) => `${r.min}..${r.max}`;

@ArgsType()
export class PathwaysArgs {
  @Field(() => ID, { description: "Start: id or slug." })
  from: string;

  @Field(() => ID, { nullable: true, description: "End organization: id or slug. Give this or toCategory." })
  to?: string | null;

  @Field(() => ServiceCategory, { nullable: true, description: "End at an organization offering this, admitting the profile." })
  toCategory?: ServiceCategory | null;

  @Field(() => ProfileInput, { nullable: true })
  profile?: ProfileInput | null;

  @Field(() => Int, { nullable: true, defaultValue: HOPS.fallback, description: range(HOPS) })
  maxHops: number | null;

  @Field(() => Int, { nullable: true, defaultValue: PATHWAY_LIMIT.fallback, description: range(PATHWAY_LIMIT) })
  limit: number | null;

  @Field(() => DateScalar, { nullable: true, description: "Walk the referrals running on this day (status ignored)." })
  asOf?: string | null;
}

@ArgsType()
export class ReferralChainArgs {
  @Field(() => ID, { description: "id or slug" })
  organization: string;

  @Field(() => ReferralDirection, { nullable: true, defaultValue: ReferralDirection.DOWNSTREAM })
  direction: ReferralDirection | null;

  @Field(() => Int, { nullable: true, defaultValue: DEPTH.fallback, description: range(DEPTH) })
  maxDepth: number | null;

  @Field(() => ProfileInput, { nullable: true })
  profile?: ProfileInput | null;

  @Field(() => DateScalar, { nullable: true })
  asOf?: string | null;
}

@ArgsType()
export class NetworkArgs {
  @Field(() => String, { nullable: true, description: "Region slug; the whole network when absent." })
  region?: string | null;

  @Field(() => ProfileInput, { nullable: true })
  profile?: ProfileInput | null;

  @Field(() => DateScalar, { nullable: true })
  asOf?: string | null;
}
