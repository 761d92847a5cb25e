// Both sides of the analyses' tests (analyses.test.ts, analyses-hand.test.ts): the brute-force
// reference and the implementation, each answering in slugs and referral ids.

import { ageCliffs, coverage, profileChange } from "../../src/graph/analyses/coverage";
import { closureImpact, criticalOrganizations } from "../../src/graph/analyses/closure";
import { networkChanges, networkSummary } from "../../src/graph/analyses/summary";
import { communities } from "../../src/graph/analyses/communities";
import type { NetworkSummaryResult } from "../../src/graph/analyses/types";
import { ServiceCategory, TargetGroup } from "../../src/domain/vocabulary";
import type { ReadModel } from "../../src/model/model";
import { modelOf, SnapshotSource } from "./reference";
import {
  ageCliffsRef,
  closureImpactRef,
  coverageRef,
  criticalOrganizationsRef,
  networkChangesRef,
  networkSummaryRef,
  NullableProfile,
  profileChangeRef,
} from "./analyses-reference";

// ---- Both sides speak slugs and referral ids: the reference directly, the implementation through the read model. ----

export type Slug = string;
export interface Reach {
  regionId: string;
  from?: Slug;
  maxHops?: number;
  asOf: string;
}
export interface Scope {
  regionId?: string;
  profile?: NullableProfile | null;
  asOf: string;
}
export interface CoverageQ extends Reach {
  categories: ServiceCategory[];
  targetGroups: (TargetGroup | null)[];
  ages: (number | null)[];
}
export interface AgeCliffsQ extends Reach {
  targetGroup?: TargetGroup | null;
  categories: ServiceCategory[];
}
export interface ProfileChangeQ extends Reach {
  before: NullableProfile;
  after: NullableProfile;
  categories: ServiceCategory[];
}
export interface ClosureQ extends Scope {
  organizations: Slug[];
  referrals: string[];
  categories: ServiceCategory[];
  maxHops?: number;
}
export interface CriticalQ extends Scope {
  regionId: string;
  categories: ServiceCategory[];
  first: number;
}
export interface ChangesQ {
  regionId?: string;
  profile?: NullableProfile | null;
  since: string;
  until: string;
}

export interface Analyses {
  coverage(g: SnapshotSource, q: CoverageQ): unknown;
  ageCliffs(g: SnapshotSource, q: AgeCliffsQ): unknown;
  profileChange(g: SnapshotSource, q: ProfileChangeQ): unknown;
  closureImpact(g: SnapshotSource, q: ClosureQ): unknown;
  criticalOrganizations(g: SnapshotSource, q: CriticalQ): unknown;
  networkSummary(g: SnapshotSource, q: Scope): unknown;
  networkChanges(g: SnapshotSource, q: ChangesQ): unknown;
}

export const idOf = (g: SnapshotSource, slug: Slug) => g.organizations.find((o) => o.slug === slug)!.id;
export const fromId = (g: SnapshotSource, from: Slug | undefined) => (from === undefined ? undefined : idOf(g, from));

/** The reference's summary as expected of the implementation: float fields to 9 decimals, the rest exactly. */
export function summaryExpected(summary: ReturnType<typeof networkSummaryRef>) {
  return {
    ...summary,
    density: expect.closeTo(summary.density, 9),
    reciprocity: expect.closeTo(summary.reciprocity, 9),
    inDegreeCentralization: expect.closeTo(summary.inDegreeCentralization, 9),
    outDegreeCentralization: expect.closeTo(summary.outDegreeCentralization, 9),
  };
}

export const reference: Analyses = {
  coverage: (g, q) => coverageRef(g, { ...q, from: fromId(g, q.from) }),
  ageCliffs: (g, q) => ageCliffsRef(g, { ...q, from: fromId(g, q.from) }),
  profileChange: (g, q) => profileChangeRef(g, { ...q, from: fromId(g, q.from) }),
  closureImpact: (g, q) => closureImpactRef(g, { ...q, organizations: q.organizations.map((o) => idOf(g, o)) }),
  criticalOrganizations: (g, q) => criticalOrganizationsRef(g, q),
  networkSummary: (g, q) => networkSummaryRef(g, q),
  networkChanges: (g, q) => networkChangesRef(g, q),
};

