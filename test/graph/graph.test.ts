import { errorCode, startTestApp, TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const PATHWAYS = `query($from: ID!, $to: ID, $toCategory: ServiceCategory, $profile: ProfileInput, $maxHops: Int, $limit: Int, $asOf: Date) {
  pathways(from: $from, to: $to, toCategory: $toCategory, profile: $profile, maxHops: $maxHops, limit: $limit, asOf: $asOf) {
    hops organizations { slug } referrals { from { slug } to { slug } categories }
  }
}`;
const CHAIN = `query($organization: ID!, $direction: ReferralDirection, $maxDepth: Int, $profile: ProfileInput, $asOf: Date) {
  referralChain(organization: $organization, direction: $direction, maxDepth: $maxDepth, profile: $profile, asOf: $asOf) {
    entries { organization { slug } depth } referrals { from { slug } to { slug } }
  }
}`;
const NETWORK = `query($region: String, $profile: ProfileInput, $asOf: Date) {
  network(region: $region, profile: $profile, asOf: $asOf) {
    organizations { slug name } referrals { id from { slug } to { slug } } partnerships { kind organizations { slug } }
  }
}`;
const METRICS = `query($region: String, $profile: ProfileInput, $asOf: Date) {
  networkMetrics(region: $region, profile: $profile, asOf: $asOf) { organization { slug } inDegree outDegree betweenness downstreamReach }
}`;

const slugs = (list: { slug: string }[]) => list.map((o) => o.slug);

describe("the Corrèze scenarios", () => {
  it("when a 19-year-old resettled refugee starts at Chemins Singuliers, then MOSAIK's language courses are one hop away", async () => {
    const data = await app.ok(PATHWAYS, { from: "chemins-singuliers", toCategory: "LANGUAGE_LEARNING", profile: { targetGroup: "RESETTLED_REFUGEE", age: 19 } });
    expect(data.pathways).toEqual([
      {
        hops: 1,
        organizations: [{ slug: "chemins-singuliers" }, { slug: "mosaik" }],
        referrals: [{ from: { slug: "chemins-singuliers" }, to: { slug: "mosaik" }, categories: ["LANGUAGE_LEARNING", "VOCATIONAL_ORIENTATION"] }],
      },
    ]);
  });

  it("when the person is 30, or an asylum seeker, then there is no pathway", async () => {
    for (const profile of [{ targetGroup: "RESETTLED_REFUGEE", age: 30 }, { targetGroup: "ASYLUM_SEEKER", age: 19 }]) {
      const data = await app.ok(PATHWAYS, { from: "chemins-singuliers", toCategory: "LANGUAGE_LEARNING", profile });
      expect(data.pathways).toEqual([]);
    }
  });

  it("when a destination is named, then the pathway to it", async () => {
    const data = await app.ok(PATHWAYS, { from: "chemins-singuliers", to: "mosaik" });
    expect(data.pathways.map((p: any) => slugs(p.organizations))).toEqual([["chemins-singuliers", "mosaik"]]);
  });

  it("when MOSAIK's chain is followed upstream and Chemins Singuliers' downstream, then each finds the other at depth 1", async () => {
    const down = await app.ok(CHAIN, { organization: "chemins-singuliers" });
    expect(down.referralChain.entries).toEqual([
      { organization: { slug: "chemins-singuliers" }, depth: 0 },
      { organization: { slug: "mosaik" }, depth: 1 },
    ]);
    expect(down.referralChain.referrals).toEqual([{ from: { slug: "chemins-singuliers" }, to: { slug: "mosaik" } }]);
    const up = await app.ok(CHAIN, { organization: "mosaik", direction: "UPSTREAM", profile: { age: 19 } });
    expect(up.referralChain.entries.map((e: any) => [e.organization.slug, e.depth])).toEqual([
      ["mosaik", 0],
      ["chemins-singuliers", 1],
    ]);
    const zero = await app.ok(CHAIN, { organization: "mosaik", maxDepth: 0 });
    expect(zero.referralChain).toEqual({ entries: [{ organization: { slug: "mosaik" }, depth: 0 }], referrals: [] });
  });

  it("when Corrèze's network is asked, then its organizations, the referral and the partnerships among them", async () => {
    const data = await app.ok(NETWORK, { region: "correze" });
    expect(slugs(data.network.organizations)).toEqual(["chemins-singuliers", "entraide-pierre-valdo", "institut-don-bosco", "mission-locale", "mosaik"]);
    expect(data.network.referrals.map((r: any) => [r.from.slug, r.to.slug])).toEqual([["chemins-singuliers", "mosaik"]]);
    expect(data.network.partnerships).toEqual([{ kind: "PARTNERSHIP", organizations: [{ slug: "mission-locale" }, { slug: "mosaik" }] }]);
    const all = await app.ok(NETWORK, {});
    expect(all.network.organizations.length).toBeGreaterThan(data.network.organizations.length);
    expect(all.network.partnerships.length).toBeGreaterThanOrEqual(3);
  });

  it("when Corrèze's metrics are asked, then degrees and reach follow the referral", async () => {
    const data = await app.ok(METRICS, { region: "correze" });
    const bySlug = Object.fromEntries(data.networkMetrics.map((m: any) => [m.organization.slug, m]));
    expect(bySlug["chemins-singuliers"]).toMatchObject({ inDegree: 0, outDegree: 1, betweenness: 0, downstreamReach: 1 });
    expect(bySlug.mosaik).toMatchObject({ inDegree: 1, outDegree: 0, downstreamReach: 0 });
    const thirty = await app.ok(METRICS, { region: "correze", profile: { age: 30 } });
    expect(thirty.networkMetrics.every((m: any) => m.outDegree === 0)).toBe(true);
  });
});

describe("arguments", () => {
  it.each([
    [PATHWAYS, { from: "mosaik" }, /exactly one of to and toCategory/],
    [PATHWAYS, { from: "mosaik", to: "anka", toCategory: "HEALTH" }, /exactly one/],
    [PATHWAYS, { from: "mosaik", to: "anka", maxHops: 0 }, /^maxHops/],
    [PATHWAYS, { from: "mosaik", to: "anka", maxHops: 9 }, /^maxHops/],
    [PATHWAYS, { from: "mosaik", to: "anka", limit: 0 }, /^limit/],
    [PATHWAYS, { from: "mosaik", to: "anka", limit: 101 }, /^limit/],
    [PATHWAYS, { from: "mosaik", to: "anka", profile: { age: 121 } }, /profile\.age/],
    [PATHWAYS, { from: "mosaik", to: "anka", asOf: "2024-02-30" }, /YYYY-MM-DD/],
    [CHAIN, { organization: "mosaik", maxDepth: 9 }, /^maxDepth/],
    [CHAIN, { organization: "mosaik", maxDepth: -1 }, /^maxDepth/],
    [METRICS, { profile: { age: -1 } }, /profile\.age/],
  ])("when %#: out of range, then BAD_USER_INPUT naming the argument", async (query, variables, message) => {
    const result = await app.execute(query, variables);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].message).toMatch(message);
  });

  it.each([
    [PATHWAYS, { from: "nowhere", to: "mosaik" }, /from/],
    [PATHWAYS, { from: "mosaik", to: "nowhere" }, /to/],
    [CHAIN, { organization: "nowhere" }, /organization/],
    [NETWORK, { region: "atlantis" }, /region/],
    [METRICS, { region: "atlantis" }, /region/],
  ])("when %#: it names what does not exist, then NOT_FOUND", async (query, variables, message) => {
    const result = await app.execute(query, variables);
    expect(errorCode(result)).toBe("NOT_FOUND");
    expect(result.errors![0].message).toMatch(message);
  });
});

