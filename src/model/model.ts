import { ALWAYS_SINCE, byCodePoints, byCodeUnits, CATEGORY_INDEX, dayNumber, groupMask, KIND_INDEX, NEVER_UNTIL, NO_MAX_AGE, NO_MIN_AGE, ServiceFacts } from "./encoding";
import { resorted } from "./resorted";
import { BLOCK_BITS, BLOCK_MASK, BlockWriter, ReferralBlock } from "./referral-blocks";
import type { ModelRows, PatchRows, OrganizationNode, PartnershipNode, PlatformNode, ReferralEdge, RegionNode, ServiceNode } from "./nodes";

// The read model: the whole network in memory, one immutable object per stored graph
// version. A request takes one and every field of its answer is read from it. After writes the next
// version is made from the previous one by `patch`: the referral blocks written into are copied
// (src/model/referral-blocks.ts) and only what the changed records touch is sorted again; no
// index is rebuilt whole. Organizations and referrals keep a number for the life of their id (the
// maps from id to number are shared by every version and only grow), so versions share nothing
// that a later patch writes into.

export interface PartnershipRecord extends PartnershipNode {
  /** Organization numbers of its members that exist in this version, ascending. */
  readonly members: readonly number[];
}

/** Numbers for ids, shared by every version of one model and only ever added to. */
class Numbering {
  readonly organizations = new Map<string, number>();
  /** Slug to the organization number that last had it; a version checks that the slug is still its. */
  readonly slugs = new Map<string, number>();
  readonly referrals = new Map<string, number>();
  organizationCount = 0;
  referralCount = 0;

  organization(id: string): number {
    let n = this.organizations.get(id);
    if (n === undefined) this.organizations.set(id, (n = this.organizationCount++));
    return n;
  }

  referral(id: string): number {
    let n = this.referrals.get(id);
    if (n === undefined) this.referrals.set(id, (n = this.referralCount++));
    return n;
  }
}

/** The ids of what a run of writes touched; those not in the fresh rows are gone. */
export interface Touched {
  organizations: readonly string[];
  referrals: readonly string[];
  partnerships: readonly string[];
  /** Whether a region or a platform (with its members and meetings) was written: they are then read again whole. */
  regionsOrPlatforms: boolean;
}

const EMPTY = new Int32Array(0);

export class ReadModel {
  /** Lazily: partnership numbers by organization number. */
  private partnershipIndex: Map<number, number[]> | undefined;
  private kindIndex: Uint8Array | undefined;
  private readonly regionSlugOrder = new Map<string, Int32Array>();
  /** Lazily, per organization number: its referrals each way in creation order (the nested lists). */
  private readonly listed = { out: new Map<number, readonly ReferralEdge[]>(), into: new Map<number, readonly ReferralEdge[]>() };

  private constructor(
    readonly version: number,
    /** When this version was made (the day exports are stamped with). */
    readonly builtAt: Date,
    private readonly numbering: Numbering,
    /** By organization number; undefined where the organization does not exist in this version. */
    readonly organizations: readonly (OrganizationNode | undefined)[],
    /** The services of organization i as numbers, in the order of its `services`. */
    readonly serviceFacts: readonly (readonly ServiceFacts[] | undefined)[],
    /** Organization numbers in slug order. */
    readonly bySlug: Int32Array,
    /** Organization numbers by name, then id, in code-point order: the order of `organizations`. */
    readonly byName: Int32Array,
    /** Per region id, its organization numbers by name, then id. */
    readonly byRegion: ReadonlyMap<string, Int32Array>,
    /** Referral numbers leaving / entering organization i, by the other end's slug, then referral id. */
    readonly out: readonly Int32Array[],
    readonly into: readonly Int32Array[],
    /** By referral number, BLOCK_SIZE to a block (src/model/referral-blocks.ts): records, ends, eligibility, dates. */
    readonly referralBlocks: readonly ReferralBlock[],
    /** Referral numbers by id: the order of `referrals`. */
    readonly referralsById: Int32Array,
    /** By id. */
    readonly partnerships: readonly PartnershipRecord[],
    /** By name, then id. */
    readonly regions: readonly RegionNode[],
    /** By name, then id. */
    readonly platforms: readonly PlatformNode[],
  ) {}

