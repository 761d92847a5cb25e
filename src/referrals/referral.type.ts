import { Field, ID, Int, ObjectType } from "type-graphql";
import { Assert, Covers } from "../db/table";
import { ReferralKey } from "./referral.table";
import { ReferralStatus, ServiceCategory } from "../domain/vocabulary";
import { Eligibility } from "../domain/eligibility";
import { Connection } from "../api/pagination";
import { DateScalar } from "../api/scalars";
import { Organization } from "../organizations/organization.type";

@ObjectType({
  simpleResolvers: true,
  description:
    "A directed referral channel: `from` sends people who fit `eligibility` to `to` for `categories`. It describes a channel between organizations, never a person.",
})
export class Referral {
  @Field(() => ID)
  id: string;

  @Field(() => Organization)
  from?: Organization;

  @Field(() => Organization)
  to?: Organization;

  @Field(() => [ServiceCategory])
  categories: ServiceCategory[];

  @Field(() => Eligibility)
  eligibility?: Eligibility;

  @Field(() => ReferralStatus)
  status: ReferralStatus;

  @Field(() => DateScalar, { nullable: true, description: "First day it runs; null means always." })
  since: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last day it runs; null means open-ended." })
  until: string | null;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true, description: "Where this referral is documented." })
  source: string | null;

  @Field(() => DateScalar, { nullable: true, description: "The day a coordinator last confirmed the channel still works; null: never confirmed." })
  verifiedOn: string | null;

  @Field(() => Int)
  version: number;
}

@ObjectType({ simpleResolvers: true })
export class ReferralConnection extends Connection(Referral) {}

/**
 * Every column the table declares (referral.table.ts) is a field of Referral, or said here to be
 * shown otherwise: a column added there fails to compile here until it is placed.
 */
export type ReferralShowsEveryColumn = Assert<Covers<ReferralKey, Referral, "fromId" | "toId" | "targetGroups" | "minAge" | "maxAge" | "createdAt" | "updatedAt">>;
