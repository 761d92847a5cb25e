import { ReadModel } from "../../src/model/model";
import { BLOCK_BITS, BLOCK_MASK } from "../../src/model/referral-blocks";

/**
 * Everything a read model answers from, by id and in its orders, dates as text: equal when two
 * models hold the same state. It asks the indexes made on demand too (kinds, a region's slug
 * order, the nested lists, partnerships by organization), so that a patch made after a dump
 * starts from a model that holds them, and must keep only what is still true. As JSON text:
 * comparing two texts is quick, and `expectSameDump` parses them only to show a difference.
 */
export function dumpText(model: ReadModel): string {
  const slug = (n: number) => model.organizations[n]!.slug;
  const referralId = (r: number) => model.referralEdge(r)!.id;
  return JSON.stringify({
    version: model.version,
    organizations: model.liveOrganizations(),
    bySlug: Array.from(model.bySlug, slug),
    byName: Array.from(model.byName, slug),
    byRegion: Object.fromEntries([...model.byRegion].sort(([a], [b]) => (a < b ? -1 : 1)).map(([region, list]) => [region, Array.from(list, slug)])),
    regionBySlug: Object.fromEntries([...model.byRegion.keys()].sort().map((region) => [region, Array.from(model.regionBySlug(region), slug)])),
    kinds: Array.from(model.bySlug, (n) => model.kinds[n]),
    referrals: Array.from(model.referralsById, (r) => {
      const block = model.referralBlocks[r >>> BLOCK_BITS];
      const i = r & BLOCK_MASK;
      return { ...model.referralEdge(r), numbers: [slug(block.from[i]), slug(block.to[i]), block.groups[i], block.minAge[i], block.maxAge[i], block.since[i], block.until[i]] };
    }),
    adjacency: Array.from(model.bySlug, (n) => [slug(n), Array.from(model.out[n], referralId), Array.from(model.into[n], referralId), model.serviceFacts[n]]),
    nested: Array.from(model.bySlug, (n) => [model.referralsOf(n, "out").map((r) => r.id), model.referralsOf(n, "into").map((r) => r.id)]),
    partnerships: model.partnerships.map((p) => ({ ...p, memberIds: [...p.memberIds].sort(), members: p.members.map(slug).sort() })),
    partnershipsOf: Array.from(model.bySlug, (n) => model.partnershipsOf(n).map((p) => model.partnerships[p].id)),
    regions: model.regions,
    platforms: model.platforms,
  });
}

/** Passes when two dumps (dumpText) are the same text; otherwise fails with jest's diff of the two. */
export function expectSameDump(actual: string, expected: string): void {
  if (actual !== expected) expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
}
