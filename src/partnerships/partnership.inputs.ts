import { Field, ID, InputType } from "type-graphql";
import { PartnershipKind } from "../domain/vocabulary";

@InputType()
export class CreatePartnershipInput {
  @Field(() => PartnershipKind)
  kind: PartnershipKind;

  @Field(() => [ID], { description: "At least two organizations, by id or slug." })
  organizations: string[];

  @Field(() => String, { nullable: true })
  description?: string | null;
}
