import { ServiceCategory } from "../../domain/vocabulary";
import { ReadModel } from "../../model/model";
import { byCodeUnits, CATEGORY_INDEX } from "../../model/encoding";
import { networkOf } from "../metrics";
import { admitted, walkRule, WalkRule } from "../walk";
import type { Profile } from "./types";

// The graph an analysis works on (network(region, profile, asOf)) in local numbers: its
// organizations 0..n-1 in slug order (so that lists in slug order are lists in local order), its
// ties (distinct ordered pairs joined by at least one referral) both ways as compressed rows, and
// its referrals. Everything here is a plain computation over the read model, no I/O.

export class AnalysisGraph {
  readonly n: number;
  /** Local number -> organization number, in slug order. */
  readonly nodes: Int32Array;
  /** Organization number -> local number, -1 outside the graph. */
  readonly local: Int32Array;
  /** The graph's referrals (referral numbers). */
  readonly referrals: readonly number[];
  /** Ties leaving each local node, without repeats: outArcs[outStart[v]..outStart[v+1]). */
  readonly outStart: Int32Array;
  readonly outArcs: Int32Array;
  /** Referrals of the graph leaving / entering each node (parallel ones counted). */
  readonly outReferrals: Int32Array;
  readonly inReferrals: Int32Array;
  /** The referrals' ends, local, for the ties entering each node when asked (`inStart`, `inArcs`). */
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private entering: [Int32Array, Int32Array] | undefined;

  constructor(
    readonly model: ReadModel,
    nodes: Int32Array,
    referrals: readonly number[],
  ) {
    const n = (this.n = nodes.length);
    this.nodes = nodes;
    this.local = new Int32Array(model.organizations.length).fill(-1);
    for (let v = 0; v < n; v++) this.local[nodes[v]] = v;
    this.referrals = referrals;
    this.outReferrals = new Int32Array(n);
    this.inReferrals = new Int32Array(n);
    this.from = new Int32Array(referrals.length);
    this.to = new Int32Array(referrals.length);
    for (let i = 0; i < referrals.length; i++) {
      this.from[i] = this.local[model.referralFrom(referrals[i])];
      this.to[i] = this.local[model.referralTo(referrals[i])];
      this.outReferrals[this.from[i]]++;
      this.inReferrals[this.to[i]]++;
    }
    [this.outStart, this.outArcs] = compressed(n, this.from, this.to);
  }

  /** Ties entering each local node, without repeats: inArcs[inStart[v]..inStart[v+1]) (made on first use). */
  get inStart(): Int32Array {
    return (this.entering ??= compressed(this.n, this.to, this.from))[0];
  }

  get inArcs(): Int32Array {
    return (this.entering ??= compressed(this.n, this.to, this.from))[1];
  }

  /** Whether the tie a -> b exists (local numbers; rows are sorted). */
  hasTie(a: number, b: number): boolean {
    let low = this.outStart[a];
    let high = this.outStart[a + 1] - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const w = this.outArcs[middle];
      if (w === b) return true;
      if (w < b) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** The same organizations with only some of the referrals (closures: what is left). */
  without(keep: (r: number) => boolean): AnalysisGraph {
    return new AnalysisGraph(this.model, this.nodes, this.referrals.filter(keep));
  }

  /** Organization numbers of the local ones set in `mask` (or for which it is true), in slug order. */
  organizations(mask: ArrayLike<number>): number[] {
    const out: number[] = [];
    for (let v = 0; v < this.n; v++) if (mask[v]) out.push(this.nodes[v]);
    return out;
  }
}

/** Rows of distinct targets per source, each row sorted, in typed arrays only (a counting sort): [start, targets]. */
function compressed(n: number, sources: Int32Array, targets: Int32Array): [Int32Array, Int32Array] {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < sources.length; i++) start[sources[i] + 1]++;
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const filled = start.slice(0, n);
  const all = new Int32Array(sources.length);
  for (let i = 0; i < sources.length; i++) all[filled[sources[i]]++] = targets[i];
  // Each row sorted, then its repeats dropped, compacting towards the front.
  const compact = new Int32Array(n + 1);
  let written = 0;
  for (let v = 0; v < n; v++) {
    const row = all.subarray(start[v], start[v + 1]).sort();
    compact[v] = written;
    for (let i = 0; i < row.length; i++) if (i === 0 || row[i] !== row[i - 1]) all[written++] = row[i];
  }
  compact[n] = written;
  return [compact, all.slice(0, written)];
}

/** The rule of a profile on a day. */
export function ruleOf(profile: Profile | null | undefined, asOf: string): WalkRule {
  return walkRule({ profile: profile ?? null, asOf });
}