export const slug = (s: ReadModel, n: number) => s.organizations[n]!.slug;
export const slugs = (s: ReadModel, ns: readonly number[]) => ns.map((n) => slug(s, n));
export const ids = (s: ReadModel, rs: readonly number[]) => rs.map((r) => s.referralEdge(r)!.id);
export const number = (s: ReadModel, ref: Slug) => s.organizationNumber(ref)!;
export const optionalNumber = (s: ReadModel, ref: Slug | undefined) => (ref === undefined ? undefined : number(s, ref));
export const asProfile = (p: NullableProfile | null | undefined) => p as { targetGroup?: TargetGroup | null; age?: number | null } | null | undefined;
export const summaryOut = (s: ReadModel, r: NetworkSummaryResult) => ({ ...r, isolated: slugs(s, r.isolated), brokers: slugs(s, r.brokers) });

export const implementation: Analyses = {
  coverage: (g, q) => {
    const s = modelOf(g);
    return coverage(s, { ...q, from: optionalNumber(s, q.from) }).map((c) => ({ ...c, providers: slugs(s, c.providers) }));
  },
  ageCliffs: (g, q) => {
    const s = modelOf(g);
    return ageCliffs(s, { ...q, from: optionalNumber(s, q.from) }).map((c) => ({ ...c, lost: slugs(s, c.lost) }));
  },
  profileChange: (g, q) => {
    const s = modelOf(g);
    return profileChange(s, { ...q, before: asProfile(q.before)!, after: asProfile(q.after)!, from: optionalNumber(s, q.from) }).map((c) => ({
      ...c,
      lost: slugs(s, c.lost),
      gained: slugs(s, c.gained),
    }));
  },
  closureImpact: (g, q) => {
    const s = modelOf(g);
    const r = closureImpact(s, {
      ...q,
      profile: asProfile(q.profile),
      organizations: q.organizations.map((o) => number(s, o)),
      referrals: q.referrals.map((id) => s.referralNumber(id)!),
    });
    return {
      referralsLost: ids(s, r.referralsLost),
      coverageLost: r.coverageLost,
      routesLost: r.routesLost.map((l) => ({ ...l, from: slug(s, l.from) })),
      isolated: slugs(s, r.isolated),
    };
  },
  criticalOrganizations: (g, q) => {
    const s = modelOf(g);
    return criticalOrganizations(s, { ...q, profile: asProfile(q.profile) }).map((c) => ({ ...c, organization: slug(s, c.organization) }));
  },
  networkSummary: (g, q) => {
    const s = modelOf(g);
    return summaryOut(s, networkSummary(s, { ...q, profile: asProfile(q.profile) }));
  },
  networkChanges: (g, q) => {
    const s = modelOf(g);
    const r = networkChanges(s, { ...q, profile: asProfile(q.profile) });
    return { opened: ids(s, r.opened), closed: ids(s, r.closed), before: summaryOut(s, r.before), after: summaryOut(s, r.after) };
  },
};

/** The implementation's communities, as slugs and referral ids. */
export function communitiesOf(g: SnapshotSource, q: Scope) {
  const s = modelOf(g);
  return communities(s, { ...q, profile: asProfile(q.profile) }).map((c) => ({ organizations: slugs(s, c.organizations), referrals: ids(s, c.referrals) }));
}


/** The same rows in another order (organizations, services, referrals, partnerships). */
export function shuffled(g: SnapshotSource, seed: number): SnapshotSource {
  let state = seed >>> 0 || 1;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const shuffle = <T>(xs: T[]) => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return { ...g, organizations: shuffle(g.organizations), services: shuffle(g.services), referrals: shuffle(g.referrals), partnerships: shuffle(g.partnerships) };
}
