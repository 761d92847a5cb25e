import { errorCode, startTestApp, TestApp } from "../helpers/app";
import * as closure from "../../src/graph/analyses/closure";

// The analyses over the API, on the Corrèze seed: the scenarios a platform's roundtable asks
// about, their arguments' checks, and that each is a graph query answered once per model version.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const REFUGEE_19 = { targetGroup: "RESETTLED_REFUGEE", age: 19 };
const slugs = (list: { slug: string }[]) => list.map((o) => o.slug);

describe("the Corrèze scenarios", () => {
  it("when a 19-year-old resettled refugee is at Chemins Singuliers, then language learning is covered by MOSAIK, reachable; at 26 it is a gap", async () => {
    const data = await app.ok(`{
      coverage(region: "correze", categories: [LANGUAGE_LEARNING], targetGroups: [RESETTLED_REFUGEE], ages: [26, 19], from: "chemins-singuliers") {
        category targetGroup age providerCount providers { slug } reachableCount
      }
    }`);
    // The ages in the order given.
    expect(data.coverage).toEqual([
      { category: "LANGUAGE_LEARNING", targetGroup: "RESETTLED_REFUGEE", age: 26, providerCount: 0, providers: [], reachableCount: 0 },
      { category: "LANGUAGE_LEARNING", targetGroup: "RESETTLED_REFUGEE", age: 19, providerCount: 1, providers: [{ slug: "mosaik" }], reachableCount: 1 },
    ]);
  });

  it("when no category, group or age is given, then every category by name, any group, any age, and no reachable count", async () => {
    const data = await app.ok(`{ coverage(region: "correze") { category targetGroup age providerCount reachableCount } }`);
    const categories = data.coverage.map((c: { category: string }) => c.category);
    expect(categories).toEqual([...categories].sort());
    expect(categories).toHaveLength(16);
    expect(data.coverage.every((c: any) => c.targetGroup === null && c.age === null && c.reachableCount === null)).toBe(true);
    expect(data.coverage.find((c: any) => c.category === "MENTORING").providerCount).toBe(1); // Institut Don Bosco
  });

  it("when a resettled refugee reached from Chemins Singuliers turns 26, then MOSAIK's 16-25 programme is lost: an age cliff", async () => {
    const data = await app.ok(`{
      ageCliffs(region: "correze", targetGroup: RESETTLED_REFUGEE, categories: [LANGUAGE_LEARNING, VOCATIONAL_ORIENTATION], from: "chemins-singuliers") {
        age category providersBefore providersAfter lost { slug }
      }
    }`);
    expect(data.ageCliffs).toEqual([
      { age: 26, category: "LANGUAGE_LEARNING", providersBefore: 1, providersAfter: 0, lost: [{ slug: "mosaik" }] },
      { age: 26, category: "VOCATIONAL_ORIENTATION", providersBefore: 1, providersAfter: 0, lost: [{ slug: "mosaik" }] },
    ]);
  });

  it("when an unaccompanied minor turns 18 and becomes a beneficiary of protection, then Institut Don Bosco's mentoring is lost", async () => {
    const data = await app.ok(`{
      profileChange(region: "correze", before: { targetGroup: UNACCOMPANIED_MINOR, age: 17 }, after: { targetGroup: BENEFICIARY_OF_PROTECTION, age: 18 }) {
        category providersBefore providersAfter lost { slug } gained { slug }
      }
    }`);
    expect(data.profileChange.find((c: any) => c.category === "MENTORING")).toEqual({ category: "MENTORING", providersBefore: 1, providersAfter: 0, lost: [{ slug: "institut-don-bosco" }], gained: [] });
  });

  it("when MOSAIK closes, then Chemins Singuliers loses its route to language learning and is left without referrals", async () => {
    const data = await app.ok(
      `query($profile: ProfileInput) {
        closureImpact(organizations: ["mosaik"], region: "correze", profile: $profile) {
          referralsLost { from { slug } to { slug } }
          coverageLost { category providersBefore providersAfter }
          routesLost { from { slug } category hopsBefore }
          isolated { slug }
        }
      }`,
      { profile: REFUGEE_19 },
    );
    const impact = data.closureImpact;
    expect(impact.referralsLost).toEqual([{ from: { slug: "chemins-singuliers" }, to: { slug: "mosaik" } }]);
    expect(impact.routesLost).toContainEqual({ from: { slug: "chemins-singuliers" }, category: "LANGUAGE_LEARNING", hopsBefore: 1 });
    expect(impact.coverageLost).toContainEqual({ category: "LANGUAGE_LEARNING", providersBefore: 1, providersAfter: 0 });
    expect(impact.isolated).toEqual([{ slug: "chemins-singuliers" }]);
  });

  it("when the region's critical organizations are asked, then MOSAIK carries Chemins Singuliers' three routes", async () => {
    const data = await app.ok(`{ criticalOrganizations(region: "correze") { organization { slug } routesCarried } }`);
    expect(data.criticalOrganizations).toEqual([{ organization: { slug: "mosaik" }, routesCarried: 3 }]);
  });

  it("when the region's health is asked, then its figures on one referral among five organizations", async () => {
    const data = await app.ok(`{
      networkSummary(region: "correze") {
        organizationCount referralCount density reciprocity isolated { slug } components largestComponent
        inDegreeCentralization outDegreeCentralization brokers { slug }
      }
    }`);
    expect(data.networkSummary).toEqual({
      organizationCount: 5,
      referralCount: 1,
      density: 1 / 20,
      reciprocity: 0,
      isolated: [{ slug: "entraide-pierre-valdo" }, { slug: "institut-don-bosco" }, { slug: "mission-locale" }],
      components: 4,
      largestComponent: 2,
      inDegreeCentralization: 4 / 16,
      outDegreeCentralization: 4 / 16,
      brokers: [],
    });
  });

  it("when the region's communities are asked, then Chemins Singuliers and MOSAIK form the first, the others stand alone, twice the same", async () => {
    const query = `{ communities(region: "correze") { number organizations { slug } referrals { from { slug } to { slug } } } }`;
    const data = await app.ok(query);
    expect(data.communities.map((c: any) => [c.number, slugs(c.organizations)])).toEqual([
      [1, ["chemins-singuliers", "mosaik"]],
      [2, ["entraide-pierre-valdo"]],
      [3, ["institut-don-bosco"]],
      [4, ["mission-locale"]],
    ]);
    expect(data.communities[0].referrals).toEqual([{ from: { slug: "chemins-singuliers" }, to: { slug: "mosaik" } }]);
    expect(await app.ok(query)).toEqual(data);
  });
});

