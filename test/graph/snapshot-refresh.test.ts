import fs from "node:fs";
import path from "node:path";
import { startTestApp, TestApp } from "../helpers/app";
import { ROOT } from "../../src/root";
import { ReadModel } from "../../src/model/model";
import { dumpText, expectSameDump } from "../helpers/model-dump";
import { ReadModels } from "../../src/model/read-models";
import { loadModelRows } from "../../src/model/load";
import { KEPT_GRAPH_VERSIONS } from "../../src/db/write";

// After a write, the read model re-reads only the rows the write touched (graph_changes) and
// patches them in. After every kind of write, the patched model must equal one built from a fresh
// read of everything: the same records, the same orders, the same adjacency.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

let models: ReadModels;
let model: ReadModel;
/** Brings the kept model up to date, checks it against a full build, and returns how many rows it re-read. */
async function refresh(): Promise<number | "all"> {
  const before = model;
  model = await models.current();
  const full = await loadModelRows(app.db);
  expectSameDump(dumpText(model), dumpText(ReadModel.build(full.version, full.rows!)));
  if (model === before) return 0;
  const changes = await loadModelRows(app.db, before.version);
  return changes.touched ? changes.touched.organizations.length + changes.touched.referrals.length + changes.touched.partnerships.length : "all";
}

const id = async (query: string, variables: Record<string, unknown>) => {
  const data = await app.ok(query, variables, app.tokens.admin);
  return (Object.values(data)[0] as { id: string }).id;
};

describe("the read model after a write", () => {
  beforeAll(async () => {
    models = new ReadModels(app.db);
    model = await models.current();
  });

  it("when nothing was written, then nothing is read again", async () => {
    expect(await refresh()).toBe(0);
  });

  it("when organizations, services, referrals and partnerships are created, changed and deleted, then the patched rows equal a full read", async () => {
    const org = await id(
      `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
      { input: { name: "Refresh Test", kind: "NGO", region: "correze", services: [{ name: "Cours", category: "LANGUAGE_LEARNING", eligibility: { minAge: 16, maxAge: 25 } }] } },
    );
    expect(await refresh()).toBe(1);

    await app.ok(`mutation { updateOrganization(id: "refresh-test", input: { name: "Refresh Test 2", region: "vaucluse", services: [{ name: "Logement", category: HOUSING }, { name: "Sport", category: SPORT_AND_CULTURE }] }) { id } }`, {}, app.tokens.admin);
    expect(await refresh()).toBe(1);

    const referral = await id(
      `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
      { input: { from: "mosaik", to: "refresh-test", categories: ["HOUSING"], eligibility: { targetGroups: ["RESETTLED_REFUGEE"] } } },
    );
    expect(await refresh()).toBe(1);
    await app.ok(`mutation($id: ID!) { updateReferral(id: $id, input: { status: PILOT, eligibility: { minAge: 18 } }) { id } }`, { id: referral }, app.tokens.admin);
    await app.ok(`mutation($id: ID!) { endReferral(id: $id, until: "2030-01-01") { id } }`, { id: referral }, app.tokens.admin);
    expect(await refresh()).toBe(1); // two writes, one referral

    const partnership = await id(
      `mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { id } }`,
      { input: { kind: "COORDINATION", organizations: ["refresh-test", "mosaik", "chemins-singuliers"] } },
    );
    const other = await id(
      `mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { id } }`,
      { input: { kind: "FUNDING", organizations: ["refresh-test", "mosaik"] } },
    );
    expect(await refresh()).toBe(2);
    await app.ok(`mutation($id: ID!) { deletePartnership(id: $id) }`, { id: partnership }, app.tokens.admin);
    await app.ok(`mutation($id: ID!) { deleteReferral(id: $id) }`, { id: referral }, app.tokens.admin);
    expect(await refresh()).toBe(2);

    // A new slug moves the organization in slug order, and in every list of its neighbours.
    await app.ok(`mutation { updateOrganization(id: "mosaik", input: { slug: "zz-mosaik" }) { id } }`, {}, app.tokens.admin);
    expect(await refresh()).toBe(1);
    await app.ok(`mutation { updateOrganization(id: "zz-mosaik", input: { slug: "mosaik" }) { id } }`, {}, app.tokens.admin);
    expect(await refresh()).toBe(1);

    // Deleting an organization takes its services, and leaves or removes its partnerships.
    await app.ok(`mutation($id: ID!) { deleteOrganization(id: $id) }`, { id: org }, app.tokens.admin);
    expect(await refresh()).toBeGreaterThanOrEqual(2);
    expect(model.organization(org)).toBeUndefined();
    expect(model.partnerships.some((p) => p.id === other && p.memberIds.includes(org))).toBe(false);

    await app.ok(`mutation { createRegion(input: { slug: "refresh-region", name: "Refresh", country: "FR" }) { id } }`, {}, app.tokens.admin);
    expect(await refresh()).toBe(0); // regions are read whole when one was written
    expect(model.region("refresh-region")).toBeDefined();
  });

  it("when an import changes only a platform, then the patch reads platforms again, and a write elsewhere keeps them", async () => {
    const file = JSON.parse(fs.readFileSync(path.join(ROOT, "src/db/seed/correze.json"), "utf8"));
    const platform = { ...file.platforms[0], description: "Changed by an import" };
    const content = JSON.stringify({ regions: [], organizations: [], referrals: [], partnerships: [], platforms: [platform] });
    await app.ok(`mutation($c: String!) { importNetwork(input: { content: $c }) { created { platforms } } }`, { c: content }, app.tokens.admin);
    expect(await refresh()).toBe(0);
    expect(model.platforms.find((p) => p.slug === platform.slug)?.description).toBe("Changed by an import");
    const platforms = model.platforms;
    await app.ok(`mutation { updateOrganization(id: "mosaik", input: { description: "platforms kept" }) { id } }`, {}, app.tokens.admin);
    expect(await refresh()).toBe(1);
    expect(model.platforms).toBe(platforms);
  });

  it("when the version moved without a record of what changed, then everything is read again", async () => {
    await app.db.query(`UPDATE organizations SET name = 'Renamed by hand' WHERE slug = 'mosaik'`);
    await app.db.query(`UPDATE graph_state SET version = version + 1 WHERE id = 1`);
    expect(await refresh()).toBe("all");
    expect(model.organization("mosaik")?.name).toBe("Renamed by hand");
  });

  it("when a write is older than the changes kept, then its record is pruned", async () => {
    const [{ version }] = await app.db.query(`SELECT version FROM graph_state`);
    await app.db.query(`UPDATE graph_state SET version = version + $1 WHERE id = 1`, [KEPT_GRAPH_VERSIONS]);
    await app.ok(`mutation { updateOrganization(id: "mosaik", input: { description: "pruning" }) { id } }`, {}, app.tokens.admin);
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM graph_changes WHERE version <= $1`, [version]);
    expect(n).toBe(0);
    expect(await refresh()).toBe("all");
  });
});
