/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // *.pg.test.ts need PostgreSQL itself (several processes on one database): only with TEST_DATABASE_URL.
  testPathIgnorePatterns: ["/node_modules/", ...(process.env.TEST_DATABASE_URL ? [] : ["\\.pg\\.test\\.ts$"])],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testTimeout: 60000,
  globalSetup: "<rootDir>/test/global-setup.js",
  setupFiles: ["reflect-metadata"],
};
