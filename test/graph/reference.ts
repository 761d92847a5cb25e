// Brute-force answers to the graph questions, written from docs/api.md's wording with no shared
// code: small graphs only. The fast algorithms are checked against these.
import { ReferralEntity } from "../../src/referrals/referral.entity";
import { OrganizationEntity } from "../../src/organizations/organization.entity";
import { PartnershipEntity } from "../../src/partnerships/partnership.entity";
import { ServiceCategory } from "../../src/domain/vocabulary";
import { ReadModel } from "../../src/model/model";
import type { ModelRows, ServiceNode } from "../../src/model/nodes";

/** A small network as the property tests make it: rows as stored, services with their eligibility only. */
export interface SnapshotSource {
  version: number;
  organizations: OrganizationEntity[];
  services: { organizationId: string; category: ServiceCategory; targetGroups: string[]; minAge: number | null; maxAge: number | null }[];
  referrals: ReferralEntity[];
  partnerships: (PartnershipEntity & { memberIds: string[] })[];
  regions: { id: string; slug: string }[];
}

/** The read model of such a network (src/model/model.ts), built as a first load builds it. */
export function modelOf(g: SnapshotSource): ReadModel {
  const epoch = new Date(0);
  const rows: ModelRows = {
    organizations: g.organizations,
    services: g.services.map((service, i): ServiceNode => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: service.category,
      description: null,
      position: i,
      createdAt: epoch,
      ...service,
      targetGroups: service.targetGroups as ServiceNode["targetGroups"],
    })),
    referrals: g.referrals.map((r) => ({ ...r, createdMicros: r.createdAt.getTime() * 1000 })),
    partnerships: g.partnerships,
    regions: g.regions.map((r) => ({ name: r.slug, country: "FR", nutsCode: null, createdAt: epoch, ...r })),
    platforms: [],
  };
  return ReadModel.build(g.version, rows);
}

export interface Profile {
  targetGroup?: string;
  age?: number;
}

interface Eligible {
  targetGroups: string[];
  minAge: number | null;
  maxAge: number | null;
}

export function admitsRef(e: Eligible, p: Profile | undefined): boolean {
  if (!p) return true;
  const groupOk = e.targetGroups.length === 0 || p.targetGroup === undefined || e.targetGroups.includes(p.targetGroup);
  const ageOk = p.age === undefined || ((e.minAge === null || e.minAge <= p.age) && (e.maxAge === null || p.age <= e.maxAge));
  return groupOk && ageOk;
}

/** docs/api.md: walkable on day D (asOf, else today's UTC day) by its dates alone; the status says nothing. */
export function walkableRef(r: ReferralEntity, p: Profile | undefined, asOf: string | undefined): boolean {
  const day = asOf ?? new Date().toISOString().slice(0, 10);
  const when = (r.since === null || r.since <= day) && (r.until === null || day <= r.until);
  return when && admitsRef(r, p);
}

const slugOf = (g: SnapshotSource, id: string) => g.organizations.find((o) => o.id === id)!.slug;

export interface RefPathway {
  slugs: string[];
  referralIds: string[];
}

export function pathwaysRef(
  g: SnapshotSource,
  q: { from: string; to?: string; toCategory?: string; profile?: Profile; asOf?: string; maxHops: number; limit: number },
): RefPathway[] {
  const all: RefPathway[] = [];
  const isEnd = (id: string) =>
    q.to !== undefined
      ? id === q.to
      : id !== q.from && g.services.some((s) => s.organizationId === id && s.category === q.toCategory && admitsRef(s, q.profile));
  const extend = (ids: string[], refs: string[]) => {
    const last = ids[ids.length - 1];
    if (refs.length > 0 && isEnd(last)) all.push({ slugs: ids.map((id) => slugOf(g, id)), referralIds: [...refs] });
    if (refs.length === q.maxHops) return;
    for (const r of g.referrals) {
      if (r.fromId === last && !ids.includes(r.toId) && walkableRef(r, q.profile, q.asOf)) extend([...ids, r.toId], [...refs, r.id]);
    }
  };
  extend([q.from], []);
  const compare = (a: string[], b: string[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length - b.length;
  };
  all.sort((a, b) => a.slugs.length - b.slugs.length || compare(a.slugs, b.slugs) || compare(a.referralIds, b.referralIds));
  return all.slice(0, q.limit);
}

export function chainRef(
  g: SnapshotSource,
  q: { start: string; upstream: boolean; maxDepth: number; profile?: Profile; asOf?: string },
): { depths: Map<string, number>; referralIds: Set<string> } {
  const depths = new Map<string, number>([[q.start, 0]]);
  const usable = g.referrals.filter((r) => walkableRef(r, q.profile, q.asOf));
  const near = (r: ReferralEntity) => (q.upstream ? r.toId : r.fromId);
  const far = (r: ReferralEntity) => (q.upstream ? r.fromId : r.toId);
  for (let d = 0; d < q.maxDepth; d++) {
    for (const r of usable) {
      if (depths.get(near(r)) === d && !depths.has(far(r))) depths.set(far(r), d + 1);
    }
  }
  const referralIds = new Set(usable.filter((r) => (depths.get(near(r)) ?? Infinity) < q.maxDepth).map((r) => r.id));
  return { depths, referralIds };
}

export function networkRef(g: SnapshotSource, q: { regionId?: string; profile?: Profile; asOf?: string }) {
  const organizations = g.organizations.filter((o) => q.regionId === undefined || o.regionId === q.regionId).map((o) => o.id);
  const inside = new Set(organizations);
  const referrals = g.referrals.filter((r) => inside.has(r.fromId) && inside.has(r.toId) && walkableRef(r, q.profile, q.asOf));
  return { organizations, referrals };
}

/** Betweenness by counting shortest paths pair by pair (arcs: parallel referrals are one). */
export function metricsRef(organizations: string[], referrals: ReferralEntity[]) {
  const arcs = new Set(referrals.map((r) => `${r.fromId}>${r.toId}`));
  const succ = (v: string) => organizations.filter((w) => arcs.has(`${v}>${w}`));
  const result = new Map<string, { inDegree: number; outDegree: number; betweenness: number; downstreamReach: number }>();
  for (const v of organizations) {
    result.set(v, {
      inDegree: referrals.filter((r) => r.toId === v).length,
      outDegree: referrals.filter((r) => r.fromId === v).length,
      betweenness: 0,
      downstreamReach: 0,
    });
  }
  for (const s of organizations) {
    // Every simple path from s; the shortest to each t are the ones that count.
    const paths: string[][] = [];
    const grow = (path: string[]) => {
      paths.push(path);
      for (const w of succ(path[path.length - 1])) if (!path.includes(w)) grow([...path, w]);
    };
    grow([s]);
    const reached = new Set(paths.map((p) => p[p.length - 1]));
    result.get(s)!.downstreamReach = reached.size - 1;
    for (const t of reached) {
      if (t === s) continue;
      const toT = paths.filter((p) => p[p.length - 1] === t);
      const shortest = Math.min(...toT.map((p) => p.length));
      const best = toT.filter((p) => p.length === shortest);
      for (const p of best) for (const v of p.slice(1, -1)) result.get(v)!.betweenness += 1 / best.length;
    }
  }
  return result;
}
