import { FieldFault } from "../errors";
import { byCodeUnits } from "../model/encoding";

// The rules of a partnership, in one place: createPartnership and the import both call these.

/** Fewest and most organizations a partnership links. */
export const MIN_MEMBERS = 2;
export const MAX_MEMBERS = 100;

/** What is wrong with the number of organizations a partnership would link (distinct ones), if anything. */
export function membersFault(count: number, field: string): FieldFault | undefined {
  if (count < MIN_MEMBERS) return { field, reason: `a partnership links at least ${MIN_MEMBERS} organizations` };
  if (count > MAX_MEMBERS) return { field, reason: `a partnership links at most ${MAX_MEMBERS} organizations, got ${count}` };
  return undefined;
}

/**
 * What identifies a partnership: its kind and its members' ids, in code-unit order (the ids are
 * lower-case ASCII, so the "C" collation's order). Two partnerships alike are one.
 */
export function partnershipIdentity(kind: string, memberIds: readonly string[]): string {
  return `${kind}|${[...new Set(memberIds)].sort(byCodeUnits).join(",")}`;
}

/**
 * partnershipIdentity in SQL, of a stored partnership `alias`: the writes' duplicate check
 * compares it with partnershipIdentity's text. test/rules/rules-sql.test.ts holds the two equal.
 */
export function partnershipIdentitySql(alias: string): string {
  return `${alias}.kind || '|' || coalesce((SELECT string_agg(m.organization_id::text, ',' ORDER BY m.organization_id::text COLLATE "C")
            FROM partnership_members m WHERE m.partnership_id = ${alias}.id), '')`;
}
