import { errorCode, startTestApp, TestApp } from "../helpers/app";
import { exportNetwork } from "../../src/files/export";
import { importNetwork } from "../../src/files/import";
import { csvSource } from "../../src/files/csv";
import { today, verifiedOnFault } from "../../src/referrals/referral.rules";

// Referral.verifiedOn, the field added through the table's declaration (README, "Adding a field"):
// the API, the read model, the import (JSON and CSV), the network export and the graph files.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const actor = { apiKeyId: null, name: "test verifiedOn" };
const CREATE = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id verifiedOn } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateReferralInput!) { updateReferral(id: $id, input: $input) { verifiedOn version } }`;
const OUT = `query($id: ID!) { organization(id: $id) { referralsOut { id verifiedOn } } }`;
const later = (days: number) => today(new Date(Date.now() + days * 86_400_000));

describe("verifiedOnFault", () => {
  it("when the day is today anywhere on Earth, then it passes; the day after, it is refused naming the field", () => {
    const now = new Date("2026-12-03T12:00:00Z");
    expect(verifiedOnFault(null, "input.verifiedOn", now)).toBeUndefined();
    expect(verifiedOnFault("2026-12-03", "input.verifiedOn", now)).toBeUndefined();
    // 12:00 UTC is 02:00 of the 4th at UTC+14: someone's today.
    expect(verifiedOnFault("2026-12-04", "input.verifiedOn", now)).toBeUndefined();
    expect(verifiedOnFault("2026-12-05", "input.verifiedOn", now)).toEqual({ field: "input.verifiedOn", reason: expect.stringMatching(/day to come \(2026-12-05 > 2026-12-04\)/) });
  });
});

describe("Referral.verifiedOn through the API", () => {
  it("when created with a day, then the answer, the read model and an update (set, then cleared) all hold it", async () => {
    const created = await app.ok(CREATE, { input: { from: "mosaik", to: "institut-don-bosco", categories: ["MENTORING"], verifiedOn: "2026-11-03" } }, app.tokens.admin);
    expect(created.createReferral.verifiedOn).toBe("2026-11-03");
    const id = created.createReferral.id;
    const read = await app.ok(OUT, { id: "mosaik" });
    expect(read.organization.referralsOut.find((r: any) => r.id === id)).toEqual({ id, verifiedOn: "2026-11-03" });

    const set = await app.ok(UPDATE, { id, input: { verifiedOn: "2026-11-20" } }, app.tokens.admin);
    expect(set.updateReferral).toEqual({ verifiedOn: "2026-11-20", version: 2 });
    const untouched = await app.ok(UPDATE, { id, input: { description: "checked by phone" } }, app.tokens.admin);
    expect(untouched.updateReferral.verifiedOn).toBe("2026-11-20");
    const cleared = await app.ok(UPDATE, { id, input: { verifiedOn: null } }, app.tokens.admin);
    expect(cleared.updateReferral.verifiedOn).toBeNull();
    const [row] = await app.db.query(`SELECT verified_on FROM referrals WHERE id = $1`, [id]);
    expect(row.verified_on).toBeNull();
  });

  it("when the day is still to come, then BAD_USER_INPUT names input.verifiedOn and nothing is stored", async () => {
    const before = await app.db.query(`SELECT count(*)::int AS n FROM referrals`);
    const result = await app.execute(CREATE, { input: { from: "mosaik", to: "entraide-pierre-valdo", categories: ["OTHER"], verifiedOn: later(3) } }, app.tokens.admin);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].extensions!.fields).toEqual([{ field: "input.verifiedOn", reason: expect.stringMatching(/day to come/) }]);
    expect(await app.db.query(`SELECT count(*)::int AS n FROM referrals`)).toEqual(before);
  });
});

describe("Referral.verifiedOn in files", () => {
  it("when a network file gives it, then it is stored, exported as given, and a file leaving it out keeps it", async () => {
    const file = await exportNetwork(app.db);
    const seeded = file.referrals.find((r) => r.from === "chemins-singuliers" && r.to === "mosaik")!;
    expect(seeded).toHaveProperty("verifiedOn", null);
    (seeded as Record<string, unknown>).verifiedOn = "2026-10-01";
    const report = await importNetwork(app.db, JSON.parse(JSON.stringify(file)), { actor, file: "network.json" });
    expect(report.rejected).toEqual([]);
    expect(report).toMatchObject({ applied: true, rejected: [], updated: { referrals: 1 } });
    expect(report.changes).toEqual([expect.objectContaining({ field: "verifiedOn", before: null, after: "2026-10-01" })]);
    const again = await exportNetwork(app.db);
    expect(again.referrals.find((r) => r.from === "chemins-singuliers" && r.to === "mosaik")).toHaveProperty("verifiedOn", "2026-10-01");

    const { verifiedOn: _left, ...without } = seeded as Record<string, unknown>;
    const kept = await importNetwork(app.db, { ...JSON.parse(JSON.stringify(again)), referrals: [without] }, { actor, file: "network.json" });
    // Nothing to change: nothing is written (applied false), the stored day stays.
    expect(kept).toMatchObject({ applied: false, rejected: [], updated: { referrals: 0 }, unchanged: { referrals: 1 } });
  });

  it("when a CSV has a verified_on column, then its days land and a day to come is refused at its line and column", async () => {
    const text = "from,to,categories,verified_on\nmosaik,mission-locale,EMPLOYMENT,2026-09-15\nchemins-singuliers,mission-locale,HOUSING," + later(5) + "\n";
    const { source, rejected } = csvSource({ referrals: { file: "referrals.csv", text } });
    const report = await importNetwork(app.db, source, { actor, rejected, file: "csv", dryRun: true });
    expect(report.rejected).toEqual([expect.objectContaining({ file: "referrals.csv", line: 3, field: "verified_on", reason: expect.stringMatching(/day to come/) })]);
    const good = csvSource({ referrals: { file: "referrals.csv", text: text.split("\n").slice(0, 2).join("\n") + "\n" } });
    const applied = await importNetwork(app.db, good.source, { actor, rejected: good.rejected, file: "csv" });
    expect(applied).toMatchObject({ applied: true, created: { referrals: 1 }, rejected: [] });
    const [row] = await app.db.query(
      `SELECT r.verified_on::text AS day FROM referrals r JOIN organizations f ON f.id = r.from_id JOIN organizations t ON t.id = r.to_id
        WHERE f.slug = 'mosaik' AND t.slug = 'mission-locale' AND r.categories = '{EMPLOYMENT}'`,
    );
    expect(row.day).toBe("2026-09-15");
  });

  it("when the region is exported as GraphML, then a confirmed channel carries its verifiedOn attribute", async () => {
    const listening = await app.listen();
    const response = await fetch(`${listening.base}/export/network.graphml?region=correze`);
    const text = await response.text();
    expect(text).toContain('<key id="edge-verifiedOn" for="edge" attr.name="verifiedOn" attr.type="string"/>');
    expect(text).toContain('<data key="edge-verifiedOn">2026-10-01</data>');
  });
});
