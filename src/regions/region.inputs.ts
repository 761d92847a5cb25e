import { Field, InputType } from "type-graphql";

@InputType()
export class CreateRegionInput {
  @Field({ description: "Lower-case ASCII letters, digits and dashes; unique." })
  slug: string;

  @Field()
  name: string;

  @Field({ description: "ISO 3166-1 alpha-2 country code, e.g. FR." })
  country: string;

  @Field(() => String, { nullable: true })
  nutsCode?: string | null;
}
