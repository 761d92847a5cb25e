import { GraphSnapshot } from "./snapshot";
import { canWalk, WalkRule } from "./walk";

export interface NetworkQuery {
  /** Only the organizations of this region (id); undefined for all of them. */
  regionId?: string;
  rule: WalkRule;
}

export interface FoundNetwork {
  /** Organization numbers, in slug order. */
  organizations: number[];
  /** Walkable, admitting referrals with both ends among them. */
  referrals: number[];
  /** Partnerships whose members are all among them. */
  partnerships: number[];
}

/** A region's graph (all of it without a region), as `network` returns it. */
export function networkOf(s: GraphSnapshot, q: NetworkQuery): FoundNetwork {
  const inside = new Uint8Array(s.organizations.length);
  const organizations: number[] = [];
  s.organizations.forEach((o, i) => {
    if (q.regionId === undefined || o.regionId === q.regionId) {
      inside[i] = 1;
      organizations.push(i);
    }
  });
  const referrals: number[] = [];
  for (const v of organizations) {
    for (let i = s.outStart[v]; i < s.outStart[v + 1]; i++) {
      const r = s.outReferrals[i];
      if (inside[s.referralTo[r]] && canWalk(s, r, q.rule)) referrals.push(r);
    }
  }
  const partnerships: number[] = [];
  s.partnerships.forEach((p, i) => {
    if (p.members.length > 0 && p.members.every((m) => inside[m])) partnerships.push(i);
  });
  return { organizations, referrals, partnerships };
}

export interface OrganizationMetricsRow {
  organization: number;
  /** Referrals in the network that arrive here / leave from here. */
  inDegree: number;
  outDegree: number;
  /** Brandes' betweenness on the directed graph, not normalised. */
  betweenness: number;
  /** How many other organizations can be reached downstream. */
  downstreamReach: number;
}

/**
 * Degrees count referrals; betweenness and reach are computed on the directed graph of the
 * network where parallel referrals between two organizations make one arc (as networkx does
 * for a MultiDiGraph). One breadth-first search per source gives both (Brandes 2001).
 */
export function networkMetrics(s: GraphSnapshot, network: FoundNetwork): OrganizationMetricsRow[] {
  const n = network.organizations.length;
  const local = new Map(network.organizations.map((o, i) => [o, i]));
  const inDegree = new Int32Array(n);
  const outDegree = new Int32Array(n);
  // Arcs in CSR form, without parallel duplicates.
  const arcsOf: number[][] = Array.from({ length: n }, () => []);
  for (const r of network.referrals) {
    const v = local.get(s.referralFrom[r])!;
    const w = local.get(s.referralTo[r])!;
    outDegree[v]++;
    inDegree[w]++;
    arcsOf[v].push(w);
  }
  const arcStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) {
    arcsOf[v] = [...new Set(arcsOf[v])];
    arcStart[v + 1] = arcStart[v] + arcsOf[v].length;
  }
  const arcs = new Int32Array(arcStart[n]);
  for (let v = 0; v < n; v++) arcs.set(arcsOf[v], arcStart[v]);

  const betweenness = new Float64Array(n);
  const reach = new Int32Array(n);
  const sigma = new Float64Array(n);
  const dist = new Int32Array(n);
  const delta = new Float64Array(n);
  const stack = new Int32Array(n);
  const queue = new Int32Array(n);
  dist.fill(-1);
  for (let source = 0; source < n; source++) {
    sigma[source] = 1;
    dist[source] = 0;
    let head = 0;
    let tail = 0;
    let top = 0;
    queue[tail++] = source;
    while (head < tail) {
      const v = queue[head++];
      stack[top++] = v;
      for (let i = arcStart[v]; i < arcStart[v + 1]; i++) {
        const w = arcs[i];
        if (dist[w] < 0) {
          dist[w] = dist[v] + 1;
          queue[tail++] = w;
        }
        if (dist[w] === dist[v] + 1) sigma[w] += sigma[v];
      }
    }
    const visited = top;
    reach[source] = visited - 1;
    // Dependencies, farthest first; predecessors are found again as arcs one level closer.
    for (let k = 0; k < visited; k++) delta[stack[k]] = 0;
    while (top > 0) {
      const v = stack[--top];
      for (let i = arcStart[v]; i < arcStart[v + 1]; i++) {
        const w = arcs[i];
        if (dist[w] === dist[v] + 1) delta[v] += (sigma[v] / sigma[w]) * (1 + delta[w]);
      }
      if (v !== source) betweenness[v] += delta[v];
    }
    // Reset only what this source touched: O(reach), not O(n), per source.
    for (let k = 0; k < visited; k++) {
      sigma[stack[k]] = 0;
      dist[stack[k]] = -1;
    }
  }
  return network.organizations.map((organization, i) => ({
    organization,
    inDegree: inDegree[i],
    outDegree: outDegree[i],
    betweenness: betweenness[i],
    downstreamReach: reach[i],
  }));
}
