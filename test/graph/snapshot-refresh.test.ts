import { startTestApp, TestApp } from "../helpers/app";
import { loadSnapshotSource } from "../../src/graph/graph.service";
import { SnapshotSource } from "../../src/graph/snapshot";
import { KEPT_GRAPH_VERSIONS } from "../../src/common/write";

// After a write, the graph snapshot re-reads only the rows the write touched (graph_changes) and
// patches them in. After every kind of write, the patched rows must equal a fresh read of
// everything: the same organizations, services, referrals, partnerships and regions.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

/** The source in one order, dates as text, so two reads compare equal when they hold the same rows. */
function normalized(source: SnapshotSource) {
  const json = (value: unknown) => JSON.parse(JSON.stringify(value));
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
  return json({
    version: source.version,
    organizations: byId(source.organizations),
    services: source.services.map((s) => JSON.stringify(s)).sort(),
    referrals: byId(source.referrals),
    partnerships: byId(source.partnerships).map((p) => ({ ...p, memberIds: [...p.memberIds].sort() })),
    regions: byId(source.regions),
  });
}

let source: SnapshotSource;
/** Patches the kept source, checks it against a full read, and returns how many rows it re-read. */
async function refresh(): Promise<number | "all"> {
  const patched = await loadSnapshotSource(app.db, source);
  const full = await loadSnapshotSource(app.db);
  expect(full.reread).toBe("all");
  expect(normalized(patched.source)).toEqual(normalized(full.source));
  source = patched.source;
  return patched.reread;
}

const id = async (query: string, variables: Record<string, unknown>) => {
  const data = await app.ok(query, variables, app.tokens.admin);
  return (Object.values(data)[0] as { id: string }).id;
};

describe("the graph snapshot after a write", () => {
  beforeAll(async () => {
    source = (await loadSnapshotSource(app.db)).source;
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

    // Deleting an organization takes its services, and leaves or removes its partnerships.
    await app.ok(`mutation($id: ID!) { deleteOrganization(id: $id) }`, { id: org }, app.tokens.admin);
    expect(await refresh()).toBeGreaterThanOrEqual(2);
    expect(source.organizations.some((o) => o.id === org)).toBe(false);
    expect(source.partnerships.some((p) => p.id === other && p.memberIds.includes(org))).toBe(false);

    await app.ok(`mutation { createRegion(input: { slug: "refresh-region", name: "Refresh", country: "FR" }) { id } }`, {}, app.tokens.admin);
    expect(await refresh()).toBe(0); // regions are read whole every time
    expect(source.regions.some((r) => r.slug === "refresh-region")).toBe(true);
  });

  it("when the version moved without a record of what changed, then everything is read again", async () => {
    await app.db.query(`UPDATE organizations SET name = 'Renamed by hand' WHERE slug = 'mosaik'`);
    await app.db.query(`UPDATE graph_state SET version = version + 1 WHERE id = 1`);
    expect(await refresh()).toBe("all");
    expect(source.organizations.find((o) => o.slug === "mosaik")?.name).toBe("Renamed by hand");
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
