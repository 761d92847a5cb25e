import { errorCode, startTestApp, TestApp } from "../helpers/app";
import { countRows } from "../helpers/database";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const CREATE = `mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id slug name kind region { slug } version services { name category eligibility { targetGroups minAge maxAge } } }
}`;

const auditCount = () => countRows(app.db, "audit_log");

describe("organization(id)", () => {
  it("when given a slug or an id, then returns the same organization", async () => {
    const bySlug = await app.ok(`{ organization(id: "mosaik") { id slug name kind region { slug country } } }`);
    expect(bySlug.organization).toMatchObject({ slug: "mosaik", name: "MOSAIK", kind: "ASSOCIATION", region: { slug: "correze", country: "FR" } });
    const byId = await app.ok(`query($id: ID!) { organization(id: $id) { slug } }`, { id: bySlug.organization.id });
    expect(byId.organization.slug).toBe("mosaik");
  });

  it("when the organization does not exist, then answers null", async () => {
    const data = await app.ok(`{ organization(id: "nowhere") { id } a: organization(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    expect(data).toEqual({ organization: null, a: null });
  });

  it("when services are asked, then they come with their eligibility", async () => {
    const data = await app.ok(`{ organization(id: "mosaik") { services { name category eligibility { minAge maxAge } organization { slug } } } }`);
    const language = data.organization.services.find((s: any) => s.category === "LANGUAGE_LEARNING");
    expect(language).toMatchObject({ eligibility: { minAge: 16, maxAge: 25 }, organization: { slug: "mosaik" } });
  });
});

describe("organizations(filter, first, after)", () => {
  it("when paging, then every organization comes once, by name, with totalCount", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const data: any = await app.ok(
        `query($after: String) { organizations(first: 3, after: $after) { totalCount edges { cursor node { slug name } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      total = data.organizations.totalCount;
      seen.push(...data.organizations.edges.map((e: any) => e.node.name));
      if (!data.organizations.pageInfo.hasNextPage) break;
      after = data.organizations.pageInfo.endCursor;
    }
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    const rows: { name: string }[] = await app.db.query(`SELECT name FROM organizations ORDER BY name, id`);
    expect(seen).toEqual(rows.map((r) => r.name));
  });

  it("when filtering by region, kinds, categories, profile and search, then only matches come", async () => {
    const data = await app.ok(`{
      region: organizations(filter: { region: "correze" }, first: 100) { totalCount edges { node { region { slug } } } }
      kinds: organizations(filter: { kinds: [PUBLIC_SERVICE] }) { edges { node { slug } } }
      categories: organizations(filter: { categories: [MENTORING] }) { edges { node { slug } } }
      young: organizations(filter: { categories: [LANGUAGE_LEARNING], profile: { targetGroup: RESETTLED_REFUGEE, age: 19 } }) { edges { node { slug } } }
      migrant: organizations(filter: { categories: [MENTORING], profile: { targetGroup: MIGRANT } }) { totalCount }
      search: organizations(filter: { search: "PIERRE valdo" }) { edges { node { slug } } }
    }`);
    expect(data.region.totalCount).toBeGreaterThanOrEqual(5);
    expect(data.region.edges.every((e: any) => e.node.region.slug === "correze")).toBe(true);
    expect(data.kinds.edges.map((e: any) => e.node.slug)).toEqual(["mission-locale"]);
    expect(data.categories.edges.map((e: any) => e.node.slug)).toEqual(["institut-don-bosco"]);
    expect(data.young.edges.map((e: any) => e.node.slug)).toEqual(["mosaik"]);
    expect(data.migrant.totalCount).toBe(0);
    expect(data.search.edges.map((e: any) => e.node.slug)).toEqual(["entraide-pierre-valdo"]);
  });

  it("when categories and profile are both given, then one service must match both (docs/api.md)", async () => {
    // Its HOUSING service stops at 25; its HEALTH service admits a 30-year-old, but is no HOUSING.
    await app.ok(
      CREATE,
      {
        input: {
          name: "Two Services",
          kind: "NGO",
          region: "correze",
          services: [
            { name: "Youth", category: "HOUSING", eligibility: { maxAge: 25 } },
            { name: "Anyone", category: "HEALTH" },
          ],
        },
      },
      app.tokens.admin,
    );
    const data = await app.ok(`{ organizations(filter: { categories: [HOUSING], profile: { age: 30 } }) { edges { node { slug } } } }`);
    expect(data.organizations.edges.map((e: any) => e.node.slug)).not.toContain("two-services");
  });

  it("when searching without accents, then accented names match", async () => {
    await app.ok(CREATE, { input: { name: "Maison des Échanges Corréziens", kind: "ASSOCIATION", region: "correze" } }, app.tokens.admin);
    const data = await app.ok(`{ organizations(filter: { search: "echanges correziens" }) { edges { node { slug } } } }`);
    expect(data.organizations.edges.map((e: any) => e.node.slug)).toEqual(["maison-des-echanges-correziens"]);
  });

  it("when first is outside 1..100 or the cursor is forged, then BAD_USER_INPUT names the argument", async () => {
    const tooMany = await app.execute(`{ organizations(first: 101) { totalCount } }`);
    expect(errorCode(tooMany)).toBe("BAD_USER_INPUT");
    expect(tooMany.errors![0].message).toMatch(/first/);
    const zero = await app.execute(`{ organizations(first: 0) { totalCount } }`);
    expect(errorCode(zero)).toBe("BAD_USER_INPUT");
    const forged = await app.execute(`{ organizations(after: "not-a-cursor") { totalCount } }`);
    expect(errorCode(forged)).toBe("BAD_USER_INPUT");
    expect(forged.errors![0].message).toMatch(/^after:/);
  });
});

describe("createOrganization", () => {
  it("when an EDITOR creates in its region, then the slug is derived, services stored and the change audited", async () => {
    const before = await auditCount();
    const data = await app.ok(
      CREATE,
      {
        input: {
          name: "Secours Populaire de Tulle",
          kind: "ASSOCIATION",
          region: "correze",
          services: [{ name: "Aide alimentaire", category: "OTHER", eligibility: { targetGroups: ["ASYLUM_SEEKER", "MIGRANT"], minAge: 18 } }],
        },
      },
      app.tokens.editor,
    );
    expect(data.createOrganization).toMatchObject({
      slug: "secours-populaire-de-tulle",
      version: 1,
      region: { slug: "correze" },
      services: [{ name: "Aide alimentaire", category: "OTHER", eligibility: { targetGroups: ["ASYLUM_SEEKER", "MIGRANT"], minAge: 18, maxAge: null } }],
    });
    expect(await auditCount()).toBe(before + 1);
    const [entry] = await app.db.query(`SELECT a.action, a.entity_type, k.label FROM audit_log a JOIN api_keys k ON k.id = a.api_key_id ORDER BY a.at DESC LIMIT 1`);
    expect(entry).toEqual({ action: "create", entity_type: "organization", label: "test editor" });
  });

  it("when the slug is taken, then CONFLICT and nothing is written", async () => {
    const before = await auditCount();
    const result = await app.execute(CREATE, { input: { name: "Another", slug: "mosaik", kind: "NGO", region: "correze" } }, app.tokens.admin);
    expect(errorCode(result)).toBe("CONFLICT");
    expect(result.errors![0].message).toMatch(/slug/);
    expect(await auditCount()).toBe(before);
  });

  it("when an input is wrong, then BAD_USER_INPUT names the field and nothing is written", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: "  ", kind: "NGO", region: "correze" }, /input\.name/],
      [{ name: "X", slug: "Not A Slug", kind: "NGO", region: "correze" }, /input\.slug/],
      [{ name: "X", kind: "NGO", region: "correze", website: "not a url" }, /input\.website/],
      [{ name: "X", kind: "NGO", region: "correze", services: [{ name: "S", category: "HEALTH", eligibility: { minAge: 30, maxAge: 20 } }] }, /input\.services\[0\]\.eligibility\.minAge/],
      [{ name: "X", kind: "NGO", region: "correze", services: [{ name: "S", category: "HEALTH", eligibility: { maxAge: 121 } }] }, /maxAge/],
    ];
    const before = await auditCount();
    for (const [input, field] of cases) {
      const result = await app.execute(CREATE, { input }, app.tokens.admin);
      expect(errorCode(result)).toBe("BAD_USER_INPUT");
      expect(result.errors![0].message).toMatch(field);
    }
    expect(await auditCount()).toBe(before);
  });

  it("when a text holds a NUL character or the region is empty, then BAD_USER_INPUT names the field", async () => {
    const nul = await app.execute(CREATE, { input: { name: "Nul\u0000Org", kind: "NGO", region: "correze" } }, app.tokens.admin);
    expect(errorCode(nul)).toBe("BAD_USER_INPUT");
    expect(nul.errors![0].message).toMatch(/input\.name/);
    const search = await app.execute(`query($s: String) { organizations(filter: { search: $s }) { totalCount } }`, { s: "a\u0000" });
    expect(errorCode(search)).toBe("BAD_USER_INPUT");
    const empty = await app.execute(CREATE, { input: { name: "No Region", kind: "NGO", region: "" } }, app.tokens.admin);
    expect(errorCode(empty)).toBe("BAD_USER_INPUT");
    expect(empty.errors![0].message).toMatch(/input\.region/);
  });

  it("when the region does not exist, then NOT_FOUND names input.region", async () => {
    const result = await app.execute(CREATE, { input: { name: "X", kind: "NGO", region: "atlantis" } }, app.tokens.admin);
    expect(errorCode(result)).toBe("NOT_FOUND");
    expect(result.errors![0].message).toMatch(/atlantis.*input\.region/);
  });

  it("when there is no key, a VIEWER key, an EDITOR of another region or a transnational body, then it is refused", async () => {
    const input = { name: "Refused", kind: "NGO", region: "correze" };
    expect(errorCode(await app.execute(CREATE, { input }))).toBe("UNAUTHENTICATED");
    expect(errorCode(await app.execute(CREATE, { input }, app.tokens.viewer))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(CREATE, { input: { ...input, region: "teruel" } }, app.tokens.editor))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(CREATE, { input: { name: "Transnational", kind: "NETWORK" } }, app.tokens.editor))).toBe("FORBIDDEN");
    const admin = await app.ok(CREATE, { input: { name: "Transnational", kind: "NETWORK" } }, app.tokens.admin);
    expect(admin.createOrganization.region).toBeNull();
  });

  it("when the token is unknown or malformed, then UNAUTHENTICATED", async () => {
    const unknown = await app.execute(`{ regions { slug } }`, {}, "psl_aaaaaaaaaaaa_" + "A".repeat(43));
    expect(errorCode(unknown)).toBe("UNAUTHENTICATED");
    const malformed = await app.execute(`{ regions { slug } }`, {}, "hello");
    expect(errorCode(malformed)).toBe("UNAUTHENTICATED");
  });
});

