import fc from "fast-check";
import { ServiceCategory, TargetGroup } from "../../src/domain/vocabulary";
import { DAYS, denseGraph, graph as sparseGraph, GROUPS } from "./arbitrary";
import { byUnits, graphRef, modularityRef, networkChangesRef, networkSummaryRef, NullableProfile, refProfile, referralOrder } from "./analyses-reference";
import { communitiesOf, idOf, implementation, reference, shuffled, summaryExpected } from "./analyses-sides";

// Each analysis against its brute-force reference (analyses-reference.ts) on many random networks;
// the hand-made networks with answers worked out by hand are in analyses-hand.test.ts.
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 150) };
const { EMPLOYMENT, HEALTH, HOUSING, LANGUAGE_LEARNING } = ServiceCategory;

// ---- Random questions ----

// Mostly dense networks (where organizations reach one another), some sparse ones (where they mostly do not).
const graph = fc.oneof({ arbitrary: sparseGraph, weight: 1 }, { arbitrary: denseGraph, weight: 3 });
// Most organizations of the dense networks are in region-1.
const region = fc.oneof({ arbitrary: fc.constant("region-1"), weight: 3 }, { arbitrary: fc.constant("region-2"), weight: 1 });
const anyRegion = fc.oneof({ arbitrary: region, weight: 3 }, { arbitrary: fc.constant(undefined), weight: 1 });
const day = fc.constantFrom(...DAYS, "2019-12-31", "2022-06-01", "2025-01-01");
const maxHops = fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined });
const nothing = fc.constantFrom(null, undefined);
const group = fc.oneof({ arbitrary: fc.constantFrom(...GROUPS), weight: 3 }, { arbitrary: nothing, weight: 1 });
const age = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 45 }), weight: 3 }, { arbitrary: nothing, weight: 1 });
const someProfile: fc.Arbitrary<NullableProfile> = fc.record({ targetGroup: group, age });
const profile = fc.oneof({ arbitrary: someProfile, weight: 3 }, { arbitrary: nothing, weight: 1 });
// Sorted by name, as callers pass them; HEALTH has no service in the random graphs.
const categories = fc.subarray([EMPLOYMENT, HEALTH, HOUSING, LANGUAGE_LEARNING]);
const sortedGroups = (gs: TargetGroup[]) => [...gs].sort(byUnits);
const targetGroups = fc.oneof(fc.constant<(TargetGroup | null)[]>([null]), fc.subarray(GROUPS, { minLength: 1 }).map(sortedGroups));
const ages = fc.oneof(
  fc.constant<(number | null)[]>([null]),
  fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 45 }), fc.constantFrom(0, 17, 18, 120)), { minLength: 1, maxLength: 4 }).map((a) => [...a].sort((x, y) => x - y)),
);
/** A graph and an optional organization of it (any region). */
const withFrom = graph.chain((g) => fc.record({ g: fc.constant(g), from: fc.option(fc.constantFrom(...g.organizations.map((o) => o.slug)), { nil: undefined }) }));


describe("coverage, ageCliffs and profileChange against brute force", () => {
  it("when any region, categories, groups, ages, from, maxHops and day are asked, then the same cells in the same order", () => {
    fc.assert(
      fc.property(withFrom, region, categories, targetGroups, ages, maxHops, day, ({ g, from }, regionId, cs, tgs, as, hops, asOf) => {
        const q = { regionId, categories: cs, targetGroups: tgs, ages: as, from, maxHops: hops, asOf };
        expect(implementation.coverage(g, q)).toEqual(reference.coverage(g, q));
      }),
      RUNS,
    );
  });

  it("when any region, group, categories, from, maxHops and day are asked, then the same age cliffs in the same order", () => {
    fc.assert(
      fc.property(withFrom, region, group, categories, maxHops, day, ({ g, from }, regionId, targetGroup, cs, hops, asOf) => {
        const q = { regionId, targetGroup, categories: cs, from, maxHops: hops, asOf };
        expect(implementation.ageCliffs(g, q)).toEqual(reference.ageCliffs(g, q));
      }),
      RUNS,
    );
  });

  it("when any two profiles are compared, with or without from, then the same changed categories, lost and gained", () => {
    fc.assert(
      fc.property(withFrom, region, someProfile, someProfile, categories, maxHops, day, ({ g, from }, regionId, before, after, cs, hops, asOf) => {
        const q = { regionId, before, after, categories: cs, from, maxHops: hops, asOf };
        expect(implementation.profileChange(g, q)).toEqual(reference.profileChange(g, q));
      }),
      RUNS,
    );
  });
});

