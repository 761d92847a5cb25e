import fc from "fast-check";
import { startTestApp, TestApp } from "../helpers/app";
import { admitsSql } from "../../src/domain/eligibility";
import { escapeLike, foldForSearch } from "../../src/domain/text";
import { OrganizationKind, ReferralStatus, ServiceCategory, TargetGroup } from "../../src/domain/vocabulary";

// The read model answers `organizations(filter, first, after)` in memory; the same question asked
// of the database in SQL (the eligibility rule as admitsSql writes it, names in COLLATE "C" order)
// must give the same organizations in the same order and the same totalCount, for random filters
// and page sizes, while random writes move the model from version to version. On PGlite and on
// PostgreSQL alike.

let app: TestApp;
let regions: string[];
const slugs: string[] = [];
const KINDS = [OrganizationKind.ASSOCIATION, OrganizationKind.NGO, OrganizationKind.PUBLIC_SERVICE, OrganizationKind.EMPLOYER];
const CATEGORIES = [ServiceCategory.LANGUAGE_LEARNING, ServiceCategory.HOUSING, ServiceCategory.EMPLOYMENT, ServiceCategory.HEALTH];
const GROUPS = Object.values(TargetGroup);
const WORDS = ["Maison", "maison", "Élan", "elan", "Accueil", "ACCUEIL", "Zèbre", "zebre", "Ábaco", "abaco", "Mission", "Œuvre"];

const eligibility = fc.record({
  targetGroups: fc.subarray(GROUPS, { maxLength: 2 }),
  minAge: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
  maxAge: fc.option(fc.integer({ min: 30, max: 70 }), { nil: null }),
});
const services = fc.array(fc.record({ name: fc.constantFrom("A", "B", "C"), category: fc.constantFrom(...CATEGORIES), eligibility }), { maxLength: 3 });
const name = fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS), fc.nat(99)).map(([a, b, n]) => `${a} ${b} ${n}`);

