import { freshDatabase, seededDatabase, TestDatabase, countRows } from "../helpers/database";
import { CORREZE } from "../../src/db/seed/seed";
import { exportNetwork } from "../../src/files/export";
import { importNetwork, ImportOptions } from "../../src/files/import";
import { NetworkFile } from "../../src/files/network-file";
import { textSource } from "../../src/files/network-source";
import { graphVersion } from "../../src/db/write";

const actor = { apiKeyId: null, name: "test import" };
const options = (more: Partial<ImportOptions> = {}): ImportOptions => ({ actor, file: "network.json", ...more });
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));

let seeded: TestDatabase;
beforeAll(async () => {
  seeded = await seededDatabase();
});
afterAll(() => seeded.close());

describe("export, then import", () => {
  it("when the export of a whole database is imported into an empty one, then exporting that gives the same file", async () => {
    const exported = await exportNetwork(seeded.db);
    expect(exported.organizations.length).toBe(CORREZE.organizations.length);
    const empty = await freshDatabase();
    try {
      const report = await importNetwork(empty.db, copy(exported), options());
      expect(report.rejected).toEqual([]);
      expect(report.applied).toBe(true);
      expect(report.created).toEqual({
        regions: exported.regions.length,
        organizations: exported.organizations.length,
        referrals: exported.referrals.length,
        partnerships: exported.partnerships.length,
        platforms: exported.platforms.length,
      });
      expect(await exportNetwork(empty.db)).toEqual(exported);
      expect(await countRows(empty.db, "meeting_participants")).toBe(await countRows(seeded.db, "meeting_participants"));
    } finally {
      await empty.close();
    }
  });

  it("when the same file is imported again, then nothing changes and the report says so", async () => {
    const exported = await exportNetwork(seeded.db);
    const version = await graphVersion(seeded.db);
    const audit = await countRows(seeded.db, "audit_log");
    const report = await importNetwork(seeded.db, copy(exported), options());
    expect(report.applied).toBe(false);
    expect(report.rejected).toEqual([]);
    expect(Object.values(report.created).concat(Object.values(report.updated))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(report.unchanged.organizations).toBe(exported.organizations.length);
    expect(report.unchanged.referrals).toBe(exported.referrals.length);
    expect(await graphVersion(seeded.db)).toBe(version);
    expect(await countRows(seeded.db, "audit_log")).toBe(audit);
  });
});

describe("import", () => {
  it("when a record changed, then only it is updated, with its version moved, and a second run changes nothing", async () => {
    const file = copy(await exportNetwork(seeded.db));
    file.organizations.find((o) => o.slug === "mosaik")!.description = "Changed by an import";
    file.organizations.push({ slug: "new-association", name: "New Association", kind: "ASSOCIATION" as never, region: "correze", services: [{ name: "Cours", category: "LANGUAGE_LEARNING" as never, eligibility: { minAge: 16, maxAge: 25 } }] });
    file.referrals.push({ from: "new-association", to: "mosaik", categories: ["LANGUAGE_LEARNING" as never], since: "2026-01-01" });
    const [before] = await seeded.db.query(`SELECT version FROM organizations WHERE slug = 'mosaik'`);
    const report = await importNetwork(seeded.db, copy(file), options());
    expect(report.rejected).toEqual([]);
    expect(report.created).toMatchObject({ organizations: 1, referrals: 1 });
    expect(report.updated).toMatchObject({ organizations: 1, referrals: 0, regions: 0 });
    const [after] = await seeded.db.query(`SELECT version, description FROM organizations WHERE slug = 'mosaik'`);
    expect(after).toEqual({ version: before.version + 1, description: "Changed by an import" });
    const again = await importNetwork(seeded.db, copy(file), options());
    expect(again.applied).toBe(false);
    expect(again.unchanged.organizations).toBe(file.organizations.length);
  });

  it("when one record is bad, then nothing is written and every rejection names the file, line, field and reason", async () => {
    const file = copy(await exportNetwork(seeded.db));
    file.organizations.push({ slug: "half-there", name: "Half There", kind: "NGO" as never, region: "correze" });
    file.organizations.push({ slug: "Bad Slug", name: "X", kind: "CLUB" as never, region: "correze" });
    file.referrals.push({ from: "half-there", to: "nowhere", categories: ["HOUSING" as never] });
    const text = JSON.stringify(file, null, 2);
    const organizations = await countRows(seeded.db, "organizations");
    const report = await importNetwork(seeded.db, (await textSource(text, "network.json"))!, options());
    expect(report.applied).toBe(false);
    expect(report.created.organizations).toBe(0);
    expect(report.rejected).toEqual([
      { file: "network.json", line: expect.any(Number), record: `organizations[${file.organizations.length - 1}]`, field: "slug", reason: expect.stringMatching(/not a slug/) },
      // Every fault of a record at once.
      { file: "network.json", line: expect.any(Number), record: `organizations[${file.organizations.length - 1}]`, field: "kind", reason: expect.stringMatching(/^must be one of .*got "CLUB"$/) },
      { file: "network.json", line: expect.any(Number), record: `referrals[${file.referrals.length - 1}]`, field: "to", reason: 'no organization "nowhere" is stored or in the file' },
    ]);
    // The line is where the record starts in the text.
    const lines = text.split("\n");
    expect(lines[report.rejected[0].line! - 1]).toMatch(/^\s*\{$/);
    expect(lines[report.rejected[0].line!]).toContain('"slug": "Bad Slug"');
    expect(await countRows(seeded.db, "organizations")).toBe(organizations);
    expect(await seeded.db.query(`SELECT 1 FROM organizations WHERE slug = 'half-there'`)).toEqual([]);
  });

  it("when a referral would run beside a stored one for the same ends and categories, then it is rejected", async () => {
    const stored = (await exportNetwork(seeded.db)).referrals[0];
    const file: NetworkFile = { regions: [], organizations: [], partnerships: [], platforms: [], referrals: [{ ...stored, since: "1999-01-01", until: null, status: "ACTIVE" as never }] };
    const report = await importNetwork(seeded.db, file, options());
    expect(report.rejected).toEqual([expect.objectContaining({ record: "referrals[0]", field: "since", reason: expect.stringMatching(/same period/) })]);
  });

  it("when it is a dry run, then the report counts what would change and nothing is written", async () => {
    const file: NetworkFile = { regions: [{ slug: "dry-region", name: "Dry", country: "FR" }], organizations: [{ slug: "dry-org", name: "Dry Org", kind: "NGO" as never, region: "dry-region" }], referrals: [], partnerships: [], platforms: [] };
    const version = await graphVersion(seeded.db);
    const report = await importNetwork(seeded.db, file, options({ dryRun: true }));
    expect(report).toMatchObject({ dryRun: true, applied: false, created: { regions: 1, organizations: 1 }, rejected: [] });
    expect(await seeded.db.query(`SELECT 1 FROM regions WHERE slug = 'dry-region'`)).toEqual([]);
    expect(await graphVersion(seeded.db)).toBe(version);
  });

  it("when a region is chosen, then only its records are imported and the rest is counted as skipped", async () => {
    const file: NetworkFile = {
      regions: [{ slug: "scoped-a", name: "A", country: "FR" }, { slug: "scoped-b", name: "B", country: "FR" }],
      organizations: [{ slug: "in-a", name: "In A", kind: "NGO" as never, region: "scoped-a" }, { slug: "in-b", name: "In B", kind: "NGO" as never, region: "scoped-b" }],
      referrals: [{ from: "in-a", to: "mosaik", categories: ["HOUSING" as never] }],
      partnerships: [],
      platforms: [],
    };
    const report = await importNetwork(seeded.db, copy(file), options({ region: "scoped-a" }));
    expect(report.applied).toBe(true);
    expect(report.created).toMatchObject({ regions: 1, organizations: 1, referrals: 1 });
    expect(report.skipped).toMatchObject({ regions: 1, organizations: 1, referrals: 0 });
    expect(await seeded.db.query(`SELECT slug FROM organizations WHERE slug IN ('in-a', 'in-b')`)).toEqual([{ slug: "in-a" }]);
  });

  it("when the chosen region is neither stored nor in the file, then the import is refused as a whole, naming the stored ones", async () => {
    const file: NetworkFile = { regions: [], organizations: [{ slug: "somewhere", name: "Somewhere", kind: "NGO" as never, region: "correze" }], referrals: [], partnerships: [], platforms: [] };
    const report = await importNetwork(seeded.db, file, options({ region: "atlantis" }));
    expect(report.applied).toBe(false);
    expect(report.rejected).toEqual([{ file: "network.json", line: null, record: "file", field: "region", reason: expect.stringMatching(/^--region "atlantis" is neither stored nor in the file: give a region slug that is \(stored: .*correze/) }]);
  });

  it("when a platform holds two meetings on one day, then a second import finds it unchanged, whatever the database's collation", async () => {
    const file: NetworkFile = {
      regions: [],
      organizations: [],
      referrals: [],
      partnerships: [],
      platforms: [{ slug: "same-day-platform", name: "Same Day", region: "correze", coordinator: null, members: ["mosaik"], meetings: [
        { date: "2024-05-01", title: "apéro", format: null },
        { date: "2024-05-01", title: "Bilan", format: "ONLINE" as never },
      ] }],
    };
    expect((await importNetwork(seeded.db, copy(file), options())).created.platforms).toBe(1);
    const again = await importNetwork(seeded.db, copy(file), options());
    expect(again).toMatchObject({ applied: false, unchanged: { platforms: 1 }, updated: { platforms: 0 } });
  });

  it("when a slug is given twice in the file, then the second record is rejected, pointing at the first", async () => {
    const file: NetworkFile = {
      regions: [],
      organizations: [
        { slug: "twice", name: "Twice", kind: "NGO" as never, region: "correze", services: [{ name: "A", category: "HOUSING" as never }] },
        { slug: "twice", name: "Twice", kind: "NGO" as never, region: "correze", services: [{ name: "B", category: "HEALTH" as never }] },
      ],
      referrals: [],
      partnerships: [],
      platforms: [],
    };
    const report = await importNetwork(seeded.db, file, options());
    expect(report.applied).toBe(false);
    expect(report.rejected).toEqual([expect.objectContaining({ record: "organizations[1]", field: "slug", reason: '"twice" is already organizations[0] of this file: give each once' })]);
  });

  it("when a referral record is ENDED without until, then it is refused naming until, and with until it lands", async () => {
    const ended = { from: "institut-don-bosco", to: "mission-locale", categories: ["MENTORING" as never], status: "ENDED" as never, since: "2020-01-01", description: "old" };
    const file: NetworkFile = { regions: [], organizations: [], referrals: [ended], partnerships: [], platforms: [] };
    const refused = await importNetwork(seeded.db, copy(file), options());
    expect(refused.rejected).toEqual([expect.objectContaining({ record: "referrals[0]", field: "until", reason: expect.stringMatching(/must be given when the status is ENDED/) })]);
    file.referrals = [{ ...ended, until: "2021-06-30" }, { ...ended, status: "ACTIVE" as never, since: "2021-07-01", description: "new" }];
    expect((await importNetwork(seeded.db, copy(file), options())).created.referrals).toBe(2);
    const again = await importNetwork(seeded.db, copy(file), options());
    expect(again).toMatchObject({ applied: false, unchanged: { referrals: 2 }, updated: { referrals: 0 }, rejected: [], changeCount: 0 });
    // An ENDED referral's period blocks another one over the same days (no "ENDED without until" exception).
    file.referrals = [{ ...ended, since: "2021-01-01", until: "2021-03-31", status: "ACTIVE" as never }];
    const clash = await importNetwork(seeded.db, copy(file), options({ dryRun: true }));
    expect(clash.rejected).toEqual([expect.objectContaining({ field: "since", reason: expect.stringMatching(/runs in the same period \(since 2020-01-01, until 2021-06-30\)/) })]);
  });

  it("when progress is asked for, then it is told as records are checked and written", async () => {
    const file: NetworkFile = {
      regions: [],
      organizations: [{ slug: "progress-org", name: "Progress", kind: "NGO" as never, region: "correze" }],
      referrals: [{ from: "progress-org", to: "mosaik", categories: ["HOUSING" as never] }],
      partnerships: [],
      platforms: [],
    };
    const messages: string[] = [];
    const report = await importNetwork(seeded.db, file, options({ progress: (message) => messages.push(message) }));
    expect(report.applied).toBe(true);
    expect(messages).toEqual(["organizations 1/1", "referrals 1/1"]);
  });

  it("when the file is not a network file, then it is refused with a reason", async () => {
    const report = await importNetwork(seeded.db, { format: "hsds" } as never, options());
    expect(report.rejected).toEqual([expect.objectContaining({ field: "format", reason: expect.stringMatching(/passerelle-network/) })]);
  });
});
