import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseImport, runExport, runImport, runNetworkCommand, UsageError } from "../../src/cli/network";
import { createPostgresDatabase, preparedDataDir } from "../helpers/database";
import { ROOT } from "../helpers/process";

// `npm run export` and `npm run import` on a real database of this run's backend.

/** Text as Windows-1252 bytes (Node encodes only UTF-8 and Latin-1): Latin-1 plus the few characters of 0x80-0x9F this text holds. */
function windows1252(text: string): Buffer {
  const extra: Record<string, number> = { "€": 0x80, "–": 0x96, "—": 0x97, "Œ": 0x8c, "œ": 0x9c, "’": 0x92 };
  return Buffer.from([...text].map((c) => extra[c] ?? (c.charCodeAt(0) < 0x100 ? c.charCodeAt(0) : 0x3f)));
}
let env: Record<string, string>;
let dir: string;
let dropDatabase: (() => Promise<void>) | undefined;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-network-cli-"));
  if (process.env.TEST_DATABASE_URL) {
    const pg = await createPostgresDatabase();
    env = { DATABASE_URL: pg.url };
    dropDatabase = pg.drop;
  } else {
    env = { DATA_DIR: preparedDataDir("passerelle-network-cli-data-") };
  }
});
afterAll(() => dropDatabase?.());

