import { OrganizationKind, ServiceCategory, TargetGroup } from "../../src/domain/vocabulary";
import { referralRow } from "./arbitrary";
import { graphRef, modularityRef, networkSummaryRef } from "./analyses-reference";
import { SnapshotSource } from "./reference";
import { Analyses, communitiesOf, idOf, implementation, reference, shuffled, Slug } from "./analyses-sides";

// Each analysis, the reference and the implementation alike, on small networks drawn by hand, with
// the answers worked out by hand.
const { EMPLOYMENT, HOUSING, LANGUAGE_LEARNING } = ServiceCategory;

const ASOF = "2024-01-01";

interface HandReferral {
  targetGroups?: TargetGroup[];
  minAge?: number | null;
  maxAge?: number | null;
  since?: string | null;
  until?: string | null;
}

/**
 * A network from slugs: organizations "a" (region-1) or "z@region-2"; services [slug, category,
 * eligibility]; referrals [id, from, to, eligibility and dates], in the given row order.
 */
function network(
  organizations: string[],
  services: [Slug, ServiceCategory, { targetGroups?: TargetGroup[]; minAge?: number | null; maxAge?: number | null }?][],
  referrals: [string, Slug, Slug, HandReferral?][],
): SnapshotSource {
  const orgs = organizations.map((spec, i) => {
    const [slugText, regionId = "region-1"] = spec.split("@");
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      slug: slugText,
      name: slugText.toUpperCase(),
      searchName: slugText,
      kind: OrganizationKind.NGO,
      description: null,
      website: null,
      regionId,
      version: 1,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
  });
  const id = (s: Slug) => orgs.find((o) => o.slug === s)!.id;
  return {
    version: 1,
    regions: [
      { id: "region-1", slug: "one" },
      { id: "region-2", slug: "two" },
    ],
    organizations: orgs,
    services: services.map(([o, category, e]) => ({ organizationId: id(o), category, targetGroups: [], minAge: null, maxAge: null, ...e })),
    referrals: referrals.map(([rid, from, to, e]) => referralRow({ id: rid, fromId: id(from), toId: id(to), ...e })),
    partnerships: [],
  };
}

const R1 = "region-1";
const summary = (s: Partial<ReturnType<typeof networkSummaryRef>>) => ({
  referralCount: 0,
  reciprocity: 0,
  isolated: [],
  components: 1,
  brokers: [],
  ...s,
});
const close = (x: number) => expect.closeTo(x, 9);

// line a → b → c: b offers EMPLOYMENT, c HOUSING.
const line = network(["a", "b", "c"], [["b", EMPLOYMENT], ["c", HOUSING]], [["r2", "b", "c"], ["r1", "a", "b"]]);
// diamond a → b → d, a → c → d: d offers HOUSING from 18 to 25.
const diamond = network(["d", "c", "b", "a"], [["d", HOUSING, { minAge: 18, maxAge: 25 }]], [["r4", "c", "d"], ["r3", "b", "d"], ["r2", "a", "c"], ["r1", "a", "b"]]);
// cycle a → b → c → a: a offers LANGUAGE_LEARNING, c EMPLOYMENT.
const cycle = network(["a", "b", "c"], [["a", LANGUAGE_LEARNING], ["c", EMPLOYMENT]], [["r1", "a", "b"], ["r2", "b", "c"], ["r3", "c", "a"]]);
// a ⇄ b → c.
const mutual = network(["a", "b", "c"], [], [["r1", "a", "b"], ["r2", "b", "a"], ["r3", "b", "c"]]);
// a → b, and z alone: b offers HOUSING.
const isolated = network(["z", "a", "b"], [["b", HOUSING]], [["r1", "a", "b"]]);
// two parallel referrals a → b, r2 for migrants only: b offers HOUSING.
const parallel = network(["a", "b"], [["b", HOUSING]], [["r2", "a", "b", { targetGroups: [TargetGroup.MIGRANT] }], ["r1", "a", "b"]]);
// a ⇄ b: a offers EMPLOYMENT and HOUSING, b HOUSING.
const selfProvider = network(["a", "b"], [["a", EMPLOYMENT], ["a", HOUSING], ["b", HOUSING]], [["r1", "a", "b"], ["r2", "b", "a"]]);
// a → b in region-1, y → z in region-2, and a → z across: b and z offer HOUSING.
const regions = network(["a", "b", "y@region-2", "z@region-2"], [["b", HOUSING], ["z", HOUSING]], [["r1", "a", "b"], ["r2", "a", "z"], ["r3", "y", "z"]]);
// a → b for those up to 17 only: b offers HOUSING at any age.
const minorsOnly = network(["a", "b"], [["b", HOUSING]], [["r1", "a", "b", { maxAge: 17 }]]);
// Referrals that start, end, and one for migrants only.
const dated = network(
  ["a", "b", "c"],
  [],
  [
    ["r1", "a", "b", { since: "2022-01-01" }],
    ["r2", "b", "c", { until: "2021-06-15" }],
    ["r3", "a", "c"],
    ["r4", "c", "a", { since: "2022-01-01", targetGroups: [TargetGroup.MIGRANT] }],
  ],
);

