import fs from "node:fs";
import path from "node:path";
import { seededDatabase, TestDatabase } from "../helpers/database";
import { importNetwork } from "../../src/network/import";
import { isHsds, networkFromHsds } from "../../src/network/hsds";
import { exportNetwork } from "../../src/network/export";
import { ROOT } from "../../src/common/root";

// An Open Referral HSDS 3.0 publication (an API page of organizations with services and
// locations) mapped onto Passerelle's vocabulary, with what does not map said in the notes.
const publication = JSON.parse(fs.readFileSync(path.join(ROOT, "samples", "hsds-correze.json"), "utf8"));
const actor = { apiKeyId: null, name: "test hsds" };

let database: TestDatabase;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(() => database.close());

describe("Open Referral HSDS 3.0", () => {
  it("when a publication is read, then it is told apart from a network file and mapped onto the vocabulary", async () => {
    expect(isHsds(publication)).toBe(true);
    expect(isHsds(await exportNetwork(database.db))).toBe(false);
    const { network, notes } = networkFromHsds(publication);
    expect(network.organizations.map((o) => [o.slug, o.region, o.kind])).toEqual([
      ["secours-populaire-tulle", "correze", "OTHER"],
      ["maison-de-l-emploi-de-brive", "correze", "OTHER"],
    ]);
    expect(network.organizations[0].services).toEqual([
      expect.objectContaining({ name: "Ateliers de conversation en français", category: "LANGUAGE_LEARNING", eligibility: { targetGroups: ["ASYLUM_SEEKER", "BENEFICIARY_OF_PROTECTION"], minAge: 18, maxAge: null } }),
      expect.objectContaining({ name: "Aide alimentaire", category: "OTHER" }),
    ]);
    expect(network.organizations[1].services![0]).toMatchObject({ category: "EMPLOYMENT", eligibility: { targetGroups: ["UNACCOMPANIED_MINOR"], minAge: 16, maxAge: 25 } });
    const said = notes.join("\n");
    expect(said).toMatch(/every organization is OTHER/);
    expect(said).toMatch(/1 service\(s\) matched no category/);
    expect(said).toMatch(/1 service\(s\) not active/);
    expect(said).toMatch(/organization\.email \(1\).*organization\.phones \(1\).*service\.schedules \(1\)/);
  });

  it("when it is imported twice, then the organizations land once, and the notes come with the report", async () => {
    const { network, notes } = networkFromHsds(publication);
    const first = await importNetwork(database.db, network, { actor, notes, file: "hsds-correze.json" });
    expect(first).toMatchObject({ applied: true, created: { organizations: 2 }, rejected: [] });
    expect(first.notes).toEqual(notes);
    const again = await importNetwork(database.db, networkFromHsds(publication).network, { actor, file: "hsds-correze.json" });
    expect(again).toMatchObject({ applied: false, unchanged: { organizations: 2 }, rejected: [] });
  });

  it("when an organization's region is not stored, then it is rejected with the reason, and --region puts them all in one", async () => {
    const elsewhere = JSON.parse(JSON.stringify(publication));
    elsewhere.contents[1].locations[0].addresses[0].region = "Atlantis";
    const report = await importNetwork(database.db, networkFromHsds(elsewhere).network, { actor, file: "x.json", dryRun: true });
    expect(report.rejected).toEqual([expect.objectContaining({ record: "organizations[1]", field: "region", reason: 'no region "atlantis" is stored or in the file' })]);
    const scoped = await importNetwork(database.db, networkFromHsds(elsewhere, { region: "correze" }).network, { actor, file: "x.json", dryRun: true, region: "correze" });
    expect(scoped.rejected).toEqual([]);
  });
});
