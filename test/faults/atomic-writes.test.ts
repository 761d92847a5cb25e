import { errorCode, startTestApp, TestApp } from "../helpers/app";
import { countRows } from "../helpers/database";

// A write of several rows that fails midway leaves nothing of itself. The failure is real: a
// trigger in the database refuses one service row after the organization and earlier services
// were written in the same transaction.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  await app.db.query(`
    CREATE FUNCTION fail_midway() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.name = 'Fails midway' THEN RAISE EXCEPTION 'injected failure'; END IF;
      RETURN NEW;
    END $$`);
  await app.db.query(`CREATE TRIGGER fail_midway BEFORE INSERT ON services FOR EACH ROW EXECUTE FUNCTION fail_midway()`);
});
afterAll(() => app.close());

/** Everything a failed write could have touched. */
async function state() {
  const [graph] = await app.db.query(`SELECT version FROM graph_state`);
  return {
    organizations: await countRows(app.db, "organizations"),
    services: await countRows(app.db, "services"),
    audit: await countRows(app.db, "audit_log"),
    graphVersion: String(graph.version),
    mosaik: await app.db.query(`SELECT o.name, o.version, s.name AS service FROM organizations o LEFT JOIN services s ON s.organization_id = o.id WHERE o.slug = 'mosaik' ORDER BY s.name`),
  };
}

const SERVICES = [
  { name: "Accueil", category: "SOCIAL_ORIENTATION" },
  { name: "Fails midway", category: "LANGUAGE_LEARNING" },
  { name: "Never reached", category: "HOUSING" },
];

describe("a multi-row mutation failing midway", () => {
  it("when createOrganization fails on its second service, then neither the organization nor any service stays", async () => {
    const before = await state();
    const result = await app.execute(
      `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
      { input: { name: "Half Written", kind: "NGO", region: "correze", services: SERVICES } },
      app.tokens.admin,
    );
    expect(errorCode(result)).toBe("INTERNAL_SERVER_ERROR");
    expect(await state()).toEqual(before);
    expect(await app.db.query(`SELECT 1 FROM organizations WHERE slug = 'half-written'`)).toEqual([]);
  });

  it("when updateOrganization replaces services and fails midway, then the name, version and old services stay as they were", async () => {
    const before = await state();
    expect(before.mosaik.length).toBeGreaterThan(0);
    const result = await app.execute(
      `mutation($input: UpdateOrganizationInput!) { updateOrganization(id: "mosaik", input: $input) { version } }`,
      { input: { name: "MOSAIK renamed", services: SERVICES } },
      app.tokens.editor,
    );
    expect(errorCode(result)).toBe("INTERNAL_SERVER_ERROR");
    expect(await state()).toEqual(before);
  });
});