describe("every wrong field at once", () => {
  const fieldsOf = (result: any) => result.errors[0].extensions.fields.map((f: any) => f.field);

  it("when a createOrganization has five wrong fields, then one BAD_USER_INPUT lists the five, the message naming the first", async () => {
    const before = await countRows(app.db, "organizations");
    const result = await app.execute(
      CREATE,
      {
        input: {
          name: " ",
          kind: "NGO",
          region: "correze",
          slug: "Not A Slug",
          website: "example dot org",
          services: [
            { name: "Cours", category: "LANGUAGE_LEARNING", eligibility: { minAge: 30, maxAge: 20 } },
            { name: "Stage", category: "EMPLOYMENT", eligibility: { maxAge: 300 } },
          ],
        },
      },
      app.tokens.admin,
    );
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(fieldsOf(result)).toEqual([
      "input.name",
      "input.slug",
      "input.website",
      "input.services[0].eligibility.minAge",
      "input.services[1].eligibility.maxAge",
    ]);
    expect(result.errors![0].extensions!.fields.every((f: any) => typeof f.reason === "string" && f.reason.length > 0)).toBe(true);
    expect(result.errors![0].message).toMatch(/^input\.name: must not be empty \(and 4 more wrong fields: see extensions\.fields\)$/);
    expect(await countRows(app.db, "organizations")).toBe(before);
  });

  it("when an updateOrganization has five wrong fields, then one BAD_USER_INPUT lists the five and nothing changes", async () => {
    await app.ok(CREATE, { input: { name: "Many Faults", kind: "NGO", region: "correze" } }, app.tokens.admin);
    const result = await app.execute(
      `mutation($input: UpdateOrganizationInput!) { updateOrganization(id: "many-faults", input: $input) { version } }`,
      { input: { name: "", slug: null, kind: null, website: "ftp://example.org", services: [{ name: "ok", category: "OTHER" }, { name: "", category: "OTHER" }] } },
      app.tokens.admin,
    );
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(fieldsOf(result)).toEqual(["input.name", "input.slug", "input.kind", "input.website", "input.services[1].name"]);
    expect((await app.ok(`{ organization(id: "many-faults") { name version } }`)).organization).toEqual({ name: "Many Faults", version: 1 });
  });

  it("when fields are wrong and the region does not exist, then the wrong fields come first, as they need no database", async () => {
    const result = await app.execute(CREATE, { input: { name: "", kind: "NGO", region: "atlantis", website: "nope" } }, app.tokens.admin);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(fieldsOf(result)).toEqual(["input.name", "input.website"]);
  });
});

