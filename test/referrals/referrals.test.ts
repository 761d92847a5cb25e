import { errorCode, startTestApp, TestApp } from "../helpers/app";
import { countRows } from "../helpers/database";
import { periodsOverlap } from "../../src/referrals/referral.rules";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const FIELDS = `id from { slug } to { slug } categories eligibility { targetGroups minAge maxAge } status since until description source version`;
const CREATE = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateReferralInput!, $v: Int) { updateReferral(id: $id, input: $input, expectedVersion: $v) { ${FIELDS} } }`;

const count = (table: string) => countRows(app.db, table);

async function graphVersion(): Promise<number> {
  const [row] = await app.db.query(`SELECT version FROM graph_state`);
  return Number(row.version);
}

describe("the seeded referral", () => {
  it("when read, then Chemins Singuliers sends young resettled refugees to MOSAIK", async () => {
    const data = await app.ok(`{ referrals(filter: { from: "chemins-singuliers", to: "mosaik" }) { totalCount edges { node { ${FIELDS} } } } }`);
    expect(data.referrals.totalCount).toBe(1);
    expect(data.referrals.edges[0].node).toMatchObject({
      categories: ["LANGUAGE_LEARNING", "VOCATIONAL_ORIENTATION"],
      eligibility: { targetGroups: ["RESETTLED_REFUGEE"], minAge: 16, maxAge: 25 },
      status: "ACTIVE",
    });
    expect(data.referrals.edges[0].node.source).toMatch(/roundtable/i);
  });

  it("when an organization is asked for its referrals, then they come both ways", async () => {
    const data = await app.ok(`{
      a: organization(id: "chemins-singuliers") { referralsOut { to { slug } } referralsIn { id } }
      b: organization(id: "mosaik") { referralsIn { from { slug } } }
    }`);
    expect(data.a.referralsOut.map((r: any) => r.to.slug)).toContain("mosaik");
    expect(data.b.referralsIn.map((r: any) => r.from.slug)).toContain("chemins-singuliers");
  });
});

describe("createReferral", () => {
  it("when valid, then stored with sorted categories, version 1, a graph version bump and an audit line", async () => {
    const graphBefore = await graphVersion();
    const auditBefore = await count("audit_log");
    const data = await app.ok(
      CREATE,
      {
        input: {
          from: "mosaik",
          to: "mission-locale",
          categories: ["EMPLOYMENT", "VOCATIONAL_ORIENTATION"],
          eligibility: { minAge: 16, maxAge: 25 },
          status: "PILOT",
          since: "2022-01-01",
          description: "Test referral",
        },
      },
      app.tokens.editor,
    );
    expect(data.createReferral).toMatchObject({
      from: { slug: "mosaik" },
      to: { slug: "mission-locale" },
      categories: ["EMPLOYMENT", "VOCATIONAL_ORIENTATION"],
      eligibility: { targetGroups: [], minAge: 16, maxAge: 25 },
      status: "PILOT",
      since: "2022-01-01",
      until: null,
      version: 1,
    });
    expect(await graphVersion()).toBe(graphBefore + 1);
    expect(await count("audit_log")).toBe(auditBefore + 1);
  });

  it("when the status is left out, then it is ACTIVE", async () => {
    const data = await app.ok(CREATE, { input: { from: "mission-locale", to: "mosaik", categories: ["LANGUAGE_LEARNING"] } }, app.tokens.admin);
    expect(data.createReferral.status).toBe("ACTIVE");
  });

  it("when the ends are named by id in upper case, by slug, or unknown, then ids match whatever their case and an unknown end is NOT_FOUND naming it", async () => {
    const { organization } = await app.ok(`{ organization(id: "institut-don-bosco") { id } }`);
    const data = await app.ok(CREATE, { input: { from: organization.id.toUpperCase(), to: "mission-locale", categories: ["HOUSING"] } }, app.tokens.admin);
    expect([data.createReferral.from.slug, data.createReferral.to.slug]).toEqual(["institut-don-bosco", "mission-locale"]);
    const unknown = await app.execute(CREATE, { input: { from: "mosaik", to: "nowhere-at-all", categories: ["HOUSING"] } }, app.tokens.admin);
    expect(errorCode(unknown)).toBe("NOT_FOUND");
    expect(unknown.errors![0].extensions!.field).toBe("input.to");
  });

  it.each([
    [{ from: "mosaik", to: "mosaik", categories: ["OTHER"] }, /input\.to/],
    [{ from: "mosaik", to: "institut-don-bosco", categories: [] }, /input\.categories/],
    [{ from: "mosaik", to: "institut-don-bosco", categories: ["OTHER"], eligibility: { minAge: 30, maxAge: 20 } }, /input\.eligibility\.minAge/],
    [{ from: "mosaik", to: "institut-don-bosco", categories: ["OTHER"], eligibility: { minAge: -1 } }, /minAge/],
    [{ from: "mosaik", to: "institut-don-bosco", categories: ["OTHER"], eligibility: { maxAge: 121 } }, /maxAge/],
    [{ from: "mosaik", to: "institut-don-bosco", categories: ["OTHER"], since: "2023-05-01", until: "2023-04-30" }, /input\.until/],
  ])("when the input is %j, then BAD_USER_INPUT names the field and nothing is written", async (input, field) => {
    const before = await count("referrals");
    const result = await app.execute(CREATE, { input }, app.tokens.admin);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].message).toMatch(field);
    expect(await count("referrals")).toBe(before);
  });

  it("when a date is not a calendar day, then BAD_USER_INPUT", async () => {
    const result = await app.execute(CREATE, { input: { from: "mosaik", to: "institut-don-bosco", categories: ["OTHER"], since: "2023-02-30" } }, app.tokens.admin);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].message).toMatch(/YYYY-MM-DD/);
  });

  it("when an end does not exist, then NOT_FOUND names it", async () => {
    const result = await app.execute(CREATE, { input: { from: "mosaik", to: "nowhere", categories: ["OTHER"] } }, app.tokens.admin);
    expect(errorCode(result)).toBe("NOT_FOUND");
    expect(result.errors![0].message).toMatch(/input\.to/);
  });

  it("when the same ends and categories overlap in time, then CONFLICT; when they do not, then it is stored", async () => {
    const base = { from: "institut-don-bosco", to: "mosaik", categories: ["SPORT_AND_CULTURE", "MENTORING"] };
    await app.ok(CREATE, { input: { ...base, since: "2022-01-01", until: "2022-12-31" } }, app.tokens.admin);
    const overlap = await app.execute(CREATE, { input: { ...base, categories: ["MENTORING", "SPORT_AND_CULTURE"], since: "2022-06-01" } }, app.tokens.admin);
    expect(errorCode(overlap)).toBe("CONFLICT");
    const later = await app.ok(CREATE, { input: { ...base, since: "2023-01-01" } }, app.tokens.admin);
    expect(later.createReferral.since).toBe("2023-01-01");
    const otherCategories = await app.ok(CREATE, { input: { ...base, categories: ["MENTORING"], since: "2022-06-01" } }, app.tokens.admin);
    expect(otherCategories.createReferral.categories).toEqual(["MENTORING"]);
  });

  it("when ENDED is asked without until, then BAD_USER_INPUT names input.until and nothing is written", async () => {
    const before = await count("referrals");
    const result = await app.execute(CREATE, { input: { from: "mission-locale", to: "chemins-singuliers", categories: ["SOCIAL_ORIENTATION"], status: "ENDED" } }, app.tokens.admin);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].message).toMatch(/^input\.until: must be given when the status is ENDED/);
    expect(result.errors![0].extensions!.fields).toEqual([{ field: "input.until", reason: expect.stringMatching(/ENDED/) }]);
    expect(await count("referrals")).toBe(before);
  });

  it("when an ENDED referral has its until, then it blocks an overlapping new one like any other", async () => {
    const base = { from: "mission-locale", to: "chemins-singuliers", categories: ["SOCIAL_ORIENTATION"] };
    await app.ok(CREATE, { input: { ...base, status: "ENDED", since: "2019-01-01", until: "2019-12-31" } }, app.tokens.admin);
    expect(errorCode(await app.execute(CREATE, { input: { ...base, since: "2019-06-01", until: "2019-06-30" } }, app.tokens.admin))).toBe("CONFLICT");
    const after = await app.ok(CREATE, { input: { ...base, since: "2020-01-01" } }, app.tokens.admin);
    expect(after.createReferral.status).toBe("ACTIVE");
  });

  it("when five fields are wrong, then one BAD_USER_INPUT lists the five, the message naming the first", async () => {
    const result = await app.execute(
      CREATE,
      {
        input: {
          from: "mosaik",
          to: "institut-don-bosco",
          categories: [],
          eligibility: { minAge: 300, maxAge: -1 },
          description: "nul \u0000 here",
          since: "2023-05-01",
          until: "2023-04-30",
        },
      },
      app.tokens.admin,
    );
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    const fields = result.errors![0].extensions!.fields.map((f: any) => f.field);
    expect(fields).toEqual(["input.categories", "input.eligibility.minAge", "input.eligibility.maxAge", "input.description", "input.until"]);
    expect(result.errors![0].message).toMatch(/^input\.categories: .*\(and 4 more wrong fields: see extensions\.fields\)$/);
    expect(result.errors![0].extensions!.field).toBe("input.categories");
  });

  it("when a referral goes to its own sender and has other faults, then the self-referral is told with them", async () => {
    const result = await app.execute(
      `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`,
      { input: { from: "mosaik", to: "mosaik", categories: ["OTHER"], eligibility: { minAge: 30, maxAge: 10 } } },
      app.tokens.admin,
    );
    expect(result.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual(["input.eligibility.minAge", "input.to"]);
  });

  it("when random periods meet, then CONFLICT exactly when periodsOverlap says they share a day", async () => {
    // A small seeded generator: days of one month and open ends, so that equal and adjacent bounds come up often.
    let seed = 12;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const day = () => (random() < 0.25 ? null : `2015-03-${String(1 + Math.floor(random() * 9)).padStart(2, "0")}`);
    const period = () => {
      const [a, b] = [day(), day()];
      return a !== null && b !== null && b < a ? { since: b, until: a } : { since: a, until: b };
    };
    const base = { from: "anka", to: "mosaik", categories: ["MOBILITY", "OTHER"] };
    for (let trial = 0; trial < 20; trial++) {
      const first = period();
      const second = period();
      const stored = await app.ok(CREATE, { input: { ...base, ...first, status: first.until !== null && random() < 0.5 ? "ENDED" : "PILOT" } }, app.tokens.admin);
      const result = await app.execute(CREATE, { input: { ...base, ...second } }, app.tokens.admin);
      expect({ first, second, outcome: errorCode(result) ?? "OK" }).toEqual({ first, second, outcome: periodsOverlap(first, second) ? "CONFLICT" : "OK" });
      for (const id of [stored.createReferral.id, result.data?.createReferral?.id].filter(Boolean)) {
        await app.ok(`mutation($id: ID!) { deleteReferral(id: $id) }`, { id }, app.tokens.admin);
      }
    }
  });

  it("when a Date literal in the query is not a calendar day, then BAD_USER_INPUT", async () => {
    const result = await app.execute(`mutation { createReferral(input: { from: "mosaik", to: "anka", categories: [OTHER], since: "2023-13-01" }) { id } }`, {}, app.tokens.admin);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect((result.errors![0].extensions as { fields?: unknown[] }).fields?.length).toBeGreaterThan(0);
  });

  it("when an update reopens a referral while an overlapping one is created, then only one of them lands", async () => {
    const base = { from: "chemins-singuliers", to: "institut-don-bosco", categories: ["MENTORING"] };
    const old = await app.ok(CREATE, { input: { ...base, since: "2020-01-01", until: "2021-12-31" } }, app.tokens.admin);
    const [reopen, create] = await Promise.all([
      app.execute(UPDATE, { id: old.createReferral.id, input: { until: null } }, app.tokens.admin),
      app.execute(CREATE, { input: { ...base, since: "2022-01-01" } }, app.tokens.admin),
    ]);
    expect([errorCode(reopen) ?? "OK", errorCode(create) ?? "OK"].sort()).toEqual(["CONFLICT", "OK"]);
  });

  it("when two identical referrals are created at once, then exactly one is stored", async () => {
    const input = { from: "chemins-singuliers", to: "mission-locale", categories: ["EMPLOYMENT"] };
    const results = await Promise.all([1, 2, 3].map(() => app.execute(CREATE, { input }, app.tokens.admin)));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.filter((r) => errorCode(r) === "CONFLICT").length).toBe(2);
  });

  it("when an EDITOR links its region to another region, then allowed; between two foreign regions, FORBIDDEN", async () => {
    const cross = await app.ok(CREATE, { input: { from: "mosaik", to: "fundacion-cepaim", categories: ["OTHER"] } }, app.tokens.editor);
    expect(cross.createReferral.to.slug).toBe("fundacion-cepaim");
    const foreign = await app.execute(CREATE, { input: { from: "iom-spain", to: "fundacion-cepaim", categories: ["OTHER"] } }, app.tokens.editor);
    expect(errorCode(foreign)).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(CREATE, { input: { from: "iom-spain", to: "fundacion-cepaim", categories: ["OTHER"] } }))).toBe("UNAUTHENTICATED");
    expect(errorCode(await app.execute(CREATE, { input: { from: "mosaik", to: "mission-locale", categories: ["HOUSING"] } }, app.tokens.viewer))).toBe("FORBIDDEN");
  });
});

describe("updateReferral, endReferral, deleteReferral", () => {
  async function fresh(categories = ["HEALTH"]): Promise<string> {
    const data = await app.ok(CREATE, { input: { from: "mission-locale", to: "institut-don-bosco", categories, since: "2022-01-01" } }, app.tokens.admin);
    return data.createReferral.id;
  }

  it("when updated with the right version, then it changes and the version grows; with a stale one, CONFLICT", async () => {
    const id = await fresh(["HEALTH"]);
    const data = await app.ok(UPDATE, { id, input: { eligibility: { targetGroups: ["UNACCOMPANIED_MINOR"], maxAge: 17 }, description: "minors" }, v: 1 }, app.tokens.editor);
    expect(data.updateReferral).toMatchObject({ eligibility: { targetGroups: ["UNACCOMPANIED_MINOR"], minAge: null, maxAge: 17 }, description: "minors", version: 2 });
    const stale = await app.execute(UPDATE, { id, input: { description: "lost" }, v: 1 }, app.tokens.editor);
    expect(errorCode(stale)).toBe("CONFLICT");
    const read = await app.ok(`query($id: ID!) { referral(id: $id) { description version } }`, { id });
    expect(read.referral).toEqual({ description: "minors", version: 2 });
  });

  it("when an update puts until before since, then BAD_USER_INPUT", async () => {
    const id = await fresh(["LEGAL_AID"]);
    const result = await app.execute(UPDATE, { id, input: { until: "2021-01-01" } }, app.tokens.admin);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].message).toMatch(/input\.until/);
  });

  it("when an update would leave a referral ENDED without until, then BAD_USER_INPUT names input.until", async () => {
    const id = await fresh(["EDUCATION"]);
    const ended = await app.execute(UPDATE, { id, input: { status: "ENDED" } }, app.tokens.admin);
    expect(errorCode(ended)).toBe("BAD_USER_INPUT");
    expect(ended.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual(["input.until"]);
    await app.ok(`mutation($id: ID!) { endReferral(id: $id, until: "2024-01-31") { status } }`, { id }, app.tokens.admin);
    const cleared = await app.execute(UPDATE, { id, input: { until: null } }, app.tokens.admin);
    expect(errorCode(cleared)).toBe("BAD_USER_INPUT");
    expect(cleared.errors![0].message).toMatch(/^input\.until: must be given when the status is ENDED/);
    const reopened = await app.ok(UPDATE, { id, input: { status: "ACTIVE", until: null } }, app.tokens.admin);
    expect(reopened.updateReferral).toMatchObject({ status: "ACTIVE", until: null, version: 3 });
  });

  it("when an update has four wrong fields, then one BAD_USER_INPUT lists the four and nothing changes", async () => {
    const id = await fresh(["ADMINISTRATIVE_SUPPORT"]);
    const result = await app.execute(
      UPDATE,
      { id, input: { status: null, categories: [], eligibility: { maxAge: 500 }, until: "2021-12-31" } },
      app.tokens.admin,
    );
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual([
      "input.categories",
      "input.eligibility.maxAge",
      "input.status",
      "input.until",
    ]);
    expect((await app.ok(`query($id: ID!) { referral(id: $id) { version } }`, { id })).referral.version).toBe(1);
  });

  it("when ended, then status ENDED with until, and it stays listed", async () => {
    const id = await fresh(["HOUSING"]);
    const data = await app.ok(`mutation($id: ID!) { endReferral(id: $id, until: "2024-06-30") { status until version } }`, { id }, app.tokens.editor);
    expect(data.endReferral).toEqual({ status: "ENDED", until: "2024-06-30", version: 2 });
    const ended = await app.ok(`{ referrals(filter: { statuses: [ENDED], from: "mission-locale" }) { edges { node { id } } } }`);
    expect(ended.referrals.edges.map((e: any) => e.node.id)).toContain(id);
    const early = await app.execute(`mutation($id: ID!) { endReferral(id: $id, until: "2020-01-01") { status } }`, { id }, app.tokens.editor);
    expect(errorCode(early)).toBe("BAD_USER_INPUT");
    expect(early.errors![0].message).toMatch(/until/);
  });

  it("when deleted, then gone; a second delete is NOT_FOUND", async () => {
    const id = await fresh(["MOBILITY"]);
    expect((await app.ok(`mutation($id: ID!) { deleteReferral(id: $id) }`, { id }, app.tokens.editor)).deleteReferral).toBe(true);
    expect((await app.ok(`query($id: ID!) { referral(id: $id) { id } }`, { id })).referral).toBeNull();
    expect(errorCode(await app.execute(`mutation($id: ID!) { deleteReferral(id: $id) }`, { id }, app.tokens.editor))).toBe("NOT_FOUND");
    expect(errorCode(await app.execute(`mutation { deleteReferral(id: "not-an-id") }`, {}, app.tokens.admin))).toBe("NOT_FOUND");
  });

  it("when a VIEWER or nobody tries, then FORBIDDEN or UNAUTHENTICATED and nothing changes", async () => {
    const id = await fresh(["CHILD_PROTECTION"]);
    expect(errorCode(await app.execute(UPDATE, { id, input: { description: "x" } }, app.tokens.viewer))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(`mutation($id: ID!) { endReferral(id: $id, until: "2030-01-01") { id } }`, { id }))).toBe("UNAUTHENTICATED");
    expect(errorCode(await app.execute(`mutation($id: ID!) { deleteReferral(id: $id) }`, { id }, app.tokens.viewer))).toBe("FORBIDDEN");
    const read = await app.ok(`query($id: ID!) { referral(id: $id) { version status } }`, { id });
    expect(read.referral).toEqual({ version: 1, status: "ACTIVE" });
  });
});

describe("referrals(filter)", () => {
  it("when filtering by region, categories, profile and statuses, then only matches come", async () => {
    const data = await app.ok(`{
      teruel: referrals(filter: { region: "teruel" }, first: 100) { edges { node { from { region { slug } } to { region { slug } } } } }
      language: referrals(filter: { categories: [LANGUAGE_LEARNING] }, first: 100) { edges { node { categories } } }
      young: referrals(filter: { from: "chemins-singuliers", profile: { targetGroup: RESETTLED_REFUGEE, age: 19 } }, first: 100) { edges { node { to { slug } } } }
      old: referrals(filter: { from: "chemins-singuliers", to: "mosaik", profile: { age: 30 } }) { totalCount }
      pilots: referrals(filter: { statuses: [PILOT] }, first: 100) { edges { node { status } } }
      nobody: referrals(filter: { from: "nowhere" }) { totalCount edges { cursor } }
    }`);
    expect(data.teruel.edges.length).toBeGreaterThan(0);
    for (const e of data.teruel.edges) expect([e.node.from.region?.slug, e.node.to.region?.slug]).toContain("teruel");
    expect(data.language.edges.every((e: any) => e.node.categories.includes("LANGUAGE_LEARNING"))).toBe(true);
    expect(data.young.edges.map((e: any) => e.node.to.slug)).toContain("mosaik");
    expect(data.old.totalCount).toBe(0);
    expect(data.pilots.edges.length).toBeGreaterThan(0);
    expect(data.pilots.edges.every((e: any) => e.node.status === "PILOT")).toBe(true);
    expect(data.nobody).toEqual({ totalCount: 0, edges: [] });
  });

  it("when paging, then every referral comes once", async () => {
    const total = await count("referrals");
    const seen = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const data: any = await app.ok(`query($after: String) { referrals(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after });
      for (const e of data.referrals.edges) seen.add(e.node.id);
      if (!data.referrals.pageInfo.hasNextPage) break;
      after = data.referrals.pageInfo.endCursor;
    }
    expect(seen.size).toBe(total);
  });
});
