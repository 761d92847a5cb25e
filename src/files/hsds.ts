import { slugify } from "../domain/text";
import { OrganizationKind, ServiceCategory, TargetGroup } from "../domain/vocabulary";
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
  [/asylum|demandeurs? d['’]asile/i, TargetGroup.ASYLUM_SEEKER],
  [/unaccompanied|mineurs? non accompagnés?|\bmna\b/i, TargetGroup.UNACCOMPANIED_MINOR],
  [/international protection|bénéficiaires? de (la )?protection|\brefugees?\b|réfugiés?/i, TargetGroup.BENEFICIARY_OF_PROTECTION],
  [/migrant/i, TargetGroup.MIGRANT],
];

/**
 * Words after which an eligibility text restricts a service to the groups it names ("only for
 * unaccompanied minors", "réservé aux demandeurs d'asile"). A text that includes or mentions
 * groups ("adults, including refugees") restricts nothing: no group is inferred from it.
 */
const RESTRICTS = /(?<!\p{L})(?:only|exclusively|solely|reserved|restricted|limited|uniquement|exclusivement|seulement|réservée?s?)(?!\p{L})/iu;
/** Where a restriction stops: what follows adds to, or mentions within, the groups before. */
const WIDENS = /(?<!\p{L})(?:including|incl\.|as well as|and also|but also|especially|in particular|such as|y compris|notamment|dont|ainsi que|en particulier)(?!\p{L})/iu;

/** The target groups an eligibility text restricts a service to, with the words that say so. */
function restrictedGroups(text: string): { groups: TargetGroup[]; quote: string } | undefined {
  for (const sentence of text.split(/[.;!?\n]+/)) {
    const restriction = RESTRICTS.exec(sentence);
    if (!restriction) continue;
    const quote = sentence.slice(restriction.index).split(WIDENS)[0].trim().replace(/[,:\s]+$/, "");
    const groups = [...new Set(GROUP_WORDS.filter(([pattern]) => pattern.test(quote)).map(([, group]) => group))];
    if (groups.length > 0) return { groups, quote };
  }
  return undefined;
}

/** Ages an eligibility text gives ("aged 16-25", "âgés de 16 à 25 ans", "18+"), when the structured fields give none. */
function textAges(text: string): { minAge: number | null; maxAge: number | null; quote: string } | undefined {
  const range = /\b(?:aged?|âgée?s? de)\s+(\d{1,3})\s*(?:-|–|to|à)\s*(\d{1,3})\b(?:\s*(?:years|ans))?/i.exec(text);
  if (range) return { minAge: Number(range[1]), maxAge: Number(range[2]), quote: range[0] };
  const over = /\b(\d{1,3})\s*(?:\+|years and (?:over|older)|ans et plus)/i.exec(text);
  if (over) return { minAge: Number(over[1]), maxAge: null, quote: over[0] };
  return undefined;
}

const ORGANIZATION_FIELDS = new Set(["id", "name", "description", "website", "services", "locations"]);
/** A location's and an address's fields Passerelle reads: an address's region (or state_province) gives the organization's region. */
const LOCATION_FIELDS = new Set(["id", "addresses"]);
const ADDRESS_FIELDS = new Set(["id", "region", "state_province"]);
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
  let mentioned = 0;

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
    for (const location of Array.isArray(org.locations) ? org.locations : []) {
      if (!location || typeof location !== "object") continue;
      drop("location", location, LOCATION_FIELDS);
      for (const address of Array.isArray(location.addresses) ? location.addresses : []) if (address && typeof address === "object") drop("location.address", address, ADDRESS_FIELDS);
    }
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
          const service = `Service "${String(s.name ?? "")}" of ${String(org.name ?? slug)}`;
          // Groups only from words that restrict; each inference said, with the words it came from.
          const restricted = restrictedGroups(eligibility);
          if (restricted) notes.push(`${service}: target groups ${restricted.groups.join(", ")} inferred from "${restricted.quote}".`);
          else if (GROUP_WORDS.some(([pattern]) => pattern.test(eligibility))) mentioned++;
          let minAge = age(s.minimum_age);
          let maxAge = age(s.maximum_age);
          const ages = minAge === null && maxAge === null ? textAges(eligibility) : undefined;
          if (ages) {
            ({ minAge, maxAge } = ages);
            notes.push(`${service}: ages ${minAge}${maxAge === null ? " and over" : `-${maxAge}`} inferred from "${ages.quote}" (no minimum_age or maximum_age).`);
          }
          return {
            name: String(s.name ?? ""),
            category: category ?? ServiceCategory.OTHER,
            description: [s.description, s.eligibility_description ? `Eligibility: ${s.eligibility_description}` : null].filter(Boolean).join("\n") || null,
            eligibility: { targetGroups: restricted?.groups ?? [], minAge, maxAge },
          };
        }),
    });
  }

  notes.push("HSDS has no kind of organization: every organization is OTHER; correct kinds in Passerelle or in an exported network file.");
  if (!options.region) notes.push("Regions come from each organization's first address (region or state_province, as a slug); give --region to put them all in one.");
  if (guessedCategories) notes.push(`${guessedCategories} service(s) matched no category by their taxonomy terms or name: OTHER.`);
  if (inactive) notes.push(`${inactive} service(s) not active (status) were left out.`);
  if (mentioned) notes.push(`${mentioned} service(s) name groups in their eligibility_description without restricting to them: open to every group (the text is kept in the description).`);
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
