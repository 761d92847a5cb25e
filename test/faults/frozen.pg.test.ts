import { createPostgresDatabase } from "../helpers/database";
import { startServerProcess, Started } from "../helpers/process";
import { clientTimeoutMs } from "../../src/db/data-source";
import { adminToken, backendsOf, PgProxy, signalAll } from "./pg-faults";
import { graphqlClient } from "../helpers/http";

// PostgreSQL stops answering without closing anything (its backends frozen with SIGSTOP, new
// connections accepted and never answered): nothing may hang. Each statement has the client's own
// limit, /readyz its own, and a timed-out connection is dropped rather than lent again.

const POOL_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 2_000;
const SLACK_MS = 1_500; // process scheduling on a loaded machine; a hang is 30 s

let drop: () => Promise<void>;
let proxy: PgProxy;
let started: Started;
let base: string;
let token: string;
let frozen: number[] = [];
let dbUrl: string;

beforeAll(async () => {
  const pg = await createPostgresDatabase();
  drop = pg.drop;
  dbUrl = pg.url;
  token = await adminToken(pg.url);
  proxy = PgProxy.to(pg.url);
  await proxy.open();
  started = await startServerProcess({
    DATABASE_URL: proxy.url(pg.url),
    DB_POOL_TIMEOUT_MS: String(POOL_TIMEOUT_MS),
    STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    GRAPH_RATE_LIMIT: "0",
    WRITE_RATE_LIMIT: "0",
  });
  base = `http://127.0.0.1:${started.port}`;
}, 60_000);
afterAll(async () => {
  signalAll(frozen, "SIGCONT");
  started?.child.kill("SIGKILL");
  await started?.exited;
  await proxy?.cut();
  await drop?.();
});

const READ = `{ organizations(first: 5) { edges { node { slug services { category } } } } }`;
let made = 0;
const write = () => `mutation { createOrganization(input: { name: "Frozen ${++made}", kind: ASSOCIATION, region: "correze" }) { slug } }`;

async function ask(query: string) {
  const answer = await graphqlClient(`${base}/graphql`, token).ask(query);
  return { ...answer, retryAfter: answer.headers.get("retry-after") };
}

async function ready() {
  const begun = performance.now();
  const response = await fetch(`${base}/readyz`);
  return { ms: performance.now() - begun, status: response.status, body: (await response.json()) as any };
}

it("when the database's backends are frozen, then /readyz, reads and writes answer 503 in bounded time; thawed, it serves again", async () => {
  // Several connections in the pool, each with its backend.
  const warm = await Promise.all([ask(READ), ask(READ), ask(READ), ask(write())]);
  expect(warm.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  expect((await ready()).status).toBe(200);

  frozen = await backendsOf(dbUrl);
  expect(frozen.length).toBeGreaterThan(0);
  try {
    proxy.hang();
    signalAll(frozen, "SIGSTOP");

    const [readiness, read, written] = await Promise.all([ready(), ask(READ), ask(write())]);
    expect(readiness.status).toBe(503);
    expect(readiness.ms).toBeLessThan(3_000 + SLACK_MS); // READY_CHECK_MS, not the statement's time
    for (const answer of [read, written]) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toMatch(/^\d+$/);
      expect(answer.body.errors[0].message).toMatch(/database (did not answer|is busy|is not answering)/);
      expect(answer.ms).toBeLessThan(POOL_TIMEOUT_MS + clientTimeoutMs(STATEMENT_TIMEOUT_MS) + SLACK_MS);
    }
    // Asked again while still frozen, the answer is as quick: no connection was lent again still owing an answer.
    const again = await ask(READ);
    expect(again.status).toBe(503);
    expect(again.ms).toBeLessThan(POOL_TIMEOUT_MS + clientTimeoutMs(STATEMENT_TIMEOUT_MS) + SLACK_MS);
    expect(started.output()).not.toMatch(/"msg":"unexpected error"/);
  } finally {
    signalAll(frozen, "SIGCONT");
    proxy.pass();
  }

  let answer = await ask(READ);
  for (let tries = 0; answer.status !== 200 && tries < 40; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    answer = await ask(READ);
  }
  expect(answer.status).toBe(200);
  expect(answer.body.data.organizations.edges).toHaveLength(5);
  expect((await ask(write())).status).toBe(200);
  expect((await ready()).status).toBe(200);
  expect(started.child.exitCode).toBeNull();
}, 60_000);
