import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../src/root";

const run = promisify(execFile);

// The benchmark is not a test of speed (no timing is asserted here): this keeps it compiling and
// running end to end — generator, server process, every series, the table — on a tiny network.
describe("npm run bench", () => {
  // dist/bench/ is built by test/global-setup.js.
  it("when run on a tiny network, then it prints a row for every graph query and the memory", async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, "dist/bench/run.js")], {
      cwd: ROOT,
      env: { ...process.env, BENCH_REGIONS: "2", BENCH_ORGANIZATIONS: "30", BENCH_REFERRALS: "200", BENCH_REQUESTS: "5", BENCH_DATABASE_URL: "" },
      timeout: 120_000,
    });
    expect(stdout).toMatch(/2 regions x 30 organizations, 200 referrals/);
    for (const row of ["{ __typename }", "pathways (maxHops 4, limit 10, toCategory)", "pathways (maxHops 4, limit 10, to)", "referralChain (maxDepth 3)", "networkMetrics, one region", "networkMetrics, whole network, again x20 (20 cache hits)", "coverage: 16 categories x 5 groups x 4 ages", "ageCliffs", "closureImpact of one organization", "networkSummary", "criticalOrganizations, one region, computed", "criticalOrganizations, one region, again x20 (20 cache hits)", "communities, one region, computed", "model load", "graph query after a write", "server resident memory"]) {
      expect(stdout).toContain(`| ${row}`);
    }
  }, 180_000);
});

describe("npm run soak", () => {
  it("when run for a few seconds on a tiny network, then it serves every kind of request without an error and reports memory", async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, "dist/bench/soak.js")], {
      cwd: ROOT,
      env: { ...process.env, SOAK_SECONDS: "2", SOAK_CLIENTS: "4", SOAK_REGIONS: "2", SOAK_ORGANIZATIONS: "20", SOAK_REFERRALS: "100", SOAK_DATABASE_URL: "" },
      timeout: 120_000,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      // The report says which requests failed: show it, not just "Command failed".
      throw new Error(`soak failed:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
    });
    expect(stdout).toMatch(/errors: 0\n/);
    expect(stdout).toMatch(/requests served: [1-9]\d*/);
    for (const row of ["dashboard", "analyst", "write", "all"]) expect(stdout).toContain(`| ${row} `);
    expect(stdout).toMatch(/server resident memory \(MB\): warm \d+, end \d+/);
    expect(stdout).toContain("server exit code after SIGTERM: 0");
  }, 180_000);
});

describe("npm run bench:import", () => {
  it("when run on a tiny network, then it exports, imports, imports again without change, and reports memory", async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, "dist/bench/import.js")], {
      cwd: ROOT,
      env: { ...process.env, BENCH_REGIONS: "2", BENCH_ORGANIZATIONS: "20", BENCH_REFERRALS: "100" },
      timeout: 120_000,
    });
    expect(stdout).toMatch(/\| npm run export FILE +\| +\d+ \| +\d+ \| +\d+ \| +\d+ \| file [\d.]+ MB/);
    expect(stdout).toMatch(/\| npm run import FILE \(empty database\) +\| +\d+ \| +\d+ \| +\d+ \| +\d+ \| applied, created \{"regions":2,"organizations":40,"referrals":100,"partnerships":0,"platforms":0\}/);
    expect(stdout).toMatch(/\| npm run import FILE again \(nothing to change\) .* nothing to change/);
  }, 180_000);
});
