// The random small networks the graph property tests run on (test/graph/algorithms.test.ts,
// test/graph/analyses.test.ts): few groups, categories and days, two regions.
import fc from "fast-check";

import { walkRule } from "../../src/graph/walk";
import { today } from "../../src/referrals/referral.rules";
import { OrganizationKind, ReferralStatus, ServiceCategory, TargetGroup } from "../../src/domain/vocabulary";
import type { ReferralEntity } from "../../src/referrals/referral.entity";
import type { Profile, SnapshotSource } from "./reference";

// Few groups, categories and days, so that random graphs hit every rule often.
export const GROUPS = [TargetGroup.RESETTLED_REFUGEE, TargetGroup.ASYLUM_SEEKER, TargetGroup.MIGRANT];
export const CATEGORIES = [ServiceCategory.LANGUAGE_LEARNING, ServiceCategory.EMPLOYMENT, ServiceCategory.HOUSING];
// Today among them: a question without asOf walks on it.
export const TODAY = today();
export const DAYS = ["2020-01-01", "2021-06-15", "2022-01-01", "2023-03-31", "2024-12-31", TODAY];
export const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };

export const eligibility = fc
  .record({
    targetGroups: fc.subarray(GROUPS),
    minAge: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    maxAge: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
  })
  .map((e) => (e.minAge !== null && e.maxAge !== null && e.minAge > e.maxAge ? { ...e, minAge: e.maxAge, maxAge: e.minAge } : e));

// One arbitrary for every network's slugs: fast-check builds a stringMatching arbitrary by parsing
// the pattern and tokenising sample strings (thrown errors and all), some milliseconds each; built
// inside the chain below, once per network drawn, it was 8 s of the suite's CPU.
const slug = fc.stringMatching(/^[a-e]{1,2}$/);

type Eligibility = { targetGroups: TargetGroup[]; minAge: number | null; maxAge: number | null };

/** How a network is drawn: `graph` takes the defaults; `denseGraph` draws more referrals, more of them walkable. */
interface Shape {
  eligibility: fc.Arbitrary<Eligibility>;
  /** A referral's since or until. */
  period: fc.Arbitrary<string | null>;
  /** An organization's region. */
  region: fc.Arbitrary<string>;
  /** Bounds on the numbers of services and referrals (referrals from an organization to itself are then left out). */
  services: { minLength?: number; maxLength: number };
  referrals: { minLength?: number; maxLength: number };
}

function graphOf({ eligibility, period, region, services: serviceCount, referrals: referralCount }: Shape): fc.Arbitrary<SnapshotSource> {
  return fc.integer({ min: 2, max: 7 }).chain((n) =>
    fc
      .record({
        slugs: fc.uniqueArray(slug, { minLength: n, maxLength: n }),
        regions: fc.array(region, { minLength: n, maxLength: n }),
        services: fc.array(fc.record({ org: fc.nat(n - 1), category: fc.constantFrom(...CATEGORIES), eligibility }), serviceCount),
        referrals: fc.array(
          fc.record({
            id: fc.uuid(),
            from: fc.nat(n - 1),
            to: fc.nat(n - 1),
            status: fc.constantFrom(ReferralStatus.ACTIVE, ReferralStatus.PILOT, ReferralStatus.ENDED),
            since: period,
            until: period,
            eligibility,
          }),
          referralCount,
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
              return referralRow({ id: r.id, fromId: orgId(r.from), toId: orgId(r.to), ...r.eligibility, status: r.status, since, until });
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
}

/** A stored referral's row for the read model: an active channel for OTHER with no limit, but for `fields`. */
export function referralRow(fields: { id: string; fromId: string; toId: string } & Partial<Omit<ReferralEntity, "id" | "fromId" | "toId">>): ReferralEntity {
  return {
    categories: [ServiceCategory.OTHER],
    targetGroups: [],
    minAge: null,
    maxAge: null,
    status: ReferralStatus.ACTIVE,
    since: null,
    until: null,
    description: null,
    source: null,
    verifiedOn: null,
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...fields,
  };
}

export const graph = graphOf({
  eligibility,
  period: fc.option(fc.constantFrom(...DAYS), { nil: null }),
  region: fc.constantFrom("region-1", "region-2"),
  services: { maxLength: 10 },
  referrals: { maxLength: 18 },
});

// Looser eligibility (often none), periods (mostly open), more services and referrals, most
// organizations in region-1: the analyses need organizations that reach one another.
const looseEligibility = fc
  .record({
    targetGroups: fc.oneof(fc.constant<TargetGroup[]>([]), fc.subarray(GROUPS)),
    minAge: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null, freq: 2 }),
    maxAge: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null, freq: 2 }),
  })
  .map((e) => (e.minAge !== null && e.maxAge !== null && e.minAge > e.maxAge ? { ...e, minAge: e.maxAge, maxAge: e.minAge } : e));

export const denseGraph = graphOf({
  eligibility: looseEligibility,
  period: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.constantFrom(...DAYS), weight: 1 }),
  region: fc.oneof({ arbitrary: fc.constant("region-1"), weight: 4 }, { arbitrary: fc.constant("region-2"), weight: 1 }),
  services: { minLength: 2, maxLength: 10 },
  referrals: { minLength: 6, maxLength: 24 },
});

export const profile: fc.Arbitrary<Profile | undefined> = fc.option(
  fc.record({ targetGroup: fc.option(fc.constantFrom(...GROUPS), { nil: undefined }), age: fc.option(fc.integer({ min: 0, max: 45 }), { nil: undefined }) }),
  { nil: undefined },
);
export const asOf = fc.option(fc.constantFrom(...DAYS, "2019-12-31", "2022-06-01", "2025-01-01"), { nil: undefined });

export function rule(p: Profile | undefined, day: string | undefined) {
  return walkRule({ profile: p as never, asOf: day });
}
