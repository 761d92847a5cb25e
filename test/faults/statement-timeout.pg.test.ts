import { Client } from "pg";
import { seededDatabase, TestDatabase } from "../helpers/database";
import { listenOver } from "../helpers/app";
import { Server } from "../../src/server";

// No statement runs away: every pooled PostgreSQL session carries STATEMENT_TIMEOUT_MS, and a request
// whose statement outlives it is stopped and answered with a clear 503 rather than left hanging.
let database: TestDatabase;
let server: Server;
let url: string;
const TIMEOUT_MS = 300;

beforeAll(async () => {
  database = await seededDatabase({ statementTimeoutMs: TIMEOUT_MS });
  ({ server, graphql: url } = await listenOver(database.db));
});
afterAll(async () => {
  await server.stop();
  await database.close();
});

describe("the statement timeout", () => {
  it("when a pooled session is asked, then its statement_timeout is STATEMENT_TIMEOUT_MS", async () => {
    const [row] = await database.db.query(`SHOW statement_timeout`);
    expect(row.statement_timeout).toBe(`${TIMEOUT_MS}ms`);
    await expect(database.db.query(`SELECT pg_sleep(3)`)).rejects.toMatchObject({ driverError: { code: "57014" } });
  });

  it("when a request's statement is held past it, then the request is stopped with a 503 that names STATEMENT_TIMEOUT_MS", async () => {
    // Another session locks the table the request reads: the request's SELECT would wait forever.
    const locker = new Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query(`BEGIN; LOCK TABLE regions IN ACCESS EXCLUSIVE MODE`);
      const started = performance.now();
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ regions { slug } }` }) });
      const ms = performance.now() - started;
      const body = (await response.json()) as any;
      expect(response.status).toBe(503);
      expect(body.errors[0].message).toMatch(/STATEMENT_TIMEOUT_MS/);
      expect(body.errors[0].message).not.toMatch(/regions|SELECT/i); // no SQL text reaches the client
      expect(ms).toBeLessThan(TIMEOUT_MS + 2_000);
    } finally {
      await locker.query(`ROLLBACK`);
      await locker.end();
    }
    const again = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `{ regions { slug } }` }) });
    expect(again.status).toBe(200);
  });
});
