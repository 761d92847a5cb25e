import { startTestApp, TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  // 60 organizations in one region, each with two services, a referral to the next one and a partnership.
  await app.db.query(`INSERT INTO regions (slug, name, country) VALUES ('bench', 'Bench', 'FR')`);
  await app.db.query(`
    INSERT INTO organizations (slug, name, search_name, kind, region_id)
    SELECT 'org-' || lpad(i::text, 3, '0'), 'Org ' || lpad(i::text, 3, '0'), 'org ' || lpad(i::text, 3, '0'), 'NGO', (SELECT id FROM regions WHERE slug = 'bench')
      FROM generate_series(1, 60) AS i`);
  await app.db.query(`
    INSERT INTO services (organization_id, name, category, position)
    SELECT o.id, c.name, c.category, c.position FROM organizations o,
      (VALUES ('Cours', 'LANGUAGE_LEARNING', 0), ('Emploi', 'EMPLOYMENT', 1)) AS c(name, category, position)`);
  await app.db.query(`
    INSERT INTO referrals (from_id, to_id, categories)
    SELECT a.id, b.id, '{EMPLOYMENT}' FROM organizations a JOIN organizations b ON b.slug = 'org-' || lpad((substr(a.slug, 5)::int % 60 + 1)::text, 3, '0')`);
  await app.db.query(`
    WITH p AS (INSERT INTO partnerships (kind) VALUES ('PARTNERSHIP') RETURNING id)
    INSERT INTO partnership_members (partnership_id, organization_id) SELECT p.id, o.id FROM p, organizations o`);
});
afterAll(() => app.close());

// Each nested list hangs off one parent batch, so the number of batches is fixed by the
// query's shape, whatever the timing of the database's answers.
const PAGE = `query($first: Int!) {
  organizations(first: $first, filter: { region: "bench" }) {
    edges { node {
      slug region { slug }
      services { name category eligibility { minAge } }
      referralsOut { categories to { slug } }
      referralsIn { from { slug } }
      partnerships { kind }
    } }
  }
}`;

async function statementsFor(first: number): Promise<{ count: number; nodes: any[] }> {
  app.statements.length = 0;
  const data = await app.ok(PAGE, { first });
  return { count: app.statements.length, nodes: data.organizations.edges.map((e: any) => e.node) };
}

describe("nested lists through per-request DataLoaders", () => {
  it("when a page of 50 organizations comes with services, referrals and partnerships, then it takes as many SQL statements as a page of 5", async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(small.nodes).toHaveLength(5);
    expect(large.nodes).toHaveLength(50);
    expect(large.count).toBe(small.count);
    // The page, regions, services, referrals (both ways), their other ends, partnership
    // members, partnerships: seven statements, for 5 organizations as for 50.
    expect(large.count).toBe(7);
    const first = large.nodes[0];
    expect(first.services.map((s: any) => s.name)).toEqual(["Cours", "Emploi"]);
    expect(first.referralsOut[0]).toMatchObject({ categories: ["EMPLOYMENT"], to: { slug: "org-002" } });
    expect(first.referralsIn[0].from.slug).toBe("org-060");
    expect(first.partnerships).toEqual([{ kind: "PARTNERSHIP" }]);
  });

  it("when two requests ask for the same organization, then each loads it itself (no cache across requests)", async () => {
    await statementsFor(5);
    const again = await statementsFor(5);
    expect(again.count).toBeGreaterThan(1);
  });
});
