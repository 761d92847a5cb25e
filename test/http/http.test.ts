import http from "node:http";
import { startTestApp, TestApp } from "../helpers/app";
import { startServerProcess } from "../helpers/process";
import { createPostgresDatabase, preparedDataDir } from "../helpers/database";

let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen({ NODE_ENV: "test", BODY_LIMIT_BYTES: "2000" })).base;
});
afterAll(() => app.close());

function post(body: string, headers: Record<string, string> = { "content-type": "application/json" }) {
  return fetch(`${base}/graphql`, { method: "POST", headers, body });
}

describe("HTTP", () => {
  it("when /healthz and /readyz are asked, then both answer 200 while the database answers", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("when a query is POSTed as JSON, then it is answered with a request id header", async () => {
    const response = await post(JSON.stringify({ query: `{ organization(id: "mosaik") { name } }` }));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    // Answers may hold what only a key may read: no shared cache keeps them.
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ data: { organization: { name: "MOSAIK" } } });
  });

  it("when a query is sent with GET, then it is answered; a mutation with GET is refused", async () => {
    const query = encodeURIComponent(`{ region(slug: "correze") { name } }`);
    const get = await fetch(`${base}/graphql?query=${query}`, { headers: { "apollo-require-preflight": "1" } });
    expect(await get.json()).toEqual({ data: { region: { name: "Corrèze" } } });
    const mutation = encodeURIComponent(`mutation { deleteReferral(id: "x") }`);
    const refused = await fetch(`${base}/graphql?query=${mutation}`, { headers: { "apollo-require-preflight": "1" } });
    expect(refused.status).toBe(405);
  });

  it("when a text/plain POST arrives (a CSRF attempt), then it is refused", async () => {
    const response = await post(JSON.stringify({ query: "{ regions { slug } }" }), { "content-type": "text/plain" });
    expect(response.status).toBe(415);
  });

  it("when the body is over the limit, then 413 and a message saying so", async () => {
    const response = await post(JSON.stringify({ query: `{ regions { slug } } # ${"x".repeat(3000)}` }));
    expect(response.status).toBe(413);
    expect(JSON.stringify(await response.json())).toMatch(/larger than 2000 bytes/);
  });

  it("when the body is not JSON, then 400", async () => {
    expect((await post("{ not json")).status).toBe(400);
  });

  it("when a bad token is sent, then 401, UNAUTHENTICATED and a clear message", async () => {
    const response = await post(JSON.stringify({ query: "{ regions { slug } }" }), {
      "content-type": "application/json",
      authorization: "Bearer psl_nope",
    });
    expect(response.status).toBe(401);
    const body: any = await response.json();
    expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(body.errors[0].message).toMatch(/token/);
  });

  it("when a write comes with a good token over HTTP, then it lands and the audit trail names the key", async () => {
    const response = await post(
      JSON.stringify({ query: `mutation { createRegion(input: { slug: "creuse", name: "Creuse", country: "FR" }) { slug } }` }),
      { "content-type": "application/json", authorization: `Bearer ${app.tokens.admin}` },
    );
    expect(await response.json()).toEqual({ data: { createRegion: { slug: "creuse" } } });
    const [entry] = await app.db.query(`SELECT k.label FROM audit_log a JOIN api_keys k ON k.id = a.api_key_id WHERE a.entity_type = 'region' ORDER BY a.at DESC LIMIT 1`);
    expect(entry.label).toBe("test admin");
  });

  it("when an unknown path is asked, then 404 says where GraphQL is", async () => {
    const response = await fetch(`${base}/nothing`);
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).toMatch(/\/graphql/);
  });
});

describe("readiness", () => {
  it("when the database is gone, then /readyz answers 503 and /healthz still 200", async () => {
    const other = await startTestApp();
    const { base: url } = await other.listen({ NODE_ENV: "test" });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await other.db.destroy();
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await other.close();
  });
});

describe("the server process", () => {
  it("when SIGTERM arrives during a request, then that request completes, new connections are refused, and it exits 0", async () => {
    const dataDir = preparedDataDir("passerelle-sigterm-", "migrated");
    const env: Record<string, string> = process.env.TEST_DATABASE_URL ? { SEED: "none" } : { DATA_DIR: dataDir, SEED: "none" };
    const pg = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : undefined;
    if (pg) env.DATABASE_URL = pg.url;
    const started = await startServerProcess(env);
    // Its ready line names both addresses a newcomer opens.
    expect(started.output()).toContain(`Passerelle serves GraphQL at http://127.0.0.1:${started.port}/graphql and the network explorer at http://127.0.0.1:${started.port}/explorer/`);
    try {
      const body = JSON.stringify({ query: "{ regions { slug } }" });
      const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = http.request(
          { host: "127.0.0.1", port: started.port, path: "/graphql", method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
          (response) => {
            let text = "";
            response.on("data", (c) => (text += c));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
          },
        );
        request.on("error", reject);
        // Half the body now, the rest after SIGTERM: the request is in flight while the server stops.
        request.write(body.slice(0, 10));
        setTimeout(() => {
          started.child.kill("SIGTERM");
          setTimeout(() => request.end(body.slice(10)), 500);
        }, 200);
      });
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ data: { regions: [] } });
      await expect(fetch(`http://127.0.0.1:${started.port}/healthz`)).rejects.toThrow();
      expect(await started.exited).toBe(0);
      expect(started.output()).toMatch(/"msg":"stopped"/);
    } finally {
      started.child.kill("SIGKILL");
      await pg?.drop();
    }
  });
});
