import { errorCode, startTestApp, TestApp } from "../helpers/app";

// A hub-and-spoke shape where simple paths are many and almost none lead anywhere: the start sends
// to a hub, the hub to a clique of members who all send back to the hub, and only the hub reaches
// the destination. Once the hub is on the path, every walk through the clique is a dead end.
let app: TestApp;
const CLIQUE = 8;
beforeAll(async () => {
  app = await startTestApp({ env: { GRAPH_SEARCH_STEPS: "1000" } });
  const admin = app.tokens.admin;
  await app.ok(`mutation { createRegion(input: { slug: "lot", name: "Lot", country: "FR" }) { id } }`, {}, admin);
  const members = Array.from({ length: CLIQUE }, (_, i) => `member-${i + 1}`);
  for (const slug of ["start", "hub", "destination", ...members]) {
    await app.ok(`mutation($slug: String!) { createOrganization(input: { slug: $slug, name: $slug, kind: NGO, region: "lot" }) { id } }`, { slug }, admin);
  }
  const refer = (from: string, to: string) =>
    app.ok(`mutation($from: ID!, $to: ID!) { createReferral(input: { from: $from, to: $to, categories: [MENTORING] }) { id } }`, { from, to }, admin);
  await refer("start", "hub");
  await refer("hub", "destination");
  for (const m of members) {
    await refer("hub", m);
    await refer(m, "hub");
    for (const other of members) if (other !== m) await refer(m, other);
  }
});
afterAll(() => app.close());

const PATHWAYS = `query($maxHops: Int) { pathways(from: "start", to: "destination", maxHops: $maxHops, limit: 10) { organizations { slug } } }`;

describe("pathway searches are bounded in work", () => {
  it("when the search stays small, then it answers: the one pathway through the hub", async () => {
    const data = await app.ok(PATHWAYS, { maxHops: 3 });
    expect(data.pathways).toEqual([{ organizations: [{ slug: "start" }, { slug: "hub" }, { slug: "destination" }] }]);
  });

  it("when the search would walk every dead end of the clique, then BAD_USER_INPUT names maxHops and GRAPH_SEARCH_STEPS", async () => {
    const result = await app.execute(PATHWAYS, { maxHops: 8 });
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].message).toMatch(/^maxHops: this search is too large .*GRAPH_SEARCH_STEPS/);
  });
});
