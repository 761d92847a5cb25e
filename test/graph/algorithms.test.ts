import fc from "fast-check";

import { canWalk, walkRule } from "../../src/graph/walk";
import { today, walkableOn } from "../../src/referrals/referral.rules";
import { findPathways } from "../../src/graph/pathways";
import { referralChain } from "../../src/graph/chain";
import { networkMetrics, networkOf } from "../../src/graph/metrics";
import { ReferralStatus, ServiceCategory } from "../../src/domain/vocabulary";
import { chainRef, metricsRef, modelOf, networkRef, pathwaysRef } from "./reference";
import { asOf, CATEGORIES, DAYS, graph, profile, rule, RUNS } from "./arbitrary";

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
