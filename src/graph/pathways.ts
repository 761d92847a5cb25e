import { ServiceCategory } from "../domain/vocabulary";
import { ReadModel } from "../model/model";
import { canWalk, offers, WalkRule } from "./walk";

export interface PathwayQuery {
  from: number;
  /** Either a destination organization... */
  to?: number;
  /** ...or a category that the last organization offers (admitting the profile). */
  toCategory?: ServiceCategory;
  rule: WalkRule;
  maxHops: number;
  limit: number;
  /** Most referrals the depth-first walk may look at before giving up (default: no bound). */
  maxSteps?: number;
}

/** The search looked at more than `maxSteps` referrals: a network shape where simple paths are many and few lead anywhere. */
export class SearchTooLarge extends Error {
  constructor(readonly maxSteps: number) {
    super(`the pathway search looked at more than ${maxSteps} referrals`);
  }
}

export interface FoundPathway {
  /** Organization numbers, start to end. */
  organizations: number[];
  /** Referral numbers: referrals[i] links organizations[i] to organizations[i + 1]. */
  referrals: number[];
}

/**
 * Simple paths of walkable referrals from `from` to a target, fewest hops first, then by the
 * sequence of slugs (then of referral ids, for parallel referrals), at most `limit`.
 *
 * It searches by increasing length (1, 2, ... maxHops) and stops once `limit` is reached: a
 * depth-first walk in slug order finds the paths of one length already sorted. Only the
 * organizations within maxHops of the start are looked at, and a step is taken only if a
 * target can still be reached in the hops left (distances from a backwards search), so dead
 * ends are not explored. A hub that every route must pass through can still make most partial
 * paths fail (once it is on the path): `maxSteps` bounds that work, with SearchTooLarge.
 */
export function findPathways(s: ReadModel, q: PathwayQuery): FoundPathway[] {
  if (q.to === q.from || q.limit < 1 || q.maxHops < 1) return [];
  const n = s.organizations.length; // numbers, not a count: some may stand for no organization

  // 1. The organizations reachable from the start within maxHops (ignoring simplicity).
  const seen = new Uint8Array(n);
  const ball: number[] = [q.from];
  seen[q.from] = 1;
  for (let head = 0, depth = 0, levelEnd = 1; head < ball.length && depth < q.maxHops; ) {
    const v = ball[head++];
    const out = s.out[v];
    for (let i = 0; i < out.length; i++) {
      const r = out[i];
      const w = s.referralTo(r);
      if (!seen[w] && canWalk(s, r, q.rule)) {
        seen[w] = 1;
        ball.push(w);
      }
    }
    if (head === levelEnd) {
      depth++;
      levelEnd = ball.length;
    }
  }

  // 2. Hops from each of them to the nearest target, searching backwards from the targets.
  const hopsLeft = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (const v of ball) {
    const target = q.to !== undefined ? v === q.to : v !== q.from && offers(s, v, q.toCategory!, q.rule);
    if (target) {
      hopsLeft[v] = 0;
      queue.push(v);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const w = queue[head];
    if (hopsLeft[w] >= q.maxHops) continue;
    const into = s.into[w];
    for (let i = 0; i < into.length; i++) {
      const r = into[i];
      const v = s.referralFrom(r);
      if (seen[v] && hopsLeft[v] < 0 && canWalk(s, r, q.rule)) {
        hopsLeft[v] = hopsLeft[w] + 1;
        queue.push(v);
      }
    }
  }
  if (hopsLeft[q.from] < 0) return [];

  // 3. Depth-first in slug order, for each length in turn.
  const found: FoundPathway[] = [];
  const onPath = new Uint8Array(n);
  const path: number[] = [q.from];
  const steps: number[][] = []; // the walkable parallel referrals of each hop
  onPath[q.from] = 1;

  const emit = () => {
    // Every choice of parallel referrals, in order of their ids.
    const choice = new Array<number>(steps.length).fill(0);
    for (;;) {
      found.push({ organizations: [...path], referrals: steps.map((options, i) => options[choice[i]]) });
      if (found.length >= q.limit) return;
      let i = steps.length - 1;
      while (i >= 0 && ++choice[i] === steps[i].length) choice[i--] = 0;
      if (i < 0) return;
    }
  };

  const maxSteps = q.maxSteps ?? Infinity;
  let looked = 0;
  const walk = (v: number, left: number): void => {
    if (left === 0) {
      emit();
      return;
    }
    const out = s.out[v];
    const end = out.length;
    for (let i = 0; i < end && found.length < q.limit; ) {
      if (++looked > maxSteps) throw new SearchTooLarge(maxSteps);
      const w = s.referralTo(out[i]);
      let j = i;
      const walkable: number[] = [];
      for (; j < end && s.referralTo(out[j]) === w; j++) {
        if (canWalk(s, out[j], q.rule)) walkable.push(out[j]);
      }
      i = j;
      if (walkable.length === 0 || onPath[w] || hopsLeft[w] < 0 || hopsLeft[w] > left - 1) continue;
      if (left === 1 && hopsLeft[w] !== 0) continue;
      onPath[w] = 1;
      path.push(w);
      steps.push(walkable);
      walk(w, left - 1);
      steps.pop();
      path.pop();
      onPath[w] = 0;
    }
  };

  for (let hops = Math.max(1, hopsLeft[q.from]); hops <= q.maxHops && found.length < q.limit; hops++) walk(q.from, hops);
  return found;
}
