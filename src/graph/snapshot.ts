import { OrganizationEntity } from "../organizations/organization.entity";
import { ReferralEntity } from "../referrals/referral.entity";
import { PartnershipEntity } from "../partnerships/partnership.entity";
import { ServiceCategory, TargetGroup } from "../common/vocabulary";

// The in-memory graph of DESIGN.md: organizations numbered in slug order, referrals as
// compact arrays, adjacency in CSR form (start offsets + edge lists) sorted by the other
// end's number, then by referral id, so every walk meets neighbours in slug order.

export const GROUP_BIT: Record<TargetGroup, number> = {
  [TargetGroup.RESETTLED_REFUGEE]: 1,
  [TargetGroup.ASYLUM_SEEKER]: 2,
  [TargetGroup.BENEFICIARY_OF_PROTECTION]: 4,
  [TargetGroup.UNACCOMPANIED_MINOR]: 8,
  [TargetGroup.MIGRANT]: 16,
};
export const CATEGORY_INDEX: Record<ServiceCategory, number> = Object.fromEntries(
  Object.values(ServiceCategory).map((c, i) => [c, i]),
) as Record<ServiceCategory, number>;

/** Age bounds stored with "no bound" as values no age reaches. */
export const NO_MIN_AGE = -1;
export const NO_MAX_AGE = 1000;
/** Days since 1970-01-01; "no since" and "no until" as values no day reaches. */
export const ALWAYS_SINCE = -2147483648;
export const NEVER_UNTIL = 2147483647;

export function dayNumber(day: string): number {
  return Math.round(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000);
}

export function groupMask(groups: readonly string[]): number {
  let mask = 0;
  for (const g of groups) mask |= GROUP_BIT[g as TargetGroup] ?? 0;
  return mask;
}

export interface PartnershipRecord extends PartnershipEntity {
  /** Organization numbers of its members. */
  members: number[];
}

export interface SnapshotSource {
  version: number;
  organizations: OrganizationEntity[];
  services: { organizationId: string; category: ServiceCategory; targetGroups: string[]; minAge: number | null; maxAge: number | null }[];
  referrals: ReferralEntity[];
  partnerships: (PartnershipEntity & { memberIds: string[] })[];
  regions: { id: string; slug: string }[];
}

export interface GraphSnapshot {
  readonly version: number;
  readonly builtAt: Date;
  /** Organizations in slug order: number i is organizations[i]. */
  readonly organizations: OrganizationEntity[];
  readonly organizationNumber: Map<string, number>;
  readonly slugNumber: Map<string, number>;
  readonly regionIdBySlug: Map<string, string>;
  // Services, grouped by organization (CSR).
  readonly serviceStart: Int32Array;
  readonly serviceCategory: Uint8Array;
  readonly serviceGroups: Uint8Array;
  readonly serviceMinAge: Int16Array;
  readonly serviceMaxAge: Int16Array;
  // Referrals: number r is referrals[r].
  readonly referrals: ReferralEntity[];
  readonly referralFrom: Int32Array;
  readonly referralTo: Int32Array;
  readonly referralGroups: Uint8Array;
  readonly referralMinAge: Int16Array;
  readonly referralMaxAge: Int16Array;
  readonly referralSince: Int32Array;
  readonly referralUntil: Int32Array;
  // Adjacency (CSR): referrals leaving / entering organization i.
  readonly outStart: Int32Array;
  readonly outReferrals: Int32Array;
  readonly inStart: Int32Array;
  readonly inReferrals: Int32Array;
  readonly partnerships: PartnershipRecord[];
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups `count` items by key into CSR arrays, each group in the order `compare` gives. */
function compressed(count: number, keys: number, keyOf: (i: number) => number, compare: (a: number, b: number) => number) {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < count; i++) start[keyOf(i) + 1]++;
  for (let k = 0; k < keys; k++) start[k + 1] += start[k];
  const items = new Int32Array(count);
  const fill = start.slice(0, keys);
  for (let i = 0; i < count; i++) items[fill[keyOf(i)]++] = i;
  for (let k = 0; k < keys; k++) {
    if (start[k + 1] - start[k] > 1) items.subarray(start[k], start[k + 1]).sort(compare);
  }
  return { start, items };
}

