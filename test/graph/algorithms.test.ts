import fc from "fast-check";

import { canWalk, walkRule } from "../../src/graph/walk";
import { today, walkableOn } from "../../src/referrals/referral.rules";
import { findPathways } from "../../src/graph/pathways";
import { referralChain } from "../../src/graph/chain";
import { networkMetrics, networkOf } from "../../src/graph/metrics";
import { OrganizationKind, ReferralStatus, ServiceCategory, TargetGroup } from "../../src/domain/vocabulary";
import { chainRef, metricsRef, modelOf, networkRef, pathwaysRef, Profile, SnapshotSource } from "./reference";

// Few groups, categories and days, so that random graphs hit every rule often.
const GROUPS = [TargetGroup.RESETTLED_REFUGEE, TargetGroup.ASYLUM_SEEKER, TargetGroup.MIGRANT];
const CATEGORIES = [ServiceCategory.LANGUAGE_LEARNING, ServiceCategory.EMPLOYMENT, ServiceCategory.HOUSING];
// Today among them: a question without asOf walks on it.
const TODAY = today();
const DAYS = ["2020-01-01", "2021-06-15", "2022-01-01", "2023-03-31", "2024-12-31", TODAY];
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };

const eligibility = fc
  .record({
    targetGroups: fc.subarray(GROUPS),
    minAge: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    maxAge: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
  })
  .map((e) => (e.minAge !== null && e.maxAge !== null && e.minAge > e.maxAge ? { ...e, minAge: e.maxAge, maxAge: e.minAge } : e));

const graph: fc.Arbitrary<SnapshotSource> = fc.integer({ min: 2, max: 7 }).chain((n) =>
  fc
    .record({
      slugs: fc.uniqueArray(fc.stringMatching(/^[a-e]{1,2}$/), { minLength: n, maxLength: n }),
      regions: fc.array(fc.constantFrom("region-1", "region-2"), { minLength: n, maxLength: n }),
      services: fc.array(fc.record({ org: fc.nat(n - 1), category: fc.constantFrom(...CATEGORIES), eligibility }), { maxLength: 10 }),
      referrals: fc.array(
        fc.record({
          id: fc.uuid(),
          from: fc.nat(n - 1),
          to: fc.nat(n - 1),
          status: fc.constantFrom(ReferralStatus.ACTIVE, ReferralStatus.PILOT, ReferralStatus.ENDED),
          since: fc.option(fc.constantFrom(...DAYS), { nil: null }),
          until: fc.option(fc.constantFrom(...DAYS), { nil: null }),
          eligibility,
        }),
        { maxLength: 18 },
      ),
      partnerships: fc.array(fc.uniqueArray(fc.nat(n - 1), { minLength: 2, maxLength: 3 }), { maxLength: 3 }),
    })
    .map(({ slugs, regions, services, referrals, partnerships }) => {
      const orgId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      const ids = new Set<string>();
      return {
        version: 1,
        regions: [
          { id: "region-1", slug: "one" },
          { id: "region-2", slug: "two" },
        ],
        organizations: slugs.map((slug, i) => ({
          id: orgId(i),
          slug,
          name: slug.toUpperCase(),
          searchName: slug,
          kind: OrganizationKind.NGO,
          description: null,
          website: null,
          regionId: regions[i],
          version: 1,
          createdAt: new Date(0),
          updatedAt: new Date(0),
        })),
        services: services.map((s) => ({ organizationId: orgId(s.org), category: s.category, ...s.eligibility })),
        referrals: referrals
          .filter((r) => r.from !== r.to && !ids.has(r.id) && ids.add(r.id))
          .map((r) => {
            const [since, until] = r.since && r.until && r.since > r.until ? [r.until, r.since] : [r.since, r.until];
            return {
              id: r.id,
              fromId: orgId(r.from),
              toId: orgId(r.to),
              categories: [ServiceCategory.OTHER],
              ...r.eligibility,
              status: r.status,
              since,
              until,
              description: null,
              source: null,
              verifiedOn: null,
              version: 1,
              createdAt: new Date(0),
              updatedAt: new Date(0),
            };
          }),
        partnerships: partnerships.map((members, i) => ({
          id: `p-${i}`,
          kind: "PARTNERSHIP" as never,
          description: null,
          createdAt: new Date(0),
          memberIds: members.map(orgId),
        })),
      };
    }),
);

