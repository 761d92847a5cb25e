// Brute-force answers to the analyses (docs/api.md, "Analyses"), written from the contract's words
// with no code shared with src/graph/: small graphs only, plain and slow. Organizations are named
// by id, referrals are the rows themselves; answers name organizations by slug and referrals by id.
import type { ReferralEntity } from "../../src/referrals/referral.entity";
import { admitsRef, networkRef, Profile, SnapshotSource, walkableRef } from "./reference";

/** A profile as the analyses take it (null: not given), as the reference helpers take it. */
export interface NullableProfile {
  targetGroup?: string | null;
  age?: number | null;
}

export function refProfile(p: NullableProfile | null | undefined): Profile | undefined {
  if (!p) return undefined;
  return { targetGroup: p.targetGroup ?? undefined, age: p.age ?? undefined };
}

/** JavaScript string order (code units). */
export const byUnits = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

const slugOf = (g: SnapshotSource, id: string) => g.organizations.find((o) => o.id === id)!.slug;
const slugsOf = (g: SnapshotSource, ids: Iterable<string>) => [...ids].map((id) => slugOf(g, id)).sort(byUnits);

/** Referral ids by slug of from, then slug of to, then id. */
export function referralOrder(g: SnapshotSource, referrals: ReferralEntity[]): string[] {
  return [...referrals]
    .sort((a, b) => byUnits(slugOf(g, a.fromId), slugOf(g, b.fromId)) || byUnits(slugOf(g, a.toId), slugOf(g, b.toId)) || byUnits(a.id, b.id))
    .map((r) => r.id);
}

/** A graph: organization ids and referral rows. */
export interface Net {
  organizations: string[];
  referrals: ReferralEntity[];
}

/** network(region, profile, asOf). */
export function graphRef(g: SnapshotSource, regionId: string | undefined, profile: Profile | undefined, asOf: string): Net {
  return networkRef(g, { regionId, profile, asOf });
}

/** The graph without some organizations (and their referrals) and without some referrals. */
export function without(net: Net, organizations: Set<string>, referralIds: Set<string> = new Set()): Net {
  return {
    organizations: net.organizations.filter((o) => !organizations.has(o)),
    referrals: net.referrals.filter((r) => !organizations.has(r.fromId) && !organizations.has(r.toId) && !referralIds.has(r.id)),
  };
}

/** Organizations of the graph with a service of the category admitting the profile. */
export function providersRef(g: SnapshotSource, net: Net, category: string, profile: Profile | undefined): Set<string> {
  return new Set(net.organizations.filter((o) => g.services.some((s) => s.organizationId === o && s.category === category && admitsRef(s, profile))));
}

/** Fewest referrals from `from` to each organization, by relaxing every referral until nothing changes. */
export function hopsFrom(net: Net, from: string): Map<string, number> {
  const hops = new Map<string, number>();
  if (!net.organizations.includes(from)) return hops;
  hops.set(from, 0);
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of net.referrals) {
      const via = hops.get(r.fromId);
      if (via !== undefined && via + 1 < (hops.get(r.toId) ?? Infinity)) {
        hops.set(r.toId, via + 1);
        changed = true;
      }
    }
  }
  return hops;
}

/** The providers other than `from` that `from` reaches by at least one referral, within maxHops. */
function reachableFrom(net: Net, from: string, providers: Set<string>, maxHops: number | undefined): Set<string> {
  const hops = hopsFrom(net, from);
  return new Set([...providers].filter((p) => p !== from && hops.has(p) && hops.get(p)! <= (maxHops ?? Infinity)));
}

/** The route (s, c): its hops (fewest referrals to a provider other than s), or undefined if none within maxHops. */
export function routeRef(g: SnapshotSource, net: Net, s: string, category: string, profile: Profile | undefined, maxHops?: number): number | undefined {
  const hops = hopsFrom(net, s);
  let best: number | undefined;
  for (const p of providersRef(g, net, category, profile)) {
    const h = hops.get(p);
    if (p !== s && h !== undefined && h <= (maxHops ?? Infinity) && (best === undefined || h < best)) best = h;
  }
  return best;
}

// ---- coverage, ageCliffs, profileChange ----

export interface ReachQuery {
  regionId: string;
  from?: string;
  maxHops?: number;
  asOf: string;
}

/** The providers of the category for the profile, on the profile's own graph; with `from`, only those it reaches. */
function providerSetRef(g: SnapshotSource, q: ReachQuery, category: string, profile: Profile | undefined): Set<string> {
  const net = graphRef(g, q.regionId, profile, q.asOf);
  const providers = providersRef(g, net, category, profile);
  return q.from === undefined ? providers : reachableFrom(net, q.from, providers, q.maxHops);
}

