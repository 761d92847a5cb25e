import { InputError } from "../errors";
import { admits, checkProfile } from "../domain/eligibility";
import { checkPageSize, decodeCursor, encodeCursor, PageInfo } from "../api/pagination";
import { foldForSearch, isUuid } from "../domain/text";
import type { OrganizationFilter } from "../organizations/organization.inputs";
import type { ReferralFilter } from "../referrals/referral.inputs";
import { byCodePoints, byCodeUnits, CATEGORY_INDEX, KIND_INDEX } from "./encoding";
import { ReadModel } from "./model";
import { admitted, walkRule } from "../graph/walk";
import type { OrganizationNode, ReferralEdge } from "./nodes";

// The API's lists, answered from one read model: the same filters, orders and cursors as the
// contract gives them, and totalCount counted only when asked.

export interface ModelPage<T> {
  edges: { readonly cursor: string; readonly node: T }[];
  pageInfo: PageInfo;
  readonly totalCount: number;
}

/** An edge whose cursor is encoded only when asked for (most pages never ask). */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (node: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/** A page of `first` items matching `keep`, from `order` (numbers sorted as the list is) starting at `start`. */
function page<T>(order: ArrayLike<number>, start: number, first: number, keep: (n: number) => boolean, node: (n: number) => T, cursorOf: (node: T) => string): ModelPage<T> {
  const edges: Edge<T>[] = [];
  let i = start;
  let hasNextPage = false;
  for (; i < order.length; i++) {
    if (!keep(order[i])) continue;
    if (edges.length === first) {
      hasNextPage = true;
      break;
    }
    edges.push(new Edge(node(order[i]), cursorOf));
  }
  let total: number | undefined;
  const stopped = i;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      get endCursor() {
        return edges.length ? edges[edges.length - 1].cursor : null;
      },
    },
    // The matches before the page, on it, and after it: the page's scan is not done twice.
    get totalCount() {
      if (total === undefined) {
        total = edges.length;
        for (let j = 0; j < start; j++) if (keep(order[j])) total++;
        for (let j = stopped; j < order.length; j++) if (keep(order[j])) total++;
      }
      return total;
    },
  };
}

/** The first position in `order` after the cursor, by binary search (`compare` orders a position against it). */
function after(order: ArrayLike<number>, compare: (n: number) => number): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(order[middle]) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function cursorAfter(value: string | null | undefined): { key: string; id: string } | undefined {
  if (!value) return undefined;
  const cursor = decodeCursor(value);
  if (!isUuid(cursor.id)) throw new InputError("after", "is not a cursor this API gave out");
  return cursor;
}

const EMPTY = new Int32Array(0);

/** `organizations(filter, first, after)`: by name, then id, in code-point order. */
export function organizationsPage(model: ReadModel, filter: OrganizationFilter | null | undefined, requested: number | null, afterCursor?: string | null): ModelPage<OrganizationNode> {
  const first = checkPageSize(requested);
  const profile = checkProfile(filter?.profile, "filter.profile");
  if (filter?.search?.includes("\u0000")) throw new InputError("filter.search", "must not contain the NUL character (U+0000)");
  const cursor = cursorAfter(afterCursor);
  let order: Int32Array = model.byName;
  if (filter?.region !== null && filter?.region !== undefined) {
    const region = model.region(filter.region);
    order = (region && model.byRegion.get(region.id)) || EMPTY;
  }
  // Bit k set: kind number k is asked.
  let kindBits = 0;
  for (const k of filter?.kinds ?? []) kindBits |= 1 << KIND_INDEX[k];
  const kinds = kindBits === 0 ? undefined : model.kinds;
  // Bit c set: category number c is asked (all bits when no category is named).
  let categories = filter?.categories?.length ? 0 : -1;
  for (const c of filter?.categories ?? []) categories |= 1 << CATEGORY_INDEX[c];
  const rule = walkRule({ profile });
  const search = filter?.search ? foldForSearch(filter.search) : "";
  // `categories` and `profile` ask about one and the same service (docs/api.md).
  const askService = categories !== -1 || rule.age >= 0 || rule.groupBit !== 0;
  const offersAsked = (n: number) => {
    for (const f of model.serviceFacts[n] ?? []) if ((categories >>> f.category) & 1 && admitted(f.groups, f.minAge, f.maxAge, rule)) return true;
    return false;
  };
  const keep = (n: number) => {
    if (kinds && !((kindBits >>> kinds[n]) & 1)) return false;
    if (search && !model.organizations[n]!.searchName.includes(search)) return false;
    return !askService || offersAsked(n);
  };
  const start = cursor
    ? after(order, (n) => byCodePoints(model.organizations[n]!.name, cursor.key) || byCodeUnits(model.organizations[n]!.id, cursor.id))
    : 0;
  return page(order, start, first, keep, (n) => model.organizations[n]!, (o) => encodeCursor({ key: o.name, id: o.id }));
}