describe("updateOrganization", () => {
  const UPDATE = `mutation($id: ID!, $input: UpdateOrganizationInput!, $v: Int) {
    updateOrganization(id: $id, input: $input, expectedVersion: $v) { slug name description version services { name } }
  }`;

  it("when the expected version matches, then the change lands and the version grows by one", async () => {
    await app.ok(CREATE, { input: { name: "Update Me", kind: "NGO", region: "correze" } }, app.tokens.admin);
    const data = await app.ok(UPDATE, { id: "update-me", input: { description: "New", services: [{ name: "Cours", category: "LANGUAGE_LEARNING" }] }, v: 1 }, app.tokens.editor);
    expect(data.updateOrganization).toMatchObject({ description: "New", version: 2, services: [{ name: "Cours" }] });
    const cleared = await app.ok(UPDATE, { id: "update-me", input: { description: null } }, app.tokens.editor);
    expect(cleared.updateOrganization).toMatchObject({ description: null, version: 3, services: [{ name: "Cours" }] });
  });

  it("when the expected version is stale, then CONFLICT and nothing changes", async () => {
    await app.ok(CREATE, { input: { name: "Stale", kind: "NGO", region: "correze" } }, app.tokens.admin);
    await app.ok(UPDATE, { id: "stale", input: { name: "Stale 2" } }, app.tokens.admin);
    const result = await app.execute(UPDATE, { id: "stale", input: { name: "Stale 3" }, v: 1 }, app.tokens.admin);
    expect(errorCode(result)).toBe("CONFLICT");
    const data = await app.ok(`{ organization(id: "stale") { name version } }`);
    expect(data.organization).toEqual({ name: "Stale 2", version: 2 });
  });

  it("when two editors update at once with the same expected version, then one wins and the other gets CONFLICT", async () => {
    await app.ok(CREATE, { input: { name: "Race", kind: "NGO", region: "correze" } }, app.tokens.admin);
    const results = await Promise.all([
      app.execute(UPDATE, { id: "race", input: { description: "A" }, v: 1 }, app.tokens.admin),
      app.execute(UPDATE, { id: "race", input: { description: "B" }, v: 1 }, app.tokens.editor),
    ]);
    const codes = results.map((r) => errorCode(r) ?? "OK").sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    const data = await app.ok(`{ organization(id: "race") { version } }`);
    expect(data.organization.version).toBe(2);
  });

  it("when the organization is unknown or the editor may not, then NOT_FOUND or FORBIDDEN", async () => {
    expect(errorCode(await app.execute(UPDATE, { id: "nowhere", input: { name: "X" } }, app.tokens.admin))).toBe("NOT_FOUND");
    expect(errorCode(await app.execute(UPDATE, { id: "icmc-europe", input: { name: "X" } }, app.tokens.editor))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(UPDATE, { id: "mosaik", input: { region: "teruel" } }, app.tokens.editor))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(UPDATE, { id: "mosaik", input: { slug: "chemins-singuliers" } }, app.tokens.admin))).toBe("CONFLICT");
    const data = await app.ok(`{ organization(id: "mosaik") { name region { slug } } }`);
    expect(data.organization).toEqual({ name: "MOSAIK", region: { slug: "correze" } });
  });
});

