import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { Assert, Covers } from "../db/table";
import { ReferralField } from "./referral.table";
import { ReferralStatus, ServiceCategory } from "../domain/vocabulary";
import { EligibilityInput, ProfileInput } from "../domain/eligibility";
import { PageArgs } from "../api/pagination";
import { DateScalar } from "../api/scalars";

@InputType()
export class CreateReferralInput {
  @Field(() => ID, { description: "Sending organization: id or slug." })
  from: string;

  @Field(() => ID, { description: "Receiving organization: id or slug." })
  to: string;

  @Field(() => [ServiceCategory], { description: "At least one." })
  categories: ServiceCategory[];

  @Field(() => EligibilityInput, { nullable: true, description: "Absent admits everyone." })
  eligibility?: EligibilityInput | null;

  @Field(() => ReferralStatus, { nullable: true, defaultValue: ReferralStatus.ACTIVE })
  status?: ReferralStatus | null;

  @Field(() => DateScalar, { nullable: true })
  since?: string | null;

  @Field(() => DateScalar, { nullable: true })
  until?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  source?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "The day a coordinator confirmed the channel: not a day to come." })
  verifiedOn?: string | null;
}

@InputType({ description: "Fields left out stay as they are; null clears an optional field." })
export class UpdateReferralInput {
  @Field(() => [ServiceCategory], { nullable: true })
  categories?: ServiceCategory[] | null;

  @Field(() => EligibilityInput, { nullable: true, description: "When given, replaces the whole eligibility." })
  eligibility?: EligibilityInput | null;

  @Field(() => ReferralStatus, { nullable: true })
  status?: ReferralStatus | null;

  @Field(() => DateScalar, { nullable: true })
  since?: string | null;

  @Field(() => DateScalar, { nullable: true })
  until?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  source?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "The day a coordinator confirmed the channel: not a day to come." })
  verifiedOn?: string | null;
}

@InputType()
export class ReferralFilter {
  @Field(() => String, { nullable: true, description: "Region slug of either end." })
  region?: string | null;

  @Field(() => ID, { nullable: true, description: "Sending organization: id or slug." })
  from?: string | null;

  @Field(() => ID, { nullable: true, description: "Receiving organization: id or slug." })
  to?: string | null;

  @Field(() => [ServiceCategory], { nullable: true, description: "Covers any of these." })
  categories?: ServiceCategory[] | null;

  @Field(() => ProfileInput, { nullable: true, description: "Its eligibility admits this profile." })
  profile?: ProfileInput | null;

  @Field(() => [ReferralStatus], { nullable: true })
  statuses?: ReferralStatus[] | null;
}

@ArgsType()
export class ReferralsArgs extends PageArgs {
  @Field(() => ReferralFilter, { nullable: true })
  filter?: ReferralFilter | null;
}

@ArgsType()
export class UpdateReferralArgs {
  @Field(() => ID)
  id: string;

  @Field(() => UpdateReferralInput)
  input: UpdateReferralInput;

  @Field(() => Int, { nullable: true, description: "When given and not the stored version: CONFLICT, nothing changes." })
  expectedVersion?: number | null;
}

/** The inputs give every field the table declares (referral.table.ts), eligibility as one: a field added there fails to compile here until it is. */
type Given = "categories" | "since" | ReferralField;
type InEligibility = "targetGroups" | "minAge" | "maxAge";
export type ReferralInputsGiveEveryField = [Assert<Covers<Given, CreateReferralInput, InEligibility>>, Assert<Covers<Given, UpdateReferralInput, InEligibility>>];
