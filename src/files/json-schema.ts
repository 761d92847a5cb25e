import path from "node:path";
import { ROOT } from "../root";
import { TargetGroup } from "../domain/vocabulary";
import { MAX_AGE, MIN_AGE } from "../domain/eligibility";
import { Column, Columns, fileName, Table } from "../db/table";
import { REFERRAL_FILE_KEYS, referralTable } from "../referrals/referral.table";
import { REGION_FIELD_KEYS, REGION_FILE_KEYS, regionTable } from "../regions/region.table";
import { ORGANIZATION_FIELD_KEYS, ORGANIZATION_FILE_KEYS, organizationTable, SERVICE_FILE_KEYS, serviceTable } from "../organizations/organization.table";
import { PARTNERSHIP_FILE_KEYS, partnershipTable } from "../partnerships/partnership.table";
import { MEETING_FILE_KEYS, meetingTable, PLATFORM_FIELD_KEYS, PLATFORM_FILE_KEYS, platformTable } from "../platforms/platform.table";
import { NETWORK_FORMAT, NETWORK_FORMAT_VERSION } from "./network-file";

// The JSON Schema (draft 2020-12) of a Passerelle network file, built from the same vocabulary the
// code checks, and written to schema/network.schema.json by `npm run schema` (a test fails while
// the checked-in file is stale). The import checks more than the schema can say: that slugs named
// exist, that referral periods do not overlap, that a new record gives what it needs. Merge: a field
// left out keeps what is stored, null clears it (so optional fields allow null), a list is whole.

export const NETWORK_SCHEMA_FILE = path.join(ROOT, "schema", "network.schema.json");

const DAY = "^\\d{4}-\\d{2}-\\d{2}$";
const oneOf = (values: Record<string, string>, description: string) => ({ enum: Object.values(values), description });
const slugs = (description: string) => ({ type: "array", items: { type: "string" }, description });
const age = { type: ["integer", "null"], minimum: MIN_AGE, maximum: MAX_AGE };

/**
 * A declared column's value in a network file (src/db/table.ts): null is allowed where it clears
 * the field or gives the initial value; texts within the length the import's check allows
 * (src/domain/validate.ts: 200 for a name, 5000 for free text), in the column's pattern.
 */
function columnSchema(c: Column): Record<string, unknown> {
  const described = c.description ? { description: c.description } : {};
  const orNull = (type: string) => (c.nullable ? [type, "null"] : type);
  if (c.type === "text[]" && c.values) return { type: "array", minItems: 1, items: oneOf(c.values, c.description ?? "") };
  if (c.type === "text[]") return { type: "array", items: { type: "string" }, ...described };
  if (c.values) return { enum: [...Object.values(c.values), ...(c.nullable || c.initial !== undefined ? [null] : [])], ...described };
  if (c.type === "date") return { type: orNull("string"), pattern: DAY, ...described };
  if (c.type === "int") return { type: orNull("integer"), ...(c.min === undefined ? {} : { minimum: c.min }), ...(c.max === undefined ? {} : { maximum: c.max }), ...described };
  if (c.type === "uuid") return { type: orNull("string"), ...described }; // a record named by its slug
  if (c.type === "text" || c.type === "char") {
    const length = c.type === "char" ? {} : { ...(c.nullable ? {} : { minLength: 1 }), maxLength: c.max ?? (c.nullable ? 5000 : 200) };
    return { type: orNull("string"), ...length, ...(c.pattern ? { pattern: c.pattern.source } : {}), ...described };
  }
  throw new Error(`no JSON Schema for a ${c.type} column (${c.sql}): give it one in columnSchema`);
}

const eligibility = {
  type: ["object", "null"],
  additionalProperties: false,
  description: "Who may be sent: empty admits everyone. On import, a field left out keeps the stored one; null clears it (all of it for eligibility: null).",
  properties: {
    targetGroups: { type: ["array", "null"], items: oneOf(TargetGroup, "A target group."), description: "Empty or null: every group." },
    minAge: age,
    maxAge: age,
  },
};

/** The properties of a record of a declared table, in the order of `keys`: each column under its file name (grouped ones as their group: eligibility), then `after`. */
function properties<C extends Columns>(t: Table<C>, keys: readonly (keyof C & string)[], after: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const c: Column = t.columns[key];
    if (c.group === "eligibility") out.eligibility = eligibility;
    else if (c.group) throw new Error(`no JSON Schema for the group ${c.group} (${c.sql})`);
    else out[fileName(c, key)] = columnSchema(c);
  }
  return { ...out, ...after };
}