/** `referrals(filter, first, after)`: by id. */
export function referralsPage(model: ReadModel, filter: ReferralFilter | null | undefined, requested: number | null, afterCursor?: string | null): ModelPage<ReferralEdge> {
  const first = checkPageSize(requested);
  const profile = checkProfile(filter?.profile, "filter.profile");
  const cursor = cursorAfter(afterCursor);
  const byId = (a: number, b: number) => byCodeUnits(model.referralEdge(a)!.id, model.referralEdge(b)!.id);
  // The fewest candidates that can match: one end's list, a region's organizations' lists, or all.
  let order: ArrayLike<number> = model.referralsById;
  const ends: { from?: number; to?: number } = {};
  for (const end of ["from", "to"] as const) {
    const ref = filter?.[end];
    if (ref === null || ref === undefined) continue;
    const n = model.organizationNumber(ref);
    if (n === undefined) order = EMPTY;
    else ends[end] = n;
  }
  let regionId: string | undefined;
  if (filter?.region !== null && filter?.region !== undefined) {
    const region = model.region(filter.region);
    if (!region) order = EMPTY;
    else regionId = region.id;
  }
  if (order !== EMPTY) {
    if (ends.from !== undefined) order = Array.from(model.out[ends.from]).sort(byId);
    else if (ends.to !== undefined) order = Array.from(model.into[ends.to]).sort(byId);
    else if (regionId !== undefined) {
      const inRegion = new Set<number>();
      for (const n of model.byRegion.get(regionId) ?? EMPTY) {
        for (const r of model.out[n]) inRegion.add(r);
        for (const r of model.into[n]) inRegion.add(r);
      }
      order = [...inRegion].sort(byId);
    }
  }
  const categories = filter?.categories?.length ? new Set<string>(filter.categories) : undefined;
  const statuses = filter?.statuses?.length ? new Set<string>(filter.statuses) : undefined;
  const keep = (r: number) => {
    if (ends.from !== undefined && model.referralFrom(r) !== ends.from) return false;
    if (ends.to !== undefined && model.referralTo(r) !== ends.to) return false;
    const referral = model.referralEdge(r)!;
    if (regionId !== undefined && model.organizations[model.referralFrom(r)]!.regionId !== regionId && model.organizations[model.referralTo(r)]!.regionId !== regionId) return false;
    if (categories && !referral.categories.some((c) => categories.has(c))) return false;
    if (statuses && !statuses.has(referral.status)) return false;
    return admits(referral, profile);
  };
  const start = cursor ? after(order, (r) => byCodeUnits(model.referralEdge(r)!.id, cursor.id)) : 0;
  return page(order, start, first, keep, (r) => model.referralEdge(r)!, (r) => encodeCursor({ key: r.id, id: r.id }));
}

/**
 * Organizations by id, skipping any not in this version, by name as people read it (localeCompare:
 * "Mission Locale" before "MOSAIK"), then id. The connections use code points instead, for cursors
 * that mean the same on every database.
 */
export function organizationsByName(model: ReadModel, ids: readonly string[]): OrganizationNode[] {
  return ids
    .map((id) => model.organization(id))
    .filter((o): o is OrganizationNode => o !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name) || byCodeUnits(a.id, b.id));
}

/** An organization's referrals one way, in creation order (then id), as the nested lists give them. */
export function referralsOf(model: ReadModel, organizationId: string, direction: "out" | "into"): readonly ReferralEdge[] {
  const n = model.organizationNumber(organizationId);
  return n === undefined ? [] : model.referralsOf(n, direction);
}