export function coverageRef(
  g: SnapshotSource,
  q: ReachQuery & { categories: readonly string[]; targetGroups: readonly (string | null)[]; ages: readonly (number | null)[] },
) {
  const cells = [];
  for (const category of q.categories) {
    for (const targetGroup of q.targetGroups) {
      for (const age of q.ages) {
        const profile = refProfile({ targetGroup, age });
        const net = graphRef(g, q.regionId, profile, q.asOf);
        const providers = providersRef(g, net, category, profile);
        const reachableCount = q.from === undefined ? null : reachableFrom(net, q.from, providers, q.maxHops).size;
        cells.push({ category, targetGroup, age, providers: slugsOf(g, providers), reachableCount });
      }
    }
  }
  return cells;
}

export function ageCliffsRef(g: SnapshotSource, q: ReachQuery & { targetGroup?: string | null; categories: readonly string[] }) {
  const cliffs = [];
  for (let age = 1; age <= 120; age++) {
    for (const category of q.categories) {
      const before = providerSetRef(g, q, category, refProfile({ targetGroup: q.targetGroup, age: age - 1 }));
      const after = providerSetRef(g, q, category, refProfile({ targetGroup: q.targetGroup, age }));
      const lost = [...before].filter((p) => !after.has(p));
      if (lost.length > 0) cliffs.push({ age, category, providersBefore: before.size, providersAfter: after.size, lost: slugsOf(g, lost) });
    }
  }
  return cliffs;
}

export function profileChangeRef(g: SnapshotSource, q: ReachQuery & { before: NullableProfile; after: NullableProfile; categories: readonly string[] }) {
  const changes = [];
  for (const category of q.categories) {
    const before = providerSetRef(g, q, category, refProfile(q.before));
    const after = providerSetRef(g, q, category, refProfile(q.after));
    const lost = [...before].filter((p) => !after.has(p));
    const gained = [...after].filter((p) => !before.has(p));
    if (lost.length + gained.length > 0) {
      changes.push({ category, providersBefore: before.size, providersAfter: after.size, lost: slugsOf(g, lost), gained: slugsOf(g, gained) });
    }
  }
  return changes;
}

// ---- closureImpact, criticalOrganizations ----

export function closureImpactRef(
  g: SnapshotSource,
  q: { regionId?: string; profile?: NullableProfile | null; asOf: string; organizations: readonly string[]; referrals: readonly string[]; categories: readonly string[]; maxHops?: number },
) {
  const profile = refProfile(q.profile);
  const closed = new Set(q.organizations);
  const listed = new Set(q.referrals);
  const before = graphRef(g, q.regionId, profile, q.asOf);
  const after = without(before, closed, listed);
  const lost = before.referrals.filter((r) => closed.has(r.fromId) || closed.has(r.toId) || listed.has(r.id));

  const coverageLost = [];
  for (const category of q.categories) {
    const was = providersRef(g, before, category, profile);
    const is = providersRef(g, after, category, profile);
    const same = was.size === is.size && [...was].every((p) => is.has(p));
    if (!same) coverageLost.push({ category, providersBefore: was.size, providersAfter: is.size });
  }

  const routesLost = [];
  const open = before.organizations.filter((o) => !closed.has(o)).sort((a, b) => byUnits(slugOf(g, a), slugOf(g, b)));
  for (const s of open) {
    for (const category of q.categories) {
      const hopsBefore = routeRef(g, before, s, category, profile, q.maxHops);
      if (hopsBefore !== undefined && routeRef(g, after, s, category, profile, q.maxHops) === undefined) {
        routesLost.push({ from: slugOf(g, s), category, hopsBefore });
      }
    }
  }

  const touches = (net: Net, o: string) => net.referrals.some((r) => r.fromId === o || r.toId === o);
  const isolated = open.filter((o) => touches(before, o) && !touches(after, o));

  return { referralsLost: referralOrder(g, lost), coverageLost, routesLost, isolated: slugsOf(g, isolated) };
}

export function criticalOrganizationsRef(
  g: SnapshotSource,
  q: { regionId: string; profile?: NullableProfile | null; asOf: string; categories: readonly string[]; first: number },
) {
  const profile = refProfile(q.profile);
  const net = graphRef(g, q.regionId, profile, q.asOf);
  const routes: [string, string][] = [];
  for (const s of net.organizations) for (const c of q.categories) if (routeRef(g, net, s, c, profile) !== undefined) routes.push([s, c]);
  const rows = [];
  for (const v of net.organizations) {
    const rest = without(net, new Set([v]));
    const routesCarried = routes.filter(([s, c]) => s !== v && routeRef(g, rest, s, c, profile) === undefined).length;
    if (routesCarried > 0) rows.push({ organization: slugOf(g, v), routesCarried });
  }
  rows.sort((a, b) => b.routesCarried - a.routesCarried || byUnits(a.organization, b.organization));
  return rows.slice(0, q.first);
}

