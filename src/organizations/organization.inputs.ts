import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { OrganizationKind, ServiceCategory } from "../domain/vocabulary";
import { EligibilityInput, ProfileInput } from "../domain/eligibility";
import { PageArgs } from "../api/pagination";

@InputType()
export class ServiceInput {
  @Field()
  name: string;

  @Field(() => ServiceCategory)
  category: ServiceCategory;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => EligibilityInput, { nullable: true, description: "Absent admits everyone." })
  eligibility?: EligibilityInput | null;
}

@InputType()
export class CreateOrganizationInput {
  @Field()
  name: string;

  @Field(() => OrganizationKind)
  kind: OrganizationKind;

  @Field(() => String, {
    nullable: true,
    description: "Region slug; leave it out only for a transnational body (then only an ADMIN may edit it).",
  })
  region?: string | null;

  @Field(() => String, { nullable: true, description: "Derived from the name when absent." })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  website?: string | null;

  @Field(() => [ServiceInput], { nullable: true })
  services?: ServiceInput[] | null;
}

@InputType({ description: "Fields left out stay as they are; null clears an optional field." })
export class UpdateOrganizationInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => OrganizationKind, { nullable: true })
  kind?: OrganizationKind | null;

  @Field(() => String, { nullable: true, description: "Moves the organization to this region (slug)." })
  region?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  website?: string | null;

  @Field(() => [ServiceInput], { nullable: true, description: "When given, replaces all the services." })
  services?: ServiceInput[] | null;
}

@InputType()
export class OrganizationFilter {
  @Field(() => String, { nullable: true, description: "Region slug." })
  region?: string | null;

  @Field(() => [OrganizationKind], { nullable: true })
  kinds?: OrganizationKind[] | null;

  @Field(() => [ServiceCategory], { nullable: true, description: "Offers a service of any of these." })
  categories?: ServiceCategory[] | null;

  @Field(() => ProfileInput, {
    nullable: true,
    description: "Offers a service whose eligibility admits this profile (of one of `categories`, when given).",
  })
  profile?: ProfileInput | null;

  @Field(() => String, { nullable: true, description: "Part of the name; case and accents are ignored." })
  search?: string | null;
}

@ArgsType()
export class OrganizationsArgs extends PageArgs {
  @Field(() => OrganizationFilter, { nullable: true })
  filter?: OrganizationFilter | null;
}

@ArgsType()
export class UpdateOrganizationArgs {
  @Field(() => ID, { description: "id or slug" })
  id: string;

  @Field(() => UpdateOrganizationInput)
  input: UpdateOrganizationInput;

  @Field(() => Int, { nullable: true, description: "When given and not the stored version: CONFLICT, nothing changes." })
  expectedVersion?: number | null;
}
