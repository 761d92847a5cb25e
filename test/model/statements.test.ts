import { startTestApp, TestApp } from "../helpers/app";
import { embeddedWriteCount } from "../../src/db/pglite-driver";
import { ReadModel } from "../../src/model/model";

let app: TestApp;
/** On the embedded database (this process's alone) no version check is sent while nothing was written. */
let embedded: boolean;
beforeAll(async () => {
  app = await startTestApp();
  embedded = embeddedWriteCount(app.db) !== undefined;
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

// Every read is answered from the read model (src/model/): a request's SQL is the check of the
// stored version (none on the embedded database while nothing was written), whatever the page
// size and the nested lists asked, plus the key's lookup when a token is sent.
const PAGE = `query($first: Int!) {
  organizations(first: $first, filter: { region: "bench" }) {
    totalCount
    edges { node {
      slug region { slug }
      services { name category eligibility { minAge } organization { slug } }
      referralsOut { categories to { slug } }
      referralsIn { from { slug } }
      partnerships { kind organizations { slug } }
    } }
  }
  regions { slug }
  platforms { slug members { slug } meetings { title } }
  network(region: "bench") { organizations { slug } }
}`;

async function statementsFor(first: number, token?: string): Promise<{ statements: string[]; nodes: any[] }> {
  app.statements.length = 0;
  const data = await app.ok(PAGE, { first }, token);
  return { statements: [...app.statements], nodes: data.organizations.edges.map((e: any) => e.node) };
}

describe("SQL per read request", () => {
  it("when a page of 50 organizations comes with every nested list, then the request's one statement is the version check (none embedded), as for a page of 5", async () => {
    await statementsFor(5); // the first request loads the model
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(small.nodes).toHaveLength(5);
    expect(large.nodes).toHaveLength(50);
    expect(large.nodes[0].services).toHaveLength(2);
    expect(large.nodes[0].referralsOut).toHaveLength(1);
    expect(large.statements).toEqual(embedded ? [] : [expect.stringMatching(/graph_state/)]);
    expect(small.statements).toEqual(large.statements);
  });

  it("when a token is sent, then the key's lookup is the second statement, and no more", async () => {
    const { statements } = await statementsFor(50, app.tokens.viewer);
    expect(statements.length).toBeLessThanOrEqual(2);
    expect(statements.filter((s) => /graph_state/.test(s))).toHaveLength(embedded ? 0 : 1);
  });

  it("when a statement that may write is sent, even by hand, then the next read checks the version again", async () => {
    await statementsFor(5);
    await app.db.query(`UPDATE organizations SET name = name WHERE slug = 'org-002'`);
    expect((await statementsFor(5)).statements.filter((s) => /graph_state/.test(s))).toHaveLength(1);
  });

  it("when a write happened, then the next read sees it, having read only what the write touched", async () => {
    await app.ok(`mutation { updateOrganization(id: "org-001", input: { name: "Org 001 renamed" }) { id } }`, {}, app.tokens.admin);
    const { statements, nodes } = await statementsFor(50);
    expect(nodes.find((n) => n.slug === "org-001")).toBeDefined();
    expect(statements.some((s) => /graph_changes/.test(s))).toBe(true);
    // Embedded, the load itself read the version (in the same statement as the changes): no check before it, none after.
    expect(statements.filter((s) => /graph_state/.test(s))).toHaveLength(embedded ? 1 : 2);
    expect((await statementsFor(50)).statements).toHaveLength(embedded ? 0 : 1);
  });
});

describe("a patch that fails", () => {
  it("when the patch after a write throws, then the next request loads again and sees the write", async () => {
    const models = app.server.features.models;
    await models.current();
    await app.ok(`mutation { updateOrganization(id: "org-003", input: { name: "Org 003 after a failed patch" }) { id } }`, {}, app.tokens.admin);
    const patch = ReadModel.prototype.patch;
    ReadModel.prototype.patch = () => {
      throw new Error("patch failed");
    };
    try {
      await expect(models.current()).rejects.toThrow("patch failed");
    } finally {
      ReadModel.prototype.patch = patch;
    }
    expect((await models.current()).organization("org-003")?.name).toBe("Org 003 after a failed patch");
  });
});

describe("version checks shared by requests that arrive together", () => {
  it("when 16 requests arrive together, then they share at most two version checks and all see the same state", async () => {
    await statementsFor(5);
    await app.db.query(`UPDATE graph_state SET version = version WHERE id = 1`); // a check is due, embedded too
    app.statements.length = 0;
    const answers = await Promise.all(Array.from({ length: 16 }, () => app.ok(`{ organizations(first: 1, filter: { region: "bench" }) { totalCount } }`)));
    const checks = app.statements.filter((s) => /graph_state/.test(s));
    expect(checks.length).toBeGreaterThanOrEqual(1);
    expect(checks.length).toBeLessThanOrEqual(2);
    expect(new Set(answers.map((a: any) => a.organizations.totalCount))).toEqual(new Set([60]));
  });

  it("when a check is in flight, then those who arrive meanwhile wait for the next one, sent after it returns: two checks for 16 (embedded: one load, with no check)", async () => {
    const models = app.server.features.models;
    await models.current();
    await app.db.query(`UPDATE graph_state SET version = version WHERE id = 1`); // a check is due, embedded too
    app.statements.length = 0;
    // The first sends a check; the 15 others arrive while it is in flight, so it may predate a
    // write they must see: they share the next check, not that one.
    const seen = await Promise.all(Array.from({ length: 16 }, () => models.current()));
    // Embedded, no other process writes: the first load (which reads the version) serves all 16.
    expect(app.statements.filter((s) => /graph_state/.test(s))).toHaveLength(embedded ? 1 : 2);
    expect(new Set(seen.map((m) => m.version)).size).toBe(1);
  });
});
