import fs from "node:fs";
import { buildSchema, GraphQLObjectType, print, astFromValue } from "graphql";
import { printedSchema } from "../src/cli/schema";
import { SCHEMA_FILE } from "../src/schema";

/** `name(arg: Type = default, ...): Type` with arguments sorted by name, as the contract lists them. */
function signatures(sdl: string, typeName: string): string[] {
  const type = buildSchema(sdl).getType(typeName) as GraphQLObjectType;
  return Object.values(type.getFields()).map((field) => {
    const args = [...field.args]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((a) => {
        const literal = a.defaultValue === undefined ? undefined : astFromValue(a.defaultValue, a.type);
        return `${a.name}: ${a.type}${literal ? ` = ${print(literal)}` : ""}`;
      });
    return `${field.name}${args.length ? `(${args.join(", ")})` : ""}: ${field.type}`;
  });
}

describe("schema/schema.graphql", () => {
  it("when compared with the schema the code defines, then it is current (else run `npm run schema`)", async () => {
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(await printedSchema());
  });

  it("when read, then its queries and mutations have the contract's names, arguments and types", async () => {
    const sdl = await printedSchema();
    expect(signatures(sdl, "Query")).toEqual(
      expect.arrayContaining([
        "organization(id: ID!): Organization",
        "organizations(after: String, filter: OrganizationFilter, first: Int = 20): OrganizationConnection!",
        "referrals(after: String, filter: ReferralFilter, first: Int = 20): ReferralConnection!",
        "regions: [Region!]!",
        "region(slug: String!): Region",
        "platforms: [Platform!]!",
        "platform(id: ID!): Platform",
      ]),
    );
    expect(signatures(sdl, "Mutation")).toEqual(
      expect.arrayContaining([
        "createRegion(input: CreateRegionInput!): Region!",
        "createOrganization(input: CreateOrganizationInput!): Organization!",
        "updateOrganization(expectedVersion: Int, id: ID!, input: UpdateOrganizationInput!): Organization!",
        "deleteOrganization(id: ID!): Boolean!",
        "createReferral(input: CreateReferralInput!): Referral!",
        "updateReferral(expectedVersion: Int, id: ID!, input: UpdateReferralInput!): Referral!",
        "endReferral(id: ID!, until: Date!): Referral!",
        "deleteReferral(id: ID!): Boolean!",
        "createPartnership(input: CreatePartnershipInput!): Partnership!",
        "deletePartnership(id: ID!): Boolean!",
      ]),
    );
    const fields = (type: string) => signatures(sdl, type).map((s) => s.split(/[(:]/)[0]);
    expect(fields("Organization")).toEqual(
      expect.arrayContaining(["id", "slug", "name", "kind", "description", "website", "region", "services", "referralsOut", "referralsIn", "partnerships", "version", "createdAt", "updatedAt"]),
    );
    expect(fields("Referral")).toEqual(
      expect.arrayContaining(["id", "from", "to", "categories", "eligibility", "status", "since", "until", "description", "source", "version"]),
    );
    expect(fields("Platform")).toEqual(expect.arrayContaining(["id", "slug", "name", "region", "coordinator", "members", "meetings"]));
    expect(fields("Meeting")).toEqual(expect.arrayContaining(["id", "date", "title", "format", "participantCount", "organizers", "presenters", "notes"]));
    expect(fields("Region")).toEqual(["country", "id", "name", "nutsCode", "slug"]);
  });
});