  /** A model with nothing in it, for `patch` to fill. */
  static empty(): ReadModel {
    const none = new Int32Array(0);
    return new ReadModel(0, new Date(), new Numbering(), [], [], none, none, new Map(), [], [], [], none, [], [], []);
  }

  /** Every row read at once: the first load, or after writes too many to patch. */
  static build(version: number, rows: ModelRows, previous: ReadModel = ReadModel.empty()): ReadModel {
    const touched: Touched = {
      organizations: [...previous.liveOrganizations().map((o) => o.id), ...rows.organizations.map((o) => o.id)],
      referrals: [...Array.from(previous.referralsById, (r) => previous.referralEdge(r)!.id), ...rows.referrals.map((r) => r.id)],
      partnerships: [...previous.partnerships.map((p) => p.id), ...rows.partnerships.map((p) => p.id)],
      regionsOrPlatforms: true,
    };
    return previous.patch(version, rows, touched);
  }

  get organizationCount(): number {
    return this.byName.length;
  }

  get referralCount(): number {
    return this.referralsById.length;
  }

  /** The organizations of this version, by name. */
  liveOrganizations(): OrganizationNode[] {
    return Array.from(this.byName, (n) => this.organizations[n]!);
  }

  /** The number of an organization named by id or slug, or undefined. */
  organizationNumber(ref: string): number | undefined {
    const byId = this.numbering.organizations.get(ref);
    if (byId !== undefined && this.organizations[byId]) return byId;
    const bySlug = this.numbering.slugs.get(ref);
    if (bySlug === undefined) return undefined;
    if (this.organizations[bySlug]?.slug === ref) return bySlug;
    // The slug moved to another organization after this version was made: look it up here.
    return this.bySlug.find((n) => this.organizations[n]!.slug === ref);
  }

  organization(ref: string): OrganizationNode | undefined {
    const n = this.organizationNumber(ref);
    return n === undefined ? undefined : this.organizations[n];
  }

  referralNumber(id: string): number | undefined {
    const n = this.numbering.referrals.get(id);
    return n !== undefined && this.referralEdge(n) ? n : undefined;
  }

  referral(id: string): ReferralEdge | undefined {
    const n = this.referralNumber(id);
    return n === undefined ? undefined : this.referralEdge(n);
  }

  /** Referral number `r`'s record, or undefined where it does not exist in this version. */
  referralEdge(r: number): ReferralEdge | undefined {
    return this.referralBlocks[r >>> BLOCK_BITS]?.edges[r & BLOCK_MASK];
  }

  /** The organization number referral `r` (which exists in this version) leaves. */
  referralFrom(r: number): number {
    return this.referralBlocks[r >>> BLOCK_BITS].from[r & BLOCK_MASK];
  }

  /** The organization number referral `r` (which exists in this version) enters. */
  referralTo(r: number): number {
    return this.referralBlocks[r >>> BLOCK_BITS].to[r & BLOCK_MASK];
  }

