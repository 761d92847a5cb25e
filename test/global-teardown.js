// Removes the databases global-setup.js made for the test files to start from.
const fs = require("node:fs");

module.exports = async () => {
  const dir = process.env.PASSERELLE_TEST_DATA;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
