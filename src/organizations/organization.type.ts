import { Field, ID, Int, ObjectType } from "type-graphql";
import { OrganizationKind, ServiceCategory } from "../domain/vocabulary";
import { Eligibility } from "../domain/eligibility";
import { Connection } from "../api/pagination";
import { Region } from "../regions/region.type";
import { Referral } from "../referrals/referral.type";
import { Partnership } from "../partnerships/partnership.type";

@ObjectType({ simpleResolvers: true, description: "An association, institution or public service that takes part in a region's network." })
export class Organization {
  @Field(() => ID)
  id: string;

  @Field()
  slug: string;

  @Field()
  name: string;

  @Field(() => OrganizationKind)
  kind: OrganizationKind;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true })
  website: string | null;

  @Field(() => Region, { nullable: true, description: "Null for transnational bodies." })
  region?: Region | null;

  @Field(() => [Service])
  services?: Service[];

  @Field(() => [Referral], { description: "Referrals this organization sends, of any status." })
  referralsOut?: Referral[];

  @Field(() => [Referral], { description: "Referrals this organization receives, of any status." })
  referralsIn?: Referral[];

  @Field(() => [Partnership])
  partnerships?: Partnership[];

  @Field(() => Int, { description: "Starts at 1 and grows by one on each change; pass it as expectedVersion." })
  version: number;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType({ simpleResolvers: true, description: "What an organization offers, and to whom." })
export class Service {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => ServiceCategory)
  category: ServiceCategory;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => Eligibility)
  eligibility?: Eligibility;

  @Field(() => Organization)
  organization?: Organization;
}

@ObjectType({ simpleResolvers: true })
export class OrganizationConnection extends Connection(Organization) {}