describe("the snapshot follows every kind of write", () => {
  const CREATE_REFERRAL = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`;
  const chainFrom = async (slug: string) =>
    (await app.ok(CHAIN, { organization: slug, maxDepth: 1 })).referralChain.entries.map((e: any) => e.organization.slug);
  const correze = async () => (await app.ok(NETWORK, { region: "correze" })).network;

  it("when organizations are created, renamed and deleted, then the network shows it", async () => {
    await correze();
    await app.ok(`mutation { createOrganization(input: { name: "Snapshot One", kind: NGO, region: "correze" }) { id } }`, {}, app.tokens.admin);
    expect(slugs((await correze()).organizations)).toContain("snapshot-one");
    await app.ok(`mutation { updateOrganization(id: "snapshot-one", input: { name: "Snapshot Renamed" }) { id } }`, {}, app.tokens.admin);
    expect((await correze()).organizations.find((o: any) => o.slug === "snapshot-one").name).toBe("Snapshot Renamed");
    await app.ok(`mutation { deleteOrganization(id: "snapshot-one") }`, {}, app.tokens.admin);
    expect(slugs((await correze()).organizations)).not.toContain("snapshot-one");
  });

  it("when a referral is created, updated, ended and deleted, then chains and pathways show it", async () => {
    expect(await chainFrom("mission-locale")).toEqual(["mission-locale"]);
    const created = await app.ok(CREATE_REFERRAL, { input: { from: "mission-locale", to: "institut-don-bosco", categories: ["MENTORING"] } }, app.tokens.admin);
    const id = created.createReferral.id;
    expect(await chainFrom("mission-locale")).toEqual(["mission-locale", "institut-don-bosco"]);

    await app.ok(`mutation($id: ID!) { updateReferral(id: $id, input: { eligibility: { maxAge: 17 } }) { id } }`, { id }, app.tokens.admin);
    const adult = await app.ok(PATHWAYS, { from: "mission-locale", to: "institut-don-bosco", profile: { age: 30 } });
    expect(adult.pathways).toEqual([]);

    await app.ok(`mutation($id: ID!) { endReferral(id: $id, until: "2024-01-31") { id } }`, { id }, app.tokens.admin);
    expect(await chainFrom("mission-locale")).toEqual(["mission-locale"]);
    const past = await app.ok(CHAIN, { organization: "mission-locale", maxDepth: 1, asOf: "2024-01-15" });
    expect(past.referralChain.entries).toHaveLength(2);

    await app.ok(`mutation($id: ID!) { deleteReferral(id: $id) }`, { id }, app.tokens.admin);
    const gone = await app.ok(CHAIN, { organization: "mission-locale", maxDepth: 1, asOf: "2024-01-15" });
    expect(gone.referralChain.entries).toHaveLength(1);
  });

  it("when a region is created after the snapshot was built, then its network can be asked at once", async () => {
    await correze();
    await app.ok(`mutation { createRegion(input: { slug: "creuse", name: "Creuse", country: "FR" }) { id } }`, {}, app.tokens.admin);
    expect((await app.ok(NETWORK, { region: "creuse" })).network.organizations).toEqual([]);
  });

  it("when a partnership is created and deleted, then the network shows it", async () => {
    const before = (await correze()).partnerships.length;
    const created = await app.ok(`mutation { createPartnership(input: { kind: FUNDING, organizations: ["mosaik", "institut-don-bosco"] }) { id } }`, {}, app.tokens.admin);
    expect((await correze()).partnerships).toHaveLength(before + 1);
    await app.ok(`mutation($id: ID!) { deletePartnership(id: $id) }`, { id: created.createPartnership.id }, app.tokens.admin);
    expect((await correze()).partnerships).toHaveLength(before);
  });

  it("when metrics were cached and a referral is added, then the next answer counts it", async () => {
    const outDegree = async () =>
      (await app.ok(METRICS, { region: "correze" })).networkMetrics.find((m: any) => m.organization.slug === "institut-don-bosco").outDegree;
    const before = await outDegree();
    expect(await outDegree()).toBe(before);
    await app.ok(CREATE_REFERRAL, { input: { from: "institut-don-bosco", to: "mission-locale", categories: ["EMPLOYMENT"] } }, app.tokens.admin);
    expect(await outDegree()).toBe(before + 1);
  });

  it("when dates are given, with asOf or without (today), then status is ignored and since/until decide", async () => {
    await app.ok(
      CREATE_REFERRAL,
      { input: { from: "entraide-pierre-valdo", to: "chemins-singuliers", categories: ["RESETTLEMENT_SUPPORT"], since: "2099-01-01", status: "PILOT" } },
      app.tokens.admin,
    );
    const now = await app.ok(PATHWAYS, { from: "entraide-pierre-valdo", to: "chemins-singuliers" });
    expect(now.pathways).toEqual([]); // a PILOT not begun yet is not walked today (docs/api.md)
    const before = await app.ok(PATHWAYS, { from: "entraide-pierre-valdo", to: "chemins-singuliers", asOf: "2098-12-31" });
    expect(before.pathways).toEqual([]);
    const two = await app.ok(PATHWAYS, { from: "entraide-pierre-valdo", toCategory: "LANGUAGE_LEARNING", asOf: "2099-06-01" });
    expect(two.pathways.map((p: any) => slugs(p.organizations))).toEqual([["entraide-pierre-valdo", "chemins-singuliers", "mosaik"]]);
  });
});
