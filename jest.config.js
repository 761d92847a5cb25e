const fs = require("node:fs");
const os = require("node:os");

// The browser tests (test/browser/) drive Chromium. Without one they are left out and the run says
// so, rather than passing without having looked; with CHROMIUM_EXPECTED=1 (.ci/run) they always
// run, so a missing browser fails.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const browserTests = fs.existsSync(chromium) || process.env.CHROMIUM_EXPECTED === "1";
if (!browserTests) {
  console.warn(`jest: browser tests skipped (test/browser/): no Chromium at ${chromium}; apt-get install chromium, or set CHROMIUM_PATH.`);
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // *.pg.test.ts need PostgreSQL itself (several processes on one database): only with TEST_DATABASE_URL.
  testPathIgnorePatterns: ["/node_modules/", ...(process.env.TEST_DATABASE_URL ? [] : ["\\.pg\\.test\\.ts$"]), ...(browserTests ? [] : ["/test/browser/"])],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
  // src/ and bench/ come compiled from dist/ (built and type-checked once by global-setup.js).
  resolver: "<rootDir>/test/resolver.js",
  testTimeout: 60000,
  // jest's default is one worker fewer than the cores: one worker on a 2-core machine. The tests
  // mostly wait (on a database, a child process, a socket), so one per core keeps both busy; at
  // most one per GB of memory (a worker with its embedded database and servers peaks near 600 MB).
  maxWorkers: Math.max(2, Math.min(os.availableParallelism(), Math.floor(os.totalmem() / 1e9))),
  globalSetup: "<rootDir>/test/global-setup.js",
  globalTeardown: "<rootDir>/test/global-teardown.js",
  setupFiles: ["reflect-metadata"],
};
