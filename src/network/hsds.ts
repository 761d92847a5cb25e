import { slugify } from "../common/text";
import { OrganizationKind, ServiceCategory, TargetGroup } from "../common/vocabulary";
import fs from "node:fs";
import { DEFAULT_ENCODING, Encoding, textOf } from "./encoding";
import { NetworkFile } from "./network-file";
import { fileSource, memorySource, NetworkSource, textSource } from "./network-source";

// Open Referral HSDS 3.0 (https://docs.openreferral.org): organizations with their services and
// locations, as human-services directories publish them, mapped onto Passerelle's vocabulary.
// Accepted: a list of organizations (services inside them), a list of services (each with its
// organization), or an HSDS API page ({ "contents": [...] }) of either. HSDS knows no referrals
// and no kind of organization; what does not map is said in the notes, never dropped silently.

type Json = Record<string, any>;

export interface HsdsMapping {
  network: NetworkFile;
  /** What did not map, or was guessed, for the report. */
  notes: string[];
}

/** HSDS items, if `data` looks like an HSDS publication (and not a Passerelle network file). */
function hsdsItems(data: unknown): Json[] | undefined {
  const list = Array.isArray(data) ? data : data && typeof data === "object" && Array.isArray((data as Json).contents) ? (data as Json).contents : undefined;
  if (!list || list.length === 0) return undefined;
  const first = list[0];
  if (!first || typeof first !== "object" || "slug" in first) return undefined;
  return typeof first.name === "string" && ("services" in first || "organization" in first || "organization_id" in first || "locations" in first || "id" in first) ? list : undefined;
}

export function isHsds(data: unknown): boolean {
  return hsdsItems(data) !== undefined;
}

/** Categories by the words of a service's taxonomy terms, then of its name; the first that matches wins. */
const CATEGORY_WORDS: [RegExp, ServiceCategory][] = [
  [/resettle|réinstall/i, ServiceCategory.RESETTLEMENT_SUPPORT],
  [/hous|shelter|accommodation|logement|hébergement/i, ServiceCategory.HOUSING],
  [/language|esol|literacy|langue|français|fle\b/i, ServiceCategory.LANGUAGE_LEARNING],
  [/vocational|career|orientation professionnelle/i, ServiceCategory.VOCATIONAL_ORIENTATION],
  [/employ|job|work|emploi/i, ServiceCategory.EMPLOYMENT],
  [/educat|school|training|formation|scolar/i, ServiceCategory.EDUCATION],
  [/mentor|parrain/i, ServiceCategory.MENTORING],
  [/sport|cultur|\barts?\b/i, ServiceCategory.SPORT_AND_CULTURE],
  [/health|medical|mental|santé|soin/i, ServiceCategory.HEALTH],
  [/legal|\blaw\b|juridique|droit/i, ServiceCategory.LEGAL_AID],
  [/administrative|paperwork|benefit|démarche|administrati/i, ServiceCategory.ADMINISTRATIVE_SUPPORT],
  [/volunteer|bénévol/i, ServiceCategory.VOLUNTEER_MOBILIZATION],
  [/transport|mobility|mobilité/i, ServiceCategory.MOBILITY],
  [/child protection|protection de l'enfance|safeguard/i, ServiceCategory.CHILD_PROTECTION],
  [/orientation|information|advice|social|accueil/i, ServiceCategory.SOCIAL_ORIENTATION],
];

const GROUP_WORDS: [RegExp, TargetGroup][] = [
  [/resettled|réinstallé/i, TargetGroup.RESETTLED_REFUGEE],
  [/asylum|demandeur d'asile/i, TargetGroup.ASYLUM_SEEKER],
  [/unaccompanied|mineurs? non accompagnés?|\bmna\b/i, TargetGroup.UNACCOMPANIED_MINOR],
  [/international protection|bénéficiaires? de (la )?protection|\brefugees?\b|réfugiés?/i, TargetGroup.BENEFICIARY_OF_PROTECTION],
  [/migrant/i, TargetGroup.MIGRANT],
];

const ORGANIZATION_FIELDS = new Set(["id", "name", "description", "website", "services", "locations"]);
const SERVICE_FIELDS = new Set(["id", "name", "description", "status", "minimum_age", "maximum_age", "eligibility_description", "attributes", "organization_id", "organization"]);

const texts = (value: unknown): string[] => (typeof value === "string" && value.trim() ? [value] : []);
const filled = (value: unknown) => value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0);
const age = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? Math.round(value) : typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Math.round(Number(value)) : null);

