import path from "node:path";
import { ROOT } from "../root";
import { MeetingFormat, OrganizationKind, PartnershipKind, ServiceCategory, TargetGroup } from "../domain/vocabulary";
import { MAX_AGE, MIN_AGE } from "../domain/eligibility";
import { SLUG_PATTERN } from "../domain/text";
import { COUNTRY_PATTERN, NUTS_PATTERN } from "../domain/validate";
import { Column, fileName } from "../db/table";
import { REFERRAL_FILE_KEYS, referralTable } from "../referrals/referral.table";
import { MAX_PARTICIPANTS, NETWORK_FORMAT, NETWORK_FORMAT_VERSION } from "./network-file";

// The JSON Schema (draft 2020-12) of a Passerelle network file, built from the same vocabulary the
// code checks, and written to schema/network.schema.json by `npm run schema` (a test fails while
// the checked-in file is stale). The import checks more than the schema can say: that slugs named
// exist, that referral periods do not overlap, that a new record gives what it needs. Merge: a field
// left out keeps what is stored, null clears it (so optional fields allow null), a list is whole.

export const NETWORK_SCHEMA_FILE = path.join(ROOT, "schema", "network.schema.json");

const text = (description: string, maxLength = 5000) => ({ type: ["string", "null"], maxLength, description });
const slug = (description: string) => ({ type: "string", pattern: SLUG_PATTERN.source, maxLength: 80, description });
const oneOf = (values: Record<string, string>, description: string) => ({ enum: Object.values(values), description });
const day = (description: string) => ({ type: ["string", "null"], pattern: "^\\d{4}-\\d{2}-\\d{2}$", description });
const slugs = (description: string) => ({ type: "array", items: { type: "string" }, description });
const age = { type: ["integer", "null"], minimum: MIN_AGE, maximum: MAX_AGE };

/** A declared column's value in a network file (src/db/table.ts): null is allowed where it clears the field or gives the initial value. */
function columnSchema(c: Column): Record<string, unknown> {
  const description = c.description ?? "";
  if (c.type === "text[]" && c.values) return { type: "array", minItems: 1, items: oneOf(c.values, description) };
  if (c.type === "text" && c.values) return { ...oneOf(c.values, description), enum: [...Object.values(c.values), null] };
  if (c.type === "date") return day(description);
  if (c.type === "text") return text(description, c.max);
  if (c.type === "uuid") return { type: "string", description };
  throw new Error(`no JSON Schema for a ${c.type} column (${c.sql}): give it one in columnSchema`);
}

export function networkJsonSchema(): Record<string, unknown> {
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
          description: "A new region needs name and country.",
          required: ["slug"],
          additionalProperties: false,
          properties: {
            slug: slug("Unique; what other records name the region by."),
            name: { type: "string", minLength: 1, maxLength: 200 },
            country: { type: "string", pattern: COUNTRY_PATTERN.source, description: "ISO 3166-1 alpha-2, e.g. FR." },
            nutsCode: { type: ["string", "null"], pattern: NUTS_PATTERN.source, description: "e.g. FRI21." },
          },
        },
      },
      organizations: {
        type: "array",
        items: {
          type: "object",
          description: "A new organization needs name and kind.",
          required: ["slug"],
          additionalProperties: false,
          properties: {
            slug: slug("Unique; matched on import."),
            name: { type: "string", minLength: 1, maxLength: 200 },
            kind: oneOf(OrganizationKind, "What kind of organization."),
            region: { type: ["string", "null"], description: "Region slug; null for a transnational body." },
            description: text("Free text."),
            website: { type: ["string", "null"], maxLength: 500, description: "http:// or https:// address." },
            services: {
              type: ["array", "null"],
              maxItems: 100,
              description: "What it offers, in order: the whole list (null or []: none); left out, the stored services stay.",
              items: {
                type: "object",
                required: ["name", "category"],
                additionalProperties: false,
                properties: {
                  name: { type: "string", minLength: 1, maxLength: 200 },
                  category: oneOf(ServiceCategory, "The service's category."),
                  description: text("Free text."),
                  eligibility,
                },
              },
            },
          },
        },
      },
      referrals: {
        type: "array",
        description: "Matched on import by from, to, categories and since.",
        items: {
          type: "object",
          required: REFERRAL_FILE_KEYS.filter((key) => !referralTable.columns[key].nullable && !referralTable.columns[key].group && referralTable.columns[key].initial === undefined).map((key) => fileName(referralTable.columns[key], key)),
          additionalProperties: false,
          properties: Object.fromEntries(REFERRAL_FILE_KEYS.flatMap((key) => {
            const c: Column = referralTable.columns[key];
            if (c.group) return c.group === "eligibility" && key === REFERRAL_FILE_KEYS.find((k) => referralTable.columns[k].group === c.group) ? [[c.group, eligibility]] : [];
            return [[fileName(c, key), columnSchema(c)]];
          })),
        },
      },
      partnerships: {
        type: "array",
        description: "Matched on import by kind and members.",
        items: {
          type: "object",
          required: ["kind", "organizations"],
          additionalProperties: false,
          properties: {
            kind: oneOf(PartnershipKind, "What links them."),
            organizations: { ...slugs("Member organizations' slugs."), minItems: 2 },
            description: text("Free text."),
          },
        },
      },
      platforms: {
        type: "array",
        items: {
          type: "object",
          description: "A new platform needs name and region.",
          required: ["slug"],
          additionalProperties: false,
          properties: {
            slug: slug("Unique; matched on import."),
            name: { type: "string", minLength: 1, maxLength: 200 },
            region: { type: "string", description: "Region slug." },
            coordinator: { type: ["string", "null"], description: "Coordinating organization's slug." },
            description: text("Free text."),
            members: { ...slugs("Member organizations' slugs: the whole list."), type: ["array", "null"] },
            meetings: {
              type: ["array", "null"],
              description: "Roundtables: the whole list (null or []: none); left out, the stored meetings stay.",
              items: {
                type: "object",
                required: ["date", "title"],
                additionalProperties: false,
                properties: {
                  date: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
                  title: { type: "string", minLength: 1, maxLength: 200 },
                  format: { ...oneOf(MeetingFormat, "How it was held."), enum: [...Object.values(MeetingFormat), null] },
                  participantCount: { type: ["integer", "null"], minimum: 0, maximum: MAX_PARTICIPANTS },
                  organizers: slugs("Organizations' slugs."),
                  presenters: slugs("Organizations' slugs."),
                  topics: { type: "array", items: { type: "string" } },
                  notes: text("Free text."),
                },
              },
            },
          },
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