// ---- networkSummary, networkChanges ----

/** Connected components of an undirected graph, by flooding from each unvisited vertex. */
export function componentsOf(vertices: string[], edges: [string, string][]): string[][] {
  const seen = new Set<string>();
  const components: string[][] = [];
  for (const start of vertices) {
    if (seen.has(start)) continue;
    const component: string[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const v = stack.pop()!;
      component.push(v);
      for (const [a, b] of edges) {
        const w = a === v ? b : b === v ? a : undefined;
        if (w !== undefined && vertices.includes(w) && !seen.has(w)) {
          seen.add(w);
          stack.push(w);
        }
      }
    }
    components.push(component);
  }
  return components;
}

export function summaryOf(g: SnapshotSource, net: Net) {
  const n = net.organizations.length;
  const ties = new Set(net.referrals.map((r) => `${r.fromId}>${r.toId}`));
  const tieList = [...ties].map((t) => t.split(">") as [string, string]);
  const reciprocal = tieList.filter(([a, b]) => ties.has(`${b}>${a}`)).length;
  const isolated = net.organizations.filter((o) => !net.referrals.some((r) => r.fromId === o || r.toId === o));
  const components = componentsOf(net.organizations, tieList);
  const centralization = (degree: (v: string) => number) => {
    if (n < 2) return 0;
    const degrees = net.organizations.map(degree);
    const max = Math.max(...degrees);
    return degrees.reduce((sum, d) => sum + (max - d), 0) / ((n - 1) * (n - 1));
  };
  const brokers = net.organizations.filter((v) => {
    const rest = net.organizations.filter((o) => o !== v);
    return componentsOf(rest, tieList.filter(([a, b]) => a !== v && b !== v)).length > components.length;
  });
  return {
    organizationCount: n,
    referralCount: net.referrals.length,
    density: n < 2 ? 0 : ties.size / (n * (n - 1)),
    reciprocity: ties.size === 0 ? 0 : reciprocal / ties.size,
    isolated: slugsOf(g, isolated),
    components: components.length,
    largestComponent: Math.max(0, ...components.map((c) => c.length)),
    inDegreeCentralization: centralization((v) => net.organizations.filter((a) => ties.has(`${a}>${v}`)).length),
    outDegreeCentralization: centralization((v) => net.organizations.filter((b) => ties.has(`${v}>${b}`)).length),
    brokers: slugsOf(g, brokers),
  };
}

export function networkSummaryRef(g: SnapshotSource, q: { regionId?: string; profile?: NullableProfile | null; asOf: string }) {
  return summaryOf(g, graphRef(g, q.regionId, refProfile(q.profile), q.asOf));
}

export function networkChangesRef(g: SnapshotSource, q: { regionId?: string; profile?: NullableProfile | null; since: string; until: string }) {
  const profile = refProfile(q.profile);
  const inside = (id: string) => q.regionId === undefined || g.organizations.find((o) => o.id === id)!.regionId === q.regionId;
  const candidates = g.referrals.filter((r) => inside(r.fromId) && inside(r.toId));
  const opened = candidates.filter((r) => walkableRef(r, profile, q.until) && !walkableRef(r, profile, q.since));
  const closed = candidates.filter((r) => walkableRef(r, profile, q.since) && !walkableRef(r, profile, q.until));
  return {
    opened: referralOrder(g, opened),
    closed: referralOrder(g, closed),
    before: networkSummaryRef(g, { ...q, asOf: q.since }),
    after: networkSummaryRef(g, { ...q, asOf: q.until }),
  };
}

// ---- communities ----

/**
 * Newman's modularity of a partition, on the undirected graph of ties (each unordered pair with a
 * tie either way, weight 1): Q = 1/(2m) Σ_ij [A_ij − k_i k_j / (2m)] δ(c_i, c_j); 0 when there is no edge.
 */
export function modularityRef(net: Net, partition: string[][]): number {
  const edges = new Set(net.referrals.filter((r) => r.fromId !== r.toId).map((r) => [r.fromId, r.toId].sort(byUnits).join("|")));
  const m = edges.size;
  if (m === 0) return 0;
  const A = (i: string, j: string) => (edges.has([i, j].sort(byUnits).join("|")) ? 1 : 0);
  const k = (i: string) => net.organizations.filter((j) => A(i, j) === 1).length;
  const community = new Map<string, number>();
  partition.forEach((members, c) => members.forEach((o) => community.set(o, c)));
  let sum = 0;
  for (const i of net.organizations) {
    for (const j of net.organizations) {
      if (community.get(i) === community.get(j)) sum += (i === j ? 0 : A(i, j)) - (k(i) * k(j)) / (2 * m);
    }
  }
  return sum / (2 * m);
}
