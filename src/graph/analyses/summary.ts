import type { ReadModel } from "../../model/model";
import type { GraphScope, NetworkChangesResult, NetworkSummaryResult, Profile } from "./types";
import { AnalysisGraph, graphOf, ruleOf, sortReferrals } from "./view";

// The platform-health figures coalition evaluators report (docs/api.md, networkSummary), and what
// changed between two days (networkChanges). A tie is an ordered pair (a, b) with at least one
// referral from a to b.

export function networkSummary(s: ReadModel, q: GraphScope): NetworkSummaryResult {
  return summaryOf(graphOf(s, q.regionId, ruleOf(q.profile, q.asOf)));
}

export function summaryOf(g: AnalysisGraph): NetworkSummaryResult {
  const n = g.n;
  const ties = g.outArcs.length;
  let reciprocated = 0;
  for (let a = 0; a < n; a++) {
    for (let i = g.outStart[a]; i < g.outStart[a + 1]; i++) if (g.hasTie(g.outArcs[i], a)) reciprocated++;
  }
  const isolated = new Uint8Array(n);
  for (let v = 0; v < n; v++) isolated[v] = g.outReferrals[v] + g.inReferrals[v] === 0 ? 1 : 0;
  const { components, largest } = weakComponents(g);
  const centralization = (start: Int32Array) => {
    if (n < 2) return 0;
    let max = 0;
    let sum = 0;
    for (let v = 0; v < n; v++) max = Math.max(max, start[v + 1] - start[v]);
    for (let v = 0; v < n; v++) sum += max - (start[v + 1] - start[v]);
    return sum / ((n - 1) * (n - 1));
  };
  return {
    organizationCount: n,
    referralCount: g.referrals.length,
    density: n < 2 ? 0 : ties / (n * (n - 1)),
    reciprocity: ties === 0 ? 0 : reciprocated / ties,
    isolated: g.organizations(isolated),
    components,
    largestComponent: largest,
    inDegreeCentralization: centralization(g.inStart),
    outDegreeCentralization: centralization(g.outStart),
    brokers: g.organizations(articulationPoints(g)),
  };
}

/** Neighbours of v on the undirected graph of ties: its ties either way, without repeats. */
function undirected(g: AnalysisGraph): { start: Int32Array; arcs: Int32Array } {
  const start = new Int32Array(g.n + 1);
  const rows: number[][] = [];
  for (let v = 0; v < g.n; v++) {
    const row = [...new Set([...g.outArcs.subarray(g.outStart[v], g.outStart[v + 1]), ...g.inArcs.subarray(g.inStart[v], g.inStart[v + 1])])];
    rows.push(row);
    start[v + 1] = start[v] + row.length;
  }
  const arcs = new Int32Array(start[g.n]);
  rows.forEach((row, v) => arcs.set(row, start[v]));
  return { start, arcs };
}

/** Weakly connected components: how many, and the size of the largest (an isolated organization is one of 1). */
function weakComponents(g: AnalysisGraph): { components: number; largest: number } {
  const root = Int32Array.from({ length: g.n }, (_, i) => i);
  const find = (v: number): number => {
    while (root[v] !== v) v = root[v] = root[root[v]];
    return v;
  };
  for (let a = 0; a < g.n; a++) {
    for (let i = g.outStart[a]; i < g.outStart[a + 1]; i++) {
      const [x, y] = [find(a), find(g.outArcs[i])];
      if (x !== y) root[Math.max(x, y)] = Math.min(x, y);
    }
  }
  const size = new Int32Array(g.n);
  let components = 0;
  let largest = 0;
  for (let v = 0; v < g.n; v++) {
    const r = find(v);
    if (size[r]++ === 0) components++;
    largest = Math.max(largest, size[r]);
  }
  return { components, largest };
}

/** Articulation points of the undirected graph of ties (Hopcroft and Tarjan), without recursion: 1 for each. */
function articulationPoints(g: AnalysisGraph): Uint8Array {
  const { start, arcs } = undirected(g);
  const n = g.n;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  const children = new Int32Array(n);
  const cut = new Uint8Array(n);
  const stack = new Int32Array(n);
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] >= 0) continue;
    let top = 0;
    stack[0] = root;
    order[root] = low[root] = counter++;
    next[root] = start[root];
    while (top >= 0) {
      const v = stack[top];
      if (next[v] < start[v + 1]) {
        const w = arcs[next[v]++];
        if (order[w] < 0) {
          parent[w] = v;
          children[v]++;
          order[w] = low[w] = counter++;
          next[w] = start[w];
          stack[++top] = w;
        } else if (w !== parent[v]) low[v] = Math.min(low[v], order[w]);
        continue;
      }
      top--;
      const p = parent[v];
      if (p >= 0) {
        low[p] = Math.min(low[p], low[v]);
        if (parent[p] >= 0 && low[v] >= order[p]) cut[p] = 1;
      }
    }
    if (children[root] > 1) cut[root] = 1;
  }
  return cut;
}

export interface ChangesQuery {
  regionId?: string;
  profile?: Profile | null;
  since: string;
  until: string;
}

/** Referrals walkable on `until` and not on `since` (opened), and the reverse (closed), with the summary on each day. */
export function networkChanges(s: ReadModel, q: ChangesQuery): NetworkChangesResult {
  const before = graphOf(s, q.regionId, ruleOf(q.profile, q.since));
  const after = graphOf(s, q.regionId, ruleOf(q.profile, q.until));
  const was = new Set(before.referrals);
  const is = new Set(after.referrals);
  return {
    opened: sortReferrals(s, after.referrals.filter((r) => !was.has(r))),
    closed: sortReferrals(s, before.referrals.filter((r) => !is.has(r))),
    before: summaryOf(before),
    after: summaryOf(after),
  };
}
