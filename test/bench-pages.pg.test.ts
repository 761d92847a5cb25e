import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../src/root";

const run = promisify(execFile);

// Not a test of speed (nothing timed is asserted): keeps `npm run bench:pages` compiling and running
// end to end on a tiny network — the peer installed and started, both servers giving the same answers
// (the bench checks them before timing), a row per page, no error.
describe("npm run bench:pages", () => {
  it("when run on a tiny network, then both servers answer alike and it prints a row per page", async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = "/passerelle_bench_pages_test";
    const { stdout } = await run(process.execPath, [path.join(ROOT, "dist/bench/pages.js")], {
      cwd: ROOT,
      env: { ...process.env, PAGES_DATABASE_URL: url.toString(), PAGES_REGIONS: "2", PAGES_ORGANIZATIONS: "60", PAGES_REFERRALS: "300", PAGES_SECONDS: "1" },
      timeout: 240_000,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`bench:pages failed:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
    });
    expect(stdout).toMatch(/2 regions x 60 organizations, 300 referrals/);
    for (const row of ["dashboard page", "organization:", "flat list", "floor"]) expect(stdout).toMatch(new RegExp(`\\| ${row}.*\\| +0 \\|\\n`));
  }, 300_000);
});
