import http from "node:http";
import { createPostgresDatabase, preparedDataDir } from "../helpers/database";
import { outputMatches, startServerProcess } from "../helpers/process";
import { openDatabase } from "../../src/db/data-source";
import { ApiKeys } from "../../src/auth/api-keys";
import { Role } from "../../src/domain/vocabulary";

// SIGTERM while many requests are in flight, as a rolling deploy does under load: every request the
// server had accepted is answered in full, new connections are refused, and the process exits 0.

interface Answer {
  status: number;
  body: any;
}

/**
 * A POST on its own connection, sent with `expect: 100-continue`: `accepted` resolves when the
 * server has read its headers (it answers 100 Continue), then the body goes in two halves, the
 * second when `release` resolves.
 */
function post(port: number, query: string, release: Promise<void>): { accepted: Promise<void>; answer: Promise<Answer> } {
  const body = JSON.stringify({ query });
  let accepted!: () => void;
  const read = new Promise<void>((resolve) => (accepted = resolve));
  const answer = new Promise<Answer>((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/graphql",
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), expect: "100-continue" },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    request.on("error", reject);
    request.on("continue", () => {
      request.write(body.slice(0, 5), () => accepted());
      void release.then(() => request.end(body.slice(5)));
    });
    request.flushHeaders();
  });
  return { accepted: read, answer };
}

const QUERIES = [
  `{ organizations(first: 20) { edges { node { slug services { category } } } } }`,
  `{ network(region: "correze") { organizations { slug } referrals { from { slug } to { slug } } } }`,
  `{ pathways(from: "chemins-singuliers", toCategory: LANGUAGE_LEARNING, profile: { targetGroup: RESETTLED_REFUGEE, age: 19 }) { hops organizations { slug } } }`,
  `{ networkMetrics(region: "correze") { organization { slug } betweenness } }`,
];

it("when SIGTERM arrives with many requests in flight, then all of them are answered, new connections are refused, and it exits 0", async () => {
  const dataDir = preparedDataDir("passerelle-sigterm-load-");
  const pg = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : undefined;
  const started = await startServerProcess(pg ? { DATABASE_URL: pg.url, GRAPH_RATE_LIMIT: "0" } : { DATA_DIR: dataDir, GRAPH_RATE_LIMIT: "0" });
  try {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // 40 requests accepted by the server, their bodies still arriving when SIGTERM comes...
    const held = Array.from({ length: 40 }, (_, i) => post(started.port, QUERIES[i % QUERIES.length], released));
    // ...and 20 more sent whole, being executed as it comes.
    const running = Array.from({ length: 20 }, (_, i) => post(started.port, QUERIES[i % QUERIES.length], Promise.resolve()));
    await Promise.all([...held, ...running].map((request) => request.accepted));
    started.child.kill("SIGTERM");
    // The listener is closed in the same turn as this line is written.
    await outputMatches(started.child, started.output, /stopping: draining/);
    await expect(fetch(`http://127.0.0.1:${started.port}/healthz`)).rejects.toThrow();
    release();

    const answers = await Promise.all([...held, ...running].map((request) => request.answer));
    expect(answers).toHaveLength(60);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
    // The answers are whole, not just 200s: the seeded network is in them.
    expect(answers[1].body.data.network.organizations.map((o: { slug: string }) => o.slug)).toContain("mosaik");
    expect(await started.exited).toBe(0);
    expect(started.output()).toMatch(/"msg":"stopped"/);
    // Request lines are written in batches: none of the 60 is lost at exit, each before "stopped".
    const lines = started.output().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
    const requests = lines.filter((line) => line.msg === "request" && line.route === "/graphql");
    expect(requests.map((line) => line.status)).toEqual(Array(60).fill(200));
    expect(lines.findIndex((line) => line.msg === "stopped")).toBe(lines.length - 1);
  } finally {
    started.child.kill("SIGKILL");
    await pg?.drop();
  }
}, 60_000);

// The same under keep-alive write load (clients reusing their connections, as every HTTP library
// does): a write the server has read is answered, with `connection: close`; an idle connection is
// closed; and no write is committed while its client sees the connection reset.

interface Outcome {
  slug: string;
  status?: number;
  connection?: string;
  error?: string;
}

function write(port: number, agent: http.Agent, token: string, slug: string): Promise<Outcome> {
  const body = JSON.stringify({ query: `mutation { createRegion(input: { slug: "${slug}", name: "${slug}", country: "FR" }) { slug } }` });
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/graphql",
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => {
          const answered = JSON.parse(text);
          resolve({ slug, status: response.statusCode, connection: String(response.headers.connection), error: answered.errors ? JSON.stringify(answered.errors) : undefined });
        });
        response.on("error", (error: NodeJS.ErrnoException) => resolve({ slug, error: error.code ?? error.message }));
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => resolve({ slug, error: error.code ?? error.message }));
    request.end(body);
  });
}

it("when SIGTERM arrives under keep-alive write load, then every write read is answered with connection: close, none is committed unanswered, and new connections are refused", async () => {
  const dataDir = preparedDataDir("passerelle-sigterm-keepalive-", "migrated");
  const pg = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : undefined;
  const options = pg ? { databaseUrl: pg.url } : { dataDir };
  const setup = await openDatabase(options);
  const token = (await new ApiKeys(setup).create({ role: Role.ADMIN, label: "sigterm load" })).token;
  await setup.destroy();
  const started = await startServerProcess({ ...(pg ? { DATABASE_URL: pg.url } : { DATA_DIR: dataDir }), SEED: "none", WRITE_RATE_LIMIT: "0" });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const outcomes: Outcome[] = [];
    let answered = 0;
    let signalled = false;
    // Eight clients, each writing one region after another on its kept-alive connection; SIGTERM
    // comes once 16 writes are answered, while the others are in flight or about to be sent.
    const client = async (c: number) => {
      for (let i = 0; i < 40; i++) {
        const outcome = await write(started.port, agent, token, `w-${c}-${i}`);
        outcomes.push(outcome);
        if (outcome.status === 200 && ++answered === 16 && !signalled) {
          signalled = true;
          started.child.kill("SIGTERM");
        }
        if (outcome.error === "ECONNREFUSED") return; // the server no longer takes connections
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, c) => client(c)));
    expect(signalled).toBe(true);
    expect(await started.exited).toBe(0);

    const check = await openDatabase(options);
    const stored = new Set((await check.query(`SELECT slug FROM regions`)).map((r: { slug: string }) => r.slug));
    await check.destroy();
    const unansweredButCommitted = outcomes.filter((o) => o.status === undefined && stored.has(o.slug));
    expect(unansweredButCommitted).toEqual([]);
    for (const o of outcomes.filter((o) => o.status !== undefined)) {
      expect(o).toMatchObject({ status: 200, error: undefined });
      expect(stored.has(o.slug)).toBe(true);
    }
    // Without an answer, a write met a refused connection or an idle connection closed before it was read.
    for (const o of outcomes.filter((o) => o.status === undefined)) expect(["ECONNREFUSED", "ECONNRESET", "EPIPE"]).toContain(o.error);
    // Every client ended on a refused connection; those in flight at SIGTERM were told the connection closes.
    expect(outcomes.filter((o) => o.error === "ECONNREFUSED")).toHaveLength(8);
    expect(outcomes.some((o) => o.status === 200 && o.connection === "close")).toBe(true);
  } finally {
    agent.destroy();
    started.child.kill("SIGKILL");
    await pg?.drop();
  }
}, 120_000);