  partnership(id: string): PartnershipRecord | undefined {
    let low = 0;
    let high = this.partnerships.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.partnerships[middle].id < id) low = middle + 1;
      else high = middle;
    }
    return this.partnerships[low]?.id === id ? this.partnerships[low] : undefined;
  }

  region(slug: string): RegionNode | undefined {
    return this.regions.find((r) => r.slug === slug);
  }

  regionById(id: string): RegionNode | undefined {
    return this.regions.find((r) => r.id === id);
  }

  /** Organization `n`'s referrals one way, in creation order (then id): computed once per version. */
  referralsOf(n: number, direction: "out" | "into"): readonly ReferralEdge[] {
    const cache = this.listed[direction];
    let list = cache.get(n);
    if (list === undefined) {
      list = Array.from(this[direction][n] ?? EMPTY, (r) => this.referralEdge(r)!).sort((a, b) => a.createdMicros - b.createdMicros || byCodeUnits(a.id, b.id));
      cache.set(n, list);
    }
    return list;
  }

  /**
   * Each organization number's kind, as KIND_INDEX gives it (255: none): computed once per version.
   * A list filtered by kind scans hundreds of organizations per page; a byte each is read many
   * times faster than each record's field.
   */
  get kinds(): Uint8Array {
    if (!this.kindIndex) {
      this.kindIndex = new Uint8Array(this.organizations.length).fill(255);
      this.organizations.forEach((o, n) => {
        if (o) this.kindIndex![n] = KIND_INDEX[o.kind];
      });
    }
    return this.kindIndex;
  }

  /** A region's organization numbers in slug order: computed once per version and region. */
  regionBySlug(regionId: string): Int32Array {
    let members = this.regionSlugOrder.get(regionId);
    if (members === undefined) {
      const of = this.byRegion.get(regionId) ?? EMPTY;
      members = Int32Array.from(of).sort((a, b) => byCodeUnits(this.organizations[a]!.slug, this.organizations[b]!.slug));
      this.regionSlugOrder.set(regionId, members);
    }
    return members;
  }

  /** Partnership numbers organization `n` belongs to, by partnership id. */
  partnershipsOf(n: number): readonly number[] {
    if (!this.partnershipIndex) {
      const index = new Map<number, number[]>();
      this.partnerships.forEach((p, i) => {
        for (const m of p.members) (index.get(m) ?? index.set(m, []).get(m)!).push(i);
      });
      this.partnershipIndex = index;
    }
    return this.partnershipIndex.get(n) ?? [];
  }

  /**
   * The next version: these rows are the stored state of the touched ids (a touched id without a
   * row is gone); regions and platforms are given whole when one was touched, else kept. Costs the flat arrays' copies plus
   * what the touched records reach: their ends' adjacency lists, the sorted lists they enter or leave.
   */
  patch(version: number, rows: PatchRows, touched: Touched): ReadModel {
    const numbering = this.numbering;
    const organizations = this.organizations.slice();
    const serviceFacts = this.serviceFacts.slice();
    const servicesOf = new Map<string, ServiceNode[]>();
    for (const s of rows.services) (servicesOf.get(s.organizationId) ?? servicesOf.set(s.organizationId, []).get(s.organizationId)!).push(s);
    const freshOrganizations = new Map(rows.organizations.map((o) => [o.id, o]));

    // 1. Organizations: which numbers changed, and which of them moved in slug order, in name
    // order (the name, or whether it exists) or between regions: only those are put back in place.
    const changedOrganizations = new Set<number>();
    const movedSlugs = new Set<number>();
    const movedNames = new Set<number>();
    const regionsTouched = new Set<string>();
    const goneOrganizations = new Set<number>();
    for (const id of touched.organizations) {
      const fresh = freshOrganizations.get(id);
      const known = numbering.organizations.get(id);
      if (!fresh && known === undefined) continue;
      const n = known ?? numbering.organization(id);
      if (changedOrganizations.has(n)) continue;
      changedOrganizations.add(n);
      const before = this.organizations[n];
      if (!fresh) {
        organizations[n] = undefined;
        serviceFacts[n] = undefined;
        if (before) goneOrganizations.add(n), movedSlugs.add(n), movedNames.add(n);
        if (before?.regionId) regionsTouched.add(before.regionId);
        continue;
      }
      const services = (servicesOf.get(id) ?? []).sort((a, b) => a.position - b.position || byCodeUnits(a.id, b.id));
      const node: OrganizationNode = Object.freeze({ ...fresh, services: Object.freeze(services.map((s) => Object.freeze(s))) });
      organizations[n] = node;
      serviceFacts[n] = services.map((s) => ({
        category: CATEGORY_INDEX[s.category],
        groups: groupMask(s.targetGroups),
        minAge: s.minAge ?? NO_MIN_AGE,
        maxAge: s.maxAge ?? NO_MAX_AGE,
      }));
      if (before?.name !== node.name || before.regionId !== node.regionId) {
        movedNames.add(n);
        if (before?.regionId) regionsTouched.add(before.regionId);
        if (node.regionId) regionsTouched.add(node.regionId);
      }
      if (before?.slug !== node.slug) {
        movedSlugs.add(n);
        numbering.slugs.set(node.slug, n);
      }
    }
    const bySlug = resorted(this.bySlug, movedSlugs, (n) => organizations[n] !== undefined, (a, b) => byCodeUnits(organizations[a]!.slug, organizations[b]!.slug));
    const byNameOrder = (a: number, b: number) => byCodePoints(organizations[a]!.name, organizations[b]!.name) || byCodeUnits(organizations[a]!.id, organizations[b]!.id);
    const byName = resorted(this.byName, movedNames, (n) => organizations[n] !== undefined, byNameOrder);
    const byRegion = new Map(this.byRegion);
    for (const regionId of regionsTouched) {
      const members = resorted(this.byRegion.get(regionId) ?? EMPTY, movedNames, (n) => organizations[n]?.regionId === regionId, byNameOrder);
      if (members.length) byRegion.set(regionId, members);
      else byRegion.delete(regionId);
    }

    // 2. Referrals: the blocks written into copied (src/model/referral-blocks.ts), the touched ones written in.
    const freshReferrals = new Map(rows.referrals.map((r) => [r.id, r]));
    const touchedReferralIds = new Set(touched.referrals);
    // A gone organization's referrals go with it (the database cascades, or refused the delete).
    for (const n of goneOrganizations) {
      for (const r of this.out[n] ?? EMPTY) touchedReferralIds.add(this.referralEdge(r)!.id);
      for (const r of this.into[n] ?? EMPTY) touchedReferralIds.add(this.referralEdge(r)!.id);
    }
    // Nothing of the referrals touched (most writes are to organizations): the blocks are shared
    // with the previous version, which never changes them.
    const writer = touchedReferralIds.size ? new BlockWriter(this.referralBlocks) : undefined;
    const blocks = writer?.current ?? this.referralBlocks;
    const edgeOf = (r: number) => blocks[r >>> BLOCK_BITS]?.edges[r & BLOCK_MASK];
    const fromOf = (r: number) => blocks[r >>> BLOCK_BITS].from[r & BLOCK_MASK];
    const toOf = (r: number) => blocks[r >>> BLOCK_BITS].to[r & BLOCK_MASK];
    const changedReferrals = new Set<number>();
    // Those that appeared or went: the only ones that move in id order (an id never changes).
    const bornOrGone = new Set<number>();
    const endsTouched = new Set<number>();
    for (const id of touchedReferralIds) {
      const fresh = freshReferrals.get(id);
      const known = numbering.referrals.get(id);
      if (!fresh && known === undefined) continue;
      const r = known ?? numbering.referral(id);
      changedReferrals.add(r);
      const before = this.referralEdge(r);
      if (before) endsTouched.add(this.referralFrom(r)).add(this.referralTo(r));
      const from = fresh && numbering.organizations.get(fresh.fromId);
      const to = fresh && numbering.organizations.get(fresh.toId);
      const block = writer!.writable(r);
      const i = r & BLOCK_MASK;
      if (!fresh || from === undefined || to === undefined || !organizations[from] || !organizations[to]) {
        block.edges[i] = undefined;
        if (before) bornOrGone.add(r);
        continue;
      }
      if (!before) bornOrGone.add(r);
      block.edges[i] = Object.freeze(fresh);
      block.from[i] = from;
      block.to[i] = to;
      block.groups[i] = groupMask(fresh.targetGroups);
      block.minAge[i] = fresh.minAge ?? NO_MIN_AGE;
      block.maxAge[i] = fresh.maxAge ?? NO_MAX_AGE;
      block.since[i] = fresh.since ? dayNumber(fresh.since) : ALWAYS_SINCE;
      block.until[i] = fresh.until ? dayNumber(fresh.until) : NEVER_UNTIL;
      endsTouched.add(from).add(to);
    }
    const referralsById = resorted(this.referralsById, bornOrGone, (r) => edgeOf(r) !== undefined, (a, b) => byCodeUnits(edgeOf(a)!.id, edgeOf(b)!.id));

    // 3. Adjacency: the lists of the touched referrals' ends, and of the neighbours of an
    // organization whose slug moved (their lists are in slug order).
    const out = this.out.slice();
    const into = this.into.slice();
    const outsToSort = new Set<number>(endsTouched);
    const insToSort = new Set<number>(endsTouched);
    for (const n of movedSlugs) {
      for (const r of this.out[n] ?? EMPTY) insToSort.add(this.referralTo(r));
      for (const r of this.into[n] ?? EMPTY) outsToSort.add(this.referralFrom(r));
    }
    const slugOf = (n: number) => organizations[n]!.slug;
    const idOf = (r: number) => edgeOf(r)!.id;
    // The touched referrals that exist, by each end: each list looks only at its own.
    const addedOut = new Map<number, number[]>();
    const addedIn = new Map<number, number[]>();
    for (const r of changedReferrals) {
      if (!edgeOf(r)) continue;
      const from = fromOf(r);
      const to = toOf(r);
      (addedOut.get(from) ?? addedOut.set(from, []).get(from)!).push(r);
      (addedIn.get(to) ?? addedIn.set(to, []).get(to)!).push(r);
    }
    const list = (old: Int32Array | undefined, n: number, added: readonly number[] | undefined, other: (r: number) => number): Int32Array => {
      if (!organizations[n]) return EMPTY;
      const kept = Array.from(old ?? EMPTY).filter((r) => !changedReferrals.has(r));
      if (added) kept.push(...added);
      kept.sort((a, b) => byCodeUnits(slugOf(other(a)), slugOf(other(b))) || byCodeUnits(idOf(a), idOf(b)));
      return kept.length ? Int32Array.from(kept) : EMPTY;
    };
    for (const n of outsToSort) out[n] = list(this.out[n], n, addedOut.get(n), toOf);
    for (const n of insToSort) into[n] = list(this.into[n], n, addedIn.get(n), fromOf);
    for (const n of changedOrganizations) {
      if (!organizations[n]) out[n] = into[n] = EMPTY;
      else out[n] ??= EMPTY, into[n] ??= EMPTY;
    }

    // 4. Partnerships (by id), their members as numbers of this version.
    const freshPartnerships = new Map(rows.partnerships.map((p) => [p.id, p]));
    const touchedPartnerships = new Set(touched.partnerships);
    const record = (p: PartnershipNode): PartnershipRecord =>
      Object.freeze({
        ...p,
        memberIds: Object.freeze([...p.memberIds]),
        members: p.memberIds
          .map((id) => numbering.organizations.get(id))
          .filter((n): n is number => n !== undefined && organizations[n] !== undefined)
          .sort((a, b) => a - b),
      });
    const partnershipsKept = touchedPartnerships.size === 0 && goneOrganizations.size === 0;
    const partnerships = partnershipsKept
      ? this.partnerships
      : this.partnerships
          .filter((p) => !touchedPartnerships.has(p.id))
          .map((p) => (p.members.some((m) => goneOrganizations.has(m)) ? record(p) : p))
          .concat([...freshPartnerships.values()].filter((p) => touchedPartnerships.has(p.id)).map(record))
          .sort((a, b) => byCodeUnits(a.id, b.id));

    const byRegionName = <T extends { name: string; id: string }>(items: T[]) => items.sort((a, b) => byCodePoints(a.name, b.name) || byCodeUnits(a.id, b.id));
    const next = new ReadModel(
      version,
      new Date(),
      numbering,
      organizations,
      serviceFacts,
      bySlug,
      byName,
      byRegion,
      out,
      into,
      blocks,
      referralsById,
      partnerships,
      rows.regions ? byRegionName(rows.regions.map((r) => Object.freeze({ ...r }))) : this.regions,
      rows.platforms ? byRegionName(rows.platforms.map((p) => Object.freeze({ ...p }))) : this.platforms,
    );

    // 5. The indexes computed on demand, kept where nothing they hold changed: made again at every
    // version, they cost each read after a write their time and the allocator its churn.
    if (this.kindIndex && organizations.length === this.organizations.length) {
      let same = true;
      for (const n of changedOrganizations) if (organizations[n]?.kind !== this.organizations[n]?.kind) same = false;
      if (same) next.kindIndex = this.kindIndex;
    }
    const slugRegionsTouched = new Set(regionsTouched);
    for (const n of movedSlugs) {
      const before = this.organizations[n]?.regionId;
      const after = organizations[n]?.regionId;
      if (before) slugRegionsTouched.add(before);
      if (after) slugRegionsTouched.add(after);
    }
    for (const [regionId, members] of this.regionSlugOrder) if (!slugRegionsTouched.has(regionId)) next.regionSlugOrder.set(regionId, members);
    for (const [n, list] of this.listed.out) if (!outsToSort.has(n) && organizations[n]) next.listed.out.set(n, list);
    for (const [n, list] of this.listed.into) if (!insToSort.has(n) && organizations[n]) next.listed.into.set(n, list);
    if (partnershipsKept) next.partnershipIndex = this.partnershipIndex;
    return next;
  }
}
