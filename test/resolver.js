// The tests run src/ and bench/ as compiled by test/global-setup.js (tsc, into dist/), not compiled
// again by ts-jest in every worker: a test file's import of src/x resolves to dist/src/x.js. Only
// the test files and their helpers go through ts-jest. Modules of node_modules resolve as usual.
const path = require("node:path");

const root = path.join(__dirname, "..");
const compiled = ["src", "bench"].map((folder) => [path.join(root, folder) + path.sep, path.join(root, "dist", folder) + path.sep]);
const test = path.join(root, "test") + path.sep;

module.exports = (request, options) => {
  const resolved = options.defaultResolver(request, options);
  if (!(options.basedir + path.sep).startsWith(test) && !compiled.some(([from]) => (options.basedir + path.sep).startsWith(from))) return resolved;
  for (const [from, to] of compiled) {
    if (resolved.startsWith(from)) return to + resolved.slice(from.length).replace(/\.ts$/, ".js");
  }
  return resolved;
};
