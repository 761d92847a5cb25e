import { startTestApp, TestApp } from "../helpers/app";

// organizations(filter: { categories, profile }): docs/api.md asks both of one and the same service.
// On the seed, MOSAIK's language courses are for ages 16-25, and its "Rural activities" (OTHER)
// admit everyone.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const ORGANIZATIONS = `query($filter: OrganizationFilter, $first: Int, $after: String) {
  organizations(filter: $filter, first: $first, after: $after) { totalCount edges { node { slug } } pageInfo { hasNextPage endCursor } }
}`;

async function slugsOf(filter: Record<string, unknown>) {
  const data = await app.ok(ORGANIZATIONS, { filter, first: 100 });
  const slugs: string[] = data.organizations.edges.map((e: any) => e.node.slug);
  expect(data.organizations.totalCount).toBe(slugs.length); // the count follows the same rule
  return slugs;
}

describe("organizations(filter: { categories, profile })", () => {
  it("when language courses are asked for a 30-year-old, then MOSAIK is not returned (its open service is no language course)", async () => {
    expect(await slugsOf({ categories: ["LANGUAGE_LEARNING"], profile: { age: 30 } })).not.toContain("mosaik");
  });

  it("when language courses are asked for a 19-year-old, then MOSAIK is returned", async () => {
    expect(await slugsOf({ categories: ["LANGUAGE_LEARNING"], profile: { age: 19 } })).toContain("mosaik");
  });

  it("when either filter is given alone, then it keeps its own meaning", async () => {
    // Any service admitting a 30-year-old: MOSAIK's rural activities do.
    expect(await slugsOf({ profile: { age: 30 } })).toContain("mosaik");
    // Any language course, whoever it admits.
    expect(await slugsOf({ categories: ["LANGUAGE_LEARNING"] })).toContain("mosaik");
  });

  it("when several categories are given with a profile, then one service of any of them admitting the profile is enough", async () => {
    expect(await slugsOf({ categories: ["LANGUAGE_LEARNING", "OTHER"], profile: { age: 30 } })).toContain("mosaik");
    expect(await slugsOf({ categories: ["LANGUAGE_LEARNING", "VOCATIONAL_ORIENTATION"], profile: { age: 30 } })).not.toContain("mosaik");
  });

  it("when the combined filter is paged, then the pages hold the same organizations as one page and totalCount agrees", async () => {
    const filter = { categories: ["LANGUAGE_LEARNING"], profile: { age: 19 } };
    const all = await slugsOf(filter);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const data: any = await app.ok(ORGANIZATIONS, { filter, first: 1, after });
      expect(data.organizations.totalCount).toBe(all.length);
      paged.push(...data.organizations.edges.map((e: any) => e.node.slug));
      after = data.organizations.pageInfo.hasNextPage ? data.organizations.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(all);
  });
});
