import { Field, InputType, Int, ObjectType } from "type-graphql";

@InputType({ description: "A network file to load, as `npm run import` would." })
export class ImportNetworkInput {
  @Field({ description: "The file's text: a Passerelle network file (JSON, schema/network.schema.json) or an Open Referral HSDS 3.0 publication (JSON). Larger than BODY_LIMIT_BYTES: use `npm run import`." })
  content: string;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "Check and report; write nothing." })
  dryRun?: boolean | null;

  @Field(() => String, { nullable: true, description: "Only this region's records (slug). An EDITOR key must give one of its regions." })
  region?: string | null;

  @Field(() => String, { nullable: true, defaultValue: "upload.json", description: "The name rejections are reported under." })
  fileName?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "Records of each kind." })
export class ImportCounts {
  @Field(() => Int) regions: number;
  @Field(() => Int) organizations: number;
  @Field(() => Int) referrals: number;
  @Field(() => Int) partnerships: number;
  @Field(() => Int) platforms: number;
}

@ObjectType({ simpleResolvers: true, description: "A record of the file that was refused, and why." })
export class ImportRejection {
  @Field() file: string;
  @Field(() => Int, { nullable: true, description: "The line the record starts on." }) line: number | null;
  @Field({ description: "e.g. organizations[3]" }) record: string;
  @Field({ description: "The field at fault within the record; empty when it is the record as a whole." }) field: string;
  @Field() reason: string;
}

@ObjectType({ simpleResolvers: true, description: "A stored value the import overwrites (or would, on a dry run)." })
export class ImportChange {
  @Field({ description: "e.g. organizations[3]" }) record: string;
  @Field() file: string;
  @Field(() => Int, { nullable: true, description: "The line the record starts on." }) line: number | null;
  @Field({ description: "e.g. website, services, eligibility.minAge" }) field: string;
  @Field(() => String, { nullable: true, description: "The stored value, as text (JSON for lists and objects); null for none." }) before: string | null;
  @Field(() => String, { nullable: true, description: "The value the file gives, as text (JSON for lists and objects); null for none." }) after: string | null;
}

@ObjectType({ simpleResolvers: true, description: "What an import did, or would do: one bad record and nothing is written." })
export class ImportReport {
  @Field({ description: "Whether changes were written: not a dry run, nothing rejected, something to change." }) applied: boolean;
  @Field() dryRun: boolean;
  @Field(() => ImportCounts) created: ImportCounts;
  @Field(() => ImportCounts) updated: ImportCounts;
  @Field(() => ImportCounts) unchanged: ImportCounts;
  @Field(() => ImportCounts, { description: "Outside the chosen region, left alone." }) skipped: ImportCounts;
  @Field(() => [ImportRejection], { description: "The rejected records, the first 1000 of them (rejectedCount counts them all)." }) rejected: ImportRejection[];
  @Field(() => Int, { description: "How many rejections in all (a record with several wrong fields has one for each)." }) rejectedCount: number;
  @Field(() => [ImportChange], { description: "The stored values overwritten (or that would be, on a dry run), the first 1000 in file order (changeCount counts them all); a created record is counted in created, not listed." }) changes: ImportChange[];
  @Field(() => Int, { description: "How many stored values were (or would be) overwritten in all." }) changeCount: number;
  @Field(() => [String], { description: "What the file's format could not say or Passerelle could not keep (an Open Referral HSDS file)." }) notes: string[];
}
