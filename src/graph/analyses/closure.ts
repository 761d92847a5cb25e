import type { ServiceCategory } from "../../domain/vocabulary";
import type { ReadModel } from "../../model/model";
import type { ClosureImpactResult, CriticalityResult, GraphScope } from "./types";
import { AnalysisGraph, graphOf, providers, routeHops, ruleOf, sortReferrals } from "./view";
import { Dominators } from "./dominators";
import { runInSlices, runWhole, SteppedRun } from "../computations";

// What a region loses when organizations close or referrals end, and which organizations alone
// carry the most routes (docs/api.md, closureImpact, criticalOrganizations). A route (s, c) is
// "some provider of c other than s can be reached from s".

export interface ClosureQuery extends GraphScope {
  organizations: readonly number[];
  referrals: readonly number[];
  categories: readonly ServiceCategory[];
  maxHops?: number;
}

export function closureImpact(s: ReadModel, q: ClosureQuery): ClosureImpactResult {
  const rule = ruleOf(q.profile, q.asOf);
  const g = graphOf(s, q.regionId, rule);
  const closed = new Uint8Array(g.n);
  for (const o of q.organizations) if (g.local[o] >= 0) closed[g.local[o]] = 1;
  const ended = new Set(q.referrals);
  const isLost = (r: number) => closed[g.local[s.referralFrom(r)]] === 1 || closed[g.local[s.referralTo(r)]] === 1 || ended.has(r);
  const after = g.without((r) => !isLost(r));

  const coverageLost: ClosureImpactResult["coverageLost"] = [];
  const hopsByCategory: { category: ServiceCategory; before: Int32Array; after: Int32Array }[] = [];
  for (const category of q.categories) {
    const offering = providers(g, category, rule);
    const remaining = offering.map((p, v) => (closed[v] ? 0 : p));
    const [before, now] = [count(offering), count(remaining)];
    if (before !== now) coverageLost.push({ category, providersBefore: before, providersAfter: now });
    hopsByCategory.push({ category, before: routeHops(g, offering, q.maxHops), after: routeHops(after, remaining, q.maxHops) });
  }
  const routesLost: ClosureImpactResult["routesLost"] = [];
  for (let v = 0; v < g.n; v++) {
    if (closed[v]) continue;
    for (const { category, before, after: now } of hopsByCategory) {
      if (before[v] >= 0 && now[v] < 0) routesLost.push({ from: g.nodes[v], category, hopsBefore: before[v] });
    }
  }
  const isolated = new Uint8Array(g.n);
  for (let v = 0; v < g.n; v++) {
    const had = g.outReferrals[v] + g.inReferrals[v] > 0;
    const has = after.outReferrals[v] + after.inReferrals[v] > 0;
    isolated[v] = !closed[v] && had && !has ? 1 : 0;
  }
  return {
    referralsLost: sortReferrals(s, g.referrals.filter(isLost)),
    coverageLost,
    routesLost,
    isolated: g.organizations(isolated),
  };
}

const count = (mask: ArrayLike<number>) => {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] ? 1 : 0;
  return n;
};

export interface CriticalityQuery extends GraphScope {
  regionId: string;
  categories: readonly ServiceCategory[];
  first: number;
}

/**
 * Organizations by routes carried (most first), then slug; none carrying nothing; at most
 * `first`. An organization v carries route (s, c) when every path from s to every provider of c
 * other than s passes through v (v itself a provider included): in the graph with one sink per
 * category, fed by that category's providers but s, v dominates the sink from s. One dominator
 * tree per source (Lengauer-Tarjan) answers every v and c at once.
 */
export function criticalOrganizations(s: ReadModel, q: CriticalityQuery): CriticalityResult[] {
  return runWhole(new CriticalityRun(s, q));
}

/** The same, in slices (runInSlices): at 1,000 organizations it is a second of work. */
export function criticalOrganizationsInSlices(s: ReadModel, q: CriticalityQuery, sliceMs = 20): Promise<CriticalityResult[]> {
  return runInSlices(new CriticalityRun(s, q), sliceMs);
}

class CriticalityRun implements SteppedRun<CriticalityResult[]> {
  private readonly g: AnalysisGraph;
  private readonly dominators: Dominators;
  private readonly carried: Float64Array;
  private nextSource = 0;

  constructor(
    s: ReadModel,
    private readonly q: CriticalityQuery,
  ) {
    const rule = ruleOf(q.profile, q.asOf);
    const g = (this.g = graphOf(s, q.regionId, rule));
    const k = q.categories.length;
    // Nodes 0..n-1 are the organizations, n..n+k-1 the categories' sinks; a sink's predecessors are its providers.
    const sinkOf = q.categories.map((category) => providers(g, category, rule));
    const succ: number[][] = Array.from({ length: g.n + k }, () => []);
    for (let v = 0; v < g.n; v++) {
      for (let i = g.outStart[v]; i < g.outStart[v + 1]; i++) succ[v].push(g.outArcs[i]);
      sinkOf.forEach((offering, c) => offering[v] && succ[v].push(g.n + c));
    }
    this.dominators = new Dominators(succ);
    this.carried = new Float64Array(g.n);
  }

  step(budgetMs: number): boolean {
    const until = performance.now() + budgetMs;
    while (this.nextSource < this.g.n) {
      this.source(this.nextSource++);
      if ((this.nextSource & 7) === 0 && performance.now() >= until) break;
    }
    return this.nextSource >= this.g.n;
  }

  private source(source: number): void {
    const d = this.dominators;
    // A provider's own sink does not count from itself: a route needs a provider other than s.
    const order = d.run(source, (v, w) => !(v === source && w >= this.g.n));
    // Sinks below each node in the dominator tree, counted children before parents (reverse DFS order).
    const sinks = d.scratch;
    for (let i = 0; i < order; i++) sinks[d.vertex[i]] = d.vertex[i] >= this.g.n ? 1 : 0;
    for (let i = order - 1; i > 0; i--) {
      const w = d.vertex[i];
      const parent = d.idom[w];
      sinks[parent] += sinks[w];
      if (w < this.g.n) this.carried[w] += sinks[w];
    }
  }

  result(): CriticalityResult[] {
    const rows: CriticalityResult[] = [];
    for (let v = 0; v < this.g.n; v++) if (this.carried[v] > 0) rows.push({ organization: this.g.nodes[v], routesCarried: this.carried[v] });
    // Local numbers are in slug order, and sort is stable: ties stay by slug.
    rows.sort((a, b) => b.routesCarried - a.routesCarried);
    return rows.slice(0, this.q.first);
  }
}
