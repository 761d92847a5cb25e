import "reflect-metadata";
import { runMain, UsageError } from "./main";
import fs from "node:fs";
import { finished } from "node:stream/promises";
import path from "node:path";
import { databaseOptions, loadConfig } from "../config/index";
import { seedIfEmpty } from "../db/seed/seed";
import { openDatabase } from "../db/data-source";
import { writeNetwork } from "../files/export";
import { ImportOptions, ImportReport, MAX_LISTED_CHANGES } from "../files/import";
import { NetworkFiles } from "../files/network-files";
import { CsvFile, csvFileKind, csvSource } from "../files/csv";
import { jsonSource } from "../files/hsds";
import { NetworkFile, SECTIONS } from "../files/network-file";
import { NetworkSource } from "../files/network-source";
import { DEFAULT_ENCODING, Encoding, ENCODINGS, EncodingError, isEncoding, OTHER_ENCODINGS } from "../files/encoding";

const USAGE = `Usage:
  npm run import -- FILE [--dry-run] [--region SLUG] [--encoding NAME]
  npm run import -- ORGANIZATIONS.csv [REFERRALS.csv] [--dry-run] [--region SLUG] [--encoding NAME]
  npm run import -- --help
  npm run export -- [FILE]          (standard output without FILE)

FILE is a Passerelle network file (JSON; schema/network.schema.json), such as
\`npm run export\` writes, or one or two CSV files (organizations with their
services, referrals: columns in the README; which is which is read from the
header). An import is one transaction: a file with one bad
record writes nothing, and every rejected record is listed with its line.
Records are matched by slug, so a second import of the same file changes
nothing. A field a record leaves out (a blank CSV cell) keeps what is stored;
null clears it; services, when given, are the whole list. The report lists
each stored value the import overwrites. --dry-run checks and reports without
writing; --region imports only that region's organizations and platforms and
the referrals and partnerships that touch them. Files are UTF-8 unless
--encoding says otherwise: ${OTHER_ENCODINGS}. The embedded database is opened by one process at a time:
stop the server first, or give the server and this command the same DATABASE_URL.`;

export { UsageError };

interface ImportArguments {
  files: string[];
  dryRun: boolean;
  region?: string;
  encoding?: Encoding;
}

