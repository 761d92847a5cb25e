// Builds dist/ once before the tests that run the real commands (npm start, apikey) as subprocesses.
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = async () => {
  const root = path.join(__dirname, "..");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
};