function handCases(api: Analyses) {
  it("line a → b → c: coverage, closure, criticality and summary", () => {
    const cov = { regionId: R1, categories: [EMPLOYMENT, HOUSING], targetGroups: [null], ages: [null], asOf: ASOF };
    expect(api.coverage(line, { ...cov, from: "a" })).toEqual([
      { category: EMPLOYMENT, targetGroup: null, age: null, providers: ["b"], reachableCount: 1 },
      { category: HOUSING, targetGroup: null, age: null, providers: ["c"], reachableCount: 1 },
    ]);
    expect(api.coverage(line, { ...cov, from: "a", maxHops: 1 })).toMatchObject([{ reachableCount: 1 }, { reachableCount: 0 }]);
    expect(api.coverage(line, { ...cov, from: "c" })).toMatchObject([{ reachableCount: 0 }, { reachableCount: 0 }]);
    expect(api.coverage(line, cov)).toMatchObject([{ reachableCount: null }, { reachableCount: null }]);

    const closing = { regionId: R1, asOf: ASOF, categories: [EMPLOYMENT, HOUSING], referrals: [] };
    expect(api.closureImpact(line, { ...closing, organizations: ["b"] })).toEqual({
      referralsLost: ["r1", "r2"],
      coverageLost: [{ category: EMPLOYMENT, providersBefore: 1, providersAfter: 0 }],
      routesLost: [
        { from: "a", category: EMPLOYMENT, hopsBefore: 1 },
        { from: "a", category: HOUSING, hopsBefore: 2 },
      ],
      isolated: ["a", "c"],
    });
    expect(api.closureImpact(line, { ...closing, organizations: ["b"], maxHops: 1 })).toMatchObject({ routesLost: [{ from: "a", category: EMPLOYMENT, hopsBefore: 1 }] });
    expect(api.closureImpact(line, { ...closing, organizations: [], referrals: ["r2"] })).toEqual({
      referralsLost: ["r2"],
      coverageLost: [],
      routesLost: [
        { from: "a", category: HOUSING, hopsBefore: 2 },
        { from: "b", category: HOUSING, hopsBefore: 1 },
      ],
      isolated: ["c"],
    });
    expect(api.criticalOrganizations(line, { regionId: R1, asOf: ASOF, categories: [EMPLOYMENT, HOUSING], first: 20 })).toEqual([
      { organization: "b", routesCarried: 2 },
      { organization: "c", routesCarried: 2 },
    ]);
    expect(api.criticalOrganizations(line, { regionId: R1, asOf: ASOF, categories: [EMPLOYMENT, HOUSING], first: 1 })).toEqual([{ organization: "b", routesCarried: 2 }]);
    expect(api.networkSummary(line, { regionId: R1, asOf: ASOF })).toEqual(
      summary({ organizationCount: 3, referralCount: 2, density: close(1 / 3), largestComponent: 3, inDegreeCentralization: close(0.25), outDegreeCentralization: close(0.25), brokers: ["b"] }),
    );
  });

  it("diamond a → b, c → d: a second way round, and an age range", () => {
    expect(api.criticalOrganizations(diamond, { regionId: R1, asOf: ASOF, categories: [HOUSING], first: 20 })).toEqual([{ organization: "d", routesCarried: 3 }]);
    expect(api.criticalOrganizations(diamond, { regionId: R1, asOf: ASOF, profile: { age: 30 }, categories: [HOUSING], first: 20 })).toEqual([]);
    expect(api.networkSummary(diamond, { regionId: R1, asOf: ASOF })).toEqual(
      summary({ organizationCount: 4, referralCount: 4, density: close(1 / 3), largestComponent: 4, inDegreeCentralization: close(4 / 9), outDegreeCentralization: close(4 / 9) }),
    );
    const closing = { regionId: R1, asOf: ASOF, categories: [EMPLOYMENT, HOUSING], referrals: [] };
    expect(api.closureImpact(diamond, { ...closing, organizations: ["b"] })).toEqual({ referralsLost: ["r1", "r3"], coverageLost: [], routesLost: [], isolated: [] });
    expect(api.closureImpact(diamond, { ...closing, organizations: ["c", "b"] })).toEqual({
      referralsLost: ["r1", "r2", "r3", "r4"],
      coverageLost: [],
      routesLost: [{ from: "a", category: HOUSING, hopsBefore: 2 }],
      isolated: ["a", "d"],
    });
    expect(api.ageCliffs(diamond, { regionId: R1, categories: [HOUSING], asOf: ASOF })).toEqual([{ age: 26, category: HOUSING, providersBefore: 1, providersAfter: 0, lost: ["d"] }]);
    expect(api.ageCliffs(diamond, { regionId: R1, categories: [EMPLOYMENT, HOUSING], from: "a", asOf: ASOF })).toEqual([
      { age: 26, category: HOUSING, providersBefore: 1, providersAfter: 0, lost: ["d"] },
    ]);
    expect(api.ageCliffs(diamond, { regionId: R1, categories: [HOUSING], from: "a", maxHops: 1, asOf: ASOF })).toEqual([]);
    expect(api.ageCliffs(diamond, { regionId: R1, categories: [HOUSING], from: "d", asOf: ASOF })).toEqual([]);
    expect(api.profileChange(diamond, { regionId: R1, before: { age: 20 }, after: { age: 30 }, categories: [EMPLOYMENT, HOUSING], asOf: ASOF })).toEqual([
      { category: HOUSING, providersBefore: 1, providersAfter: 0, lost: ["d"], gained: [] },
    ]);
    expect(api.profileChange(diamond, { regionId: R1, before: { age: 30 }, after: { age: null }, categories: [HOUSING], from: "a", asOf: ASOF })).toEqual([
      { category: HOUSING, providersBefore: 0, providersAfter: 1, lost: [], gained: ["d"] },
    ]);
    expect(api.coverage(diamond, { regionId: R1, categories: [HOUSING], targetGroups: [null], ages: [17, 18, 25, 26], from: "a", asOf: ASOF })).toEqual([
      { category: HOUSING, targetGroup: null, age: 17, providers: [], reachableCount: 0 },
      { category: HOUSING, targetGroup: null, age: 18, providers: ["d"], reachableCount: 1 },
      { category: HOUSING, targetGroup: null, age: 25, providers: ["d"], reachableCount: 1 },
      { category: HOUSING, targetGroup: null, age: 26, providers: [], reachableCount: 0 },
    ]);
  });

  it("cycle a → b → c → a: every organization carries routes, the source's own service is no route", () => {
    expect(api.criticalOrganizations(cycle, { regionId: R1, asOf: ASOF, categories: [EMPLOYMENT, LANGUAGE_LEARNING], first: 20 })).toEqual([
      { organization: "c", routesCarried: 3 },
      { organization: "a", routesCarried: 2 },
      { organization: "b", routesCarried: 1 },
    ]);
    expect(api.networkSummary(cycle, { regionId: R1, asOf: ASOF })).toEqual(
      summary({ organizationCount: 3, referralCount: 3, density: close(0.5), largestComponent: 3, inDegreeCentralization: close(0), outDegreeCentralization: close(0) }),
    );
    const cov = { regionId: R1, categories: [EMPLOYMENT, LANGUAGE_LEARNING], targetGroups: [null], ages: [null], from: "a", asOf: ASOF };
    expect(api.coverage(cycle, cov)).toMatchObject([
      { providers: ["c"], reachableCount: 1 },
      { providers: ["a"], reachableCount: 0 },
    ]);
    expect(api.coverage(cycle, { ...cov, maxHops: 1 })).toMatchObject([{ reachableCount: 0 }, { reachableCount: 0 }]);
    expect(api.closureImpact(cycle, { regionId: R1, asOf: ASOF, categories: [EMPLOYMENT, LANGUAGE_LEARNING], organizations: ["a"], referrals: [] })).toEqual({
      referralsLost: ["r1", "r3"],
      coverageLost: [{ category: LANGUAGE_LEARNING, providersBefore: 1, providersAfter: 0 }],
      routesLost: [
        { from: "b", category: LANGUAGE_LEARNING, hopsBefore: 2 },
        { from: "c", category: LANGUAGE_LEARNING, hopsBefore: 1 },
      ],
      isolated: [],
    });
  });

  it("a ⇄ b → c: reciprocity and a broker", () => {
    expect(api.networkSummary(mutual, { asOf: ASOF })).toEqual(
      summary({ organizationCount: 3, referralCount: 3, density: close(0.5), reciprocity: close(2 / 3), largestComponent: 3, inDegreeCentralization: close(0), outDegreeCentralization: close(0.75), brokers: ["b"] }),
    );
  });

  it("an isolated organization: its own component, reaching nothing", () => {
    expect(api.networkSummary(isolated, { regionId: R1, asOf: ASOF })).toEqual(
      summary({ organizationCount: 3, referralCount: 1, density: close(1 / 6), isolated: ["z"], components: 2, largestComponent: 2, inDegreeCentralization: close(0.5), outDegreeCentralization: close(0.5) }),
    );
    expect(api.coverage(isolated, { regionId: R1, categories: [HOUSING], targetGroups: [null], ages: [null], from: "z", asOf: ASOF })).toEqual([
      { category: HOUSING, targetGroup: null, age: null, providers: ["b"], reachableCount: 0 },
    ]);
    expect(api.closureImpact(isolated, { regionId: R1, asOf: ASOF, categories: [HOUSING], organizations: ["b"], referrals: [] })).toEqual({
      referralsLost: ["r1"],
      coverageLost: [{ category: HOUSING, providersBefore: 1, providersAfter: 0 }],
      routesLost: [{ from: "a", category: HOUSING, hopsBefore: 1 }],
      isolated: ["a"],
    });
    expect(api.criticalOrganizations(isolated, { regionId: R1, asOf: ASOF, categories: [HOUSING], first: 20 })).toEqual([{ organization: "b", routesCarried: 1 }]);
    // An empty region, and one organization alone.
    expect(api.networkSummary(isolated, { regionId: "region-2", asOf: ASOF })).toEqual(
      summary({ organizationCount: 0, density: close(0), components: 0, largestComponent: 0, inDegreeCentralization: close(0), outDegreeCentralization: close(0) }),
    );
    const alone = network(["a"], [], []);
    expect(api.networkSummary(alone, { asOf: ASOF })).toEqual(
      summary({ organizationCount: 1, density: close(0), isolated: ["a"], largestComponent: 1, inDegreeCentralization: close(0), outDegreeCentralization: close(0) }),
    );
  });

  it("two parallel referrals a → b: one tie, two referrals; the profile picks among them", () => {
    expect(api.networkSummary(parallel, { asOf: ASOF })).toEqual(
      summary({ organizationCount: 2, referralCount: 2, density: close(0.5), largestComponent: 2, inDegreeCentralization: close(1), outDegreeCentralization: close(1) }),
    );
    const closing = { asOf: ASOF, categories: [HOUSING], organizations: [] };
    expect(api.closureImpact(parallel, { ...closing, referrals: ["r1"] })).toEqual({ referralsLost: ["r1"], coverageLost: [], routesLost: [], isolated: [] });
    expect(api.closureImpact(parallel, { ...closing, referrals: ["r2", "r1"] })).toEqual({
      referralsLost: ["r1", "r2"],
      coverageLost: [],
      routesLost: [{ from: "a", category: HOUSING, hopsBefore: 1 }],
      isolated: ["a", "b"],
    });
    const asylum = { targetGroup: TargetGroup.ASYLUM_SEEKER };
    expect(api.closureImpact(parallel, { ...closing, profile: asylum, referrals: ["r1"] })).toEqual({
      referralsLost: ["r1"],
      coverageLost: [],
      routesLost: [{ from: "a", category: HOUSING, hopsBefore: 1 }],
      isolated: ["a", "b"],
    });
    expect(api.closureImpact(parallel, { ...closing, profile: asylum, referrals: ["r2"] })).toEqual({ referralsLost: [], coverageLost: [], routesLost: [], isolated: [] });
    expect(api.criticalOrganizations(parallel, { regionId: R1, asOf: ASOF, categories: [HOUSING], first: 20 })).toEqual([{ organization: "b", routesCarried: 1 }]);
  });

  it("a provider that is the source itself: not counted as reached, and no route to itself", () => {
    const cov = { regionId: R1, categories: [EMPLOYMENT, HOUSING], targetGroups: [null], ages: [null], asOf: ASOF };
    expect(api.coverage(selfProvider, { ...cov, from: "a" })).toEqual([
      { category: EMPLOYMENT, targetGroup: null, age: null, providers: ["a"], reachableCount: 0 },
      { category: HOUSING, targetGroup: null, age: null, providers: ["a", "b"], reachableCount: 1 },
    ]);
    expect(api.coverage(selfProvider, { ...cov, from: "b" })).toMatchObject([{ reachableCount: 1 }, { reachableCount: 1 }]);
    expect(api.criticalOrganizations(selfProvider, { regionId: R1, asOf: ASOF, categories: [EMPLOYMENT, HOUSING], first: 20 })).toEqual([
      { organization: "a", routesCarried: 2 },
      { organization: "b", routesCarried: 1 },
    ]);
    expect(api.closureImpact(selfProvider, { regionId: R1, asOf: ASOF, categories: [EMPLOYMENT, HOUSING], organizations: ["b"], referrals: [] })).toEqual({
      referralsLost: ["r1", "r2"],
      coverageLost: [{ category: HOUSING, providersBefore: 2, providersAfter: 1 }],
      routesLost: [{ from: "a", category: HOUSING, hopsBefore: 1 }],
      isolated: ["a"],
    });
    expect(api.networkSummary(selfProvider, { asOf: ASOF })).toEqual(
      summary({ organizationCount: 2, referralCount: 2, density: close(1), reciprocity: close(1), largestComponent: 2, inDegreeCentralization: close(0), outDegreeCentralization: close(0) }),
    );
  });

  it("two regions: a region's graph leaves the other's organizations and the referrals across out", () => {
    const cov = { categories: [HOUSING], targetGroups: [null], ages: [null], asOf: ASOF };
    expect(api.coverage(regions, { ...cov, regionId: R1, from: "a" })).toEqual([{ category: HOUSING, targetGroup: null, age: null, providers: ["b"], reachableCount: 1 }]);
    expect(api.coverage(regions, { ...cov, regionId: R1, from: "y" })).toMatchObject([{ providers: ["b"], reachableCount: 0 }]);
    expect(api.coverage(regions, { ...cov, regionId: "region-2", from: "y" })).toMatchObject([{ providers: ["z"], reachableCount: 1 }]);
    expect(api.networkSummary(regions, { regionId: R1, asOf: ASOF })).toEqual(
      summary({ organizationCount: 2, referralCount: 1, density: close(0.5), largestComponent: 2, inDegreeCentralization: close(1), outDegreeCentralization: close(1) }),
    );
    expect(api.networkSummary(regions, { asOf: ASOF })).toEqual(
      summary({ organizationCount: 4, referralCount: 3, density: close(0.25), largestComponent: 4, inDegreeCentralization: close(5 / 9), outDegreeCentralization: close(5 / 9), brokers: ["a", "z"] }),
    );
    expect(api.criticalOrganizations(regions, { regionId: R1, asOf: ASOF, categories: [HOUSING], first: 20 })).toEqual([{ organization: "b", routesCarried: 1 }]);
    expect(api.closureImpact(regions, { asOf: ASOF, categories: [HOUSING], organizations: ["b"], referrals: [] })).toEqual({
      referralsLost: ["r1"],
      coverageLost: [{ category: HOUSING, providersBefore: 2, providersAfter: 1 }],
      routesLost: [],
      isolated: [],
    });
    expect(api.closureImpact(regions, { regionId: R1, asOf: ASOF, categories: [HOUSING], organizations: ["b"], referrals: [] })).toEqual({
      referralsLost: ["r1"],
      coverageLost: [{ category: HOUSING, providersBefore: 1, providersAfter: 0 }],
      routesLost: [{ from: "a", category: HOUSING, hopsBefore: 1 }],
      isolated: ["a"],
    });
  });

  it("a referral for minors only: the cliff at 18 is where the pathway breaks, not where the service ends", () => {
    expect(api.ageCliffs(minorsOnly, { regionId: R1, categories: [HOUSING], from: "a", asOf: ASOF })).toEqual([
      { age: 18, category: HOUSING, providersBefore: 1, providersAfter: 0, lost: ["b"] },
    ]);
    expect(api.ageCliffs(minorsOnly, { regionId: R1, categories: [HOUSING], asOf: ASOF })).toEqual([]);
    const change = { regionId: R1, before: { age: 17 }, after: { age: 18 }, categories: [HOUSING], asOf: ASOF };
    expect(api.profileChange(minorsOnly, { ...change, from: "a" })).toEqual([{ category: HOUSING, providersBefore: 1, providersAfter: 0, lost: ["b"], gained: [] }]);
    expect(api.profileChange(minorsOnly, change)).toEqual([]);
    expect(api.coverage(minorsOnly, { regionId: R1, categories: [HOUSING], targetGroups: [null, TargetGroup.MIGRANT], ages: [17, 18], from: "a", asOf: ASOF })).toEqual([
      { category: HOUSING, targetGroup: null, age: 17, providers: ["b"], reachableCount: 1 },
      { category: HOUSING, targetGroup: null, age: 18, providers: ["b"], reachableCount: 0 },
      { category: HOUSING, targetGroup: TargetGroup.MIGRANT, age: 17, providers: ["b"], reachableCount: 1 },
      { category: HOUSING, targetGroup: TargetGroup.MIGRANT, age: 18, providers: ["b"], reachableCount: 0 },
    ]);
  });

  it("referrals that start and end between two days: opened, closed, and the summary on each day", () => {
    const q = { since: "2021-01-01", until: "2023-01-01" };
    expect(api.networkChanges(dated, q)).toEqual({
      opened: ["r1", "r4"],
      closed: ["r2"],
      before: summary({ organizationCount: 3, referralCount: 2, density: close(1 / 3), largestComponent: 3, inDegreeCentralization: close(1), outDegreeCentralization: close(0.25), brokers: ["c"] }),
      after: summary({ organizationCount: 3, referralCount: 3, density: close(0.5), reciprocity: close(2 / 3), largestComponent: 3, inDegreeCentralization: close(0), outDegreeCentralization: close(0.75), brokers: ["a"] }),
    });
    expect(api.networkChanges(dated, { ...q, profile: { targetGroup: TargetGroup.ASYLUM_SEEKER } })).toMatchObject({ opened: ["r1"], closed: ["r2"] });
    expect(api.networkChanges(dated, { since: q.until, until: q.until })).toMatchObject({ opened: [], closed: [] });
  });
}