export function parseImport(args: string[]): ImportArguments {
  const files: string[] = [];
  let dryRun = false;
  let region: string | undefined;
  let encoding: Encoding | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--dry-run") dryRun = true;
    else if (arg === "--region") {
      region = args[++i];
      if (region === undefined || region.startsWith("--")) throw new UsageError("--region needs a region slug, e.g. --region correze");
    } else if (arg === "--encoding") {
      const name = args[++i]?.toLowerCase();
      if (name === undefined || !isEncoding(name)) throw new UsageError(`--encoding needs one of ${ENCODINGS.join(", ")}${args[i] === undefined ? "" : `, not "${args[i]}"`}`);
      encoding = name;
    } else if (arg.startsWith("--")) throw new UsageError(`unknown option "${arg}"`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError("give the file to import");
  const csv = files.filter((f) => f.toLowerCase().endsWith(".csv"));
  if (csv.length === 0 && files.length > 1) throw new UsageError(`one network file at a time: ${files.join(", ")} were given`);
  if (csv.length > 0 && (csv.length !== files.length || files.length > 2)) {
    throw new UsageError("CSV comes as one organizations file and/or one referrals file, without a JSON file beside them");
  }
  return { files, dryRun, region, ...(encoding && { encoding }) };
}

/** Changes printed by the CLI: enough to check a dry run by eye, not a screenful per thousand. */
const PRINTED_CHANGES = 50;

/** The report as a person reads it: one line per kind of record, the values it overwrites, then every rejection. */
function formatReport(report: ImportReport): string[] {
  const lines: string[] = [];
  const verb = report.applied ? "" : report.dryRun ? " (dry run: nothing written)" : report.rejected.length ? " (nothing written)" : "";
  lines.push(`${report.file}${verb}`);
  for (const section of SECTIONS) {
    const parts = [`${report.created[section]} created`, `${report.updated[section]} updated`, `${report.unchanged[section]} unchanged`];
    if (report.skipped[section]) parts.push(`${report.skipped[section]} skipped (other regions)`);
    lines.push(`  ${section.padEnd(13)} ${parts.join(", ")}`);
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  if (report.changeCount) {
    const shown = report.changes.slice(0, PRINTED_CHANGES);
    lines.push(`${report.changeCount} stored value${report.changeCount === 1 ? "" : "s"} ${report.applied ? "changed" : "to change"}:`);
    for (const c of shown) lines.push(`  ${c.file}:${c.line ?? "?"} ${c.record} ${c.field}: ${c.before === null ? "(none)" : JSON.stringify(c.before)} -> ${c.after === null ? "(none)" : JSON.stringify(c.after)}`);
    if (report.changeCount > shown.length) lines.push(`  ... and ${report.changeCount - shown.length} more (the importNetwork mutation lists the first ${MAX_LISTED_CHANGES})`);
  }
  if (report.rejectedCount) {
    // One line per fault; a record with several wrong fields has several.
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    const records = new Set(report.rejected.map((r) => `${r.file}:${r.line}:${r.record}`)).size;
    lines.push(
      report.rejected.length < report.rejectedCount
        ? `${plural(report.rejectedCount, "fault")} in rejected records (the first ${report.rejected.length} listed):`
        : `${plural(report.rejectedCount, "fault")} in ${plural(records, "rejected record")}:`,
    );
    for (const r of report.rejected) lines.push(`  ${r.file}:${r.line ?? "?"} ${r.record} ${r.field}: ${r.reason}`);
  } else if (!report.applied && !report.dryRun) {
    lines.push("Nothing to change: the database already holds this file.");
  }
  return lines;
}

/** The network the files hold, and where their records are, as importNetwork takes them. */
/** A file the user named, found from where they ran the command (npm run runs in the package's folder). */
const given = (file: string, env: NodeJS.ProcessEnv) => path.resolve(env.INIT_CWD ?? process.cwd(), file);

/** Refuses a file that is missing, unreadable or a folder, saying which and where it was looked for. */
function readable(file: string): void {
  let stat: fs.Stats;
  try {
    fs.accessSync(file, fs.constants.R_OK);
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message}`, false);
  }
  if (!stat.isFile()) throw new UsageError(`${file} is a folder, not a file: give the network file (JSON) or the CSV files in it`, false);
}

async function load(files: string[], region: string | undefined, encoding: Encoding): Promise<{ data: NetworkFile | NetworkSource; options: Partial<ImportOptions> }> {
  try {
    return await loadFiles(files, region, encoding);
  } catch (error) {
    // Not UTF-8: said with its line, before anything is written.
    if (error instanceof EncodingError) throw new UsageError(error.message, false);
    throw error;
  }
}

async function loadFiles(files: string[], region: string | undefined, encoding: Encoding): Promise<{ data: NetworkFile | NetworkSource; options: Partial<ImportOptions> }> {
  for (const file of files) readable(file);
  if (!files[0].toLowerCase().endsWith(".csv")) {
    try {
      const { source, notes } = await jsonSource({ path: files[0] }, path.basename(files[0]), region, encoding);
      return { data: source, options: { notes } };
    } catch (error) {
      if (error instanceof SyntaxError) throw new UsageError(`${files[0]} is not JSON: ${error.message}`, false);
      throw error;
    }
  }
  const csv: { organizations?: CsvFile; referrals?: CsvFile } = {};
  for (const file of files) {
    const named = { file: path.basename(file), path: file };
    const kind = csvFileKind(named, encoding);
    if (!kind) throw new UsageError(`${file}: its first line names neither an organizations file (slug, name, kind, ...) nor a referrals file (from, to, categories, ...)`, false);
    if (csv[kind]) throw new UsageError(`${csv[kind]!.file} and ${path.basename(file)} are both ${kind} files: give one organizations file and/or one referrals file`, false);
    csv[kind] = named;
  }
  const { source, rejected } = csvSource(csv, encoding);
  return { data: source, options: { file: files.map((f) => path.basename(f)).join(" + "), rejected } };
}

export async function runImport(args: string[], out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<ImportReport> {
  const { files, dryRun, region, encoding } = parseImport(args);
  const { data, options } = await load(files.map((file) => given(file, env)), region, encoding ?? DEFAULT_ENCODING);
  const config = loadConfig(env);
  const db = await openDatabase(databaseOptions(config), async (db) => config.seed === "correze" && seedIfEmpty(db));
  try {
    // On a terminal, one line that says how far it has gone, overwritten as it goes.
    const terminal = process.stderr.isTTY && env === process.env;
    const progress = terminal ? (message: string) => process.stderr.write(`\r\x1b[K${message}`) : undefined;
    // Through the same NetworkFiles as the importNetwork mutation, as the operator (who may write everything).
    const report = await new NetworkFiles(db).import({ operator: "import" }, data, { dryRun, region, progress, ...options });
    if (terminal) process.stderr.write("\r\x1b[K");
    for (const line of formatReport(report)) out(line);
    return report;
  } finally {
    await db.destroy();
  }
}

/** Writes to a stream, waiting until the text is handed on; a failed write (disk full) rejects. */
const writeTo = (stream: NodeJS.WritableStream) => (text: string) => new Promise<void>((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));

/**
 * Writes the network as it is read (memory holds a page of rows, not the network): to `out`, or
 * into FILE through FILE.partial, renamed when complete, so that a failed export leaves no half file;
 * then says on `out` what FILE holds.
 */
export async function runExport(args: string[], out: (text: string) => unknown, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const option = args.find((arg) => arg.startsWith("--"));
  if (option) throw new UsageError(`unknown option "${option}": export writes the whole database (to import a part, give --region to import)`);
  if (args.length > 1) throw new UsageError(`export takes at most one argument, the file to write; ${args.length} were given`);
  const target = args[0] === undefined ? undefined : given(args[0], env);
  if (target !== undefined && !fs.existsSync(path.dirname(target))) throw new UsageError(`cannot write ${target}: the folder ${path.dirname(target)} does not exist`, false);
  const config = loadConfig(env);
  const db = await openDatabase(databaseOptions(config), async (db) => config.seed === "correze" && seedIfEmpty(db));
  try {
    if (target === undefined) {
      await writeNetwork(db, out);
      await out("\n");
      return;
    }
    const partial = `${target}.partial`;
    const file = fs.createWriteStream(partial);
    const closed = finished(file);
    closed.catch(() => undefined); // told below, through the write that fails or the await
    let written: Awaited<ReturnType<typeof writeNetwork>>;
    try {
      written = await writeNetwork(db, writeTo(file));
      file.end("\n");
      await closed;
      fs.renameSync(partial, target);
    } catch (error) {
      file.destroy();
      fs.rmSync(partial, { force: true });
      throw error;
    }
    // Said on standard output, as import reports what it did: the file is not, so the reader sees it worked.
    const counts = Object.entries(written).map(([section, n]) => `${section} ${n}`);
    await out(`Exported to ${target} (${(fs.statSync(target).size / 1000).toLocaleString("en", { maximumFractionDigits: 1 })} kB): ${counts.join(", ")}.\n`);
  } finally {
    await db.destroy();
  }
}

/** Asks for the usage rather than for work: it is printed, and the command succeeds. */
const HELP = new Set(["--help", "-h"]);

/** Runs `import` or `export` with its arguments and gives the exit code (the usage for --help / -h, exit 0). */
export async function runNetworkCommand(command: string | undefined, args: string[], out: (text: string) => Promise<void> | void): Promise<number> {
  if ((command === "import" || command === "export") && args.some((arg) => HELP.has(arg))) {
    await out(`${USAGE}\n`);
    return 0;
  }
  if (command === "import") return (await runImport(args, (line) => out(`${line}\n`))).rejectedCount ? 1 : 0;
  if (command === "export") return runExport(args, out).then(() => 0);
  throw new UsageError(`unknown command "${command ?? ""}"`);
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  // Piped into a reader that stops early (| head): not an error of the export.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" ? process.exit(0) : undefined));
  runMain(command ?? "network", USAGE, () => runNetworkCommand(command, args, writeTo(process.stdout)));
}
