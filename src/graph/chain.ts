import { byCodeUnits } from "../model/encoding";
import { ReadModel } from "../model/model";
import { canWalk, WalkRule } from "./walk";

export interface ChainQuery {
  start: number;
  /** true: follow referrals backwards (who sends people here). */
  upstream: boolean;
  maxDepth: number;
  rule: WalkRule;
}

export interface FoundChain {
  /** Organization numbers with their least depth, by depth then slug; the start first, at 0. */
  entries: { organization: number; depth: number }[];
  /** The walkable referrals followed from every organization closer than maxDepth. */
  referrals: number[];
}

/** Breadth-first: every organization within maxDepth walkable referrals, at its least depth. */
export function referralChain(s: ReadModel, q: ChainQuery): FoundChain {
  const depth = new Int32Array(s.organizations.length).fill(-1);
  const lists = q.upstream ? s.into : s.out;
  const other = q.upstream ? (r: number) => s.referralFrom(r) : (r: number) => s.referralTo(r);
  const order: number[] = [q.start];
  const referrals: number[] = [];
  depth[q.start] = 0;
  for (let head = 0; head < order.length; head++) {
    const v = order[head];
    if (depth[v] >= q.maxDepth) break; // breadth-first: every later one is as deep
    const edges = lists[v];
    for (let i = 0; i < edges.length; i++) {
      const r = edges[i];
      if (!canWalk(s, r, q.rule)) continue;
      referrals.push(r);
      const w = other(r);
      if (depth[w] < 0) {
        depth[w] = depth[v] + 1;
        order.push(w);
      }
    }
  }
  const entries = order.map((organization) => ({ organization, depth: depth[organization] }));
  entries.sort((a, b) => a.depth - b.depth || byCodeUnits(s.organizations[a.organization]!.slug, s.organizations[b.organization]!.slug));
  return { entries, referrals };
}