const profile: fc.Arbitrary<Profile | undefined> = fc.option(
  fc.record({ targetGroup: fc.option(fc.constantFrom(...GROUPS), { nil: undefined }), age: fc.option(fc.integer({ min: 0, max: 45 }), { nil: undefined }) }),
  { nil: undefined },
);
const asOf = fc.option(fc.constantFrom(...DAYS, "2019-12-31", "2022-06-01", "2025-01-01"), { nil: undefined });

function rule(p: Profile | undefined, day: string | undefined) {
  return walkRule({ profile: p as never, asOf: day });
}

// Any calendar day from 1800 to 2200 (leap days, ends of months, before 1970), as YYYY-MM-DD.
const anyDay = fc.date({ min: new Date("1800-01-01T00:00:00Z"), max: new Date("2200-12-31T00:00:00Z"), noInvalidDate: true }).map(today);
const nearDay = fc.constantFrom(...DAYS, "2019-12-31", "2024-02-29", "2024-03-01");
const day = fc.oneof(anyDay, nearDay);

describe("canWalk is walkableOn (src/referrals/referral.rules.ts) on the snapshot's day numbers", () => {
  it("when a referral has any period and is asked on any day, then canWalk and walkableOn agree, whatever its status", () => {
    const g = fc.sample(graph, { seed: 7, numRuns: 1 })[0];
    const [a, b] = [0, 1].map((i) => ({ ...g.organizations[0], id: `00000000-0000-4000-8000-00000000000${i}`, slug: `o${i}` }));
    fc.assert(
      fc.property(
        fc.option(day, { nil: null }),
        fc.option(day, { nil: null }),
        fc.constantFrom(ReferralStatus.ACTIVE, ReferralStatus.PILOT, ReferralStatus.ENDED),
        day,
        (since, until, status, asked) => {
          const base = { id: "00000000-0000-4000-8000-0000000000ff", categories: [ServiceCategory.OTHER], targetGroups: [], minAge: null, maxAge: null };
          const referral = { ...base, fromId: a.id, toId: b.id, status, since, until, description: null, source: null, verifiedOn: null, version: 1, createdAt: new Date(0), updatedAt: new Date(0) };
          const s = modelOf({ version: 1, regions: [], organizations: [a, b], services: [], referrals: [referral], partnerships: [] });
          expect(canWalk(s, 0, walkRule({ asOf: asked }))).toBe(walkableOn({ since, until }, asked));
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 2000) },
    );
  });

  it("when no asOf is given, then the rule walks on today's UTC day, as if asOf were today", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), (now) => {
        expect(walkRule({}, now)).toEqual(walkRule({ asOf: today(now) }, now));
        expect(walkRule({}, now).day).toBe(now.toISOString().slice(0, 10));
      }),
      RUNS,
    );
  });
});

