import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "A region with (or without yet) a cooperation platform." })
export class Region {
  @Field(() => ID)
  id: string;

  @Field()
  slug: string;

  @Field()
  name: string;

  @Field({ description: "ISO 3166-1 alpha-2 country code." })
  country: string;

  @Field(() => String, { nullable: true, description: "The EU's NUTS code, where known." })
  nutsCode: string | null;
}
