import { seededDatabase, TestDatabase, countRows } from "../helpers/database";
import { importNetwork, ImportOptions } from "../../src/files/import";
import { NetworkFile } from "../../src/files/network-file";
import { csvSource } from "../../src/files/csv";
import { graphVersion } from "../../src/db/write";

// docs/api.md importNetwork: a field absent from a record keeps what is stored, an explicit null clears
// it, a record's services (when given) are the whole list, a blank CSV cell keeps; the report
// lists every stored value overwritten, dry runs included.
const actor = { apiKeyId: null, name: "test merge" };
const options = (more: Partial<ImportOptions> = {}): ImportOptions => ({ actor, file: "network.json", ...more });
const network = (more: Partial<NetworkFile>): NetworkFile => ({ regions: [], organizations: [], referrals: [], partnerships: [], platforms: [], ...more });

let database: TestDatabase;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(() => database.close());

const organization = async (slug: string) => {
  const [row] = await database.db.query(`SELECT name, website, description, version FROM organizations WHERE slug = $1`, [slug]);
  const services = await database.db.query(`SELECT s.name FROM services s JOIN organizations o ON o.id = s.organization_id WHERE o.slug = $1 ORDER BY s.position`, [slug]);
  return { ...row, services: services.map((s: { name: string }) => s.name) };
};

