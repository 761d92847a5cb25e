import { Client } from "pg";
import { createPostgresDatabase } from "../helpers/database";
import { startServerProcess, Started } from "../helpers/process";
import { adminToken, terminateBackendsOf } from "./pg-faults";

// `pg_ctlcluster stop -m fast` ends every session with FATAL 57P01 (admin_shutdown) while writes run.
// Done here to this test's database only (pg_terminate_backend), writes in flight get 503 with
// Retry-After like any outage (not 200 with "Query runner already released"), the log holds no
// stack, and every write answered 200 is stored.

let url: string;
let drop: () => Promise<void>;
let started: Started;
let base: string;
let token: string;

beforeAll(async () => {
  const pg = await createPostgresDatabase();
  ({ url, drop } = pg);
  token = await adminToken(url);
  started = await startServerProcess({ DATABASE_URL: url, GRAPH_RATE_LIMIT: "0", WRITE_RATE_LIMIT: "0", DB_POOL_TIMEOUT_MS: "1000" });
  base = `http://127.0.0.1:${started.port}`;
}, 60_000);
afterAll(async () => {
  started?.child.kill("SIGKILL");
  await started?.exited;
  await drop?.();
});

interface Answer {
  name: string;
  status: number;
  retryAfter: string | null;
  body: any;
}

let made = 0;
async function create(): Promise<Answer> {
  const name = `Terminated ${++made}`;
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation($name: String!) { createOrganization(input: { name: $name, kind: ASSOCIATION, region: "correze", services: [{ name: "French", category: LANGUAGE_LEARNING }] }) { slug } }`,
      variables: { name },
    }),
  });
  return { name, status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
}

it("when the database's sessions are terminated under write load, then writes in flight get 503 + Retry-After and none answered 200 is lost", async () => {
  const answers: Answer[] = [];
  let writing = true;
  const writers = Array.from({ length: 6 }, async () => {
    while (writing) answers.push(await create());
  });
  let terminated = 0;
  for (let round = 0; round < 4; round++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    terminated += await terminateBackendsOf(url);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  writing = false;
  await Promise.all(writers);

  expect(terminated).toBeGreaterThan(0);
  const refused = answers.filter((a) => a.status !== 200 || a.body.errors);
  expect(refused.length).toBeGreaterThan(0); // the fault did reach requests
  for (const a of refused) {
    expect({ status: a.status, message: a.body.errors?.[0]?.message }).toEqual({ status: 503, message: expect.stringMatching(/database/) });
    expect(a.retryAfter).toMatch(/^\d+$/);
    expect(JSON.stringify(a.body)).not.toMatch(/already released/);
  }
  const acknowledged = answers.filter((a) => a.status === 200 && !a.body.errors).map((a) => a.name);
  expect(acknowledged.length).toBeGreaterThan(0);
  const check = new Client({ connectionString: url });
  await check.connect();
  try {
    const stored = new Set((await check.query(`SELECT name FROM organizations WHERE name = ANY($1)`, [acknowledged])).rows.map((r: { name: string }) => r.name));
    expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
  } finally {
    await check.end();
  }
  // An outage is expected: one line per request, no "unexpected error" with a stack.
  expect(started.output()).not.toMatch(/unexpected error|\\n\s+at /);
  // And the same process serves again.
  const after = await create();
  expect(after.status).toBe(200);
}, 60_000);