describe("what changed between two days, and between two roundtables", () => {
  it("when a referral starts between the platform's roundtables, then the later roundtable's networkChanges lists it as opened", async () => {
    const created = await app.ok(
      `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
      { input: { from: "mission-locale", to: "mosaik", categories: ["VOCATIONAL_ORIENTATION"], since: "2021-12-01" } },
      app.tokens.admin,
    );
    const id = created.createReferral.id;
    try {
      const changes = await app.ok(`{ networkChanges(region: "correze", since: "2021-09-23", until: "2022-01-27") { opened { id } closed { id } before { referralCount } after { referralCount } } }`);
      expect(changes.networkChanges).toEqual({ opened: [{ id }], closed: [], before: { referralCount: 1 }, after: { referralCount: 2 } });
      const meetings = await app.ok(`{ platform(id: "correze-platform") { meetings { date networkChanges { opened { id } after { referralCount } } } } }`);
      expect(meetings.platform.meetings).toEqual([
        { date: "2021-09-23", networkChanges: null }, // the first roundtable has none before it
        { date: "2022-01-27", networkChanges: { opened: [{ id }], after: { referralCount: 2 } } },
      ]);
    } finally {
      // The seed is shared by the file's other tests.
      await app.ok(`mutation($id: ID!) { deleteReferral(id: $id) }`, { id }, app.tokens.admin);
    }
  });

  it("when until comes before since, then BAD_USER_INPUT names until", async () => {
    const result = await app.execute(`{ networkChanges(since: "2022-01-01", until: "2021-01-01") { opened { id } } }`);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].extensions!.fields).toEqual([{ field: "until", reason: expect.stringMatching(/on or after since/) }]);
  });
});

describe("the analyses' arguments", () => {
  it("when a region is named by its name or with its accents, then NOT_FOUND says which slug was meant", async () => {
    for (const written of ["corrèze", "Corrèze"]) {
      const result = await app.execute(`query($r: String!) { coverage(region: $r) { age } }`, { r: written });
      expect(errorCode(result)).toBe("NOT_FOUND");
      expect(result.errors![0].message).toBe(`No region "${written}" exists (region): did you mean "correze"? Regions are named by their slug (Corrèze: correze).`);
    }
    // Nothing close: the slugs there are.
    const far = await app.execute(`{ coverage(region: "atlantis") { age } }`);
    expect(far.errors![0].message).toMatch(/^No region "atlantis" exists \(region\): the regions are [a-z-]+(, [a-z-]+)*\.$/);
    expect(far.errors![0].message).toContain("correze, ");
  });

  it.each([
    [`{ coverage(region: "atlantis") { age } }`, "region"],
    [`{ coverage(region: "correze", from: "nobody") { age } }`, "from"],
    [`{ coverage(region: "correze", from: "") { age } }`, "from"], // empty is not absent
    [`{ ageCliffs(region: "atlantis") { age } }`, "region"],
    [`{ closureImpact(organizations: ["mosaik", "nobody"]) { isolated { slug } } }`, "organizations[1]"],
    [`{ closureImpact(organizations: [], referrals: ["00000000-0000-4000-8000-000000000000"]) { isolated { slug } } }`, "referrals[0]"],
    [`{ criticalOrganizations(region: "atlantis") { routesCarried } }`, "region"],
    [`{ networkSummary(region: "atlantis") { components } }`, "region"],
    [`{ communities(region: "atlantis") { number } }`, "region"],
  ])("when %s names what does not exist, then NOT_FOUND naming %s", async (query, field) => {
    const result = await app.execute(query);
    expect(errorCode(result)).toBe("NOT_FOUND");
    expect(result.errors![0].extensions!.field).toBe(field);
  });

  it("when maxHops, ages and first are out of their ranges, then BAD_USER_INPUT lists each, before anything runs", async () => {
    const tooMany = Array.from({ length: 21 }, (_, i) => i);
    const coverage = await app.execute(`query($ages: [Int!]) { coverage(region: "correze", maxHops: 0, ages: $ages) { age } }`, { ages: [...tooMany.slice(0, 20), 121] });
    expect(errorCode(coverage)).toBe("BAD_USER_INPUT");
    expect(coverage.errors![0].extensions!.fields.map((f: { field: string }) => f.field)).toEqual(["maxHops", "ages", "ages[20]"]);
    const critical = await app.execute(`{ criticalOrganizations(region: "correze", first: 101) { routesCarried } }`);
    expect(critical.errors![0].extensions!.fields).toEqual([{ field: "first", reason: expect.stringMatching(/1 to 100/) }]);
    const profile = await app.execute(`{ profileChange(region: "correze", before: { age: 130 }, after: { age: 18 }) { category } }`);
    expect(errorCode(profile)).toBe("BAD_USER_INPUT");
    expect(profile.errors![0].extensions!.fields[0].field).toMatch(/before\.age$/);
  });

  it("when the same analysis is asked again at one model version, then it is not computed again; after a write, it is", async () => {
    const computed = jest.spyOn(closure, "criticalOrganizationsInSlices");
    try {
      const ask = (first: number) => app.server.features.analyses.criticalOrganizations({ region: "correze", first });
      const answers = [await ask(1), await ask(5), await ask(20)];
      expect(answers.map((a) => a.rows.map((r) => r.organization.slug))).toEqual([["mosaik"], ["mosaik"], ["mosaik"]]);
      expect(computed).toHaveBeenCalledTimes(1); // every `first` is cut from one computation
      await app.ok(`mutation { updateOrganization(id: "mosaik", input: { description: "changed" }) { version } }`, {}, app.tokens.admin);
      await ask(20);
      expect(computed).toHaveBeenCalledTimes(2);
    } finally {
      computed.mockRestore();
    }
  });
});
