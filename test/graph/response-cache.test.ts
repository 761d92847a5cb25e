import { startTestApp, TestApp } from "../helpers/app";
import { ResponseCache } from "../../src/graph/response-cache";
import { graphqlClient } from "../helpers/http";

let app: TestApp;
let base: string;
const serve = async (env: Record<string, string> = {}) => (await app.listen({ NODE_ENV: "test", ...env })).base;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = await serve();
});
afterAll(() => app.close());

const METRICS = `query Metrics($region: String) { networkMetrics(region: $region) { organization { slug name } outDegree downstreamReach } }`;

async function ask(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const answer = await graphqlClient(`${url}/graphql`).ask(query, variables, token);
  return { ...answer, hit: answer.headers.get("x-passerelle-cache") === "hit", requestId: answer.headers.get("x-request-id") };
}

const outDegreeOf = (body: any, slug: string) => body.data.networkMetrics.find((m: any) => m.organization.slug === slug).outDegree;

describe("graph answers are served again while the graph version holds", () => {
  it("when the same graph query is asked twice, then the second answer is the first, from the cache, with its own request id", async () => {
    const first = await ask(base, METRICS, { region: "correze" });
    const second = await ask(base, METRICS, { region: "correze" });
    expect(first.hit).toBe(false);
    expect(second.hit).toBe(true);
    expect(second.body).toEqual(first.body);
    expect(second.body.data.networkMetrics.length).toBeGreaterThan(3);
    expect(second.requestId).not.toBe(first.requestId);
  });

  it("when other variables are sent, then they are a different question", async () => {
    await ask(base, METRICS, { region: "correze" });
    expect((await ask(base, METRICS, {})).hit).toBe(false);
  });

  it("when anything is written in between, then the next answer is computed again and shows the write", async () => {
    const before = await ask(base, METRICS, { region: "correze" });
    expect((await ask(base, METRICS, { region: "correze" })).hit).toBe(true);
    await app.ok(
      `mutation { createReferral(input: { from: "institut-don-bosco", to: "chemins-singuliers", categories: [MENTORING] }) { id } }`,
      {},
      app.tokens.admin,
    );
    const after = await ask(base, METRICS, { region: "correze" });
    expect(after.hit).toBe(false);
    expect(outDegreeOf(after.body, "institut-don-bosco")).toBe(outDegreeOf(before.body, "institut-don-bosco") + 1);
  });

  it("when another process moves the stored version (a write elsewhere), then the cached answer is not served", async () => {
    await ask(base, METRICS, { region: "correze" });
    expect((await ask(base, METRICS, { region: "correze" })).hit).toBe(true);
    await app.db.query(`UPDATE graph_state SET version = version + 1 WHERE id = 1`);
    expect((await ask(base, METRICS, { region: "correze" })).hit).toBe(false);
  });

  it("when a cached question comes with a bad token, then 401 as without the cache", async () => {
    await ask(base, METRICS, { region: "correze" });
    const refused = await ask(base, METRICS, { region: "correze" }, "psl_nope");
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(refused.body.data).toBeUndefined();
  });

  it("when reads need a key, then a cached answer is not given to a caller without one", async () => {
    const guarded = await serve({ READ_REQUIRES_AUTH: "true" });
    expect((await ask(guarded, METRICS, { region: "correze" }, app.tokens.viewer)).body.data.networkMetrics.length).toBeGreaterThan(3);
    expect((await ask(guarded, METRICS, { region: "correze" }, app.tokens.viewer)).hit).toBe(true);
    const anonymous = await ask(guarded, METRICS, { region: "correze" });
    expect(anonymous.hit).toBe(false);
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(anonymous.body.data?.networkMetrics ?? null).toBeNull();
  });

  it("when the answer has an error, or the query is not only graph fields, or is a mutation, then nothing is cached", async () => {
    const questions: [string, Record<string, unknown>, string?][] = [
      [`{ referralChain(organization: "nobody") { entries { depth } } }`, {}],
      [`{ network(region: "correze") { organizations { slug } } regions { slug } }`, {}],
      [`{ ...Q } fragment Q on Query { network(region: "correze") { organizations { slug } } }`, {}],
      [`mutation { createRegion(input: { slug: "lot", name: "Lot", country: "FR" }) { slug } }`, {}, app.tokens.admin],
    ];
    for (const [query, variables, token] of questions) {
      await ask(base, query, variables, token);
      expect((await ask(base, query, variables, token)).hit).toBe(false);
    }
  });

  it("when GRAPH_CACHE_BYTES is 0, then every answer is computed", async () => {
    const uncached = await serve({ GRAPH_CACHE_BYTES: "0" });
    await ask(uncached, METRICS, { region: "correze" });
    expect((await ask(uncached, METRICS, { region: "correze" })).hit).toBe(false);
  });
});

describe("ResponseCache", () => {
  const answer = (version: number, body: string, day: string | null = null) => ({ version, day, status: 200, headers: {}, body: Buffer.from(body) });

  it("when a version differs, then get() gives nothing and forgets the entry", () => {
    const cache = new ResponseCache(1 << 20);
    cache.set("q", answer(3, "{}"));
    expect(cache.get("q", 3)?.body.toString()).toBe("{}");
    expect(cache.get("q", 4)).toBeUndefined();
    expect(cache.has("q")).toBe(false);
    expect(cache.size).toBe(0);
  });

  it("when a newer version is seen, then every answer of older versions is dropped at once, and an older answer is not kept", () => {
    const cache = new ResponseCache(1 << 20);
    cache.set("a", answer(3, "{}"));
    cache.set("b", answer(3, "{}"));
    cache.set("c", answer(4, "{}")); // a write happened: a and b can never be served again
    expect([..."abc"].filter((k) => cache.has(k))).toEqual(["c"]);
    expect(cache.size).toBe(2 * 1 + 2 + 200);
    cache.set("late", answer(3, "{}")); // computed by a request that took the older model
    expect(cache.has("late")).toBe(false);
    expect(cache.get("c", 5)).toBeUndefined(); // a get at a newer version drops the rest too
    expect(cache.size).toBe(0);
  });

  it("when an answer took a day as today, then it is served on that day only; one that gave asOf on any day", () => {
    const cache = new ResponseCache(1 << 20);
    cache.set("today", answer(3, "{}", "2030-01-10"));
    cache.set("dated", answer(3, "{}", null));
    expect(cache.get("today", 3, "2030-01-10")).toBeDefined();
    expect(cache.get("dated", 3, "2030-01-11")).toBeDefined();
    expect(cache.get("today", 3, "2030-01-11")).toBeUndefined();
    expect(cache.has("today")).toBe(false);
  });

  it("when the bytes run out, then the least recently used answers go first, and an answer over a quarter is not kept", () => {
    const cache = new ResponseCache(10_000);
    const body = "x".repeat(2_000); // about 2,200 bytes each
    for (const key of ["a", "b", "c", "d"]) cache.set(key, answer(1, body));
    expect(cache.get("a", 1)).toBeDefined(); // a is now the most recently used
    cache.set("e", answer(1, body));
    expect([..."abcde"].filter((k) => cache.has(k))).toEqual(["a", "c", "d", "e"]);
    expect(cache.size).toBeLessThanOrEqual(10_000);
    cache.set("huge", answer(1, "x".repeat(2_600)));
    expect(cache.has("huge")).toBe(false);
  });
});