describe("npm run export / npm run import", () => {
  it("when the export is imported back, then nothing changes, and a bad file is refused with its line", async () => {
    const file = path.join(dir, "network.json");
    const said: string[] = [];
    await runExport([file], (text) => said.push(text), env);
    const text = fs.readFileSync(file, "utf8");
    const exported = JSON.parse(text);
    // It says what the file holds, counted as written.
    const kB = (fs.statSync(file).size / 1000).toLocaleString("en", { maximumFractionDigits: 1 });
    const counts = ["regions", "organizations", "referrals", "partnerships", "platforms"].map((section) => `${section} ${exported[section].length}`);
    expect(said).toEqual([`Exported to ${file} (${kB} kB): ${counts.join(", ")}.\n`]);
    // Written a page at a time, it is the text JSON.stringify would give, and no partial file is left.
    expect(text).toBe(`${JSON.stringify(exported, null, 2)}\n`);
    expect(exported.partnerships.length).toBeGreaterThan(0);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    expect(exported.organizations.map((o: { slug: string }) => o.slug)).toContain("mosaik");

    const lines: string[] = [];
    const report = await runImport([file], (line) => lines.push(line), env);
    expect(report.rejected).toEqual([]);
    expect(lines).toContain("Nothing to change: the database already holds this file.");

    exported.referrals[0].to = "nowhere";
    fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify(exported, null, 2));
    const out: string[] = [];
    const refused = await runImport([path.join(dir, "bad.json"), "--dry-run"], (line) => out.push(line), env);
    expect(refused.applied).toBe(false);
    expect(out.join("\n")).toMatch(/^ {2}bad\.json:\d+ referrals\[0\] to: no organization "nowhere" is stored or in the file$/m);
  }, 60_000);

  it("when the export cannot be written, then it fails with the reason and leaves no file", async () => {
    const file = path.join(dir, "blocked.json");
    fs.mkdirSync(`${file}.partial`);
    await expect(runExport([file], () => undefined, env)).rejects.toThrow(/EISDIR/);
    expect(fs.existsSync(file)).toBe(false);
  }, 60_000);

  it("when the sample spreadsheets are imported, then they match the seed", async () => {
    const lines: string[] = [];
    const samples = ["correze-organizations.csv", "correze-referrals.csv"].map((name) => path.join(ROOT, "samples", name));
    const report = await runImport(samples, (line) => lines.push(line), env);
    expect(report.rejected).toEqual([]);
    expect(lines[0]).toBe("correze-organizations.csv + correze-referrals.csv");
    expect(lines).toContain("Nothing to change: the database already holds this file.");
  }, 60_000);

  it("when --help or -h is given, then the usage is printed and the command exits 0, without opening a database", async () => {
    for (const [command, flag] of [["import", "--help"], ["import", "-h"], ["export", "--help"], ["export", "-h"]]) {
      const out: string[] = [];
      expect(await runNetworkCommand(command, [flag], (text) => void out.push(text))).toBe(0);
      expect(out.join("")).toMatch(/^Usage:\n {2}npm run import -- FILE/);
    }
  });

  it("when a dry run would overwrite stored values, then the command prints each, before and after", async () => {
    const file = path.join(dir, "changed.json");
    await runExport([file], () => undefined, env);
    const exported = JSON.parse(fs.readFileSync(file, "utf8"));
    const mosaik = exported.organizations.find((o: { slug: string }) => o.slug === "mosaik");
    mosaik.website = "https://mosaik.example";
    delete mosaik.services; // left out: kept, not a change
    fs.writeFileSync(file, JSON.stringify(exported));
    const lines: string[] = [];
    const report = await runImport([file, "--dry-run"], (line) => lines.push(line), env);
    expect(report).toMatchObject({ rejected: [], changeCount: 1 });
    expect(lines).toContain("1 stored value to change:");
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}changed\.json:\d+ organizations\[\d+\] website: \(none\) -> "https:\/\/mosaik\.example"$/));
  }, 60_000);

  it("when a Windows-1252 spreadsheet (Excel's French CSV) is imported, then it is refused naming the line unless --encoding says so, and then stored right", async () => {
    // The sample, with a new organization whose name and description hold é, ç, œ and €, saved as Windows-1252.
    const sample = fs.readFileSync(path.join(ROOT, "samples", "correze-organizations.csv"), "utf8");
    const eol = sample.includes("\r\n") ? "\r\n" : "\n";
    const text = `${sample.trimEnd()}${eol}cooperative-oeuvre;Coopérative Œuvre & Façon;ASSOCIATION;correze;Cours de français à 5 € par mois, au cœur du village;;Français;LANGUAGE_LEARNING;;;;${eol}`;
    const file = path.join(dir, "organisations-windows-1252.csv");
    const bytes = windows1252(text);
    fs.writeFileSync(file, bytes);
    // é ç œ € as Windows-1252 writes them, one byte each.
    for (const byte of [0xe9, 0xe7, 0x9c, 0x80, 0x8c]) expect(bytes.includes(byte)).toBe(true);
    const count = async () => {
      const lines: string[] = [];
      await runImport([path.join(ROOT, "samples", "correze-organizations.csv"), "--dry-run"], (line) => lines.push(line), env);
      return lines.find((line) => line.startsWith("  organizations"));
    };
    const before = await count();
    // Line 2 holds the first byte that is not UTF-8: the è of "Corrèze" (column 86).
    await expect(runImport([file], () => undefined, env)).rejects.toThrow(
      /^organisations-windows-1252\.csv: line 2, column \d+: byte 0xE8 is not UTF-8: save it as "CSV UTF-8".*--encoding windows-1252 \(accepted: windows-1252, windows-1250, windows-1253, iso-8859-1, iso-8859-2, iso-8859-7\)$/,
    );
    expect(await count()).toBe(before);

    const report = await runImport([file, "--encoding", "windows-1252"], () => undefined, env);
    expect(report).toMatchObject({ applied: true, rejected: [], created: { organizations: 1 }, changeCount: 0 });
    const exported: string[] = [];
    await runExport([], (chunk) => void exported.push(chunk), env);
    const stored = JSON.parse(exported.join("")).organizations.find((o: { slug: string }) => o.slug === "cooperative-oeuvre");
    expect(stored).toMatchObject({ name: "Coopérative Œuvre & Façon", description: "Cours de français à 5 € par mois, au cœur du village", services: [expect.objectContaining({ name: "Français" })] });
    expect(() => parseImport(["a.csv", "--encoding", "latin9"])).toThrow(/--encoding needs one of utf-8, windows-1252, .*not "latin9"/);
  }, 60_000);

  it("when the arguments are wrong, then the usage error says what to give", async () => {
    expect(() => parseImport([])).toThrow(UsageError);
    expect(() => parseImport(["a.json", "--region"])).toThrow(/--region needs a region slug/);
    expect(() => parseImport(["a.json", "--fast"])).toThrow(/unknown option "--fast"/);
    expect(parseImport(["a.json", "--dry-run", "--region", "correze"])).toEqual({ files: ["a.json"], dryRun: true, region: "correze" });
    expect(parseImport(["o.csv", "r.csv"])).toEqual({ files: ["o.csv", "r.csv"], dryRun: false, region: undefined });
    expect(() => parseImport(["a.json", "b.json"])).toThrow(/one network file at a time/);
    expect(() => parseImport(["a.json", "r.csv"])).toThrow(/without a JSON file/);
    await expect(runImport([path.join(dir, "missing.json")], () => undefined, env)).rejects.toThrow(/cannot read/);
  });
});
