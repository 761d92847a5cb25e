import { Field, InputType, Int, ObjectType } from "type-graphql";
import { TargetGroup } from "./vocabulary";
import { Faults, InputError } from "../errors";
import { AGE } from "../api/ranges";

export const MIN_AGE = AGE.min;
export const MAX_AGE = AGE.max;

@ObjectType({ simpleResolvers: true, description: "Who may use a service or go through a referral." })
export class Eligibility {
  @Field(() => [TargetGroup], { description: "Empty admits every group." })
  targetGroups: TargetGroup[];

  @Field(() => Int, { nullable: true, description: "Youngest age admitted, included; null is no bound." })
  minAge: number | null;

  @Field(() => Int, { nullable: true, description: "Oldest age admitted, included; null is no bound." })
  maxAge: number | null;
}

@InputType()
export class EligibilityInput {
  @Field(() => [TargetGroup], { nullable: true, description: "Empty or absent admits every group." })
  targetGroups?: TargetGroup[] | null;

  @Field(() => Int, { nullable: true })
  minAge?: number | null;

  @Field(() => Int, { nullable: true })
  maxAge?: number | null;
}

@InputType({ description: "The person a question is about, described only by group and age." })
export class ProfileInput {
  @Field(() => TargetGroup, { nullable: true })
  targetGroup?: TargetGroup | null;

  @Field(() => Int, { nullable: true })
  age?: number | null;
}

/** The stored columns of an eligibility (services and referrals share them). */
export interface EligibilityColumns {
  targetGroups: TargetGroup[];
  minAge: number | null;
  maxAge: number | null;
}

export function toEligibility(row: Readonly<Omit<EligibilityColumns, "targetGroups">> & { targetGroups: readonly TargetGroup[] }): Eligibility {
  return { targetGroups: row.targetGroups as TargetGroup[], minAge: row.minAge, maxAge: row.maxAge };
}

function checkAge(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < MIN_AGE || value > MAX_AGE) {
    throw new InputError(field, `must be a whole number of years from ${MIN_AGE} to ${MAX_AGE}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Validates an eligibility input and returns its stored form (groups sorted, without repeats).
 * Imported files are not checked by GraphQL's types: their shape and words are checked here too.
 * One InputError lists every wrong part at once (a bad group, a bad minAge and a bad maxAge).
 */
export function eligibilityColumns(input: EligibilityInput | null | undefined, field: string): EligibilityColumns {
  if (input !== null && input !== undefined && (typeof input !== "object" || Array.isArray(input))) {
    throw new InputError(field, `must be a JSON object, got ${JSON.stringify(input)}`);
  }
  const faults = new Faults();
  const groups: unknown = input?.targetGroups;
  if (groups !== null && groups !== undefined && !Array.isArray(groups)) faults.add(`${field}.targetGroups`, "must be a list");
  const allowed: unknown[] = Object.values(TargetGroup);
  for (const [i, group] of (Array.isArray(groups) ? (groups as unknown[]) : []).entries()) {
    if (!allowed.includes(group)) faults.add(`${field}.targetGroups[${i}]`, `must be one of ${allowed.join(", ")}; got ${JSON.stringify(group ?? null)}`);
  }
  const minAge = faults.check(() => checkAge(input?.minAge, `${field}.minAge`)) ?? null;
  const maxAge = faults.check(() => checkAge(input?.maxAge, `${field}.maxAge`)) ?? null;
  if (minAge !== null && maxAge !== null && minAge > maxAge) {
    faults.add(`${field}.minAge`, `must not be greater than the maximum age (${minAge} > ${maxAge})`);
  }
  faults.throwIfAny();
  const targetGroups = [...new Set(input?.targetGroups ?? [])].sort();
  return { targetGroups, minAge, maxAge };
}

export function checkProfile(profile: ProfileInput | null | undefined, field = "profile"): ProfileInput | undefined {
  if (!profile) return undefined;
  checkAge(profile.age, `${field}.age`);
  return profile;
}

/** The contract's rule: does this eligibility admit this profile? */
export function admits(eligibility: Readonly<Omit<EligibilityColumns, "targetGroups">> & { targetGroups: readonly TargetGroup[] }, profile: ProfileInput | undefined): boolean {
  if (!profile) return true;
  const group = profile.targetGroup;
  if (group && eligibility.targetGroups.length > 0 && !eligibility.targetGroups.includes(group)) return false;
  const age = profile.age;
  if (age !== null && age !== undefined) {
    if (eligibility.minAge !== null && age < eligibility.minAge) return false;
    if (eligibility.maxAge !== null && age > eligibility.maxAge) return false;
  }
  return true;
}

/**
 * The same rule as SQL over a row with target_groups, min_age and max_age columns.
 * Returns a condition with named parameters, or null when the profile says nothing.
 */
export function admitsSql(
  alias: string,
  profile: ProfileInput | undefined,
  prefix: string,
): { sql: string; params: Record<string, unknown> } | null {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (profile?.targetGroup) {
    parts.push(`(cardinality(${alias}.target_groups) = 0 OR :${prefix}Group = ANY(${alias}.target_groups))`);
    params[`${prefix}Group`] = profile.targetGroup;
  }
  if (profile?.age !== null && profile?.age !== undefined) {
    parts.push(
      `(${alias}.min_age IS NULL OR ${alias}.min_age <= :${prefix}Age) AND (${alias}.max_age IS NULL OR ${alias}.max_age >= :${prefix}Age)`,
    );
    params[`${prefix}Age`] = profile.age;
  }
  return parts.length ? { sql: parts.join(" AND "), params } : null;
}