describe("import merges records into what is stored", () => {
  beforeAll(async () => {
    const setUp = network({
      organizations: [{
        slug: "merge-org", name: "Merge Org", kind: "NGO" as never, region: "correze", website: "https://merge.example", description: "Kept",
        services: [{ name: "Housing help", category: "HOUSING" as never }, { name: "French", category: "LANGUAGE_LEARNING" as never }],
      }],
    });
    expect((await importNetwork(database.db, setUp, options())).created.organizations).toBe(1);
  });

  it("when a JSON record leaves out services and website, then both are kept; a second run changes nothing", async () => {
    const before = await organization("merge-org");
    const version = await graphVersion(database.db);
    const audit = await countRows(database.db, "audit_log");
    const file = network({ organizations: [{ slug: "merge-org", name: "Merge Org", kind: "NGO" as never, region: "correze" }] });
    const report = await importNetwork(database.db, file, options());
    expect(report).toMatchObject({ applied: false, unchanged: { organizations: 1 }, changes: [], changeCount: 0, rejected: [] });
    expect(await organization("merge-org")).toEqual(before);
    expect(await graphVersion(database.db)).toBe(version);
    expect(await countRows(database.db, "audit_log")).toBe(audit);
  });

  it("when a dry run gives null and a new list, then the report shows each value it would overwrite, and nothing is written", async () => {
    const before = await organization("merge-org");
    const file = network({ organizations: [{ slug: "merge-org", website: null, services: [{ name: "French", category: "LANGUAGE_LEARNING" as never }] } as never] });
    const report = await importNetwork(database.db, file, options({ dryRun: true }));
    expect(report.rejected).toEqual([]);
    expect(report).toMatchObject({ applied: false, dryRun: true, updated: { organizations: 1 }, changeCount: 2 });
    expect(report.changes).toEqual([
      { record: "organizations[0]", file: "network.json", line: null, field: "website", before: "https://merge.example", after: null },
      {
        record: "organizations[0]", file: "network.json", line: null, field: "services",
        before: expect.stringMatching(/^\[\{"name":"Housing help".*"French"/), after: expect.stringMatching(/^\[\{"name":"French"/),
      },
    ]);
    expect(await organization("merge-org")).toEqual(before);

    const applied = await importNetwork(database.db, file, options());
    expect(applied).toMatchObject({ applied: true, changeCount: 2 });
    expect(await organization("merge-org")).toMatchObject({ website: null, description: "Kept", services: ["French"], version: before.version + 1 });
  });

  it("when a CSV row leaves its website cell blank, then the stored website is kept; a blank cell never clears", async () => {
    await importNetwork(database.db, network({ organizations: [{ slug: "merge-org", website: "https://again.example" } as never] }), options());
    const text = "slug,name,kind,region,website,description\nmerge-org,Merge Org,NGO,correze,,\n";
    const { source, rejected } = csvSource({ organizations: { file: "orgs.csv", text } });
    const report = await importNetwork(database.db, source, options({ rejected, file: "orgs.csv" }));
    expect(report).toMatchObject({ rejected: [], unchanged: { organizations: 1 }, changeCount: 0 });
    expect(await organization("merge-org")).toMatchObject({ website: "https://again.example", description: "Kept", services: ["French"] });
  });

  it("when a CSV service row leaves cells blank, then that service (same name) keeps its stored values; a new service has none", async () => {
    const services = async () =>
      database.db.query(
        `SELECT s.name, s.category, s.description, s.min_age, s.max_age, s.target_groups FROM services s JOIN organizations o ON o.id = s.organization_id WHERE o.slug = 'mosaik' ORDER BY s.position`,
      );
    const stored = await services();
    const language = stored.find((s: { name: string }) => s.name === "Language courses");
    expect(language).toMatchObject({ min_age: 16, max_age: 25, description: expect.stringContaining("Language classes") });
    const header = "slug;name;kind;region;description;website;service_name;service_category;service_description;service_target_groups;service_min_age;service_max_age\n";
    const rows = stored.map((s: { name: string }) => `mosaik;;;;;;${s.name};;;;;\n`).join("");
    const same = csvSource({ organizations: { file: "orgs.csv", text: header + rows } });
    const unchanged = await importNetwork(database.db, same.source, options({ rejected: same.rejected, file: "orgs.csv", dryRun: true }));
    expect(unchanged).toMatchObject({ rejected: [], unchanged: { organizations: 1 }, changeCount: 0 });

    // One cell given changes that value only; a new service row with blanks is open to everyone.
    const changed = csvSource({ organizations: { file: "orgs.csv", text: header + rows.replace("Language courses;;;;;", "Language courses;;;;18;") + "mosaik;;;;;;Cooking club;OTHER;;;;\n" } });
    const report = await importNetwork(database.db, changed.source, options({ rejected: changed.rejected, file: "orgs.csv", dryRun: true }));
    expect(report.rejected).toEqual([]);
    expect(report.changeCount).toBe(1);
    const [change] = report.changes;
    const after: { name: string; minAge: number | null; maxAge: number | null; description: string | null }[] = JSON.parse(change.after!);
    expect(after.find((s) => s.name === "Language courses")).toMatchObject({ minAge: 18, maxAge: 25, description: language.description });
    expect(after.find((s) => s.name === "Cooking club")).toMatchObject({ category: "OTHER", minAge: null, maxAge: null, description: null, targetGroups: [] });
  });

  it("when two stored services share a name, then the k-th row of that name keeps the k-th one's values", async () => {
    await importNetwork(
      database.db,
      network({
        organizations: [{
          slug: "twin-services", name: "Twin Services", kind: "NGO" as never, region: "correze",
          services: [
            { name: "Counselling", category: "LEGAL_AID" as never, description: "Rights", eligibility: { minAge: 18 } },
            { name: "Counselling", category: "HEALTH" as never },
          ],
        }],
      }),
      options(),
    );
    const text = "slug,name,kind,region,service_name,service_category,service_description,service_min_age\ntwin-services,,,,Counselling,,,\ntwin-services,,,,Counselling,,,\n";
    const { source, rejected } = csvSource({ organizations: { file: "orgs.csv", text } });
    const report = await importNetwork(database.db, source, options({ rejected, file: "orgs.csv", dryRun: true }));
    expect(report).toMatchObject({ rejected: [], unchanged: { organizations: 1 }, changeCount: 0 });
  });

  it("when a referral record is wrong in several ways, then every fault is told at once, the dates' order included", async () => {
    const report = await importNetwork(
      database.db,
      network({ referrals: [{ from: "mosaik", to: "mosaik", categories: ["OTHER"] as never[], eligibility: { minAge: 30, maxAge: 10 }, since: "2026-05-01", until: "2026-01-01" } as never] }),
      options({ dryRun: true }),
    );
    expect(report.rejected.map((r) => r.field).sort()).toEqual(["eligibility.minAge", "to", "until"]);
  });

  it("when a new organization leaves out what it needs, then it is rejected naming each field", async () => {
    const report = await importNetwork(database.db, network({ organizations: [{ slug: "brand-new" } as never] }), options({ dryRun: true }));
    expect(report.rejected.map((r) => r.field)).toEqual(["name", "kind"]);
  });

  it("when referrals, partnerships, platforms and regions leave fields out, then those are kept too", async () => {
    const [referral] = await database.db.query(
      `SELECT r.description, r.source, r.min_age FROM referrals r JOIN organizations f ON f.id = r.from_id JOIN organizations t ON t.id = r.to_id
        WHERE f.slug = 'chemins-singuliers' AND t.slug = 'mosaik'`,
    );
    const [partnership] = await database.db.query(`SELECT description FROM partnerships WHERE kind = 'COORDINATION' AND description LIKE 'Entraide Pierre Valdo and ICMC%'`);
    const meetings = await countRows(database.db, "meetings");
    const file = network({
      regions: [{ slug: "correze", name: "Corrèze", country: "FR" }],
      referrals: [{ from: "chemins-singuliers", to: "mosaik", categories: ["LANGUAGE_LEARNING", "VOCATIONAL_ORIENTATION"] as never[], since: null }],
      partnerships: [{ kind: "COORDINATION" as never, organizations: ["entraide-pierre-valdo", "icmc-europe"] }],
      platforms: [{ slug: "correze-platform" } as never],
    });
    const report = await importNetwork(database.db, file, options());
    expect(report).toMatchObject({ rejected: [], applied: false, changeCount: 0, unchanged: { regions: 1, referrals: 1, partnerships: 1, platforms: 1 } });
    expect(referral.description).not.toBeNull();
    expect(partnership.description).not.toBeNull();
    expect(meetings).toBeGreaterThan(0);
    const [nuts] = await database.db.query(`SELECT nuts_code FROM regions WHERE slug = 'correze'`);
    expect(nuts.nuts_code).toBe("FRI21");

    // An explicit null clears: the referral's description, one eligibility bound, the partnership's description.
    file.referrals[0] = { ...file.referrals[0], description: null, eligibility: { maxAge: null } };
    file.partnerships[0].description = null;
    const cleared = await importNetwork(database.db, file, options());
    expect(cleared.rejected).toEqual([]);
    expect(cleared.changes.map((c) => `${c.record} ${c.field}: ${c.before === null ? "null" : c.before.slice(0, 12)} -> ${c.after}`)).toEqual([
      "referrals[0] eligibility.maxAge: 25 -> null",
      `referrals[0] description: ${referral.description.slice(0, 12)} -> null`,
      `partnerships[0] description: ${partnership.description.slice(0, 12)} -> null`,
    ]);
    const [after] = await database.db.query(
      `SELECT r.description, r.source, r.min_age, r.max_age FROM referrals r JOIN organizations f ON f.id = r.from_id JOIN organizations t ON t.id = r.to_id
        WHERE f.slug = 'chemins-singuliers' AND t.slug = 'mosaik'`,
    );
    expect(after).toEqual({ description: null, source: referral.source, min_age: referral.min_age, max_age: null });
    expect(await countRows(database.db, "meetings")).toBe(meetings);
  });

  it("when a record names one rejected earlier in the same file, then the reason says so, with its line", async () => {
    const { source, rejected } = csvSource({
      organizations: { file: "orgs.csv", text: "slug,name,kind,region\nok-org,OK,NGO,correze\nbad-org,Bad,CLUB,correze\n" },
      referrals: { file: "refs.csv", text: "from,to,categories\nok-org,bad-org,HOUSING\n" },
    });
    const report = await importNetwork(database.db, source, options({ rejected, dryRun: true }));
    expect(report.rejected.map((r) => `${r.file}:${r.line} ${r.field}: ${r.reason}`)).toEqual([
      expect.stringMatching(/^orgs\.csv:3 kind: must be one of/),
      'refs.csv:2 to: "bad-org" is in this file but its record (line 3) was rejected: correct that record',
    ]);
  });
});
