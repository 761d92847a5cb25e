import fc from "fast-check";
import { OrganizationKind, ReferralStatus, ServiceCategory, TargetGroup } from "../../src/domain/vocabulary";
import { ReadModel, Touched } from "../../src/model/model";
import { BLOCK_SIZE } from "../../src/model/referral-blocks";
import type { ModelRows, OrganizationNode, ReferralEdge, ServiceNode } from "../../src/model/nodes";
import { dumpText, expectSameDump } from "../helpers/model-dump";

// A patch must leave the model as a full build of the same rows would: on networks large enough
// that referrals span several blocks (src/model/referral-blocks.ts), after runs of random writes,
// with the indexes made on demand asked before each patch (the dump asks them) so that what a
// patch keeps of them is checked too.

const KINDS = Object.values(OrganizationKind);
const GROUPS = Object.values(TargetGroup);
const CATEGORIES = Object.values(ServiceCategory);
const REGIONS = ["region-a", "region-b", "region-c"];
const epoch = new Date(0);

const uuid = (prefix: number, i: number) => `${String(prefix).padStart(8, "0")}-0000-4000-8000-${String(i).padStart(12, "0")}`;

type Organization = Omit<OrganizationNode, "services">;

function organization(i: number, pick: (n: number) => number): Organization {
  const name = `Org ${String.fromCharCode(97 + pick(26))}${i}`;
  return { id: uuid(1, i), slug: `org-${i}`, name, searchName: name.toLowerCase(), kind: KINDS[pick(KINDS.length)], description: null, website: null, regionId: pick(5) ? REGIONS[pick(3)] : null, version: 1, createdAt: epoch, updatedAt: epoch };
}

function referral(i: number, from: string, to: string, pick: (n: number) => number): ReferralEdge {
  const day = (d: number) => `2026-0${1 + (d % 9)}-1${d % 10}`;
  return {
    id: uuid(2, i),
    fromId: from,
    toId: to,
    categories: [CATEGORIES[pick(CATEGORIES.length)]],
    targetGroups: pick(2) ? [GROUPS[pick(GROUPS.length)]] : [],
    minAge: pick(2) ? pick(30) : null,
    maxAge: pick(2) ? 30 + pick(30) : null,
    status: ReferralStatus.ACTIVE,
    since: pick(2) ? day(pick(90)) : null,
    until: pick(3) ? null : day(pick(90)),
    description: null,
    source: null,
    verifiedOn: null,
    version: 1,
    createdAt: epoch,
    updatedAt: epoch,
    createdMicros: pick(1000) * 1000 + i,
  };
}

/** A network as stored: organizations, one service each, referrals between them, two partnerships. */
function network(seed: number, organizations: number, referrals: number) {
  let state = seed || 1;
  const pick = (n: number) => ((state = (state * 48271) % 2147483647), state % n);
  const orgs = new Map<string, Organization>();
  for (let i = 0; i < organizations; i++) orgs.set(uuid(1, i), organization(i, pick));
  const ids = [...orgs.keys()];
  const refs = new Map<string, ReferralEdge>();
  for (let i = 0; i < referrals; i++) refs.set(uuid(2, i), referral(i, ids[pick(ids.length)], ids[pick(ids.length)], pick));
  const services = new Map<string, ServiceNode>(
    ids.map((id, i) => [id, { id: uuid(3, i), organizationId: id, name: "S", category: CATEGORIES[pick(CATEGORIES.length)], description: null, targetGroups: [], minAge: null, maxAge: pick(2) ? 25 : null, position: 0, createdAt: epoch }]),
  );
  const partnerships = new Map([
    [uuid(4, 0), { id: uuid(4, 0), kind: "COORDINATION" as never, description: null, createdAt: epoch, memberIds: ids.slice(0, 3) }],
    [uuid(4, 1), { id: uuid(4, 1), kind: "FUNDING" as never, description: null, createdAt: epoch, memberIds: ids.slice(2, 4) }],
  ]);
  return { orgs, refs, services, partnerships, pick };
}

type Network = ReturnType<typeof network>;

function rows(g: Network, only?: Touched): ModelRows {
  const keep = <T extends { id: string }>(items: Map<string, T>, ids?: readonly string[]) => (ids ? ids.flatMap((id) => (items.has(id) ? [items.get(id)!] : [])) : [...items.values()]);
  const organizations = keep(g.orgs, only?.organizations);
  return {
    organizations,
    services: organizations.flatMap((o) => (g.services.has(o.id) ? [g.services.get(o.id)!] : [])),
    referrals: keep(g.refs, only?.referrals),
    partnerships: keep(g.partnerships, only?.partnerships),
    regions: REGIONS.map((slug) => ({ id: slug, slug, name: slug, country: "FR", nutsCode: null, createdAt: epoch })),
    platforms: [],
  };
}

const WRITES = ["createOrganization", "renameOrganization", "moveOrganization", "reslugOrganization", "rekindOrganization", "deleteOrganization", "createReferral", "updateReferral", "deleteReferral", "deletePartnership"] as const;

