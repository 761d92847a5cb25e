import fs from "node:fs";
import path from "node:path";
import { seededDatabase, TestDatabase } from "../helpers/database";
import { importNetwork } from "../../src/files/import";
import { isHsds, networkFromHsds } from "../../src/files/hsds";
import { exportNetwork } from "../../src/files/export";
import { ROOT } from "../../src/root";

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
      expect.objectContaining({ name: "Ateliers de conversation en français", category: "LANGUAGE_LEARNING", eligibility: { targetGroups: [], minAge: 18, maxAge: null } }),
      expect.objectContaining({ name: "Aide alimentaire", category: "OTHER" }),
    ]);
    // "Including refugees and asylum seekers", "including unaccompanied minors": open to every group, not narrowed to those named.
    expect(network.organizations[1].services![0]).toMatchObject({ category: "EMPLOYMENT", eligibility: { targetGroups: [], minAge: 16, maxAge: 25 } });
    const said = notes.join("\n");
    expect(said).toMatch(/every organization is OTHER/);
    expect(said).toMatch(/1 service\(s\) matched no category/);
    expect(said).toMatch(/1 service\(s\) not active/);
    expect(said).toMatch(/organization\.email \(1\).*organization\.phones \(1\).*service\.schedules \(1\)/);
    // The address fields other than the region are said too.
    expect(said).toMatch(/Not kept.*location\.address\.address_1 \(1\).*location\.address\.city \(2\).*location\.address\.postal_code \(1\).*location\.location_type \(1\)/);
    expect(said).toMatch(/2 service\(s\) name groups in their eligibility_description without restricting to them/);
    expect(said).not.toMatch(/inferred/);
  });

  it("when an eligibility text restricts, then the groups (or ages) are inferred from it, each in a note quoting the words", () => {
    const services = [
      { id: "a", name: "Tutorat", status: "active", eligibility_description: "Only for unaccompanied minors, including those turning 18" },
      { id: "b", name: "Permanence juridique", status: "active", eligibility_description: "Adults. Réservé aux demandeurs d'asile et aux réfugiés" },
      { id: "c", name: "Sport", status: "active", eligibility_description: "Young people aged 16-25, including asylum seekers" },
    ];
    const { network, notes } = networkFromHsds([{ id: "o", name: "Maison des Jeunes", services }], { region: "correze" });
    expect(network.organizations[0].services!.map((s) => s.eligibility)).toEqual([
      { targetGroups: ["UNACCOMPANIED_MINOR"], minAge: null, maxAge: null },
      { targetGroups: ["ASYLUM_SEEKER", "BENEFICIARY_OF_PROTECTION"], minAge: null, maxAge: null },
      { targetGroups: [], minAge: 16, maxAge: 25 },
    ]);
    expect(notes.filter((n) => n.includes("inferred"))).toEqual([
      'Service "Tutorat" of Maison des Jeunes: target groups UNACCOMPANIED_MINOR inferred from "Only for unaccompanied minors".',
      `Service "Permanence juridique" of Maison des Jeunes: target groups ASYLUM_SEEKER, BENEFICIARY_OF_PROTECTION inferred from "Réservé aux demandeurs d'asile et aux réfugiés".`,
      'Service "Sport" of Maison des Jeunes: ages 16-25 inferred from "aged 16-25" (no minimum_age or maximum_age).',
    ]);
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