/** The fields a new record must give: the columns that can be neither null nor left to an initial value. */
function required<C extends Columns>(t: Table<C>, keys: readonly (keyof C & string)[]): string[] {
  return keys.filter((key) => !t.columns[key].nullable && !t.columns[key].group && t.columns[key].initial === undefined).map((key) => fileName(t.columns[key], key));
}

export function networkJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://passerelle.example/schema/network.schema.json",
    title: "Passerelle network file",
    description: `What \`npm run export\` writes and \`npm run import\` reads (format ${NETWORK_FORMAT}, version ${NETWORK_FORMAT_VERSION}). Records name each other by slug. On import, a field a record leaves out keeps the stored value, null clears it, and a list given is the whole list; a new record needs the fields its description names.`,
    type: "object",
    required: ["regions", "organizations", "referrals", "partnerships", "platforms"],
    additionalProperties: false,
    properties: {
      $schema: { type: "string" },
      format: { const: NETWORK_FORMAT },
      version: { const: NETWORK_FORMAT_VERSION },
      regions: {
        type: "array",
        items: {
          type: "object",
          description: `A new region needs ${required(regionTable, REGION_FIELD_KEYS).join(" and ")}.`,
          required: ["slug"],
          additionalProperties: false,
          properties: properties(regionTable, REGION_FILE_KEYS),
        },
      },
      organizations: {
        type: "array",
        items: {
          type: "object",
          description: `A new organization needs ${required(organizationTable, ORGANIZATION_FIELD_KEYS).join(" and ")}.`,
          required: ["slug"],
          additionalProperties: false,
          properties: properties(organizationTable, ORGANIZATION_FILE_KEYS, {
            services: {
              type: ["array", "null"],
              maxItems: 100,
              description: "What it offers, in order: the whole list (null or []: none); left out, the stored services stay.",
              items: { type: "object", required: required(serviceTable, SERVICE_FILE_KEYS), additionalProperties: false, properties: properties(serviceTable, SERVICE_FILE_KEYS) },
            },
          }),
        },
      },
      referrals: {
        type: "array",
        description: "Matched on import by from, to, categories and since.",
        items: { type: "object", required: required(referralTable, REFERRAL_FILE_KEYS), additionalProperties: false, properties: properties(referralTable, REFERRAL_FILE_KEYS) },
      },
      partnerships: {
        type: "array",
        description: "Matched on import by kind and members.",
        items: {
          type: "object",
          required: [...required(partnershipTable, PARTNERSHIP_FILE_KEYS), "organizations"],
          additionalProperties: false,
          properties: properties(partnershipTable, PARTNERSHIP_FILE_KEYS, { organizations: { ...slugs("Member organizations' slugs."), minItems: 2 } }),
        },
      },
      platforms: {
        type: "array",
        items: {
          type: "object",
          description: `A new platform needs ${required(platformTable, PLATFORM_FIELD_KEYS).join(" and ")}.`,
          required: ["slug"],
          additionalProperties: false,
          properties: properties(platformTable, PLATFORM_FILE_KEYS, {
            members: { ...slugs("Member organizations' slugs: the whole list."), type: ["array", "null"] },
            meetings: {
              type: ["array", "null"],
              description: "Roundtables: the whole list (null or []: none); left out, the stored meetings stay.",
              items: {
                type: "object",
                required: required(meetingTable, MEETING_FILE_KEYS),
                additionalProperties: false,
                properties: properties(meetingTable, MEETING_FILE_KEYS, { organizers: slugs("Organizations' slugs."), presenters: slugs("Organizations' slugs.") }),
              },
            },
          }),
        },
      },
    },
  };
}

export const printedNetworkSchema = () => `${JSON.stringify(networkJsonSchema(), null, 2)}\n`;

type SchemaNode = { properties?: Record<string, SchemaNode>; items?: SchemaNode };

/**
 * The fields the schema allows, by where they are: "" (the file), "regions", "organizations",
 * "organizations.services", "organizations.services.eligibility", ... The import refuses any other,
 * so that a misspelt name ("webiste") is not silently dropped.
 */
export function fieldsByPlace(node: SchemaNode = networkJsonSchema() as SchemaNode, place = "", out = new Map<string, string[]>()): Map<string, string[]> {
  if (node.items) return fieldsByPlace(node.items, place, out);
  if (node.properties) {
    out.set(place, Object.keys(node.properties));
    for (const [name, child] of Object.entries(node.properties)) fieldsByPlace(child, place ? `${place}.${name}` : name, out);
  }
  return out;
}

