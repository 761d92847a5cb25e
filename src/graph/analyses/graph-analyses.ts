import { Faults, InputError, NotFoundError } from "../../errors";
import { checkProfile, ProfileInput } from "../../domain/eligibility";
import { ServiceCategory, TargetGroup } from "../../domain/vocabulary";
import { agesFaults, HOPS, inRange, PAGE_SIZE } from "../../api/ranges";
import { ReadModel } from "../../model/model";
import { ReadModels } from "../../model/read-models";
import { byCodeUnits } from "../../model/encoding";
import { today } from "../../referrals/referral.rules";
import { Computations } from "../computations";
import { organizationOf, regionIdOf } from "../arguments";
import { ageCliffs, coverage, profileChange } from "./coverage";
import { closureImpact, criticalOrganizationsInSlices } from "./closure";
import { networkChanges, networkSummary } from "./summary";
import { communities } from "./communities";
import type { Profile } from "./types";

// The analyses of docs/api.md ("Analyses"): each question's arguments checked (an unknown region
// or organization is NOT_FOUND, a value out of its range BAD_USER_INPUT naming it), then answered
// by the pure functions of this folder on the request's read model, once per model version and
// question (src/graph/computations.ts).

const CATEGORIES = (Object.values(ServiceCategory) as ServiceCategory[]).sort(byCodeUnits);

/** Given words, without repeats, by name; all of them when none is given. */
function byName<T extends string>(given: readonly T[] | null | undefined, all: readonly T[]): T[] {
  return given && given.length > 0 ? [...new Set(given)].sort(byCodeUnits) : [...all];
}

export interface AnalysisScope {
  region?: string | null;
  profile?: ProfileInput | null;
  asOf?: string | null;
}

export interface FromArgs {
  from?: string | null;
  maxHops?: number | null;
}

export class GraphAnalyses {
  constructor(
    private readonly models: ReadModels,
    private readonly computations: Computations,
  ) {}

  private async model(given: ReadModel | undefined): Promise<ReadModel> {
    return given ?? (await this.models.current());
  }

  /** from and maxHops checked: from an organization, maxHops 1..8 or absent (unbounded). */
  private reach(s: ReadModel, args: FromArgs): { from?: number; maxHops?: number } {
    const maxHops = args.maxHops === null || args.maxHops === undefined ? undefined : inRange(args.maxHops, HOPS, "maxHops");
    return { from: args.from === null || args.from === undefined ? undefined : organizationOf(s, args.from, "from"), maxHops };
  }

  /** The key of a question: the model's version, the day walked on, and every argument. */
  private key(name: string, s: ReadModel, day: string, args: unknown): string {
    return `${name}|${s.version}|${day}|${JSON.stringify(args)}`;
  }

  async coverage(
    args: AnalysisScope & FromArgs & { region: string; categories?: ServiceCategory[] | null; targetGroups?: TargetGroup[] | null; ages?: number[] | null },
    model?: ReadModel,
  ) {
    const s = await this.model(model);
    const regionId = regionIdOf(s, args.region)!;
    const reach = this.reach(s, args);
    const ages = args.ages && args.ages.length > 0 ? checkAges(args.ages) : [null];
    const day = args.asOf || today();
    const q = {
      regionId,
      categories: byName(args.categories, CATEGORIES),
      targetGroups: args.targetGroups && args.targetGroups.length > 0 ? byName(args.targetGroups, []) : [null],
      ages,
      ...reach,
      asOf: day,
    };
    const cells = await this.computations.get(this.key("coverage", s, day, q), () => coverage(s, q));
    return { day, cells: cells.map((c) => ({ ...c, providerCount: c.providers.length, providers: c.providers.map((o) => s.organizations[o]!) })) };
  }

  async ageCliffs(args: FromArgs & { region: string; targetGroup?: TargetGroup | null; categories?: ServiceCategory[] | null; asOf?: string | null }, model?: ReadModel) {
    const s = await this.model(model);
    const q = { regionId: regionIdOf(s, args.region)!, targetGroup: args.targetGroup ?? null, categories: byName(args.categories, CATEGORIES), ...this.reach(s, args), asOf: args.asOf || today() };
    const cliffs = await this.computations.get(this.key("ageCliffs", s, q.asOf, q), () => ageCliffs(s, q));
    return { day: q.asOf, cliffs: cliffs.map((c) => ({ ...c, lost: c.lost.map((o) => s.organizations[o]!) })) };
  }

  async profileChange(args: FromArgs & { region: string; before: ProfileInput; after: ProfileInput; asOf?: string | null }, model?: ReadModel) {
    const s = await this.model(model);
    const faults = new Faults();
    const before = faults.check(() => checkProfile(args.before, "before") ?? {});
    const after = faults.check(() => checkProfile(args.after, "after") ?? {});
    faults.throwIfAny();
    const q = {
      regionId: regionIdOf(s, args.region)!,
      before: profile(before!),
      after: profile(after!),
      categories: CATEGORIES,
      ...this.reach(s, args),
      asOf: args.asOf || today(),
    };
    const changes = await this.computations.get(this.key("profileChange", s, q.asOf, q), () => profileChange(s, q));
    return { day: q.asOf, changes: changes.map((c) => ({ ...c, lost: c.lost.map((o) => s.organizations[o]!), gained: c.gained.map((o) => s.organizations[o]!) })) };
  }