export function networkFromHsds(data: unknown, options: { region?: string } = {}): HsdsMapping {
  const items = hsdsItems(data) ?? [];
  const notes: string[] = [];
  const dropped = new Map<string, number>();
  const drop = (where: string, record: Json, kept: Set<string>) => {
    for (const [key, value] of Object.entries(record)) if (!kept.has(key) && filled(value)) dropped.set(`${where}.${key}`, (dropped.get(`${where}.${key}`) ?? 0) + 1);
  };
  let guessedCategories = 0;
  let inactive = 0;

  // Organizations by HSDS id, each with its services, whichever way the publication nests them.
  const organizations = new Map<string, { org: Json; services: Json[] }>();
  const organizationOf = (org: Json) => {
    const key = String(org.id ?? org.name);
    let entry = organizations.get(key);
    if (!entry) organizations.set(key, (entry = { org, services: [] }));
    return entry;
  };
  for (const item of items) {
    if (item.organization && typeof item.organization === "object") organizationOf(item.organization).services.push(item);
    else if ("organization_id" in item && !("services" in item)) organizationOf({ id: item.organization_id, name: `HSDS organization ${item.organization_id}` }).services.push(item);
    else organizationOf(item).services.push(...(Array.isArray(item.services) ? item.services : []));
  }

  const slugs = new Set<string>();
  const network: NetworkFile = { regions: [], organizations: [], referrals: [], partnerships: [], platforms: [] };
  for (const { org, services } of organizations.values()) {
    drop("organization", org, ORGANIZATION_FIELDS);
    let slug = slugify(String(org.name ?? "")) || slugify(String(org.id ?? ""));
    if (slugs.has(slug)) {
      const suffix = slugify(String(org.id ?? slugs.size)).slice(0, 8);
      notes.push(`Two organizations are named "${org.name}": the second is ${slug}-${suffix}.`);
      slug = `${slug}-${suffix}`;
    }
    slugs.add(slug);
    const addressRegion = (Array.isArray(org.locations) ? org.locations : [])
      .flatMap((l: Json) => (Array.isArray(l.addresses) ? l.addresses : []))
      .map((a: Json) => a.region ?? a.state_province)
      .find((r: unknown) => typeof r === "string" && r.trim());
    const region = options.region ?? (addressRegion ? slugify(addressRegion) : null);
    network.organizations.push({
      slug,
      name: String(org.name ?? ""),
      kind: OrganizationKind.OTHER,
      region,
      description: org.description ?? null,
      website: org.website ?? null,
      services: services
        .filter((s) => {
          const active = s.status === undefined || s.status === null || String(s.status).toLowerCase() === "active";
          if (!active) inactive++;
          return active;
        })
        .map((s) => {
          drop("service", s, SERVICE_FIELDS);
          const terms = (Array.isArray(s.attributes) ? s.attributes : []).flatMap((a: Json) => [...texts(a.taxonomy_term?.name), ...texts(a.taxonomy_term?.code), ...texts(a.value)]);
          const words = [...terms, ...texts(s.name), ...texts(s.description)].join(" | ");
          const category = CATEGORY_WORDS.find(([pattern]) => pattern.test(words))?.[1];
          if (!category) guessedCategories++;
          const eligibility = String(s.eligibility_description ?? "");
          return {
            name: String(s.name ?? ""),
            category: category ?? ServiceCategory.OTHER,
            description: [s.description, s.eligibility_description ? `Eligibility: ${s.eligibility_description}` : null].filter(Boolean).join("\n") || null,
            eligibility: {
              targetGroups: [...new Set(GROUP_WORDS.filter(([pattern]) => pattern.test(eligibility)).map(([, group]) => group))],
              minAge: age(s.minimum_age),
              maxAge: age(s.maximum_age),
            },
          };
        }),
    });
  }

  notes.push("HSDS has no kind of organization: every organization is OTHER; correct kinds in Passerelle or in an exported network file.");
  if (!options.region) notes.push("Regions come from each organization's first address (region or state_province, as a slug); give --region to put them all in one.");
  if (guessedCategories) notes.push(`${guessedCategories} service(s) matched no category by their taxonomy terms or name: OTHER.`);
  if (inactive) notes.push(`${inactive} service(s) not active (status) were left out.`);
  notes.push("HSDS describes no referrals between organizations: add them in Passerelle.");
  if (dropped.size) {
    notes.push(`Not kept (no place in Passerelle): ${[...dropped].sort().map(([field, count]) => `${field} (${count})`).join(", ")}.`);
  }
  return { network, notes };
}

/**
 * A JSON network as importNetwork takes it, from a file (read a chunk at a time) or a text: a
 * Passerelle network file, or an Open Referral publication (a list or an API page, read whole and
 * mapped first; its records have no line of their own) with its notes. JSON that is broken around
 * the records throws a SyntaxError (OutlineError) for the caller to word.
 */
export async function jsonSource(
  input: { path: string } | { text: string },
  name: string,
  region?: string,
  /** A file's encoding (EncodingError when it is UTF-8 and not valid). */
  encoding: Encoding = DEFAULT_ENCODING,
): Promise<{ source: NetworkSource; notes?: string[] }> {
  const source = "path" in input ? await fileSource(input.path, name, encoding) : await textSource(input.text, name);
  if (source) return { source };
  const data: unknown = JSON.parse("path" in input ? textOf(fs.readFileSync(input.path), encoding, name) : input.text);
  const { network, notes } = isHsds(data) ? networkFromHsds(data, { region }) : { network: data as NetworkFile, notes: undefined };
  return { source: memorySource(network, name), notes };
}
