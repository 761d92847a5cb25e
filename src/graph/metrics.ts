import { ReadModel } from "../model/model";
import { canWalk, WalkRule } from "./walk";
import { runInSlices, runWhole, SteppedRun } from "./computations";

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
export function networkOf(s: ReadModel, q: NetworkQuery): FoundNetwork {
  const inside = new Uint8Array(s.organizations.length);
  // A region's members from its own index: a region's graph costs its size, not the network's.
  const organizations = Array.from(q.regionId === undefined ? s.bySlug : s.regionBySlug(q.regionId));
  for (const i of organizations) inside[i] = 1;
  const referrals: number[] = [];
  for (const v of organizations) {
    for (const r of s.out[v]) {
      if (inside[s.referralTo(r)] && canWalk(s, r, q.rule)) referrals.push(r);
    }
  }
  const candidates = q.regionId === undefined ? s.partnerships.keys() : new Set(organizations.flatMap((v) => s.partnershipsOf(v)));
  const partnerships = [...candidates]
    .filter((i) => s.partnerships[i].members.length > 0 && s.partnerships[i].members.every((m) => inside[m]))
    .sort((a, b) => a - b);
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
export function networkMetrics(s: ReadModel, network: FoundNetwork): OrganizationMetricsRow[] {
  return runWhole(new MetricsRun(s, network));
}

/** The same, in slices (runInSlices): the whole network's betweenness is seconds of work (bench/). */
export function networkMetricsInSlices(s: ReadModel, network: FoundNetwork, sliceMs = 20): Promise<OrganizationMetricsRow[]> {
  return runInSlices(new MetricsRun(s, network), sliceMs);
}

/** Brandes' algorithm one source at a time, so it can be paused between sources. */
class MetricsRun implements SteppedRun<OrganizationMetricsRow[]> {
  private readonly n: number;
  private readonly inDegree: Int32Array;
  private readonly outDegree: Int32Array;
  // Arcs in CSR form, without parallel duplicates.
  private readonly arcStart: Int32Array;
  private readonly arcs: Int32Array;
  private readonly betweenness: Float64Array;
  private readonly reach: Int32Array;
  // Per-source work arrays, reset after each source for what it touched only.
  private readonly sigma: Float64Array;
  private readonly dist: Int32Array;
  private readonly coefficient: Float64Array;
  private readonly queue: Int32Array;
  private nextSource = 0;

  constructor(s: ReadModel, private readonly network: FoundNetwork) {
    const n = (this.n = network.organizations.length);
    const local = new Map(network.organizations.map((o, i) => [o, i]));
    this.inDegree = new Int32Array(n);
    this.outDegree = new Int32Array(n);
    const arcsOf: number[][] = Array.from({ length: n }, () => []);
    for (const r of network.referrals) {
      const v = local.get(s.referralFrom(r))!;
      const w = local.get(s.referralTo(r))!;
      this.outDegree[v]++;
      this.inDegree[w]++;
      arcsOf[v].push(w);
    }
    this.arcStart = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) {
      arcsOf[v] = [...new Set(arcsOf[v])];
      this.arcStart[v + 1] = this.arcStart[v] + arcsOf[v].length;
    }
    this.arcs = new Int32Array(this.arcStart[n]);
    for (let v = 0; v < n; v++) this.arcs.set(arcsOf[v], this.arcStart[v]);
    this.betweenness = new Float64Array(n);
    this.reach = new Int32Array(n);
    this.sigma = new Float64Array(n);
    this.dist = new Int32Array(n).fill(-1);
    this.coefficient = new Float64Array(n);
    this.queue = new Int32Array(n);
  }

  /** Runs sources until `budgetMs` has passed; true when every source is done. */
  step(budgetMs: number): boolean {
    const until = performance.now() + budgetMs;
    while (this.nextSource < this.n) {
      this.source(this.nextSource++);
      if ((this.nextSource & 15) === 0 && performance.now() >= until) break;
    }
    return this.nextSource >= this.n;
  }

  private source(source: number): void {
    const { arcStart, arcs, sigma, dist, coefficient, queue, betweenness } = this;
    sigma[source] = 1;
    dist[source] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = source;
    while (head < tail) {
      const v = queue[head++];
      const next = dist[v] + 1;
      const paths = sigma[v];
      for (let i = arcStart[v], end = arcStart[v + 1]; i < end; i++) {
        const w = arcs[i];
        const d = dist[w];
        if (d < 0) {
          dist[w] = next;
          sigma[w] = paths;
          queue[tail++] = w;
        } else if (d === next) sigma[w] += paths;
      }
    }
    // The queue holds the visited organizations in order of distance: read backwards, farthest first.
    const visited = tail;
    this.reach[source] = visited - 1;
    // Dependencies, farthest first: delta(v) = sigma(v) * sum over successors w of (1 + delta(w)) / sigma(w),
    // where that quotient is kept per w once w is done (all of v's successors are farther, so done first).
    for (let k = visited - 1; k >= 0; k--) {
      const v = queue[k];
      const next = dist[v] + 1;
      let sum = 0;
      for (let i = arcStart[v], end = arcStart[v + 1]; i < end; i++) {
        const w = arcs[i];
        if (dist[w] === next) sum += coefficient[w];
      }
      const delta = sigma[v] * sum;
      coefficient[v] = (1 + delta) / sigma[v];
      if (v !== source) betweenness[v] += delta;
    }
    for (let k = 0; k < visited; k++) {
      sigma[queue[k]] = 0;
      dist[queue[k]] = -1;
    }
  }

  result(): OrganizationMetricsRow[] {
    return this.network.organizations.map((organization, i) => ({
      organization,
      inDegree: this.inDegree[i],
      outDegree: this.outDegree[i],
      betweenness: this.betweenness[i],
      downstreamReach: this.reach[i],
    }));
  }
}
