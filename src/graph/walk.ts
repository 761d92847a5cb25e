import { ServiceCategory, TargetGroup } from "../common/vocabulary";
import { CATEGORY_INDEX, dayNumber, GraphSnapshot, GROUP_BIT, STATUS_CODE } from "./snapshot";

/** Who walks and when, reduced to numbers once per question. */
export interface WalkRule {
  /** The profile's group bit, 0 when the profile names none. */
  groupBit: number;
  /** The profile's age, -1 when it gives none. */
  age: number;
  /** asOf as a day number, or null: then status decides. */
  asOfDay: number | null;
}

export interface WalkOptions {
  profile?: { targetGroup?: TargetGroup | null; age?: number | null } | null;
  /** YYYY-MM-DD */
  asOf?: string | null;
}

export function walkRule(options: WalkOptions = {}): WalkRule {
  return {
    groupBit: options.profile?.targetGroup ? GROUP_BIT[options.profile.targetGroup] : 0,
    age: options.profile?.age ?? -1,
    asOfDay: options.asOf ? dayNumber(options.asOf) : null,
  };
}

function admitted(groups: number, minAge: number, maxAge: number, rule: WalkRule): boolean {
  if (rule.groupBit !== 0 && groups !== 0 && (groups & rule.groupBit) === 0) return false;
  return rule.age < 0 || (minAge <= rule.age && rule.age <= maxAge);
}

const ENDED = STATUS_CODE.ENDED;

/**
 * API.md: a referral can be walked when it is ACTIVE or PILOT; with asOf, when since <= asOf
 * <= until (status ignored, null since = always); and it must admit the profile.
 */
export function canWalk(s: GraphSnapshot, r: number, rule: WalkRule): boolean {
  if (rule.asOfDay === null) {
    if (s.referralStatus[r] === ENDED) return false;
  } else if (s.referralSince[r] > rule.asOfDay || rule.asOfDay > s.referralUntil[r]) {
    return false;
  }
  return admitted(s.referralGroups[r], s.referralMinAge[r], s.referralMaxAge[r], rule);
}

/** Does organization `o` offer a service of `category` whose eligibility admits the profile? */
export function offers(s: GraphSnapshot, o: number, category: ServiceCategory, rule: WalkRule): boolean {
  const c = CATEGORY_INDEX[category];
  for (let i = s.serviceStart[o]; i < s.serviceStart[o + 1]; i++) {
    if (s.serviceCategory[i] === c && admitted(s.serviceGroups[i], s.serviceMinAge[i], s.serviceMaxAge[i], rule)) return true;
  }
  return false;
}
