import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createPostgresDatabase } from "../helpers/database";
import { startServerProcess } from "../helpers/process";

// SIGTERM while many requests are in flight, as a rolling deploy does under load: every request the
// server had accepted is answered in full, new connections are refused, and the process exits 0.

interface Answer {
  status: number;
  body: any;
}

/** A POST on its own connection; the body is sent in two halves, the second when `release` resolves. */
function post(port: number, query: string, release: Promise<void>): Promise<Answer> {
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, path: "/graphql", method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    request.on("error", reject);
    request.write(body.slice(0, 5));
    void release.then(() => request.end(body.slice(5)));
  });
}

const QUERIES = [
  `{ organizations(first: 20) { edges { node { slug services { category } } } } }`,
  `{ network(region: "correze") { organizations { slug } referrals { from { slug } to { slug } } } }`,
  `{ pathways(from: "chemins-singuliers", toCategory: LANGUAGE_LEARNING, profile: { targetGroup: RESETTLED_REFUGEE, age: 19 }) { hops organizations { slug } } }`,
  `{ networkMetrics(region: "correze") { organization { slug } betweenness } }`,
];

it("when SIGTERM arrives with many requests in flight, then all of them are answered, new connections are refused, and it exits 0", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-sigterm-load-"));
  const pg = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : undefined;
  const started = await startServerProcess(pg ? { DATABASE_URL: pg.url, GRAPH_RATE_LIMIT: "0" } : { DATA_DIR: dataDir, GRAPH_RATE_LIMIT: "0" });
  try {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // 40 requests accepted by the server, their bodies still arriving when SIGTERM comes...
    const held = Array.from({ length: 40 }, (_, i) => post(started.port, QUERIES[i % QUERIES.length], released));
    // ...and 20 more sent whole, being executed as it comes.
    const running = Array.from({ length: 20 }, (_, i) => post(started.port, QUERIES[i % QUERIES.length], Promise.resolve()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    started.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(`http://127.0.0.1:${started.port}/healthz`)).rejects.toThrow();
    release();

    const answers = await Promise.all([...held, ...running]);
    expect(answers).toHaveLength(60);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
    // The answers are whole, not just 200s: the seeded network is in them.
    expect(answers[1].body.data.network.organizations.map((o: { slug: string }) => o.slug)).toContain("mosaik");
    expect(await started.exited).toBe(0);
    expect(started.output()).toMatch(/"msg":"stopped"/);
  } finally {
    started.child.kill("SIGKILL");
    await pg?.drop();
  }
}, 60_000);
