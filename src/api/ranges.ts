import { Faults, InputError } from "../errors";

// The documented range of each numeric argument, once: the resolvers and services check their
// arguments with these, and the cost estimator (src/http/limits.ts) checks them before it prices
// an operation (so an argument out of range is BAD_USER_INPUT naming it, never a cost refusal) and
// prices clamped values. An argument has the same range on every field that takes it.

export interface Bounds {
  min: number;
  max: number;
}

export interface ArgumentRange extends Bounds {
  /** The value when the argument is left out. */
  fallback: number;
}

/** `first` of every connection and list (organizations, referrals, ...). */
export const PAGE_SIZE: ArgumentRange = { min: 1, max: 100, fallback: 20 };
/** `maxHops` of pathways. */
export const HOPS: ArgumentRange = { min: 1, max: 8, fallback: 4 };
/** `limit` of pathways: how many are returned. */
export const PATHWAY_LIMIT: ArgumentRange = { min: 1, max: 100, fallback: 10 };
/** `maxDepth` of referralChain: 0 is the start alone. */
export const DEPTH: ArgumentRange = { min: 0, max: 8, fallback: 3 };
/** An age in years: of a profile, an eligibility's bounds, of coverage's `ages`. */
export const AGE: Bounds = { min: 0, max: 120 };
/** Most ages one coverage question may ask for (each a column of cells). */
export const COVERAGE_AGES = 20;

/** Arguments by name, as the cost estimator meets them on any field. */
export const ARGUMENT_RANGES: Readonly<Record<string, ArgumentRange>> = {
  first: PAGE_SIZE,
  maxHops: HOPS,
  limit: PATHWAY_LIMIT,
  maxDepth: DEPTH,
};

/** What to say of a value outside `range` (or not a whole number). */
export function rangeReason(range: Bounds, value: unknown, unit = ""): string {
  return `must be a whole number${unit} from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`;
}

export function isInRange(value: unknown, range: Bounds): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** The argument's value (its fallback when null or absent), or BAD_USER_INPUT naming `field`. */
export function inRange(value: number | null | undefined, range: ArgumentRange, field: string): number {
  if (value === null || value === undefined) return range.fallback;
  if (!isInRange(value, range)) throw new InputError(field, rangeReason(range, value));
  return value;
}

/** `value` moved into `range` (the fallback when it is not a number): what the cost estimator prices. */
export function clamped(value: unknown, range: ArgumentRange): number {
  if (typeof value !== "number" || Number.isNaN(value)) return range.fallback;
  return Math.min(range.max, Math.max(range.min, Math.trunc(value)));
}

/** Coverage's `ages`: each an age (AGE), at most COVERAGE_AGES of them; every fault told in `faults`. */
export function agesFaults(ages: readonly unknown[], faults: Faults): void {
  if (ages.length > COVERAGE_AGES) faults.add("ages", `holds at most ${COVERAGE_AGES} ages, got ${ages.length}`);
  ages.forEach((age, i) => {
    if (!isInRange(age, AGE)) faults.add(`ages[${i}]`, rangeReason(AGE, age, " of years"));
  });
}
