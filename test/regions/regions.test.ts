import { errorCode, startTestApp, TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const CREATE = `mutation($input: CreateRegionInput!) { createRegion(input: $input) { id slug name country nutsCode } }`;

describe("regions", () => {
  it("when listed, then the Share SIRA regions of four countries come by name", async () => {
    const data = await app.ok(`{ regions { slug name country nutsCode } }`);
    const slugs = data.regions.map((r: any) => r.slug);
    expect(slugs).toEqual(expect.arrayContaining(["correze", "vaucluse", "saone-et-loire", "isere", "soria", "teruel", "lower-silesia", "mazovia", "karditsa"]));
    expect(new Set(data.regions.map((r: any) => r.country))).toEqual(new Set(["FR", "ES", "PL", "GR"]));
    expect(data.regions.find((r: any) => r.slug === "teruel").nutsCode).toBe("ES242");
    const names = data.regions.map((r: any) => r.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it("when asked by slug, then the region or null", async () => {
    const data = await app.ok(`{ correze: region(slug: "correze") { name country } none: region(slug: "atlantis") { name } }`);
    expect(data).toEqual({ correze: { name: "Corrèze", country: "FR" }, none: null });
  });
});

describe("createRegion", () => {
  it("when four fields are wrong, then one BAD_USER_INPUT lists the four", async () => {
    const result = await app.execute(CREATE, { input: { slug: "Haute Vienne", name: "", country: "fr", nutsCode: "x" } }, app.tokens.admin);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual(["input.slug", "input.name", "input.country", "input.nutsCode"]);
    expect(result.errors![0].message).toMatch(/^input\.slug: /);
  });

  it("when an ADMIN creates one, then it is listed", async () => {
    const data = await app.ok(CREATE, { input: { slug: "creuse", name: "Creuse", country: "FR", nutsCode: "FRI22" } }, app.tokens.admin);
    expect(data.createRegion).toMatchObject({ slug: "creuse", name: "Creuse", country: "FR", nutsCode: "FRI22" });
    expect((await app.ok(`{ region(slug: "creuse") { slug } }`)).region.slug).toBe("creuse");
  });

  it("when an EDITOR, a VIEWER or nobody tries, then FORBIDDEN or UNAUTHENTICATED", async () => {
    const input = { slug: "cantal", name: "Cantal", country: "FR" };
    expect(errorCode(await app.execute(CREATE, { input }, app.tokens.editor))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(CREATE, { input }, app.tokens.viewer))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(CREATE, { input }))).toBe("UNAUTHENTICATED");
    expect((await app.ok(`{ region(slug: "cantal") { slug } }`)).region).toBeNull();
  });

  it.each([
    [{ slug: "Bad Slug", name: "X", country: "FR" }, /input\.slug/],
    [{ slug: "x1", name: " ", country: "FR" }, /input\.name/],
    [{ slug: "x2", name: "X", country: "France" }, /input\.country/],
    [{ slug: "x3", name: "X", country: "FR", nutsCode: "somewhere" }, /input\.nutsCode/],
  ])("when the input is %j, then BAD_USER_INPUT names the field", async (input, field) => {
    const result = await app.execute(CREATE, { input }, app.tokens.admin);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0].message).toMatch(field);
  });

  it("when the slug is taken, then CONFLICT", async () => {
    const result = await app.execute(CREATE, { input: { slug: "correze", name: "Corrèze again", country: "FR" } }, app.tokens.admin);
    expect(errorCode(result)).toBe("CONFLICT");
    expect(result.errors![0].message).toMatch(/slug/);
  });
});