/** Applies one write to the rows and says what it touched, as graph_changes would. */
function write(g: Network, kind: (typeof WRITES)[number], at: number, serial: number): Touched {
  const touched: Touched = { organizations: [], referrals: [], partnerships: [], regionsOrPlatforms: false };
  const orgIds = [...g.orgs.keys()];
  const refIds = [...g.refs.keys()];
  const org = g.orgs.get(orgIds[at % orgIds.length]);
  const ref = g.refs.get(refIds[at % Math.max(1, refIds.length)]);
  const change = (o: Organization, fields: Partial<Organization>) => {
    g.orgs.set(o.id, { ...o, ...fields, version: o.version + 1 });
    touched.organizations = [o.id];
  };
  switch (kind) {
    case "createOrganization": {
      const fresh = organization(100_000 + serial, g.pick);
      g.orgs.set(fresh.id, fresh);
      touched.organizations = [fresh.id];
      break;
    }
    case "renameOrganization":
      if (org) change(org, { name: `Renamed ${serial}`, searchName: `renamed ${serial}` });
      break;
    case "moveOrganization":
      if (org) change(org, { regionId: org.regionId === REGIONS[0] ? REGIONS[1] : REGIONS[0] });
      break;
    case "reslugOrganization":
      if (org) change(org, { slug: `a-${serial}` });
      break;
    case "rekindOrganization":
      if (org) change(org, { kind: org.kind === KINDS[0] ? KINDS[1] : KINDS[0] });
      break;
    case "deleteOrganization":
      if (org && orgIds.length > 2) {
        g.orgs.delete(org.id);
        g.services.delete(org.id);
        const gone = [...g.refs.values()].filter((r) => r.fromId === org.id || r.toId === org.id).map((r) => r.id);
        for (const id of gone) g.refs.delete(id);
        const left = [...g.partnerships.values()].filter((p) => p.memberIds.includes(org.id));
        for (const p of left) g.partnerships.set(p.id, { ...p, memberIds: p.memberIds.filter((m) => m !== org.id) });
        touched.organizations = [org.id];
        touched.referrals = gone;
        touched.partnerships = left.map((p) => p.id);
      }
      break;
    case "createReferral": {
      const fresh = referral(100_000 + serial, orgIds[at % orgIds.length], orgIds[(at * 7 + 1) % orgIds.length], g.pick);
      g.refs.set(fresh.id, fresh);
      touched.referrals = [fresh.id];
      break;
    }
    case "updateReferral":
      if (ref) {
        g.refs.set(ref.id, { ...ref, until: "2026-12-31", minAge: 18, targetGroups: [TargetGroup.MIGRANT], version: ref.version + 1 });
        touched.referrals = [ref.id];
      }
      break;
    case "deleteReferral":
      if (ref) {
        g.refs.delete(ref.id);
        touched.referrals = [ref.id];
      }
      break;
    case "deletePartnership": {
      const p = [...g.partnerships.keys()][at % Math.max(1, g.partnerships.size)];
      if (p) {
        g.partnerships.delete(p);
        touched.partnerships = [p];
      }
      break;
    }
  }
  return touched;
}

describe("the read model patched after writes", () => {
  it("when referrals span several blocks and random writes follow, then every patched version equals a full build of its rows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: BLOCK_SIZE + 1, max: 2 * BLOCK_SIZE + 300 }),
        fc.array(fc.record({ kind: fc.constantFrom(...WRITES), at: fc.nat(5000) }), { minLength: 1, maxLength: 12 }),
        (seed, referralCount, writes) => {
          const g = network(seed, 60, referralCount);
          let model = ReadModel.build(1, rows(g));
          expect(model.referralBlocks.length).toBeGreaterThan(1);
          writes.forEach(({ kind, at }, serial) => {
            const was = dumpText(model); // asks the on-demand indexes, which the patch may keep
            const touched = write(g, kind, at, serial);
            const before = model;
            model = model.patch(model.version + 1, rows(g, touched), touched);
            expectSameDump(dumpText(model), dumpText(ReadModel.build(model.version, rows(g))));
            // The previous version still answers as it did (requests in flight hold it).
            expectSameDump(dumpText(before), was);
          });
        },
      ),
      { numRuns: 15 },
    );
  });

  it("when one referral is written, then only its block is copied and the others are shared with the previous version", () => {
    const g = network(42, 40, 3 * BLOCK_SIZE);
    const model = ReadModel.build(1, rows(g));
    const id = uuid(2, BLOCK_SIZE + 5); // in the second block
    g.refs.set(id, { ...g.refs.get(id)!, until: "2026-01-01" });
    const touched: Touched = { organizations: [], referrals: [id], partnerships: [], regionsOrPlatforms: false };
    const next = model.patch(2, rows(g, touched), touched);
    expect(next.referralBlocks.map((b, i) => b === model.referralBlocks[i])).toEqual([true, false, true]);
    expect(next.referral(id)!.until).toBe("2026-01-01");
    expect(model.referral(id)!.until).not.toBe("2026-01-01");
    expect(next.referralsById).toBe(model.referralsById); // no referral appeared or went
  });

  it("when only an organization's description changes, then its sorted lists and kinds are shared with the previous version", () => {
    const g = network(7, 40, 100);
    const model = ReadModel.build(1, rows(g));
    const kinds = model.kinds;
    const org = [...g.orgs.values()][3];
    g.orgs.set(org.id, { ...org, description: "changed" });
    const touched: Touched = { organizations: [org.id], referrals: [], partnerships: [], regionsOrPlatforms: false };
    const next = model.patch(2, rows(g, touched), touched);
    expect(next.organization(org.id)!.description).toBe("changed");
    expect(next.bySlug).toBe(model.bySlug);
    expect(next.byName).toBe(model.byName);
    expect(next.kinds).toBe(kinds);
    expect(next.referralBlocks).toBe(model.referralBlocks);
  });
});
