import { Field, ID, Int, ObjectType } from "type-graphql";
import { MeetingFormat } from "../domain/vocabulary";
import { DateScalar } from "../api/scalars";
import { Organization } from "../organizations/organization.type";
import { Region } from "../regions/region.type";

@ObjectType({ simpleResolvers: true, description: "A meeting (roundtable) of a platform." })
export class Meeting {
  @Field(() => ID)
  id: string;

  @Field(() => DateScalar)
  date: string;

  @Field()
  title: string;

  @Field(() => MeetingFormat, { nullable: true, description: "Null where the source does not say." })
  format: MeetingFormat | null;

  @Field(() => Int, { nullable: true, description: "How many stakeholders took part." })
  participantCount: number | null;

  @Field(() => [Organization])
  organizers?: Organization[];

  @Field(() => [Organization])
  presenters?: Organization[];

  @Field(() => [String], { description: "Topics and themes discussed." })
  topics: string[];

  @Field(() => String, { nullable: true })
  notes: string | null;
}

@ObjectType({ simpleResolvers: true, description: "A regional multi-stakeholder cooperation platform." })
export class Platform {
  @Field(() => ID)
  id: string;

  @Field()
  slug: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => Region)
  region?: Region;

  @Field(() => Organization, { nullable: true })
  coordinator?: Organization | null;

  @Field(() => [Organization])
  members?: Organization[];

  @Field(() => [Meeting], { description: "Oldest first." })
  meetings?: Meeting[];
}