const CREATE = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { slug } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { version } }`;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  regions = (await app.ok(`{ regions { slug } }`)).regions.map((r: { slug: string }) => r.slug);
  const drawn = fc.sample(fc.record({ name, kind: fc.constantFrom(...KINDS), region: fc.constantFrom(...regions, "correze"), services }), { numRuns: 40, seed: 13 });
  for (const [i, o] of drawn.entries()) {
    const slug = `agree-${i}`;
    await app.ok(CREATE, { input: { ...o, slug } }, app.tokens.admin);
    slugs.push(slug);
  }
}, 120_000);
afterAll(() => app.close());

interface Filter {
  region?: string;
  kinds?: OrganizationKind[];
  categories?: ServiceCategory[];
  profile?: { targetGroup?: TargetGroup; age?: number };
  search?: string;
}

/** The same question in SQL, written from the contract, not from src/model/queries.ts. */
async function inSql(filter: Filter): Promise<string[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (filter.region !== undefined) where.push(`r.slug = ${param(filter.region)}`);
  if (filter.kinds?.length) where.push(`o.kind = ANY(${param(filter.kinds)}::text[])`);
  if (filter.search) where.push(`o.search_name LIKE ${param(`%${escapeLike(foldForSearch(filter.search))}%`)}`);
  const profile = filter.profile && (filter.profile.age !== undefined || filter.profile.targetGroup !== undefined) ? filter.profile : undefined;
  if (filter.categories?.length || profile) {
    const service: string[] = [];
    if (filter.categories?.length) service.push(`s.category = ANY(${param(filter.categories)}::text[])`);
    const rule = admitsSql("s", profile, "p");
    if (rule) service.push(rule.sql.replace(/:(\w+)/g, (_, key: string) => (key === "pGroup" ? `${param(rule.params[key])}::text` : `${param(rule.params[key])}::int`)));
    where.push(`EXISTS (SELECT 1 FROM services s WHERE s.organization_id = o.id AND ${service.join(" AND ")})`);
  }
  const rows: { slug: string }[] = await app.db.query(
    `SELECT o.slug FROM organizations o LEFT JOIN regions r ON r.id = o.region_id ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY o.name COLLATE "C", o.id`,
    params,
  );
  return rows.map((r) => r.slug);
}

/** Every page of the API's answer, `first` at a time, with its totalCount on each page. */
async function inModel(filter: Filter, first: number): Promise<{ slugs: string[]; totals: number[] }> {
  const found: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let page = 0; page < 200; page++) {
    const data: any = await app.ok(
      `query($f: OrganizationFilter, $n: Int, $a: String) { organizations(filter: $f, first: $n, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { slug } } } }`,
      { f: filter, n: first, a: after },
    );
    const connection = data.organizations;
    totals.push(connection.totalCount);
    found.push(...connection.edges.map((e: { node: { slug: string } }) => e.node.slug));
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return { slugs: found, totals };
}

/** Present one time in three: most questions name one or two things, so that many organizations match. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const filter: fc.Arbitrary<Filter> = fc
  .record({
    region: sometimes(fc.constantFrom("correze", "nowhere", "correze", "correze")),
    kinds: sometimes(fc.subarray(KINDS, { minLength: 1, maxLength: 3 })),
    categories: sometimes(fc.subarray(CATEGORIES, { minLength: 1, maxLength: 3 })),
    profile: sometimes(fc.record({ targetGroup: sometimes(fc.constantFrom(...GROUPS)), age: sometimes(fc.integer({ min: 0, max: 80 })) })),
    search: sometimes(fc.constantFrom("mais", "ELAN", "zèb", "abaco", "œu", "on 1", "%", "_", "a")),
  })
  .map((f) => JSON.parse(JSON.stringify(f)) as Filter);
const write = fc.option(fc.record({ index: fc.nat(39), name: fc.option(name, { nil: undefined }), services: fc.option(services, { nil: undefined }) }), { nil: undefined });

describe("the read model and SQL agree", () => {
  it("when random filters and page sizes are asked between random writes, then the organizations, their order and totalCount are SQL's", async () => {
    await fc.assert(
      fc.asyncProperty(filter, fc.integer({ min: 1, max: 15 }), write, async (f, first, change) => {
        if (change && (change.name !== undefined || change.services !== undefined)) {
          await app.ok(UPDATE, { id: slugs[change.index], input: { name: change.name, services: change.services } }, app.tokens.admin);
        }
        const expected = await inSql(f);
        const answered = await inModel(f, first);
        expect(answered.slugs).toEqual(expected);
        expect(new Set(answered.totals)).toEqual(new Set([expected.length]));
      }),
      { numRuns: 80, seed: 20261202 },
    );
  }, 240_000);
});

// The same for `referrals(filter, first, after)`: random referrals among those organizations, with
// random categories, eligibility, statuses and periods, and random writes between questions.
interface ReferralQuestion {
  region?: string;
  from?: string;
  to?: string;
  categories?: ServiceCategory[];
  profile?: { targetGroup?: TargetGroup; age?: number };
  statuses?: ReferralStatus[];
}

const STATUSES = Object.values(ReferralStatus);
const REFERRAL_CATEGORIES = fc.subarray(CATEGORIES, { minLength: 1, maxLength: 2 });
const period = fc.constantFrom<[string | null, string | null]>([null, null], ["2025-01-01", null], ["2024-01-01", "2024-12-31"], ["2026-01-01", "2026-06-30"]);
const newReferral = fc.record({
  from: fc.nat(39),
  to: fc.nat(39),
  categories: REFERRAL_CATEGORIES,
  eligibility,
  status: fc.constantFrom(...STATUSES),
  period,
});
type NewReferral = typeof newReferral extends fc.Arbitrary<infer T> ? T : never;
const CREATE_REFERRAL = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`;
const UPDATE_REFERRAL = `mutation($id: ID!, $input: UpdateReferralInput!) { updateReferral(id: $id, input: $input) { version } }`;
const DELETE_REFERRAL = `mutation($id: ID!) { deleteReferral(id: $id) }`;
const referralIds: string[] = [];

/** Creates the referral if the rules let it (no self-referral, no overlap on one pair, ENDED needs until); its id or undefined. */
async function tryCreate(r: NewReferral): Promise<string | undefined> {
  const [since, until] = r.status === "ENDED" && r.period[1] === null ? ["2024-01-01", "2024-12-31"] : r.period;
  const input = { from: slugs[r.from], to: slugs[r.to], categories: r.categories, eligibility: r.eligibility, status: r.status, since, until };
  const result = await app.execute<{ createReferral: { id: string } }>(CREATE_REFERRAL, { input }, app.tokens.admin);
  if (result.errors?.length) {
    // Refused by a rule, never for another reason.
    expect(["BAD_USER_INPUT", "CONFLICT"]).toContain(result.errors[0].extensions?.code);
    return undefined;
  }
  return result.data!.createReferral.id;
}

