// npm run bench:import: writes the synthetic network (bench/generate.ts) into one fresh database,
// runs `npm run export` of it to a network file, then `npm run import` of that file (the CLI's own code) into
// another empty database, and again (nothing to change), each in a process of its own so that its
// peak resident memory is the import's, beside the memory of just opening that database; the most
// JavaScript heap and external memory (PGlite's WebAssembly memory) seen, sampled. The processes
// get a JavaScript heap of BENCH_IMPORT_HEAP_MB (96): an import that held the file would fail. Sizes:
// BENCH_REGIONS, BENCH_ORGANIZATIONS (per region), BENCH_REFERRALS; PGlite in temporary folders.
import "reflect-metadata";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runExport, runImport } from "../src/cli/network";
import { openDatabase } from "../src/db/data-source";
import { preparedDataDir } from "../test/helpers/database";
import { DEFAULT_SIZE, generateNetwork } from "./generate";

const env = process.env;
const size = {
  regions: Number(env.BENCH_REGIONS ?? DEFAULT_SIZE.regions),
  organizations: Number(env.BENCH_ORGANIZATIONS ?? DEFAULT_SIZE.organizations),
  referrals: Number(env.BENCH_REFERRALS ?? DEFAULT_SIZE.referrals),
  seed: DEFAULT_SIZE.seed,
};
const peakMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1] ?? NaN) / 1024;

/** In a child process: one step on the database in `dataDir`; prints its time and this process's peak memory as JSON. */
async function child(step: string, dataDir: string, file: string): Promise<void> {
  // Sampled between awaits: what of the peak is JavaScript objects, what is PGlite's WebAssembly memory (external).
  const most = { heap: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    most.heap = Math.max(most.heap, m.heapUsed);
    most.external = Math.max(most.external, m.external);
  };
  const sampling = setInterval(sample, 50);
  const started = performance.now();
  let outcome = "";
  if (step === "open") {
    const db = await openDatabase({ dataDir });
    await db.destroy();
  } else if (step === "export") {
    await runExport([file], () => undefined, { DATA_DIR: dataDir, SEED: "none" });
    outcome = `file ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`;
  } else {
    const report = await runImport([file], () => undefined, { DATA_DIR: dataDir, SEED: "none" });
    outcome = report.applied ? `applied, created ${JSON.stringify(report.created)}` : report.rejectedCount ? `REJECTED ${JSON.stringify(report.rejected[0])}` : "nothing to change";
  }
  clearInterval(sampling);
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  process.stdout.write(JSON.stringify({ ms: Math.round(performance.now() - started), peakMb: Math.round(peakMb()), heapMb: mb(most.heap), externalMb: mb(most.external), outcome }));
}

/** The JavaScript heap an import runs in: it reads a batch at a time, so this does not grow with the file. */
const HEAP_MB = Number(env.BENCH_IMPORT_HEAP_MB ?? 96);

function inChild(step: string, dataDir: string, file: string): { ms: number; peakMb: number; heapMb: number; externalMb: number; outcome: string } {
  const args = [`--max-old-space-size=${HEAP_MB}`, __filename, "--child", step, dataDir, file];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 }));
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-bench-import-"));
  const folders = [dir];
  try {
    console.log(`\nPasserelle import bench: ${size.regions} regions x ${size.organizations} organizations, ${size.referrals} referrals, PGlite, node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}\n`);
    const file = path.join(dir, "network.json");
    // In the tests, copies of their migrated database (no initdb, outside the timings anyway); else new folders.
    const [source, target] = [preparedDataDir("passerelle-bench-import-source-", "migrated"), preparedDataDir("passerelle-bench-import-target-", "migrated")];
    folders.push(source, target);
    const db = await openDatabase({ dataDir: source });
    const started = performance.now();
    await generateNetwork(db, size);
    console.log(`generate ${Math.round(performance.now() - started)} ms`);
    await db.destroy();

    // A new folder is made (initdb, migrations: more than HEAP_MB) by a first open outside the timings.
    if (!fs.existsSync(path.join(target, "PG_VERSION"))) execFileSync(process.execPath, [__filename, "--child", "open", target, file]);
    console.log(`Each step runs in a process of its own with node --max-old-space-size=${HEAP_MB} (BENCH_IMPORT_HEAP_MB); JS heap and PGlite are the most seen, sampled every 50 ms.\n`);
    const steps: [string, string, string][] = [
      ["npm run export FILE", "export", source],
      ["open the empty database, nothing else", "open", target],
      ["npm run import FILE (empty database)", "import", target],
      ["npm run import FILE again (nothing to change)", "import", target],
    ];
    const columns = ["     ms", "peak RSS MB", "JS heap MB", "PGlite MB"];
    console.log(`| ${"step, one process each".padEnd(46)} | ${columns.join(" | ")} |\n|${"-".repeat(48)}|${columns.map((c) => "-".repeat(c.length + 2)).join("|")}|`);
    for (const [what, step, dataDir] of steps) {
      const result = inChild(step, dataDir, file);
      const cells = [result.ms, result.peakMb, result.heapMb, result.externalMb].map((n, i) => String(n).padStart(columns[i].length));
      console.log(`| ${what.padEnd(46)} | ${cells.join(" | ")} |${result.outcome ? ` ${result.outcome}` : ""}`);
      if (result.outcome.startsWith("REJECTED")) process.exitCode = 1;
    }
  } finally {
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
(mode === "--child" ? child(args[0], args[1], args[2]) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
