import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seededDatabase, TestDatabase } from "../helpers/database";
import { importNetwork, MAX_LISTED_REJECTIONS } from "../../src/files/import";
import { fileSource, NetworkRecord, NetworkSource, textSource } from "../../src/files/network-source";

// Network files read a chunk at a time (npm run import, the mutation's text): records found
// across chunk boundaries, sections in any order, each record's line, broken pieces refused.

const actor = { apiKeyId: null, name: "test source" };
let seeded: TestDatabase;
let dir: string;
beforeAll(async () => {
  seeded = await seededDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-source-"));
});
afterAll(async () => {
  await seeded.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const all = async (source: NetworkSource, section: "organizations" | "referrals" | "regions") => {
  const records: NetworkRecord[] = [];
  for await (const record of source.records(section)) records.push(record);
  return records;
};

/** Text as the bytes of a single-byte code page, from the decoder's own table. */
function encoded(text: string, encoding: string): Buffer {
  const decoder = new TextDecoder(encoding);
  const byteOf = new Map(Array.from({ length: 256 }, (_, b) => [decoder.decode(Uint8Array.of(b)), b] as const));
  return Buffer.from([...text].map((c) => byteOf.get(c) ?? byteOf.get("?")!));
}

describe("a network file read a chunk at a time", () => {
  it("when a file is in a Greek or Polish code page, then --encoding decodes it, records across chunks included; as UTF-8 it is refused naming the line", async () => {
    const names = { "windows-1253": "Κέντρο Καρδίτσας", "iso-8859-2": "Fundacja Łódź Żółć" };
    for (const [encoding, name] of Object.entries(names)) {
      const organizations = Array.from({ length: 2000 }, (_, i) => ({ slug: `enc-${i}`, name: `${name} ${i}`, kind: "NGO", region: "karditsa" }));
      const text = JSON.stringify({ regions: [], organizations, referrals: [] }, null, 1);
      const file = path.join(dir, `${encoding}.json`);
      fs.writeFileSync(file, encoded(text, encoding));
      const records = await all((await fileSource(file, "enc.json", encoding as never))!, "organizations");
      expect(records.map((r) => r.value.name)).toEqual(organizations.map((o) => o.name));
      expect(records[1500].line).toBe(text.split("\n").findIndex((line) => line.includes('"enc-1500"')));
      await expect(fileSource(file, "enc.json")).rejects.toThrow(/^enc\.json: line \d+, column \d+: byte 0x[0-9A-F]{2} is not UTF-8: save it as "CSV UTF-8"/);
    }
    // A UTF-8 byte-order mark is UTF-8.
    expect(await fileSource(write("bom.json", '\uFEFF{ "regions": [] }'), "bom.json")).toBeDefined();
  });

  it("when records span many chunks, with accents and escaped quotes, then each is read whole, with the line it starts on", async () => {
    const organizations = Array.from({ length: 3000 }, (_, i) => ({
      slug: `org-${i}`,
      name: `Association « Corrèze » n°${i} "quoted" \\ { [ ,`,
      kind: "ASSOCIATION",
      region: "correze",
      description: "ligne\nsuivante ".repeat(i % 7),
    }));
    const text = JSON.stringify({ format: "passerelle-network", version: 1, organizations }, null, 2);
    expect(text.length).toBeGreaterThan(4 * 65_536);
    const source = (await fileSource(write("big.json", text), "big.json"))!;
    expect(source.counts.organizations).toBe(3000);
    expect(source).toMatchObject({ format: "passerelle-network", version: 1 });
    const records = await all(source, "organizations");
    expect(records.map((r) => r.value)).toEqual(organizations);
    const lines = text.split("\n");
    for (const record of [records[0], records[1234], records[2999]]) {
      expect(lines[record.line! - 1]).toMatch(/^ {4}\{$/);
      expect(lines[record.line!]).toContain(`"slug": "org-${record.index}"`);
    }
    const report = await importNetwork(seeded.db, source, { actor, dryRun: true });
    expect(report).toMatchObject({ rejectedCount: 0, created: { organizations: 3000 }, applied: false });
  });

  it("when the sections come in another order than an export's, then referrals still find the organizations written after them in the file", async () => {
    const text = JSON.stringify({
      referrals: [{ from: "late-org", to: "mosaik", categories: ["HOUSING"] }],
      platforms: [],
      organizations: [{ slug: "late-org", name: "Late", kind: "NGO", region: "late-region" }],
      regions: [{ slug: "late-region", name: "Late Region", country: "FR" }],
    });
    const report = await importNetwork(seeded.db, (await fileSource(write("order.json", text), "order.json"))!, { actor, dryRun: true });
    expect(report).toMatchObject({ rejected: [], created: { regions: 1, organizations: 1, referrals: 1 } });
  });

  it("when a record is not JSON, or not an object, or holds a value of the wrong type, then it alone is rejected with its line and field", async () => {
    const text = [
      "{",
      '  "organizations": [',
      '    { "slug": "typed-1", "name": 42, "kind": "NGO", "region": "correze" },',
      '    { "slug": "typed-2", "name": "Two", "kind": "NGO", "region": "correze", "services": [null] },',
      '    { "slug": "typed-3", "name": "Three", "kind": "NGO", "region": "correze", "services": [{ "name": "S", "category": "HEALTH", "eligibility": "adults" }] },',
      '    { "slug": "typed-4", "name": "Four" "kind": "NGO" },',
      "    7,",
      '    { "slug": "typed-5", "name": "Five", "kind": "NGO", "region": "correze" }',
      "  ],",
      '  "referrals": [{ "from": "typed-5", "to": "mosaik", "categories": "HOUSING", "since": 2024 }]',
      "}",
    ].join("\n");
    const report = await importNetwork(seeded.db, (await fileSource(write("typed.json", text), "typed.json"))!, { actor });
    expect(report.applied).toBe(false);
    expect(report.rejected).toEqual([
      { file: "typed.json", line: 3, record: "organizations[0]", field: "name", reason: "must be text, got 42" },
      { file: "typed.json", line: 4, record: "organizations[1]", field: "services[0]", reason: "must be a JSON object, got null" },
      { file: "typed.json", line: 5, record: "organizations[2]", field: "services[0].eligibility", reason: 'must be a JSON object, got "adults"' },
      { file: "typed.json", line: 6, record: "organizations[3]", field: "", reason: expect.stringMatching(/^is not JSON: /) },
      { file: "typed.json", line: 7, record: "organizations[4]", field: "", reason: "must be a JSON object, got 7" },
      { file: "typed.json", line: 10, record: "referrals[0]", field: "categories", reason: "must be a list" },
      { file: "typed.json", line: 10, record: "referrals[0]", field: "since", reason: "must be a day written YYYY-MM-DD, got 2024" },
    ]);
    expect(await seeded.db.query(`SELECT slug FROM organizations WHERE slug LIKE 'typed-%'`)).toEqual([]);
  });

  it("when the file is broken around its records or cut short, then it is refused as not JSON, with the line", async () => {
    await expect(fileSource(write("cut.json", '{\n  "organizations": [\n    { "slug": "a" },\n'), "cut.json")).rejects.toThrow(/cut short/);
    await expect(fileSource(write("comma.json", '{\n  "regions": [],\n  "organizations": [{}, ]\n}'), "comma.json")).rejects.toThrow(/empty item in the list "organizations" \(line 3\)/);
    await expect(fileSource(write("key.json", '{\n  regions: []\n}'), "key.json")).rejects.toThrow(/expected a key in quotes.*\(line 2\)/);
    await expect(fileSource(write("empty.json", ""), "empty.json")).rejects.toThrow(/empty/);
    const notList = await importNetwork(seeded.db, (await textSource('{ "regions": {} }', "x.json"))!, { actor });
    expect(notList.rejected).toEqual([{ file: "x.json", line: 1, record: "file", field: "regions", reason: "must be a list" }]);
  });

  it("when a JSON list is given, then it is left to the Open Referral reader (no source)", async () => {
    expect(await textSource('[{ "name": "x" }]', "hsds.json")).toBeUndefined();
    expect(await textSource('{ "contents": [] }', "page.json")).toBeUndefined();
  });

  it("when more records are rejected than a report lists, then they are counted", async () => {
    const organizations = Array.from({ length: MAX_LISTED_REJECTIONS + 5 }, (_, i) => ({ slug: `Bad ${i}`, name: "x", kind: "NGO", region: "correze" }));
    const report = await importNetwork(seeded.db, (await textSource(JSON.stringify({ organizations }), "many.json"))!, { actor });
    expect(report.rejected).toHaveLength(MAX_LISTED_REJECTIONS);
    expect(report.rejectedCount).toBe(MAX_LISTED_REJECTIONS + 5);
  });

  it("when more records are rejected than listed, then the listed ones are the first of the file, whatever their fault", async () => {
    const referrals = [
      ...Array.from({ length: MAX_LISTED_REJECTIONS }, () => ({ from: "nope", to: "mosaik", categories: ["HOUSING"] })),
      ...Array.from({ length: MAX_LISTED_REJECTIONS }, () => 42),
    ];
    const report = await importNetwork(seeded.db, (await textSource(JSON.stringify({ referrals }), "order.json"))!, { actor });
    expect(report.rejectedCount).toBe(2 * MAX_LISTED_REJECTIONS);
    expect(report.rejected.map((r) => r.record)).toEqual(Array.from({ length: MAX_LISTED_REJECTIONS }, (_, i) => `referrals[${i}]`));
  });

  it("when values the database cannot take are given (a NUL in a slug, February 30th, a huge count), then they are rejections, not failures", async () => {
    const text = JSON.stringify({
      referrals: [
        { from: "mosaik\u0000x", to: "mission-locale", categories: ["HOUSING"] },
        { from: "mosaik", to: "mission-locale", categories: ["HOUSING"], since: "2023-02-29" },
        { from: "mosaik", to: "mission-locale", categories: [{ toString: 0 }] },
      ],
      platforms: [{ slug: "huge", name: "Huge", region: "correze", coordinator: null, members: [], meetings: [{ date: "2024-01-01", title: "T", format: null, participantCount: 1e12 }] }],
    });
    const report = await importNetwork(seeded.db, (await textSource(text, "limits.json"))!, { actor });
    expect(report.rejected.map((r) => `${r.record} ${r.field}: ${r.reason}`)).toEqual([
      'referrals[0] from: no organization "mosaik\\u0000x" is stored or in the file',
      'referrals[1] since: must be a day written YYYY-MM-DD, got "2023-02-29"',
      expect.stringMatching(/^referrals\[2\] categories\[0\]: must be one of /),
      "platforms[0] meetings[0].participantCount: must be a whole number from 0 to 100000, got 1000000000000",
    ]);
  });

  it("when the file starts with a byte-order mark, then it is read; when its format is not a word, then it is refused", async () => {
    const marked = await importNetwork(seeded.db, (await textSource(`\uFEFF${JSON.stringify({ format: "passerelle-network", regions: [] })}`, "bom.json"))!, { actor });
    expect(marked.rejected).toEqual([]);
    const nested = await importNetwork(seeded.db, (await textSource('{ "format": { "name": "x" }, "regions": [] }', "f.json"))!, { actor });
    expect(nested.rejected).toEqual([{ file: "f.json", line: 1, record: "file", field: "format", reason: 'must be "passerelle-network"' }]);
  });

  it("when a list or a field is misspelt, then it is refused rather than silently left out", async () => {
    const misspeltList = await importNetwork(seeded.db, (await textSource('{ "organisations": [] }', "typo.json"))!, { actor });
    expect(misspeltList.rejected).toEqual([{ file: "typo.json", line: null, record: "file", field: "organisations", reason: expect.stringMatching(/^is not a list of a network file; they are regions, organizations/) }]);
    const text = JSON.stringify({
      organizations: [{ slug: "typo-org", name: "Typo", kind: "NGO", region: "correze", webiste: "https://example.org", services: [{ name: "S", category: "HEALTH", eligibility: { minage: 3 } }] }],
      referrals: [{ from: "mosaik", to: "mission-locale", categories: ["HOUSING"], sinse: "2024-01-01" }],
    });
    const report = await importNetwork(seeded.db, (await textSource(text, "typo.json"))!, { actor });
    expect(report.rejected.map((r) => `${r.record} ${r.field}: ${r.reason.split(";")[0]}`)).toEqual([
      "organizations[0] webiste: is not a field of organizations",
      "organizations[0] services[0].eligibility.minage: is not a field of organizations services eligibility",
      "referrals[0] sinse: is not a field of referrals",
    ]);
    const nested = await importNetwork(seeded.db, { regions: [], organizations: [{ slug: "typo-org", name: "Typo", kind: "NGO" as never, region: "correze", services: [{ name: "S", category: "HEALTH" as never, eligibility: { minage: 3 } as never }] }], referrals: [], partnerships: [], platforms: [] }, { actor });
    expect(nested.rejected.map((r) => r.field)).toEqual(["services[0].eligibility.minage"]);
  });
});

