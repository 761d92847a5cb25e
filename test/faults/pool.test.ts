import { seededDatabase, TestDatabase } from "../helpers/database";
import { listenOver } from "../helpers/app";
import { Server } from "../../src/server";
import { graphqlClient } from "../helpers/http";

// Every connection busy: a request waits DB_POOL_TIMEOUT_MS at most, then fails with a message
// that says so (503, Retry-After), and is served as soon as a connection is free again.
let database: TestDatabase;
let server: Server;
let url: string;
const TIMEOUT_MS = 400;

beforeAll(async () => {
  database = await seededDatabase({ poolSize: 2, poolTimeoutMs: TIMEOUT_MS });
  ({ server, graphql: url } = await listenOver(database.db));
});
afterAll(async () => {
  await server.stop();
  await database.close();
});

type Release = () => void;
/** Takes connections straight from the driver's pool, as long-running requests would hold them. */
async function hold(count: number): Promise<Release[]> {
  const pool = (database.db.driver as unknown as { master: { connect(cb: (e: unknown, c: unknown, done: Release) => void): void } }).master;
  const held: Release[] = [];
  for (let i = 0; i < count; i++) {
    held.push(await new Promise<Release>((resolve, reject) => pool.connect((error, _client, done) => (error ? reject(error) : resolve(done)))));
  }
  return held;
}

async function ask() {
  const answer = await graphqlClient(url).ask(`{ regions { slug } }`);
  return { ...answer, retryAfter: answer.headers.get("retry-after") };
}

describe("an exhausted connection pool", () => {
  it("when every connection is held, then a request fails after the pool timeout with a clear 503, and passes once one is free", async () => {
    // PGlite has one session; PostgreSQL here a pool of 2: hold them all.
    const held = await hold(database.url ? 2 : 1);
    const refused = await ask();
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe("2");
    expect(refused.body.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(refused.body.errors[0].message).toMatch(/database is busy.*DB_POOL_TIMEOUT_MS/);
    expect(refused.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(refused.ms).toBeLessThan(TIMEOUT_MS + 3_000);

    const waiting = ask(); // queued behind the held connections...
    setTimeout(() => held.forEach((release) => release()), TIMEOUT_MS / 4); // ...which come free in time
    const served = await waiting;
    expect(served.status).toBe(200);
    expect(served.body.data.regions.length).toBeGreaterThan(0);
  });
});
