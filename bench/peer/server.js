// The peer of `npm run bench:pages`: PostGraphile v4 with postgraphile-plugin-connection-filter,
// serving the same PostgreSQL database as Passerelle, set up as its documentation recommends
// for production (no watch, no GraphiQL, no query log, dynamic JSON), with a pool as large as
// Passerelle's default (DB_POOL_SIZE 10). Prints "listening PORT" once it answers.
// Usage: node server.js DATABASE_URL
const http = require("node:http");
const { Pool } = require("pg");
const { postgraphile } = require("postgraphile");
const ConnectionFilterPlugin = require("postgraphile-plugin-connection-filter");

const pool = new Pool({ connectionString: process.argv[2], max: Number(process.env.PEER_POOL_SIZE ?? 10) });
const middleware = postgraphile(pool, "public", {
  appendPlugins: [ConnectionFilterPlugin],
  graphileBuildOptions: { connectionFilterRelations: true },
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: false,
  disableQueryLog: true,
  retryOnInitFail: false,
  watchPg: false,
  graphiql: false,
  enableQueryBatching: false,
  legacyRelations: "omit",
});
const server = http.createServer(middleware);
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
