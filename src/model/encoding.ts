import { OrganizationKind, ServiceCategory, TargetGroup } from "../domain/vocabulary";

// The read model's values as numbers and its orders: target groups as bits, categories and kinds
// as indexes, age bounds and days with "no bound" as numbers no value reaches, and the two string
// orders every sorted list of the model uses.

export const GROUP_BIT: Record<TargetGroup, number> = {
  [TargetGroup.RESETTLED_REFUGEE]: 1,
  [TargetGroup.ASYLUM_SEEKER]: 2,
  [TargetGroup.BENEFICIARY_OF_PROTECTION]: 4,
  [TargetGroup.UNACCOMPANIED_MINOR]: 8,
  [TargetGroup.MIGRANT]: 16,
};
export const CATEGORY_INDEX: Record<ServiceCategory, number> = Object.fromEntries(
  Object.values(ServiceCategory).map((c, i) => [c, i]),
) as Record<ServiceCategory, number>;

export const KIND_INDEX: Record<OrganizationKind, number> = Object.fromEntries(
  Object.values(OrganizationKind).map((k, i) => [k, i]),
) as Record<OrganizationKind, number>;

/** Age bounds stored with "no bound" as values no age reaches. */
export const NO_MIN_AGE = -1;
export const NO_MAX_AGE = 1000;
/** Days since 1970-01-01; "no since" and "no until" as values no day reaches. */
export const ALWAYS_SINCE = -2147483648;
export const NEVER_UNTIL = 2147483647;

export function dayNumber(day: string): number {
  return Math.round(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000);
}

export function groupMask(groups: readonly string[]): number {
  let mask = 0;
  for (const g of groups) mask |= GROUP_BIT[g as TargetGroup] ?? 0;
  return mask;
}

/** Code-unit order (slugs and ids are ASCII, where it is code-point order). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Unicode code-point order, as PostgreSQL's "C" collation compares UTF-8 text: the same on PGlite
 * and PostgreSQL whatever their locale. JavaScript's `<` compares UTF-16 units, which differs only
 * between a surrogate pair (U+10000 and above) and U+E000..U+FFFF.
 */
export function byCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** A service with its eligibility as numbers, for the walks (src/graph/walk.ts). */
export interface ServiceFacts {
  readonly category: number;
  readonly groups: number;
  readonly minAge: number;
  readonly maxAge: number;
}
