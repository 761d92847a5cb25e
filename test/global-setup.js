// Builds dist/ once before the tests that run the real commands (npm start, apikey, bench) as
// subprocesses, and type-checks everything once: tsconfig.bench.json is the build's files plus
// bench/ and test/ (ts-jest then compiles each test file alone, unchecked: tsconfig.test.json).
// On the embedded database it then makes one migrated database and keeps a copy of it for every
// test file to start from (test/helpers/database.ts): PGlite makes a new database in seconds and
// loads a copy in about one, and some fifty files each make one.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = async () => {
  const root = path.join(__dirname, "..");
  const tsc = (project) => execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project], { cwd: root, stdio: "inherit" });
  // The build's own incremental record first: a test running `npm start` (which builds) while
  // another test's server reads dist/ then finds nothing to write, rather than rewriting files
  // another process is loading (workers run in parallel).
  tsc("tsconfig.build.json");
  tsc("tsconfig.bench.json");
  if (process.env.TEST_DATABASE_URL) return;
  require("reflect-metadata");
  const { openDatabase } = require(path.join(root, "dist/src/db/data-source.js"));
  const { dumpEmbedded } = require(path.join(root, "dist/src/db/pglite-driver.js"));
  const db = await openDatabase({ dataDir: "memory://" });
  const copy = await dumpEmbedded(db);
  await db.destroy();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-test-")), "migrated.tar");
  fs.writeFileSync(file, Buffer.from(await copy.arrayBuffer()));
  // Read by the workers (they inherit this environment) and removed by global-teardown.js.
  process.env.PASSERELLE_TEST_TEMPLATE = file;
};
