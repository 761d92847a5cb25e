import fc from "fast-check";
import { startTestApp, TestApp } from "../helpers/app";
import { admitsSql } from "../../src/common/eligibility";
import { escapeLike, foldForSearch } from "../../src/common/text";
import { OrganizationKind, ServiceCategory, TargetGroup } from "../../src/common/vocabulary";

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
