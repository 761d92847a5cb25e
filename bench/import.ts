// npm run bench:import: writes the synthetic network (bench/generate.ts) into one fresh database,
// exports it as a network file, imports that file into another empty database, then imports it
// again (nothing to change). Prints each step's time, the file's size and this process's peak
// resident memory. Sizes: BENCH_REGIONS, BENCH_ORGANIZATIONS (per region), BENCH_REFERRALS;
// PGlite in temporary folders.
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../src/db/data-source";
import { exportNetwork } from "../src/network/export";
import { importNetwork } from "../src/network/import";
import { recordLines } from "../src/network/network-file";
import { DEFAULT_SIZE, generateNetwork } from "./generate";

const env = process.env;
const size = {
  regions: Number(env.BENCH_REGIONS ?? DEFAULT_SIZE.regions),
  organizations: Number(env.BENCH_ORGANIZATIONS ?? DEFAULT_SIZE.organizations),
  referrals: Number(env.BENCH_REFERRALS ?? DEFAULT_SIZE.referrals),
  seed: DEFAULT_SIZE.seed,
};
const peakMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"))?.[1] ?? NaN) / 1024;

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`| ${what.padEnd(48)} | ${String(Math.round(performance.now() - started)).padStart(8)} |`);
  return result;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-bench-import-"));
  try {
    console.log(`\nPasserelle import bench: ${size.regions} regions x ${size.organizations} organizations, ${size.referrals} referrals, PGlite, node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}\n`);
    console.log(`| ${"step".padEnd(48)} | ${"ms".padStart(8)} |\n|${"-".repeat(50)}|${"-".repeat(10)}|`);
    const source = await openDatabase({ dataDir: path.join(dir, "source") });
    await timed("generate the network (SQL)", () => generateNetwork(source, size));
    const text = await timed("export (one read, JSON text)", async () => JSON.stringify(await exportNetwork(source)));
    await source.destroy();
    const target = await openDatabase({ dataDir: path.join(dir, "target") });
    const actor = { apiKeyId: null, name: "bench" };
    const first = await timed("import into an empty database", () => importNetwork(target, JSON.parse(text), { actor, file: "bench", lines: recordLines(text) }));
    const again = await timed("import the same file again (nothing to change)", () => importNetwork(target, JSON.parse(text), { actor, file: "bench" }));
    await target.destroy();
    if (!first.applied || first.rejected.length || again.applied) throw new Error(`unexpected reports: ${JSON.stringify({ first, again }).slice(0, 500)}`);
    console.log(`\nfile ${(text.length / 1e6).toFixed(1)} MB; created ${JSON.stringify(first.created)}; peak resident memory ${peakMb().toFixed(0)} MB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
