// Builds dist/ once before the tests that run the real commands (npm start, apikey, bench) as
// subprocesses, and type-checks everything once: tsconfig.bench.json is the build's files plus
// bench/ and test/ (ts-jest then compiles each test file alone, unchecked: tsconfig.test.json).
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = async () => {
  const root = path.join(__dirname, "..");
  const tsc = (project) => execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project], { cwd: root, stdio: "inherit" });
  // The build's own incremental record first: a test running `npm start` (which builds) while
  // another test's server reads dist/ then finds nothing to write, rather than rewriting files
  // another process is loading (workers run in parallel).
  tsc("tsconfig.build.json");
  tsc("tsconfig.bench.json");
};