describe("deleteOrganization", () => {
  it("when it coordinates a platform or took part in its meetings, then CONFLICT and nothing changes", async () => {
    const coordinator = await app.execute(`mutation { deleteOrganization(id: "anka") }`, {}, app.tokens.admin);
    expect(errorCode(coordinator)).toBe("CONFLICT");
    expect(coordinator.errors![0].message).toMatch(/karditsa-platform/);
    const presenter = await app.execute(`mutation { deleteOrganization(id: "institut-don-bosco") }`, {}, app.tokens.admin);
    expect(errorCode(presenter)).toBe("CONFLICT");
    expect(presenter.errors![0].message).toMatch(/meeting/);
    expect((await app.ok(`{ organization(id: "institut-don-bosco") { slug } }`)).organization).not.toBeNull();
  });

  it("when it is in partnerships, then it leaves them, one left alone is deleted, and each change is audited", async () => {
    await app.ok(CREATE, { input: { name: "Leaving", kind: "NGO", region: "correze" } }, app.tokens.admin);
    const pair = await app.ok(`mutation { createPartnership(input: { kind: FUNDING, organizations: ["leaving", "mosaik"] }) { id } }`, {}, app.tokens.admin);
    const trio = await app.ok(
      `mutation { createPartnership(input: { kind: MEMBERSHIP, organizations: ["leaving", "mosaik", "mission-locale"] }) { id } }`,
      {},
      app.tokens.admin,
    );
    await app.ok(`mutation { deleteOrganization(id: "leaving") }`, {}, app.tokens.editor);
    const mosaik = await app.ok(`{ organization(id: "mosaik") { partnerships { id organizations { slug } } } }`);
    const ids = mosaik.organization.partnerships.map((p: any) => p.id);
    expect(ids).not.toContain(pair.createPartnership.id);
    const kept = mosaik.organization.partnerships.find((p: any) => p.id === trio.createPartnership.id);
    expect(kept.organizations.map((o: any) => o.slug)).toEqual(["mission-locale", "mosaik"]);
    const audit = await app.db.query(`SELECT action FROM audit_log WHERE entity_type = 'partnership' AND entity_id IN ($1, $2) ORDER BY action`, [
      pair.createPartnership.id,
      trio.createPartnership.id,
    ]);
    expect(audit.map((a: any) => a.action)).toEqual(["create", "create", "delete", "update"]);
  });

  it("when it still has referrals, then CONFLICT", async () => {
    const result = await app.execute(`mutation { deleteOrganization(id: "mosaik") }`, {}, app.tokens.admin);
    expect(errorCode(result)).toBe("CONFLICT");
    expect(result.errors![0].message).toMatch(/referral/);
  });

  it("when it has none, then it is gone, with its services", async () => {
    await app.ok(CREATE, { input: { name: "Gone Soon", kind: "NGO", region: "correze", services: [{ name: "S", category: "HEALTH" }] } }, app.tokens.admin);
    const data = await app.ok(`mutation { deleteOrganization(id: "gone-soon") }`, {}, app.tokens.editor);
    expect(data.deleteOrganization).toBe(true);
    expect((await app.ok(`{ organization(id: "gone-soon") { id } }`)).organization).toBeNull();
    const [row] = await app.db.query(`SELECT count(*)::int AS n FROM services s LEFT JOIN organizations o ON o.id = s.organization_id WHERE o.id IS NULL`);
    expect(row.n).toBe(0);
    expect(errorCode(await app.execute(`mutation { deleteOrganization(id: "gone-soon") }`, {}, app.tokens.admin))).toBe("NOT_FOUND");
  });
});