describe("pathways against brute force", () => {
  it("when a destination organization is given, then the same paths in the same order", () => {
    fc.assert(
      fc.property(graph, fc.nat(), fc.nat(), profile, asOf, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 8 }), (g, a, b, p, day, maxHops, limit) => {
        const s = modelOf(g);
        const from = g.organizations[a % g.organizations.length];
        const to = g.organizations[b % g.organizations.length];
        const found = findPathways(s, { from: s.organizationNumber(from.id)!, to: s.organizationNumber(to.id)!, rule: rule(p, day), maxHops, limit });
        const expected = pathwaysRef(g, { from: from.id, to: to.id, profile: p, asOf: day, maxHops, limit });
        expect(found.map((f) => ({ slugs: f.organizations.map((o) => s.organizations[o]!.slug), referralIds: f.referrals.map((r) => s.referralEdge(r)!.id) }))).toEqual(expected);
      }),
      RUNS,
    );
  });

  it("when a service category is asked for, then the same paths in the same order", () => {
    fc.assert(
      fc.property(graph, fc.nat(), fc.constantFrom(...CATEGORIES), profile, asOf, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 8 }), (g, a, category, p, day, maxHops, limit) => {
        const s = modelOf(g);
        const from = g.organizations[a % g.organizations.length];
        const found = findPathways(s, { from: s.organizationNumber(from.id)!, toCategory: category, rule: rule(p, day), maxHops, limit });
        const expected = pathwaysRef(g, { from: from.id, toCategory: category, profile: p, asOf: day, maxHops, limit });
        expect(found.map((f) => ({ slugs: f.organizations.map((o) => s.organizations[o]!.slug), referralIds: f.referrals.map((r) => s.referralEdge(r)!.id) }))).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe("referralChain against brute force", () => {
  it("when followed either way, then every organization at its least depth, and the referrals walked", () => {
    fc.assert(
      fc.property(graph, fc.nat(), fc.boolean(), fc.integer({ min: 0, max: 4 }), profile, asOf, (g, a, upstream, maxDepth, p, day) => {
        const s = modelOf(g);
        const start = g.organizations[a % g.organizations.length];
        const found = referralChain(s, { start: s.organizationNumber(start.id)!, upstream, maxDepth, rule: rule(p, day) });
        const expected = chainRef(g, { start: start.id, upstream, maxDepth, profile: p, asOf: day });
        expect(new Map(found.entries.map((e) => [s.organizations[e.organization]!.id, e.depth]))).toEqual(expected.depths);
        expect(found.entries).toHaveLength(expected.depths.size);
        const order = found.entries.map((e) => [e.depth, s.organizations[e.organization]!.slug] as const);
        expect(order).toEqual([...order].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1)));
        const ids = found.referrals.map((r) => s.referralEdge(r)!.id);
        expect(new Set(ids)).toEqual(expected.referralIds);
        expect(ids).toHaveLength(expected.referralIds.size);
      }),
      RUNS,
    );
  });
});

describe("network and networkMetrics against brute force", () => {
  it("when a region or none is asked, then the same organizations, referrals and partnerships, and the same metrics", () => {
    fc.assert(
      fc.property(graph, fc.constantFrom(undefined, "region-1", "region-2"), profile, asOf, (g, regionId, p, day) => {
        const s = modelOf(g);
        const network = networkOf(s, { regionId, rule: rule(p, day) });
        const expected = networkRef(g, { regionId, profile: p, asOf: day });
        expect(network.organizations.map((o) => s.organizations[o]!.id).sort()).toEqual([...expected.organizations].sort());
        const slugs = network.organizations.map((o) => s.organizations[o]!.slug);
        expect(slugs).toEqual([...slugs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))); // slug order, by code units
        expect(network.partnerships).toEqual([...network.partnerships].sort((x, y) => x - y));
        expect(new Set(network.referrals.map((r) => s.referralEdge(r)!.id))).toEqual(new Set(expected.referrals.map((r) => r.id)));
        const inside = new Set(expected.organizations);
        expect(network.partnerships.map((i) => s.partnerships[i].id).sort()).toEqual(
          g.partnerships.filter((pp) => pp.memberIds.every((m) => inside.has(m))).map((pp) => pp.id).sort(),
        );

        const metrics = networkMetrics(s, network);
        const reference = metricsRef(expected.organizations, expected.referrals);
        expect(metrics).toHaveLength(reference.size);
        for (const row of metrics) {
          const want = reference.get(s.organizations[row.organization]!.id)!;
          expect({ ...row, organization: undefined, betweenness: undefined }).toEqual({ ...want, organization: undefined, betweenness: undefined });
          expect(row.betweenness).toBeCloseTo(want.betweenness, 9);
        }
      }),
      RUNS,
    );
  });

  it("when the network is a line a → b → c with two parallel referrals a → b, then b has betweenness 1 and a reaches 2", () => {
    const g = fc.sample(graph, { seed: 1, numRuns: 1 })[0];
    const [a, b, c] = ["a", "b", "c"].map((slug, i) => ({ ...g.organizations[0], id: `00000000-0000-4000-8000-00000000000${i}`, slug, regionId: "region-1" }));
    const referral = (id: string, from: { id: string }, to: { id: string }) => ({
      ...g.referrals[0],
      id,
      fromId: from.id,
      toId: to.id,
      status: ReferralStatus.ACTIVE,
      since: null,
      until: null,
      targetGroups: [],
      minAge: null,
      maxAge: null,
    });
    const s = modelOf({
      ...g,
      organizations: [c, a, b],
      services: [],
      partnerships: [],
      referrals: [referral("r2", a, b), referral("r1", a, b), referral("r3", b, c)],
    });
    const rows = networkMetrics(s, networkOf(s, { rule: walkRule() }));
    expect(rows.map((r) => [s.organizations[r.organization]!.slug, r.inDegree, r.outDegree, r.betweenness, r.downstreamReach])).toEqual([
      ["a", 0, 2, 0, 2],
      ["b", 2, 1, 1, 1],
      ["c", 1, 0, 0, 0],
    ]);
    const paths = findPathways(s, { from: s.organizationNumber("a")!, to: s.organizationNumber("c")!, rule: walkRule(), maxHops: 2, limit: 10 });
    expect(paths.map((p) => p.referrals.map((r) => s.referralEdge(r)!.id))).toEqual([
      ["r1", "r3"],
      ["r2", "r3"],
    ]);
  });
});
