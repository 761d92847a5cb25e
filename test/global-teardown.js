// Removes the migrated copy global-setup.js made for the test files to start from.
const fs = require("node:fs");
const path = require("node:path");

module.exports = async () => {
  const file = process.env.PASSERELLE_TEST_TEMPLATE;
  if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
};