  async closureImpact(args: AnalysisScope & { organizations: string[]; referrals?: string[] | null; maxHops?: number | null }, model?: ReadModel) {
    const s = await this.model(model);
    const organizations = args.organizations.map((ref, i) => organizationOf(s, ref, `organizations[${i}]`));
    const referrals = (args.referrals ?? []).map((id, i) => {
      const r = s.referralNumber(id);
      if (r === undefined) throw new NotFoundError("referral", id, `referrals[${i}]`);
      return r;
    });
    const regionId = regionIdOf(s, args.region);
    const q = {
      regionId,
      profile: profile(checkProfile(args.profile) ?? {}),
      asOf: args.asOf || today(),
      organizations: [...new Set(organizations)].sort((a, b) => a - b),
      referrals: [...new Set(referrals)].sort((a, b) => a - b),
      categories: CATEGORIES,
      maxHops: args.maxHops === null || args.maxHops === undefined ? undefined : inRange(args.maxHops, HOPS, "maxHops"),
    };
    const impact = await this.computations.get(this.key("closureImpact", s, q.asOf, q), () => closureImpact(s, q));
    return {
      day: q.asOf,
      impact: {
        referralsLost: impact.referralsLost.map((r) => s.referralEdge(r)!),
        coverageLost: impact.coverageLost,
        routesLost: impact.routesLost.map((route) => ({ ...route, from: s.organizations[route.from]! })),
        isolated: impact.isolated.map((o) => s.organizations[o]!),
      },
    };
  }

  async criticalOrganizations(args: AnalysisScope & { region: string; first?: number | null }, model?: ReadModel) {
    const s = await this.model(model);
    const q = {
      regionId: regionIdOf(s, args.region)!,
      profile: profile(checkProfile(args.profile) ?? {}),
      asOf: args.asOf || today(),
      categories: CATEGORIES,
      first: inRange(args.first, PAGE_SIZE, "first"),
    };
    // Every route of the region, whatever `first`: computed once, cut per question.
    const all = await this.computations.get(this.key("criticalOrganizations", s, q.asOf, { ...q, first: undefined }), () => criticalOrganizationsInSlices(s, { ...q, first: Infinity }), {
      what: "critical organizations",
      fields: { version: s.version, region: args.region },
    });
    return { day: q.asOf, rows: all.slice(0, q.first).map((row) => ({ organization: s.organizations[row.organization]!, routesCarried: row.routesCarried })) };
  }

  async networkSummary(args: AnalysisScope, model?: ReadModel) {
    const s = await this.model(model);
    const q = { regionId: regionIdOf(s, args.region), profile: profile(checkProfile(args.profile) ?? {}), asOf: args.asOf || today() };
    const summary = await this.computations.get(this.key("networkSummary", s, q.asOf, q), () => networkSummary(s, q));
    return { day: q.asOf, summary: organizationsOf(s, summary) };
  }

  async networkChanges(args: { region?: string | null; since: string; until: string; profile?: ProfileInput | null }, model?: ReadModel) {
    const s = await this.model(model);
    if (args.until < args.since) throw new InputError("until", `must be on or after since (${args.since}), got ${args.until}`);
    const q = { regionId: regionIdOf(s, args.region), profile: profile(checkProfile(args.profile) ?? {}), since: args.since, until: args.until };
    const changes = await this.computations.get(this.key("networkChanges", s, "", q), () => networkChanges(s, q));
    return {
      opened: changes.opened.map((r) => s.referralEdge(r)!),
      closed: changes.closed.map((r) => s.referralEdge(r)!),
      before: organizationsOf(s, changes.before),
      after: organizationsOf(s, changes.after),
    };
  }

  async communities(args: AnalysisScope, model?: ReadModel) {
    const s = await this.model(model);
    const q = { regionId: regionIdOf(s, args.region), profile: profile(checkProfile(args.profile) ?? {}), asOf: args.asOf || today() };
    const groups = await this.computations.get(this.key("communities", s, q.asOf, q), () => communities(s, q), { what: "communities", fields: { version: s.version, region: args.region ?? null } });
    return {
      day: q.asOf,
      communities: groups.map((c, i) => ({
        number: i + 1,
        organizations: c.organizations.map((o) => s.organizations[o]!),
        referrals: c.referrals.map((r) => s.referralEdge(r)!),
      })),
    };
  }
}

/** A profile as the analyses take it: each part null when not given. */
const profile = (p: ProfileInput): Profile => ({ targetGroup: p.targetGroup ?? null, age: p.age ?? null });

/** Ages of coverage, checked (api/ranges.ts), as given: the cells come in their order. */
function checkAges(ages: readonly number[]): number[] {
  const faults = new Faults();
  agesFaults(ages, faults);
  faults.throwIfAny();
  return [...ages];
}

function organizationsOf<T extends { isolated: number[]; brokers: number[] }>(s: ReadModel, summary: T) {
  return { ...summary, isolated: summary.isolated.map((o) => s.organizations[o]!), brokers: summary.brokers.map((o) => s.organizations[o]!) };
}
