// A synthetic Europe-scale referral network, written straight into the database with a few
// bulk statements. Drawn to look like the real thing: most referrals stay in their region,
// some organizations are hubs, eligibility is often an age band or a target group, most
// referrals are active, dates spread over ten years.
import { randomUUID } from "node:crypto";
import { DataSource } from "typeorm";
import { OrganizationKind, ReferralStatus, ServiceCategory, TargetGroup } from "../src/domain/vocabulary";
import { foldForSearch } from "../src/domain/text";
import { seededRandom } from "../src/graph/seeded-random";

export interface NetworkSize {
  regions: number;
  /** Per region. */
  organizations: number;
  /** In all. */
  referrals: number;
  seed: number;
}

export const DEFAULT_SIZE: NetworkSize = { regions: 20, organizations: 1000, referrals: 100_000, seed: 42 };

/** The same size and seed give the same network. */
export const random = seededRandom;

const KINDS = Object.values(OrganizationKind);
const CATEGORIES = Object.values(ServiceCategory);
const GROUPS = Object.values(TargetGroup);
const AGE_BANDS: [number | null, number | null][] = [
  [null, null],
  [null, null],
  [16, 25],
  [18, null],
  [0, 17],
  [18, 65],
  [null, 30],
];

export interface Generated {
  regionSlugs: string[];
  organizationSlugs: string[];
  /** Organization numbers by region. */
  byRegion: number[][];
}

function eligibility(rand: () => number) {
  const [minAge, maxAge] = AGE_BANDS[Math.floor(rand() * AGE_BANDS.length)];
  const groups = rand() < 0.6 ? [] : GROUPS.filter(() => rand() < 0.35);
  return { groups, minAge, maxAge };
}

function day(rand: () => number, fromYear: number, years: number): string {
  const d = new Date(Date.UTC(fromYear, 0, 1) + Math.floor(rand() * years * 365) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Inserts the network; returns slugs for drawing random questions. */
export async function generateNetwork(db: DataSource, size: NetworkSize = DEFAULT_SIZE): Promise<Generated> {
  const rand = random(size.seed);
  const regionIds = Array.from({ length: size.regions }, () => randomUUID());
  const regionSlugs = regionIds.map((_, i) => `bench-region-${i + 1}`);
  await db.query(
    `INSERT INTO regions (id, slug, name, country) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
    [regionIds, regionSlugs, regionSlugs.map((_, i) => `Bench Region ${i + 1}`), regionIds.map(() => "EU")],
  );

  const n = size.regions * size.organizations;
  const orgIds: string[] = [];
  const slugs: string[] = [];
  const names: string[] = [];
  const kinds: string[] = [];
  const orgRegions: string[] = [];
  const byRegion: number[][] = regionIds.map(() => []);
  for (let i = 0; i < n; i++) {
    const region = Math.floor(i / size.organizations);
    orgIds.push(randomUUID());
    slugs.push(`bench-org-${i + 1}`);
    names.push(`Bench Organization ${i + 1}`);
    kinds.push(KINDS[Math.floor(rand() * KINDS.length)]);
    orgRegions.push(regionIds[region]);
    byRegion[region].push(i);
  }
  await db.query(
    `INSERT INTO organizations (id, slug, name, search_name, kind, region_id)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[])`,
    [orgIds, slugs, names, names.map(foldForSearch), kinds, orgRegions],
  );

  const service = { org: [] as string[], name: [] as string[], category: [] as string[], groups: [] as string[], min: [] as (number | null)[], max: [] as (number | null)[] };
  for (let i = 0; i < n; i++) {
    const count = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < count; k++) {
      const e = eligibility(rand);
      service.org.push(orgIds[i]);
      service.name.push(`Service ${k + 1}`);
      service.category.push(CATEGORIES[Math.floor(rand() * CATEGORIES.length)]);
      service.groups.push(`{${e.groups.join(",")}}`);
      service.min.push(e.minAge);
      service.max.push(e.maxAge);
    }
  }
  await db.query(
    `INSERT INTO services (organization_id, name, category, target_groups, min_age, max_age)
     SELECT o, n, c, g::text[], mn, mx FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[]) AS t(o, n, c, g, mn, mx)`,
    [service.org, service.name, service.category, service.groups, service.min, service.max],
  );

  // Hubs: a receiver is drawn with probability falling off with its rank in the region.
  const hub = (members: number[]) => members[Math.floor(members.length * Math.pow(rand(), 2.5))];
  const seen = new Set<string>();
  const r = { from: [] as string[], to: [] as string[], categories: [] as string[], groups: [] as string[], min: [] as (number | null)[], max: [] as (number | null)[], status: [] as string[], since: [] as (string | null)[], until: [] as (string | null)[] };
  while (r.from.length < size.referrals) {
    const region = Math.floor(rand() * size.regions);
    const from = byRegion[region][Math.floor(rand() * size.organizations)];
    const toRegion = rand() < 0.1 ? Math.floor(rand() * size.regions) : region;
    const to = hub(byRegion[toRegion]);
    if (from === to) continue;
    const cats = [...new Set([CATEGORIES[Math.floor(rand() * CATEGORIES.length)], ...(rand() < 0.3 ? [CATEGORIES[Math.floor(rand() * CATEGORIES.length)]] : [])])].sort();
    const key = `${from}>${to}>${cats.join(",")}`;
    if (seen.has(key)) continue; // the overlap rule: one such channel at a time
    seen.add(key);
    const e = eligibility(rand);
    const roll = rand();
    const status = roll < 0.8 ? ReferralStatus.ACTIVE : roll < 0.9 ? ReferralStatus.PILOT : ReferralStatus.ENDED;
    const since = rand() < 0.7 ? day(rand, 2015, 10) : null;
    const until = status === ReferralStatus.ENDED || rand() < 0.1 ? day(rand, since ? Number(since.slice(0, 4)) + 1 : 2016, 5) : null;
    r.from.push(orgIds[from]);
    r.to.push(orgIds[to]);
    r.categories.push(`{${cats.join(",")}}`);
    r.groups.push(`{${e.groups.join(",")}}`);
    r.min.push(e.minAge);
    r.max.push(e.maxAge);
    r.status.push(status);
    r.since.push(since);
    r.until.push(until);
  }
  await db.query(
    `INSERT INTO referrals (from_id, to_id, categories, target_groups, min_age, max_age, status, since, until)
     SELECT f, t, c::text[], g::text[], mn, mx, s, sn, u
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[], $8::date[], $9::date[]) AS x(f, t, c, g, mn, mx, s, sn, u)`,
    [r.from, r.to, r.categories, r.groups, r.min, r.max, r.status, r.since, r.until],
  );
  await db.query(`UPDATE graph_state SET version = version + 1`);
  return { regionSlugs, organizationSlugs: slugs, byRegion };
}