describe("closureImpact and criticalOrganizations against brute force", () => {
  const closure = graph.chain((g) =>
    fc.record({
      g: fc.constant(g),
      organizations: fc.subarray(g.organizations.map((o) => o.slug), { maxLength: Math.min(3, g.organizations.length) }),
      referrals: fc.subarray(g.referrals.map((r) => r.id), { maxLength: Math.min(4, g.referrals.length) }),
    }),
  );

  it("when some organizations close and some referrals end, in a region or the whole network, then the same losses", () => {
    fc.assert(
      fc.property(closure, anyRegion, profile, day, categories, maxHops, ({ g, organizations, referrals }, regionId, p, asOf, cs, hops) => {
        const q = { regionId, profile: p, asOf, organizations, referrals, categories: cs, maxHops: hops };
        expect(implementation.closureImpact(g, q)).toEqual(reference.closureImpact(g, q));
      }),
      RUNS,
    );
  });

  it("when any region, profile and day are asked, then the same organizations carrying the same numbers of routes, in order", () => {
    fc.assert(
      fc.property(graph, region, profile, day, categories, fc.integer({ min: 1, max: 8 }), (g, regionId, p, asOf, cs, first) => {
        const q = { regionId, profile: p, asOf, categories: cs, first };
        expect(implementation.criticalOrganizations(g, q)).toEqual(reference.criticalOrganizations(g, q));
      }),
      RUNS,
    );
  });
});

describe("networkSummary and networkChanges against brute force", () => {
  it("when a region or none, any profile and day are asked, then the same summary", () => {
    fc.assert(
      fc.property(graph, anyRegion, profile, day, (g, regionId, p, asOf) => {
        const q = { regionId, profile: p, asOf };
        expect(implementation.networkSummary(g, q)).toEqual(summaryExpected(networkSummaryRef(g, q)));
      }),
      RUNS,
    );
  });

  it("when two days are compared, then the same referrals opened and closed, and the summaries on each day", () => {
    fc.assert(
      fc.property(graph, anyRegion, profile, day, day, (g, regionId, p, d1, d2) => {
        const [since, until] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const q = { regionId, profile: p, since, until };
        const expected = networkChangesRef(g, q);
        expect(implementation.networkChanges(g, q)).toEqual({ ...expected, before: summaryExpected(expected.before), after: summaryExpected(expected.after) });
      }),
      RUNS,
    );
  });
});

describe("communities: properties", () => {
  it("when any graph is asked, then a partition of its organizations, each with its inner referrals, ordered, no worse than singletons, deterministic", () => {
    fc.assert(
      fc.property(graph, anyRegion, profile, day, fc.integer(), (g, regionId, p, asOf, seed) => {
        const q = { regionId, profile: p, asOf };
        const found = communitiesOf(g, q);
        const net = graphRef(g, regionId, refProfile(p), asOf);
        const slugOf = (id: string) => g.organizations.find((o) => o.id === id)!.slug;

        // A partition: every organization of the graph in exactly one community, none empty.
        expect(found.flatMap((c) => c.organizations).sort(byUnits)).toEqual(net.organizations.map(slugOf).sort(byUnits));
        for (const c of found) {
          expect(c.organizations.length).toBeGreaterThan(0);
          expect(c.organizations).toEqual([...c.organizations].sort(byUnits));
          const inside = new Set(c.organizations);
          expect(c.referrals).toEqual(referralOrder(g, net.referrals.filter((r) => inside.has(slugOf(r.fromId)) && inside.has(slugOf(r.toId)))));
        }
        // Biggest first, then by first slug.
        for (let i = 1; i < found.length; i++) {
          const [a, b] = [found[i - 1], found[i]];
          expect(a.organizations.length > b.organizations.length || (a.organizations.length === b.organizations.length && a.organizations[0] < b.organizations[0])).toBe(true);
        }
        // Modularity at least the all-singletons partition's.
        const partition = found.map((c) => c.organizations.map((o) => idOf(g, o)));
        const singletons = net.organizations.map((o) => [o]);
        expect(modularityRef(net, partition)).toBeGreaterThanOrEqual(modularityRef(net, singletons) - 1e-9);
        // Deterministic, whatever the order of the rows.
        expect(communitiesOf(g, q)).toEqual(found);
        expect(communitiesOf(shuffled(g, seed), q)).toEqual(found);
      }),
      RUNS,
    );
  });
});

// ---- Hand-made networks with answers worked out by hand ----

