// Builds dist/ once before the tests that run the real commands (npm start, apikey, bench) as
// subprocesses: tsconfig.bench.json is the build's files plus bench/.
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = async () => {
  const root = path.join(__dirname, "..");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.bench.json"], { cwd: root, stdio: "inherit" });
};
