import type { ServiceCategory, TargetGroup } from "../../domain/vocabulary";
import type { ReadModel } from "../../model/model";
import { BLOCK_BITS, BLOCK_MASK } from "../../model/referral-blocks";
import { AGE } from "../../api/ranges";
import type { WalkRule } from "../walk";
import type { AgeCliffResult, CategoryChangeResult, CoverageCellResult, Profile } from "./types";
import { AnalysisGraph, distancesFrom, graphOf, providers, ruleOf } from "./view";

// Who provides what to whom, and what breaks when a person's profile changes (docs/api.md,
// coverage, ageCliffs, profileChange). A profile decides both the providers (a service must admit
// it) and the graph (a referral must admit it): each profile is its own graph.

/** What one profile gives: its graph, and who is reached from `from` on it (all of the graph without from). */
class ProfileView {
  readonly g: AnalysisGraph;
  readonly rule: WalkRule;
  /** 1 for the local nodes counted as providers' candidates: reached from `from` (not from itself), or every node. */
  private readonly counted: Uint8Array;
  private readonly byCategory = new Map<ServiceCategory, number[]>();

  constructor(s: ReadModel, regionId: string, profile: Profile, asOf: string, from: number | undefined, maxHops: number | undefined) {
    this.rule = ruleOf(profile, asOf);
    this.g = graphOf(s, regionId, this.rule);
    this.counted = new Uint8Array(this.g.n);
    if (from === undefined) this.counted.fill(1);
    else {
      const start = this.g.local[from];
      if (start >= 0) {
        const dist = distancesFrom(this.g, start, maxHops);
        for (let v = 0; v < this.g.n; v++) if (dist[v] > 0) this.counted[v] = 1;
      }
    }
  }

  /** Providers of the category for this profile (organization numbers, by slug). */
  all(category: ServiceCategory): number[] {
    return this.g.organizations(providers(this.g, category, this.rule));
  }

  /** Those counted: reached from `from` when given. */
  counting(category: ServiceCategory): number[] {
    let found = this.byCategory.get(category);
    if (!found) {
      const mask = providers(this.g, category, this.rule);
      for (let v = 0; v < this.g.n; v++) mask[v] &= this.counted[v];
      found = this.g.organizations(mask);
      this.byCategory.set(category, found);
    }
    return found;
  }
}

export interface CoverageQuery {
  regionId: string;
  /** In the order the cells come in (the caller sorts them by name). */
  categories: readonly ServiceCategory[];
  /** null: "any group" (a profile without a group). */
  targetGroups: readonly (TargetGroup | null)[];
  /** null: "any age". */
  ages: readonly (number | null)[];
  from?: number;
  maxHops?: number;
  asOf: string;
}

/** One cell per (category, targetGroup, age), in that nesting order. */
export function coverage(s: ReadModel, q: CoverageQuery): CoverageCellResult[] {
  // One graph per profile, shared by every category's cells.
  const views = new Map<string, ProfileView>();
  const view = (targetGroup: TargetGroup | null, age: number | null) => {
    const key = `${targetGroup}|${age}`;
    let found = views.get(key);
    if (!found) views.set(key, (found = new ProfileView(s, q.regionId, { targetGroup, age }, q.asOf, q.from, q.maxHops)));
    return found;
  };
  const cells: CoverageCellResult[] = [];
  for (const category of q.categories) {
    for (const targetGroup of q.targetGroups) {
      for (const age of q.ages) {
        const v = view(targetGroup, age);
        cells.push({ category, targetGroup, age, providers: v.all(category), reachableCount: q.from === undefined ? null : v.counting(category).length });
      }
    }
  }
  return cells;
}

export interface AgeCliffsQuery {
  regionId: string;
  targetGroup?: TargetGroup | null;
  categories: readonly ServiceCategory[];
  from?: number;
  maxHops?: number;
  asOf: string;
}

/**
 * Every age 1..120 and category where a provider for (targetGroup, age - 1) is none for
 * (targetGroup, age); by age, then category name. Only an age where some eligibility of the
 * region's services or referrals starts or stops can be one: elsewhere a year older changes no
 * answer of admitted(), so those ages alone are looked at.
 */
export function ageCliffs(s: ReadModel, q: AgeCliffsQuery): AgeCliffResult[] {
  const views = new Map<number, ProfileView>();
  const view = (age: number) => {
    let found = views.get(age);
    if (!found) views.set(age, (found = new ProfileView(s, q.regionId, { targetGroup: q.targetGroup ?? null, age }, q.asOf, q.from, q.maxHops)));
    return found;
  };
  const cliffs: AgeCliffResult[] = [];
  for (const age of ageBoundaries(s, view(AGE.min).g, q.from !== undefined)) {
    const [before, after] = [view(age - 1), view(age)];
    for (const category of q.categories) {
      const was = before.counting(category);
      const now = new Set(after.counting(category));
      const lost = was.filter((o) => !now.has(o));
      if (lost.length > 0) cliffs.push({ age, category, providersBefore: was.length, providersAfter: now.size, lost });
    }
  }
  return cliffs;
}

/** The ages 1..120, in order, at which an eligibility of the graph's organizations' services (and, when reachability counts, of its referrals) starts or stops. */
function ageBoundaries(s: ReadModel, g: AnalysisGraph, withReferrals: boolean): number[] {
  const ages = new Set<number>();
  const add = (minAge: number, maxAge: number) => {
    if (minAge >= AGE.min + 1 && minAge <= AGE.max) ages.add(minAge);
    if (maxAge + 1 >= AGE.min + 1 && maxAge + 1 <= AGE.max) ages.add(maxAge + 1);
  };
  for (let v = 0; v < g.n; v++) {
    const o = g.nodes[v];
    for (const f of s.serviceFacts[o] ?? []) add(f.minAge, f.maxAge);
    // Every referral leaving a region's organization, whatever its profile or day: a superset is harmless.
    if (withReferrals) {
      for (const r of s.out[o]) {
        const block = s.referralBlocks[r >>> BLOCK_BITS];
        add(block.minAge[r & BLOCK_MASK], block.maxAge[r & BLOCK_MASK]);
      }
    }
  }
  return [...ages].sort((a, b) => a - b);
}

export interface ProfileChangeQuery {
  regionId: string;
  before: Profile;
  after: Profile;
  categories: readonly ServiceCategory[];
  from?: number;
  maxHops?: number;
  asOf: string;
}

/** Every category (in `categories` order) whose providers differ between the two profiles. */
export function profileChange(s: ReadModel, q: ProfileChangeQuery): CategoryChangeResult[] {
  const before = new ProfileView(s, q.regionId, q.before, q.asOf, q.from, q.maxHops);
  const after = new ProfileView(s, q.regionId, q.after, q.asOf, q.from, q.maxHops);
  const changes: CategoryChangeResult[] = [];
  for (const category of q.categories) {
    const was = before.counting(category);
    const now = after.counting(category);
    const wasSet = new Set(was);
    const nowSet = new Set(now);
    const lost = was.filter((o) => !nowSet.has(o));
    const gained = now.filter((o) => !wasSet.has(o));
    if (lost.length > 0 || gained.length > 0) changes.push({ category, providersBefore: was.length, providersAfter: now.length, lost, gained });
  }
  return changes;
}
