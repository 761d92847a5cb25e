import { UndirectedGraph } from "graphology";
import louvain from "graphology-communities-louvain";
import type { ReadModel } from "../../model/model";
import type { CommunityResult, GraphScope } from "./types";
import { graphOf, ruleOf, sortReferrals } from "./view";
import { seededRandom } from "../seeded-random";

// Groups of organizations that refer to each other more than to the rest (docs/api.md,
// communities): Louvain's modularity optimisation from graphology (maintained, tested, and it
// handles the resolution and the multi-level aggregation we would otherwise write), on the
// undirected graph of ties, with a fixed seed so that the same network gives the same groups.

/** The same seed every time: Louvain visits nodes in a random order. */
const SEED = 0x5eed;


/** Modularity-based groups (Louvain, fixed seed), biggest first, then by their first slug. */
export function communities(s: ReadModel, q: GraphScope): CommunityResult[] {
  const g = graphOf(s, q.regionId, ruleOf(q.profile, q.asOf));
  const graph = new UndirectedGraph();
  // Nodes in slug order, edges in order: what Louvain sees does not depend on how rows were stored.
  for (let v = 0; v < g.n; v++) graph.addNode(String(v));
  for (let a = 0; a < g.n; a++) {
    for (let i = g.outStart[a]; i < g.outStart[a + 1]; i++) {
      const b = g.outArcs[i];
      if (!graph.hasEdge(String(a), String(b))) graph.addEdge(String(a), String(b));
    }
  }
  const groupOf = new Int32Array(g.n);
  if (graph.size > 0) {
    const found = louvain(graph, { rng: seededRandom(SEED) });
    for (let v = 0; v < g.n; v++) groupOf[v] = found[String(v)];
  } else {
    for (let v = 0; v < g.n; v++) groupOf[v] = v; // no tie: each organization alone
  }
  const members = new Map<number, number[]>();
  for (let v = 0; v < g.n; v++) (members.get(groupOf[v]) ?? members.set(groupOf[v], []).get(groupOf[v])!).push(v);
  const groups = [...members.values()].sort((x, y) => y.length - x.length || x[0] - y[0]);
  return groups.map((locals) => {
    const inside = new Set(locals);
    const referrals = g.referrals.filter((r) => inside.has(g.local[s.referralFrom(r)]) && inside.has(g.local[s.referralTo(r)]));
    return { organizations: locals.map((v) => g.nodes[v]), referrals: sortReferrals(s, referrals) };
  });
}