/** The same question in SQL, written from the contract: referrals by id (uuid order). */
async function referralsInSql(q: ReferralQuestion): Promise<string[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  const organization = (ref: string) => `(SELECT id FROM organizations WHERE slug = ${param(ref)} OR id::text = ${param(ref)})`;
  if (q.from !== undefined) where.push(`r.from_id IN ${organization(q.from)}`);
  if (q.to !== undefined) where.push(`r.to_id IN ${organization(q.to)}`);
  if (q.region !== undefined) {
    const region = `(SELECT id FROM regions WHERE slug = ${param(q.region)})`;
    where.push(`(EXISTS (SELECT 1 FROM organizations o WHERE o.id = r.from_id AND o.region_id IN ${region}) OR EXISTS (SELECT 1 FROM organizations o WHERE o.id = r.to_id AND o.region_id IN ${region}))`);
  }
  if (q.categories?.length) where.push(`r.categories && ${param(q.categories)}::text[]`);
  if (q.statuses?.length) where.push(`r.status = ANY(${param(q.statuses)}::text[])`);
  const rule = admitsSql("r", q.profile && (q.profile.age !== undefined || q.profile.targetGroup !== undefined) ? q.profile : undefined, "p");
  if (rule) where.push(rule.sql.replace(/:(\w+)/g, (_, key: string) => (key === "pGroup" ? `${param(rule.params[key])}::text` : `${param(rule.params[key])}::int`)));
  const rows: { id: string }[] = await app.db.query(`SELECT r.id FROM referrals r ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY r.id`, params);
  return rows.map((r) => r.id);
}

/** Every page of the API's answer, `first` at a time, with its totalCount on each page. */
async function referralsInModel(q: ReferralQuestion, first: number): Promise<{ ids: string[]; totals: number[] }> {
  const found: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let page = 0; page < 200; page++) {
    const data: any = await app.ok(
      `query($f: ReferralFilter, $n: Int, $a: String) { referrals(filter: $f, first: $n, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
      { f: q, n: first, a: after },
    );
    totals.push(data.referrals.totalCount);
    found.push(...data.referrals.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!data.referrals.pageInfo.hasNextPage) break;
    after = data.referrals.pageInfo.endCursor;
  }
  return { ids: found, totals };
}

const organizationRef = fc.oneof(fc.nat(39).map((i) => slugs[i]), fc.constantFrom("chemins-singuliers", "mosaik", "nobody"));
const referralQuestion: fc.Arbitrary<ReferralQuestion> = fc
  .record({
    region: sometimes(fc.constantFrom("correze", "nowhere", "correze")),
    from: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: organizationRef }),
    to: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: organizationRef }),
    categories: sometimes(fc.subarray(CATEGORIES, { minLength: 1, maxLength: 2 })),
    profile: sometimes(fc.record({ targetGroup: sometimes(fc.constantFrom(...GROUPS)), age: sometimes(fc.integer({ min: 0, max: 80 })) })),
    statuses: sometimes(fc.subarray(STATUSES, { minLength: 1, maxLength: 2 })),
  })
  .map((q) => JSON.parse(JSON.stringify(q)) as ReferralQuestion);
const referralWrite = fc.option(
  fc.oneof(
    newReferral.map((r) => ({ kind: "create" as const, r })),
    fc.record({ kind: fc.constant("update" as const), index: fc.nat(), categories: REFERRAL_CATEGORIES, status: fc.constantFrom(ReferralStatus.ACTIVE, ReferralStatus.PILOT) }),
    fc.record({ kind: fc.constant("delete" as const), index: fc.nat() }),
  ),
  { nil: undefined },
);

describe("the read model and SQL agree on referrals", () => {
  beforeAll(async () => {
    for (const r of fc.sample(newReferral, { numRuns: 120, seed: 29 })) {
      const id = await tryCreate(r);
      if (id) referralIds.push(id);
    }
    // Enough referrals that pages, filters and cursors have something to cut.
    expect(referralIds.length).toBeGreaterThan(60);
  }, 120_000);

  it("when random filters and page sizes are asked between random writes, then the referrals, their order and totalCount are SQL's", async () => {
    await fc.assert(
      fc.asyncProperty(referralQuestion, fc.integer({ min: 1, max: 25 }), referralWrite, async (q, first, change) => {
        if (change?.kind === "create") {
          const id = await tryCreate(change.r);
          if (id) referralIds.push(id);
        } else if (change?.kind === "update" && referralIds.length) {
          await app.ok(UPDATE_REFERRAL, { id: referralIds[change.index % referralIds.length], input: { categories: change.categories, status: change.status } }, app.tokens.admin);
        } else if (change?.kind === "delete" && referralIds.length) {
          await app.ok(DELETE_REFERRAL, { id: referralIds.splice(change.index % referralIds.length, 1)[0] }, app.tokens.admin);
        }
        const expected = await referralsInSql(q);
        const answered = await referralsInModel(q, first);
        expect(answered.ids).toEqual(expected);
        expect(new Set(answered.totals)).toEqual(new Set([expected.length]));
      }),
      { numRuns: 80, seed: 20261203 },
    );
  }, 240_000);
});
