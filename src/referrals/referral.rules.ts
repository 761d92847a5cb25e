import { FieldFault } from "../errors";
import { ReferralStatus } from "../domain/vocabulary";

// The rules of a referral's period, in one place: createReferral, updateReferral, endReferral,
// the import (JSON and CSV) and the graph all call these. Days are YYYY-MM-DD strings, which
// compare as text in calendar order.

/** A referral's dates and status, as stored or as a write would leave them. */
export interface ReferralPeriod {
  status: ReferralStatus | string;
  /** null: "always has been". */
  since: string | null;
  /** null: open-ended. */
  until: string | null;
}

/** Today, the UTC day, as YYYY-MM-DD: the day a question without `asOf` is asked for. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * docs/api.md: a referral can be walked on day D when (since is null or since <= D) and (until is
 * null or D <= until). The status is a label; the dates decide.
 */
export function walkableOn(period: Pick<ReferralPeriod, "since" | "until">, day: string): boolean {
  return (period.since === null || period.since <= day) && (period.until === null || day <= period.until);
}

/**
 * What is wrong with a period, every fault at once (empty when nothing is): `until` before
 * `since`, or ENDED without `until` ("ended on until": an end needs its day).
 * `fields` names the fields as the caller's input calls them.
 */
export function periodFaults(
  period: ReferralPeriod,
  fields: { status: string; until: string } = { status: "status", until: "until" },
): FieldFault[] {
  const faults: FieldFault[] = [];
  const order = untilBeforeSince(period, fields.until);
  if (order) faults.push(order);
  if (period.status === ReferralStatus.ENDED && period.until === null) {
    faults.push({ field: fields.until, reason: "must be given when the status is ENDED: the day the referral ended (or use endReferral)" });
  }
  return faults;
}

/** `until` before `since`: a fault that the dates alone show, told with the record's other faults. */
export function untilBeforeSince(period: Pick<ReferralPeriod, "since" | "until">, field = "until"): FieldFault | undefined {
  if (period.since === null || period.until === null || period.until >= period.since) return undefined;
  return { field, reason: `must not be before since (${period.until} < ${period.since})` };
}

/**
 * A channel is confirmed on a day that has come: verifiedOn is at most today where the day is
 * furthest on (UTC+14), so that no coordinator's today is refused, whatever their time zone.
 */
export function verifiedOnFault(verifiedOn: string | null, field = "verifiedOn", now: Date = new Date()): FieldFault | undefined {
  const latest = today(new Date(now.getTime() + 14 * 3600_000));
  return verifiedOn !== null && verifiedOn > latest ? { field, reason: `must not be a day to come (${verifiedOn} > ${latest}): the day the channel was last confirmed` } : undefined;
}

/** A referral whose two ends are named alike goes nowhere (other spellings of one end are found once they are looked up). */
export function selfReferralFault(from: string, to: string, field: string, fromField: string): FieldFault | undefined {
  return from.trim() === to.trim() ? { field, reason: `a referral must go to another organization than ${fromField}` } : undefined;
}

/** Do two periods share at least one day? Open ends reach forever. */
export function periodsOverlap(a: Pick<ReferralPeriod, "since" | "until">, b: Pick<ReferralPeriod, "since" | "until">): boolean {
  return (a.since === null || b.until === null || a.since <= b.until) && (a.until === null || b.since === null || a.until >= b.since);
}

/**
 * periodsOverlap in SQL, for a stored referral `alias` and a period given as two date parameters
 * (e.g. "$3", or ":since" for TypeORM): the writes' overlap check runs it in the database.
 * test/rules/rules-sql.test.ts holds the two to the same answers on random periods.
 */
export function periodsOverlapSql(alias: string, since: string, until: string): string {
  return `(${alias}.since IS NULL OR CAST(${until} AS date) IS NULL OR ${alias}.since <= CAST(${until} AS date))` +
    ` AND (${alias}.until IS NULL OR CAST(${since} AS date) IS NULL OR ${alias}.until >= CAST(${since} AS date))`;
}
