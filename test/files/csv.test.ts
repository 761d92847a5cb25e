import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seededDatabase, TestDatabase, countRows } from "../helpers/database";
import { importNetwork } from "../../src/files/import";
import { csvKind, csvSource } from "../../src/files/csv";
import { ROOT } from "../../src/root";

const actor = { apiKeyId: null, name: "test csv" };
const sample = (name: string) => ({ file: name, text: fs.readFileSync(path.join(ROOT, "samples", name), "utf8") });

let database: TestDatabase;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(() => database.close());

async function importCsv(files: Parameters<typeof csvSource>[0], dryRun = false) {
  const { source, rejected } = csvSource(files);
  return importNetwork(database.db, source, { actor, dryRun, rejected, file: "csv" });
}

describe("CSV spreadsheets", () => {
  it("when the samples (the seed's Corrèze as spreadsheets) are imported over the seed, then every record matches: nothing changes", async () => {
    const organizations = sample("correze-organizations.csv");
    const referrals = sample("correze-referrals.csv");
    expect([csvKind(organizations.text), csvKind(referrals.text)]).toEqual(["organizations", "referrals"]);
    const report = await importCsv({ organizations, referrals });
    expect(report.rejected).toEqual([]);
    expect(report.unchanged).toMatchObject({ organizations: 5, referrals: 1 });
    expect(report.created).toMatchObject({ organizations: 0, referrals: 0 });
    expect(report.updated).toMatchObject({ organizations: 0, referrals: 0 });
  });

  it("when a comma-separated file with a byte-order mark and quoted lists is imported, then its organization and services land", async () => {
    const text = '\uFEFFslug,name,kind,region,service_name,service_category,service_target_groups,service_min_age,service_max_age\r\n' +
      'csv-org,CSV Org,ASSOCIATION,correze,Français,LANGUAGE_LEARNING,"RESETTLED_REFUGEE, ASYLUM_SEEKER",16,25\r\n' +
      'csv-org,,,,Sport,SPORT_AND_CULTURE,,,\r\n';
    const report = await importCsv({ organizations: { file: "orgs.csv", text } });
    expect(report).toMatchObject({ applied: true, created: { organizations: 1 }, rejected: [] });
    const services = await database.db.query(
      `SELECT s.name, s.target_groups, s.min_age FROM services s JOIN organizations o ON o.id = s.organization_id WHERE o.slug = 'csv-org' ORDER BY s.position`,
    );
    expect(services).toEqual([
      { name: "Français", target_groups: ["ASYLUM_SEEKER", "RESETTLED_REFUGEE"], min_age: 16 },
      { name: "Sport", target_groups: [], min_age: null },
    ]);
  });

  it("when rows are bad, then nothing is written and each is reported with its file and line", async () => {
    const organizations = {
      file: "orgs.csv",
      text: ["slug;name;kind;region;colour;service_name;service_category;service_min_age", "bad-kind;Bad;CLUB;correze;;;;", "two-names;One;NGO;correze;;A;HOUSING;abc", "two-names;Other;;;;B;HOUSING;"].join("\n"),
    };
    const referrals = { file: "refs.csv", text: ["from;to;categories", "mosaik;ghost;HOUSING"].join("\n") };
    const before = await countRows(database.db, "organizations");
    const report = await importCsv({ organizations, referrals });
    expect(report.applied).toBe(false);
    const found = report.rejected.map((r) => `${r.file}:${r.line} ${r.field}`).sort();
    expect(found).toEqual(["orgs.csv:1 colour", "orgs.csv:2 kind", "orgs.csv:3 service_min_age", "orgs.csv:4 name", "refs.csv:2 to"]);
    expect(report.rejected.find((r) => r.field === "name")!.reason).toMatch(/says "Other" where line 3 says "One"/);
    expect(await countRows(database.db, "organizations")).toBe(before);
  });

  it("when a row is wrong in several cells, then each is told with the line its row starts on and the column's header", async () => {
    const organizations = {
      file: "orgs.csv",
      text: ["slug,name,kind,region,website,service_name,service_category,service_min_age,service_max_age",
        "cells-org,Cells,NGO,correze,not a site,Accueil,SOCIAL_ORIENTATION,,",
        "cells-org,,,,,Logement,HOUSE,18,200"].join("\n"),
    };
    const referrals = { file: "refs.csv", text: ["from,to,categories,min_age,status", "mosaik,mission-locale,HOUSING,abc,ENDED"].join("\n") };
    const report = await importCsv({ organizations, referrals }, true);
    expect(report.rejected.map((r) => `${r.file}:${r.line} ${r.field}`)).toEqual([
      "orgs.csv:2 website", "orgs.csv:3 service_category", "orgs.csv:3 service_max_age", "refs.csv:2 min_age",
    ]);
    // Once its cells are right, the ENDED row still needs its until column.
    const ended = await importCsv({ referrals: { file: "refs.csv", text: "from,to,categories,status\nmosaik,mission-locale,HOUSING,ENDED\n" } }, true);
    expect(ended.rejected.map((r) => `${r.file}:${r.line} ${r.field}: ${r.reason}`)).toEqual([expect.stringMatching(/^refs\.csv:2 until: must be given when the status is ENDED/)]);
  });

  it("when a referrals file is read from disk, then each row is reported at the line it starts on, a quoted cell over several lines included", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-csv-")), "refs.csv");
    // One day each, so that they do not overlap.
    const day = (i: number) => new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10);
    const rows = [
      "from,to,categories,since,until,description",
      ...Array.from({ length: 3000 }, (_, i) => `mosaik,mission-locale,HEALTH,${day(i)},${day(i)},"row ${i}\nsecond line"`),
      "mosaik,ghost,HOUSING,,,after",
      "mosaik,mission-locale,HOUSING,,,a,b,c",
    ];
    fs.writeFileSync(file, rows.join("\n"));
    const report = await importCsv({ referrals: { file: "refs.csv", path: file } }, true);
    expect(report.rejected.map((r) => `${r.file}:${r.line} ${r.record} ${r.field}: ${r.reason}`)).toEqual([
      // Row 3000 (0-based) starts on line 2 + 2 * 3000: each row before it takes two lines.
      'refs.csv:6002 referrals[3000] to: no organization "ghost" is stored or in the file',
      "refs.csv:6003 referrals[3001] : has 8 cells, the header names 6 columns",
    ]);
    expect(report.created.referrals).toBe(0);
  });

  it("when a referrals file on disk is not UTF-8, then the row is refused naming its line and the encodings to give, and nothing is written", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-csv-")), "refs.csv");
    fs.writeFileSync(file, Buffer.concat([Buffer.from("from,to,categories,description\nmosaik,mission-locale,HOUSING,ok\nmosaik,mission-locale,HEALTH,caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
    const report = await importCsv({ referrals: { file: "refs.csv", path: file } });
    expect(report.applied).toBe(false);
    expect(report.rejected).toEqual([expect.objectContaining({ file: "refs.csv", line: 3, reason: expect.stringMatching(/^line 3, column 33: byte 0xE9 is not UTF-8: .*--encoding windows-1252/) })]);
    const { source, rejected } = csvSource({ referrals: { file: "refs.csv", path: file } }, "windows-1252");
    const decoded = await importNetwork(database.db, source, { actor, dryRun: true, rejected, file: "csv" });
    expect(decoded).toMatchObject({ rejected: [], created: { referrals: 2 } });
  });

  it("when a row of the referrals file is not readable CSV, then it alone is refused and the rows before it are still checked", async () => {
    const text = ["", "from,to,categories", "mosaik,ghost,HOUSING", '"c"x,d,HOUSING'].join("\n");
    const report = await importCsv({ referrals: { file: "refs.csv", text } }, true);
    // csv-parse may tell more than one fault of the rest of the file (here, the quote is then not closed at its end).
    expect(report.rejected.map((r) => `${r.line} ${r.record} ${r.field}: ${r.reason.slice(0, 38)}`).slice(0, 2)).toEqual([
      '3 referrals[0] to: no organization "ghost" is stored or i',
      "4 referrals[1] : is not readable CSV: Invalid Closing Q",
    ]);
  });
});