/** network(region, profile, asOf) as an AnalysisGraph. */
export function graphOf(s: ReadModel, regionId: string | undefined, rule: WalkRule): AnalysisGraph {
  const found = networkOf(s, { regionId, rule });
  return new AnalysisGraph(s, Int32Array.from(found.organizations), found.referrals);
}

/** 1 for each local node offering a service of `category` that admits the rule's profile. */
export function providers(g: AnalysisGraph, category: ServiceCategory, rule: WalkRule): Uint8Array {
  const c = CATEGORY_INDEX[category];
  const out = new Uint8Array(g.n);
  for (let v = 0; v < g.n; v++) {
    for (const f of g.model.serviceFacts[g.nodes[v]] ?? []) {
      if (f.category === c && admitted(f.groups, f.minAge, f.maxAge, rule)) {
        out[v] = 1;
        break;
      }
    }
  }
  return out;
}

/** Fewest ties from `source` to every node (-1: not within `maxHops`, or not at all); the source itself 0. */
export function distancesFrom(g: AnalysisGraph, source: number, maxHops = Infinity): Int32Array {
  const dist = new Int32Array(g.n).fill(-1);
  const queue = new Int32Array(g.n);
  let head = 0;
  let tail = 0;
  dist[source] = 0;
  queue[tail++] = source;
  while (head < tail) {
    const v = queue[head++];
    if (dist[v] >= maxHops) continue;
    for (let i = g.outStart[v], end = g.outStart[v + 1]; i < end; i++) {
      const w = g.outArcs[i];
      if (dist[w] < 0) {
        dist[w] = dist[v] + 1;
        queue[tail++] = w;
      }
    }
  }
  return dist;
}

/**
 * For every node s, the hops of route (s, c): the fewest referrals from s to a provider other than
 * s, -1 when there is none (within `maxHops`). One breadth-first search backwards from all
 * providers at once, each node keeping its two nearest providers (distinct): s's route is then
 * one tie to a successor w plus w's nearest provider that is not s.
 */
export function routeHops(g: AnalysisGraph, isProvider: Uint8Array, maxHops = Infinity): Int32Array {
  const n = g.n;
  // Up to two labels per node: nearest provider and distance, then the nearest other one.
  const firstSource = new Int32Array(n).fill(-1);
  const firstDist = new Int32Array(n);
  const secondSource = new Int32Array(n).fill(-1);
  const secondDist = new Int32Array(n);
  const queueNode = new Int32Array(2 * n);
  const queueSource = new Int32Array(2 * n);
  const queueDist = new Int32Array(2 * n);
  let head = 0;
  let tail = 0;
  for (let p = 0; p < n; p++) {
    if (!isProvider[p]) continue;
    firstSource[p] = p;
    firstDist[p] = 0;
    queueNode[tail] = p;
    queueSource[tail] = p;
    queueDist[tail++] = 0;
  }
  while (head < tail) {
    const v = queueNode[head];
    const source = queueSource[head];
    const d = queueDist[head++] + 1;
    for (let i = g.inStart[v], end = g.inStart[v + 1]; i < end; i++) {
      const u = g.inArcs[i];
      if (firstSource[u] === source || secondSource[u] === source) continue;
      if (firstSource[u] < 0) {
        firstSource[u] = source;
        firstDist[u] = d;
      } else if (secondSource[u] < 0) {
        secondSource[u] = source;
        secondDist[u] = d;
      } else continue;
      queueNode[tail] = u;
      queueSource[tail] = source;
      queueDist[tail++] = d;
    }
  }
  const hops = new Int32Array(n).fill(-1);
  for (let s = 0; s < n; s++) {
    let best = -1;
    for (let i = g.outStart[s], end = g.outStart[s + 1]; i < end; i++) {
      const w = g.outArcs[i];
      const d = firstSource[w] >= 0 && firstSource[w] !== s ? firstDist[w] : secondSource[w] >= 0 && secondSource[w] !== s ? secondDist[w] : -1;
      if (d >= 0 && (best < 0 || d + 1 < best)) best = d + 1;
    }
    hops[s] = best >= 0 && best <= maxHops ? best : -1;
  }
  return hops;
}

/** Referral numbers by slug of from, then of to, then id. */
export function sortReferrals(s: ReadModel, referrals: number[]): number[] {
  const key = (r: number) => [s.organizations[s.referralFrom(r)]!.slug, s.organizations[s.referralTo(r)]!.slug, s.referralEdge(r)!.id] as const;
  return referrals
    .map((r) => ({ r, k: key(r) }))
    .sort((a, b) => byCodeUnits(a.k[0], b.k[0]) || byCodeUnits(a.k[1], b.k[1]) || byCodeUnits(a.k[2], b.k[2]))
    .map((x) => x.r);
}
