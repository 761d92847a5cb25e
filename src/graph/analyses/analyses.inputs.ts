import { ArgsType, Field, ID, Int } from "type-graphql";
import { ProfileInput } from "../../domain/eligibility";
import { ServiceCategory, TargetGroup } from "../../domain/vocabulary";
import { DateScalar } from "../../api/scalars";
import { COVERAGE_AGES, HOPS, PAGE_SIZE } from "../../api/ranges";

const range = (r: { min: number; max: number }) => `${r.min}..${r.max}`;

@ArgsType()
class FromArgs {
  @Field(() => ID, { nullable: true, description: "Count only what this organization (id or slug) can reach." })
  from?: string | null;

  @Field(() => Int, { nullable: true, description: `${range(HOPS)}; absent: any number of referrals.` })
  maxHops?: number | null;

  @Field(() => DateScalar, { nullable: true, description: "Walk the referrals running on this day; absent: today." })
  asOf?: string | null;
}

@ArgsType()
export class CoverageArgs extends FromArgs {
  @Field(() => String, { description: "Region slug." })
  region: string;

  @Field(() => [ServiceCategory], { nullable: true, description: "Absent: all, by name." })
  categories?: ServiceCategory[] | null;

  @Field(() => [TargetGroup], { nullable: true, description: "Absent: one column, any group." })
  targetGroups?: TargetGroup[] | null;

  @Field(() => [Int], { nullable: true, description: `At most ${COVERAGE_AGES}, each 0..120; absent: one column, any age.` })
  ages?: number[] | null;
}

@ArgsType()
export class AgeCliffsArgs extends FromArgs {
  @Field(() => String, { description: "Region slug." })
  region: string;

  @Field(() => TargetGroup, { nullable: true })
  targetGroup?: TargetGroup | null;

  @Field(() => [ServiceCategory], { nullable: true, description: "Absent: all." })
  categories?: ServiceCategory[] | null;
}

@ArgsType()
export class ProfileChangeArgs extends FromArgs {
  @Field(() => String, { description: "Region slug." })
  region: string;

  @Field(() => ProfileInput)
  before: ProfileInput;

  @Field(() => ProfileInput)
  after: ProfileInput;
}

@ArgsType()
export class ClosureImpactArgs {
  @Field(() => [ID], { description: "The organizations that close: ids or slugs." })
  organizations: string[];

  @Field(() => [ID], { nullable: true, description: "Referrals that end too: ids." })
  referrals?: string[] | null;

  @Field(() => String, { nullable: true, description: "Region slug; the whole network when absent." })
  region?: string | null;

  @Field(() => ProfileInput, { nullable: true })
  profile?: ProfileInput | null;

  @Field(() => Int, { nullable: true, description: `${range(HOPS)}; absent: any number of referrals.` })
  maxHops?: number | null;

  @Field(() => DateScalar, { nullable: true })
  asOf?: string | null;
}

@ArgsType()
export class CriticalOrganizationsArgs {
  @Field(() => String, { description: "Region slug." })
  region: string;

  @Field(() => ProfileInput, { nullable: true })
  profile?: ProfileInput | null;

  @Field(() => DateScalar, { nullable: true })
  asOf?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: PAGE_SIZE.fallback, description: range(PAGE_SIZE) })
  first: number | null;
}

@ArgsType()
export class NetworkChangesArgs {
  @Field(() => String, { nullable: true, description: "Region slug; the whole network when absent." })
  region?: string | null;

  @Field(() => DateScalar, { description: "The first day." })
  since: string;

  @Field(() => DateScalar, { description: "The second day: since or later." })
  until: string;

  @Field(() => ProfileInput, { nullable: true })
  profile?: ProfileInput | null;
}
