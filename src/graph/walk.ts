import { ServiceCategory, TargetGroup } from "../domain/vocabulary";
import { today } from "../referrals/referral.rules";
import { CATEGORY_INDEX, dayNumber, GROUP_BIT } from "../model/encoding";
import { ReadModel } from "../model/model";
import { BLOCK_BITS, BLOCK_MASK } from "../model/referral-blocks";

/** Who walks and when, reduced to numbers once per question. */
export interface WalkRule {
  /** The profile's group bit, 0 when the profile names none. */
  groupBit: number;
  /** The profile's age, -1 when it gives none. */
  age: number;
  /** The day walked on, YYYY-MM-DD: asOf, or today (UTC) when the question gives none. Caches key by it. */
  day: string;
  /** `day` as a day number (src/model/encoding.ts), compared with the referrals' since/until arrays. */
  dayNumber: number;
}

export interface WalkOptions {
  profile?: { targetGroup?: TargetGroup | null; age?: number | null } | null;
  /** YYYY-MM-DD */
  asOf?: string | null;
}

/** `now` decides "today" for a question without asOf (tests pass their own). */
export function walkRule(options: WalkOptions = {}, now: Date = new Date()): WalkRule {
  const day = options.asOf || today(now);
  return {
    groupBit: options.profile?.targetGroup ? GROUP_BIT[options.profile.targetGroup] : 0,
    age: options.profile?.age ?? -1,
    day,
    dayNumber: dayNumber(day),
  };
}

/** Whether eligibility as numbers (src/model/encoding.ts) admits the rule's profile. */
export function admitted(groups: number, minAge: number, maxAge: number, rule: WalkRule): boolean {
  if (rule.groupBit !== 0 && groups !== 0 && (groups & rule.groupBit) === 0) return false;
  return rule.age < 0 || (minAge <= rule.age && rule.age <= maxAge);
}

/**
 * A referral can be walked on the rule's day when it admits the profile and walkableOn
 * (src/referrals/referral.rules.ts) holds: since <= day <= until, null ends open. The status is
 * a label and decides nothing. Day numbers stand for the YYYY-MM-DD comparison (null since and
 * until are stored as numbers no day reaches); test/graph/algorithms.test.ts holds the two equal.
 */
export function canWalk(s: ReadModel, r: number, rule: WalkRule): boolean {
  const block = s.referralBlocks[r >>> BLOCK_BITS];
  const i = r & BLOCK_MASK;
  if (block.since[i] > rule.dayNumber || rule.dayNumber > block.until[i]) return false;
  return admitted(block.groups[i], block.minAge[i], block.maxAge[i], rule);
}

/** Does organization `o` offer a service of `category` whose eligibility admits the profile? */
export function offers(s: ReadModel, o: number, category: ServiceCategory, rule: WalkRule): boolean {
  const c = CATEGORY_INDEX[category];
  for (const service of s.serviceFacts[o] ?? []) {
    if (service.category === c && admitted(service.groups, service.minAge, service.maxAge, rule)) return true;
  }
  return false;
}
