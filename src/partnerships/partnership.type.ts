import { Field, ID, ObjectType } from "type-graphql";
import { PartnershipKind } from "../domain/vocabulary";
import { Organization } from "../organizations/organization.type";

@ObjectType({ simpleResolvers: true, description: "A standing tie between organizations: partnership, funding, coordination or membership." })
export class Partnership {
  @Field(() => ID)
  id: string;

  @Field(() => PartnershipKind)
  kind: PartnershipKind;

  @Field(() => [Organization])
  organizations?: Organization[];

  @Field(() => String, { nullable: true })
  description: string | null;
}
