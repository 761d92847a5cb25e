import { startTestApp, TestApp } from "../helpers/app";
import { today } from "../../src/referrals/referral.rules";

// docs/api.md's time rule: a referral is walked on day D (asOf, else today's UTC day) when
// since <= D <= until (null ends open), whatever its status; leaving asOf out and giving today
// answer the same, on every graph query and export.

let app: TestApp;
let base: string;

const TODAY = today();
const shift = (days: number) => today(new Date(Date.now() + days * 86_400_000));
const PAST = "2025-01-31";

// Region "lot": `start` refers to four organizations. Only the open one is walkable today.
const LOT = ["lot-start", "lot-ended", "lot-active-past", "lot-pilot-future", "lot-open"];

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen({ NODE_ENV: "test" })).base;
  const admin = app.tokens.admin;
  await app.ok(`mutation { createRegion(input: { slug: "lot", name: "Lot", country: "FR" }) { id } }`, {}, admin);
  for (const slug of LOT) {
    await app.ok(`mutation($slug: String!) { createOrganization(input: { name: $slug, slug: $slug, kind: NGO, region: "lot", services: [{ name: "Help", category: HOUSING }] }) { id } }`, { slug }, admin);
  }
  const refer = (to: string, fields: Record<string, unknown>) =>
    app.ok(`mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`, { input: { from: "lot-start", to, categories: ["HOUSING"], ...fields } }, admin);
  await refer("lot-ended", { status: "ENDED", since: "2024-01-01", until: PAST });
  await refer("lot-active-past", { status: "ACTIVE", since: "2024-01-01", until: PAST });
  await refer("lot-pilot-future", { status: "PILOT", since: shift(400) });
  await refer("lot-open", { status: "ACTIVE" });
});
afterAll(() => app.close());

const NETWORK = `query($asOf: Date) { network(region: "lot", asOf: $asOf) { referrals { to { slug } } } }`;
const PATHWAYS = `query($to: ID!, $asOf: Date) { pathways(from: "lot-start", to: $to, asOf: $asOf) { organizations { slug } } }`;
const CATEGORY = `query($asOf: Date) { pathways(from: "lot-start", toCategory: HOUSING, maxHops: 1, asOf: $asOf) { organizations { slug } } }`;
const CHAIN = `query($asOf: Date) { referralChain(organization: "lot-start", maxDepth: 1, asOf: $asOf) { entries { organization { slug } } referrals { to { slug } } } }`;
const METRICS = `query($asOf: Date) { networkMetrics(region: "lot", asOf: $asOf) { organization { slug } outDegree downstreamReach } }`;

/** Where lot-start's walked referrals lead, by each graph query, on `asOf` (undefined: left out). */
async function walkedTo(asOf: string | undefined) {
  const vars = asOf === undefined ? {} : { asOf };
  const network = (await app.ok(NETWORK, vars)).network.referrals.map((r: any) => r.to.slug).sort();
  const chain = (await app.ok(CHAIN, vars)).referralChain.referrals.map((r: any) => r.to.slug).sort();
  const category = (await app.ok(CATEGORY, vars)).pathways.map((p: any) => p.organizations[1].slug).sort();
  const pathways: string[] = [];
  for (const to of LOT.slice(1)) if ((await app.ok(PATHWAYS, { to, ...vars })).pathways.length > 0) pathways.push(to);
  const metrics = (await app.ok(METRICS, vars)).networkMetrics.find((m: any) => m.organization.slug === "lot-start");
  const exported = await fetch(`${base}/export/network.json?region=lot${asOf === undefined ? "" : `&asOf=${asOf}`}`).then((r) => r.json() as Promise<any>);
  const edges = exported.elements.edges.map((e: any) => e.data.target).sort();
  const slugById = new Map(exported.elements.nodes.map((n: any) => [n.data.id, n.data.slug ?? n.data.id]));
  pathways.sort();
  return { network, chain, category, pathways, outDegree: metrics.outDegree, reach: metrics.downstreamReach, exported: edges.map((t: string) => slugById.get(t)).sort() };
}

