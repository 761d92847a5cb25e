import { errorCode, startTestApp, TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const CREATE = `mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { id kind description organizations { slug } } }`;

describe("partnerships", () => {
  it("when seeded, then MOSAIK and the Mission Locale are partners, and ICMC Europe coordinates with Entraide Pierre Valdo", async () => {
    const data = await app.ok(`{
      mosaik: organization(id: "mosaik") { partnerships { kind organizations { slug } } }
      icmc: organization(id: "icmc-europe") { partnerships { kind organizations { slug } } }
    }`);
    expect(data.mosaik.partnerships).toContainEqual({ kind: "PARTNERSHIP", organizations: expect.arrayContaining([{ slug: "mission-locale" }, { slug: "mosaik" }]) });
    expect(data.icmc.partnerships.find((p: any) => p.kind === "COORDINATION").organizations.map((o: any) => o.slug).sort()).toEqual([
      "entraide-pierre-valdo",
      "icmc-europe",
    ]);
  });

  it("when an EDITOR links its region to a transnational body, then it is created and shows on both", async () => {
    const data = await app.ok(CREATE, { input: { kind: "MEMBERSHIP", organizations: ["chemins-singuliers", "icmc-europe"], description: "member" } }, app.tokens.editor);
    expect(data.createPartnership.organizations.map((o: any) => o.slug)).toEqual(["chemins-singuliers", "icmc-europe"]);
    const read = await app.ok(`{ organization(id: "icmc-europe") { partnerships { id } } }`);
    expect(read.organization.partnerships.map((p: any) => p.id)).toContain(data.createPartnership.id);
  });

  it("when the same kind links the same organizations again, then CONFLICT", async () => {
    const result = await app.execute(CREATE, { input: { kind: "PARTNERSHIP", organizations: ["mosaik", "mission-locale"] } }, app.tokens.admin);
    expect(errorCode(result)).toBe("CONFLICT");
  });

  it("when the same partnership is created several times at once, then exactly one is stored", async () => {
    const input = { kind: "FUNDING", organizations: ["chemins-singuliers", "mission-locale"] };
    const results = await Promise.all([1, 2, 3, 4].map(() => app.execute(CREATE, { input }, app.tokens.admin)));
    expect(results.map((r) => errorCode(r) ?? "OK").sort()).toEqual(["CONFLICT", "CONFLICT", "CONFLICT", "OK"]);
  });

  it("when fewer than two, a repeat or an unknown organization is given, then BAD_USER_INPUT or NOT_FOUND", async () => {
    const one = await app.execute(CREATE, { input: { kind: "FUNDING", organizations: ["mosaik"] } }, app.tokens.admin);
    expect(errorCode(one)).toBe("BAD_USER_INPUT");
    expect(one.errors![0].message).toMatch(/input\.organizations/);
    const twice = await app.execute(CREATE, { input: { kind: "FUNDING", organizations: ["mosaik", "mosaik"] } }, app.tokens.admin);
    expect(errorCode(twice)).toBe("BAD_USER_INPUT");
    const unknown = await app.execute(CREATE, { input: { kind: "FUNDING", organizations: ["mosaik", "nowhere"] } }, app.tokens.admin);
    expect(errorCode(unknown)).toBe("NOT_FOUND");
    expect(unknown.errors![0].message).toMatch(/input\.organizations\[1\]/);
  });

  it("when the description, the count and a repeat are wrong, then one BAD_USER_INPUT lists them all", async () => {
    const single = await app.execute(CREATE, { input: { kind: "FUNDING", organizations: ["mosaik"], description: "a \u0000 b" } }, app.tokens.admin);
    expect(errorCode(single)).toBe("BAD_USER_INPUT");
    expect(single.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual(["input.description", "input.organizations"]);
    const repeats = await app.execute(CREATE, { input: { kind: "FUNDING", organizations: ["mosaik", "anka", "mosaik", "anka"] } }, app.tokens.admin);
    expect(repeats.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual(["input.organizations[2]", "input.organizations[3]"]);
  });

  it("when no key, a VIEWER, or an EDITOR of neither region tries, then it is refused", async () => {
    const input = { kind: "FUNDING", organizations: ["iom-spain", "fundacion-cepaim"] };
    expect(errorCode(await app.execute(CREATE, { input }))).toBe("UNAUTHENTICATED");
    expect(errorCode(await app.execute(CREATE, { input }, app.tokens.viewer))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(CREATE, { input }, app.tokens.editor))).toBe("FORBIDDEN");
  });

  it("when deleted, then gone from its organizations; a second delete is NOT_FOUND", async () => {
    const created = await app.ok(CREATE, { input: { kind: "FUNDING", organizations: ["mosaik", "institut-don-bosco"] } }, app.tokens.admin);
    const id = created.createPartnership.id;
    expect(errorCode(await app.execute(`mutation($id: ID!) { deletePartnership(id: $id) }`, { id }, app.tokens.viewer))).toBe("FORBIDDEN");
    expect((await app.ok(`mutation($id: ID!) { deletePartnership(id: $id) }`, { id }, app.tokens.editor)).deletePartnership).toBe(true);
    const read = await app.ok(`{ organization(id: "institut-don-bosco") { partnerships { id } } }`);
    expect(read.organization.partnerships.map((p: any) => p.id)).not.toContain(id);
    expect(errorCode(await app.execute(`mutation($id: ID!) { deletePartnership(id: $id) }`, { id }, app.tokens.admin))).toBe("NOT_FOUND");
  });
});
