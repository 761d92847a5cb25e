import { startTestApp, TestApp } from "../helpers/app";
import { RateLimiter } from "../../src/http/rate-limit";
import { graphqlClient } from "../helpers/http";

let app: TestApp;
const serve = async (env: Record<string, string>) => (await app.listen(env)).graphql;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

async function post(url: string, query: string, token?: string) {
  const answer = await graphqlClient(url).ask(query, {}, token);
  return { ...answer, retryAfter: answer.headers.get("retry-after") };
}

const GRAPH = `{ referralChain(organization: "chemins-singuliers") { entries { depth } } }`;
const write = (i: number) => `mutation { createRegion(input: { slug: "limited-${i}-${Math.random().toString(36).slice(2, 8)}", name: "Limited", country: "FR" }) { slug } }`;

describe("rate limits", () => {
  it("when an address sends more graph queries than GRAPH_RATE_LIMIT a minute, then 429 with Retry-After, and other queries still pass", async () => {
    const url = await serve({ GRAPH_RATE_LIMIT: "3" });
    for (let i = 0; i < 3; i++) expect((await post(url, GRAPH)).status).toBe(200); // the third is a cache hit: it counts too
    const refused = await post(url, GRAPH);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(20);
    expect(refused.body.errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(refused.body.errors[0].message).toMatch(/at most 3 a minute .*GRAPH_RATE_LIMIT.*Retry after \d+ s/);
    // Lists and single objects are not graph queries: they are not held back by this limit.
    expect((await post(url, `{ regions { slug } }`)).status).toBe(200);
  });

  it("when a key sends more writes than WRITE_RATE_LIMIT a minute, then the next write is refused and nothing of it is stored", async () => {
    const url = await serve({ WRITE_RATE_LIMIT: "2" });
    const before = (await app.ok(`{ regions { slug } }`)).regions.length;
    for (let i = 0; i < 2; i++) expect((await post(url, write(i), app.tokens.admin)).body.errors).toBeUndefined();
    const refused = await post(url, write(3), app.tokens.admin);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].message).toMatch(/Too many writes: at most 2 a minute .*WRITE_RATE_LIMIT/);
    expect(refused.body.data ?? null).toBeNull();
    expect((await app.ok(`{ regions { slug } }`)).regions.length).toBe(before + 2);
  });

  it("when graph fields are asked inside fragments on Query, then they count as graph queries too", async () => {
    const url = await serve({ GRAPH_RATE_LIMIT: "2" });
    const inline = `{ ... on Query { referralChain(organization: "mosaik") { entries { depth } } } }`;
    const named = `query { ...Chain } fragment Chain on Query { referralChain(organization: "mosaik") { entries { depth } } }`;
    expect((await post(url, inline)).status).toBe(200);
    expect((await post(url, named)).status).toBe(200);
    expect((await post(url, inline)).status).toBe(429);
  });

  it("when the limits are 0, then nothing is held back", async () => {
    const url = await serve({ GRAPH_RATE_LIMIT: "0" });
    for (let i = 0; i < 20; i++) expect((await post(url, GRAPH)).status).toBe(200);
  });
});

describe("RateLimiter", () => {
  it("when a bucket is empty, then it refills at the rate: one token per 60/perMinute seconds", () => {
    let now = 0;
    const limiter = new RateLimiter(6, () => now); // one every 10 s
    for (let i = 0; i < 6; i++) expect(limiter.take(["k"])).toBeUndefined();
    expect(limiter.take(["k"])).toBe(10);
    now = 9_000;
    expect(limiter.take(["k"])).toBe(1);
    now = 10_000;
    expect(limiter.take(["k"])).toBeUndefined();
    expect(limiter.take(["other"])).toBeUndefined(); // keys are apart
  });

  it("when one of a request's keys is empty, then no bucket is charged", () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.take(["key:a"])).toBeUndefined();
    expect(limiter.take(["key:a", "address:x"])).toBe(60);
    expect(limiter.take(["address:x"])).toBeUndefined(); // still full: the refusal charged nothing
    expect(limiter.take(["address:x"])).toBe(60);
  });
});