const all = (slugs: string[]) => ({ network: slugs, chain: slugs, category: slugs, pathways: slugs, outDegree: slugs.length, reach: slugs.length, exported: slugs });

describe("the v2 time rule on every graph query", () => {
  it("when asOf is left out, then only referrals whose dates hold today are walked: not an ENDED one, an ACTIVE one past its until, a PILOT not yet begun", async () => {
    expect(await walkedTo(undefined)).toEqual(all(["lot-open"]));
  });

  it("when asOf is today's date, then the answer is the one without asOf", async () => {
    expect(await walkedTo(TODAY)).toEqual(await walkedTo(undefined));
  });

  it("when asOf is before the end day, then the ENDED referral and the ACTIVE one that ended are walked, whatever their status", async () => {
    expect(await walkedTo("2025-01-15")).toEqual(all(["lot-active-past", "lot-ended", "lot-open"]));
    expect(await walkedTo(PAST)).toEqual(all(["lot-active-past", "lot-ended", "lot-open"])); // until is included
    expect(await walkedTo("2025-02-01")).toEqual(all(["lot-open"]));
  });

  it("when asOf reaches the PILOT's first day, then it is walked", async () => {
    expect(await walkedTo(shift(400))).toEqual(all(["lot-open", "lot-pilot-future"]));
  });
});

describe("answers asked without asOf hold for the day they were computed on", () => {
  // Only Date is faked: timers, ticks and the database run as usual.
  const clock = (iso: string) => jest.setSystemTime(new Date(iso));
  beforeEach(() =>
    jest.useFakeTimers({
      now: new Date("2030-01-10T12:00:00Z"),
      doNotFake: ["hrtime", "nextTick", "performance", "queueMicrotask", "setImmediate", "clearImmediate", "setInterval", "clearInterval", "setTimeout", "clearTimeout"],
    }),
  );
  afterEach(() => jest.useRealTimers());

  async function ask(query: string) {
    const response = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
    return { hit: response.headers.get("x-passerelle-cache") === "hit", body: (await response.json()) as any };
  }

  it("when the day turns with no write in between, then the cached answer and the cached metrics are not served, and the referral that ended yesterday is gone", async () => {
    await app.ok(`mutation { createRegion(input: { slug: "cantal", name: "Cantal", country: "FR" }) { id } }`, {}, app.tokens.admin);
    for (const slug of ["cantal-a", "cantal-b"]) {
      await app.ok(`mutation($slug: String!) { createOrganization(input: { name: $slug, slug: $slug, kind: NGO, region: "cantal" }) { id } }`, { slug }, app.tokens.admin);
    }
    await app.ok(`mutation { createReferral(input: { from: "cantal-a", to: "cantal-b", categories: [HOUSING], until: "2030-01-10" }) { id } }`, {}, app.tokens.admin);
    const network = `{ network(region: "cantal") { referrals { to { slug } } } }`;
    const metrics = `{ networkMetrics(region: "cantal") { organization { slug } outDegree } }`;
    const dated = `{ network(region: "cantal", asOf: "2030-01-10") { referrals { to { slug } } } }`;
    const outDegreeOfA = (body: any) => body.data.networkMetrics.find((m: any) => m.organization.slug === "cantal-a").outDegree;

    expect((await ask(network)).body.data.network.referrals).toEqual([{ to: { slug: "cantal-b" } }]);
    expect((await ask(network)).hit).toBe(true);
    expect(outDegreeOfA((await app.execute(metrics)))).toBe(1); // computed and kept by GraphQueries (no HTTP cache here)
    expect((await ask(dated)).hit).toBe(false);
    expect((await ask(dated)).hit).toBe(true);

    clock("2030-01-11T00:00:01Z");
    const tomorrow = await ask(network);
    expect(tomorrow.hit).toBe(false);
    expect(tomorrow.body.data.network.referrals).toEqual([]);
    expect(outDegreeOfA(await app.execute(metrics))).toBe(0);
    // A question that gave asOf has the same answer on any day: still served.
    const again = await ask(dated);
    expect(again.hit).toBe(true);
    expect(again.body.data.network.referrals).toEqual([{ to: { slug: "cantal-b" } }]);
  });
});