export function buildSnapshot(source: SnapshotSource): GraphSnapshot {
  const organizations = [...source.organizations].sort((a, b) => byCodeUnits(a.slug, b.slug));
  const n = organizations.length;
  const organizationNumber = new Map(organizations.map((o, i) => [o.id, i]));
  const slugNumber = new Map(organizations.map((o, i) => [o.slug, i]));

  const services = source.services.filter((s) => organizationNumber.has(s.organizationId));
  const serviceOwner = (i: number) => organizationNumber.get(services[i].organizationId)!;
  const serviceIndex = compressed(services.length, n, serviceOwner, (a, b) => a - b);
  const s = services.length;
  const serviceCategory = new Uint8Array(s);
  const serviceGroups = new Uint8Array(s);
  const serviceMinAge = new Int16Array(s);
  const serviceMaxAge = new Int16Array(s);
  serviceIndex.items.forEach((original, position) => {
    const service = services[original];
    serviceCategory[position] = CATEGORY_INDEX[service.category];
    serviceGroups[position] = groupMask(service.targetGroups);
    serviceMinAge[position] = service.minAge ?? NO_MIN_AGE;
    serviceMaxAge[position] = service.maxAge ?? NO_MAX_AGE;
  });

  const referrals = source.referrals.filter((r) => organizationNumber.has(r.fromId) && organizationNumber.has(r.toId));
  const m = referrals.length;
  const referralFrom = new Int32Array(m);
  const referralTo = new Int32Array(m);
  const referralGroups = new Uint8Array(m);
  const referralMinAge = new Int16Array(m);
  const referralMaxAge = new Int16Array(m);
  const referralSince = new Int32Array(m);
  const referralUntil = new Int32Array(m);
  referrals.forEach((r, i) => {
    referralFrom[i] = organizationNumber.get(r.fromId)!;
    referralTo[i] = organizationNumber.get(r.toId)!;
    referralGroups[i] = groupMask(r.targetGroups);
    referralMinAge[i] = r.minAge ?? NO_MIN_AGE;
    referralMaxAge[i] = r.maxAge ?? NO_MAX_AGE;
    referralSince[i] = r.since ? dayNumber(r.since) : ALWAYS_SINCE;
    referralUntil[i] = r.until ? dayNumber(r.until) : NEVER_UNTIL;
  });
  const out = compressed(m, n, (i) => referralFrom[i], (a, b) => referralTo[a] - referralTo[b] || byCodeUnits(referrals[a].id, referrals[b].id));
  const into = compressed(m, n, (i) => referralTo[i], (a, b) => referralFrom[a] - referralFrom[b] || byCodeUnits(referrals[a].id, referrals[b].id));

  // By id: the same order whether the rows came in one read or were patched in (graph.service.ts).
  const partnerships = [...source.partnerships].sort((a, b) => byCodeUnits(a.id, b.id)).map(({ memberIds, ...p }) => ({
    ...p,
    members: memberIds.map((id) => organizationNumber.get(id)).filter((i): i is number => i !== undefined).sort((a, b) => a - b),
  }));

  return {
    version: source.version,
    builtAt: new Date(),
    organizations,
    organizationNumber,
    slugNumber,
    regionIdBySlug: new Map(source.regions.map((r) => [r.slug, r.id])),
    serviceStart: serviceIndex.start,
    serviceCategory,
    serviceGroups,
    serviceMinAge,
    serviceMaxAge,
    referrals,
    referralFrom,
    referralTo,
    referralGroups,
    referralMinAge,
    referralMaxAge,
    referralSince,
    referralUntil,
    outStart: out.start,
    outReferrals: out.items,
    inStart: into.start,
    inReferrals: into.items,
    partnerships,
  };
}