describe("the reference on hand-made networks (answers worked out by hand)", () => {
  handCases(reference);

  it("modularity: two 4-cliques joined by one edge, split into the cliques, and every organization alone", () => {
    const { net, cliques } = twoCliques();
    expect(modularityRef(net, cliques)).toBeCloseTo(12 / 13 - 1 / 2, 12);
    expect(modularityRef(net, net.organizations.map((o) => [o]))).toBeCloseTo(-86 / 676, 12);
    expect(modularityRef(net, [net.organizations])).toBeCloseTo(0, 12);
  });
});

describe("the implementation on hand-made networks (answers worked out by hand)", () => {
  handCases(implementation);

  it("communities: two 4-cliques joined by one edge come out as the two cliques, with their inner referrals", () => {
    const { g } = twoCliques();
    const expected = [
      { organizations: ["a", "b", "c", "d"], referrals: ["ab", "ac", "ad", "bc", "bd", "cd"] },
      { organizations: ["e", "f", "g", "h"], referrals: ["ef", "eg", "eh", "fg", "fh", "gh"] },
    ];
    expect(communitiesOf(g, { asOf: ASOF })).toEqual(expected);
    expect(communitiesOf(shuffled(g, 42), { asOf: ASOF })).toEqual(expected);
  });

  it("communities: an isolated organization is a community of its own", () => {
    const found = communitiesOf(isolated, { regionId: R1, asOf: ASOF });
    expect(found).toContainEqual({ organizations: ["z"], referrals: [] });
    expect(found.find((c) => c.organizations.includes("a"))!.organizations).toContain("b");
    expect(communitiesOf(isolated, { regionId: "region-2", asOf: ASOF })).toEqual([]);
  });
});

function twoCliques() {
  const left = ["a", "b", "c", "d"];
  const right = ["e", "f", "g", "h"];
  const edges: [string, Slug, Slug][] = [];
  for (const side of [left, right]) for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) edges.push([side[i] + side[j], side[i], side[j]]);
  edges.push(["de", "d", "e"]);
  const g = network([...right, ...left].reverse(), [], edges);
  const net = graphRef(g, undefined, undefined, ASOF);
  const id = (s: Slug) => idOf(g, s);
  return { g, net, cliques: [left.map(id), right.map(id)] };
}

