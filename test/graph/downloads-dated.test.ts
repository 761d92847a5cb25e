import { startTestApp, TestApp } from "../helpers/app";
import { send } from "../helpers/http";
import { partnershipEdgeId, partnershipsOf, readGexf, readGraphml, referralsOf } from "./network-files";

// The network files beyond the seed: a region of its own with a dated referral, a partnership of
// its two organizations, and one that reaches MOSAIK in Corrèze.
let app: TestApp;
let base: string;
/** MOSAIK's id in the seed. */
let mosaik: string;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen({ NODE_ENV: "test" })).base;
  [{ id: mosaik }] = await app.db.query(`SELECT id FROM organizations WHERE slug = 'mosaik'`);
});
afterAll(() => app.close());

const get = (path: string) => send(`${base}${path}`);

describe("dates and partnerships beyond the seed", () => {
  // A region of its own, so the tests above keep the seed as it is: two organizations with a dated
  // referral, a partnership of the two, and one that reaches MOSAIK in Corrèze.
  let a: string;
  let b: string;
  let referral: string;
  let within: string;
  let across: string;

  beforeAll(async () => {
    const admin = app.tokens.admin;
    await app.ok(`mutation($input: CreateRegionInput!) { createRegion(input: $input) { slug } }`, { input: { slug: "creuse", name: "Creuse", country: "FR" } }, admin);
    const organization = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`;
    a = (await app.ok(organization, { input: { name: "Atelier A", slug: "atelier-a", kind: "ASSOCIATION", region: "creuse" } }, admin)).createOrganization.id;
    b = (await app.ok(organization, { input: { name: "Atelier B", slug: "atelier-b", kind: "NGO", region: "creuse" } }, admin)).createOrganization.id;
    referral = (
      await app.ok(
        `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
        { input: { from: "atelier-a", to: "atelier-b", categories: ["HOUSING"], since: "2021-09-23", until: "2099-12-31", verifiedOn: "2025-06-30" } },
        admin,
      )
    ).createReferral.id;
    const partnership = `mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { id } }`;
    within = (await app.ok(partnership, { input: { kind: "FUNDING", organizations: ["atelier-a", "atelier-b"], description: "Fonds commun" } }, admin)).createPartnership.id;
    across = (await app.ok(partnership, { input: { kind: "COORDINATION", organizations: ["atelier-a", "atelier-b", "mosaik"] } }, admin)).createPartnership.id;
  });

  it("when a referral has since, until and verifiedOn, then each format carries the three days as YYYY-MM-DD", async () => {
    const graphml = readGraphml((await get("/export/network.graphml?region=creuse")).text);
    expect(referralsOf(graphml.edges)).toEqual([
      {
        id: referral,
        source: a,
        target: b,
        directed: undefined,
        relation: "referral",
        referral,
        categories: "HOUSING",
        status: "ACTIVE",
        since: "2021-09-23",
        until: "2099-12-31",
        verifiedOn: "2025-06-30",
        targetGroups: "", // every group
      },
    ]);
    const gexf = readGexf((await get("/export/network.gexf?region=creuse")).text);
    expect(referralsOf(gexf.edges)).toEqual([
      {
        id: referral,
        source: a,
        target: b,
        type: undefined,
        relation: "referral",
        referral,
        categories: "HOUSING",
        status: "ACTIVE",
        since: "2021-09-23",
        until: "2099-12-31",
        verifiedOn: "2025-06-30",
        targetGroups: "",
      },
    ]);
    const json = JSON.parse((await get("/export/network.json?region=creuse")).text);
    expect(referralsOf(json.elements.edges.map((e: any) => e.data))).toEqual([
      {
        id: referral,
        source: a,
        target: b,
        relation: "referral",
        directed: true,
        categories: ["HOUSING"],
        status: "ACTIVE",
        since: "2021-09-23",
        until: "2099-12-31",
        verifiedOn: "2025-06-30",
        targetGroups: [],
        minAge: null,
        maxAge: null,
      },
    ]);
  });

  it("when a partnership reaches outside the region, then it is left out, as the network query leaves it out", async () => {
    const { network } = await app.ok(`{ network(region: "creuse") { partnerships { id } } }`);
    expect(network.partnerships).toEqual([{ id: within }]);
    const expected = { id: partnershipEdgeId(within, a, b), source: a, target: b, relation: "partnership", partnership: within, partnershipKind: "FUNDING", partnershipDescription: "Fonds commun" };
    const graphml = readGraphml((await get("/export/network.graphml?region=creuse")).text);
    expect(partnershipsOf(graphml.edges)).toEqual([{ ...expected, directed: "false" }]);
    const gexf = readGexf((await get("/export/network.gexf?region=creuse")).text);
    expect(partnershipsOf(gexf.edges)).toEqual([{ ...expected, type: "undirected" }]);
    const json = JSON.parse((await get("/export/network.json?region=creuse")).text);
    expect(partnershipsOf(json.elements.edges.map((e: any) => e.data))).toEqual([{ ...expected, directed: false }]);
    // The whole network has every member of both: the one across makes three edges, its description null and so left out.
    const all = readGraphml((await get("/export/network.graphml")).text);
    expect(partnershipsOf(all.edges).filter((e: any) => e.partnership === across)).toEqual(
      [
        [a, b],
        [a, mosaik],
        [b, mosaik],
      ].map(([source, target]) => ({ id: partnershipEdgeId(across, source, target), source, target, directed: "false", relation: "partnership", partnership: across, partnershipKind: "COORDINATION" })),
    );
  });

  it("when asOf is before the referral's since, then the referral is gone and the partnership, which has no dates, stays", async () => {
    const before = readGraphml((await get("/export/network.graphml?region=creuse&asOf=2021-09-22")).text);
    expect(referralsOf(before.edges)).toEqual([]);
    expect(partnershipsOf(before.edges).map((e: any) => e.id)).toEqual([partnershipEdgeId(within, a, b)]);
    const { network } = await app.ok(`{ network(region: "creuse", asOf: "2021-09-22") { referrals { id } partnerships { id } } }`);
    expect(network).toEqual({ referrals: [], partnerships: [{ id: within }] });
  });
});
