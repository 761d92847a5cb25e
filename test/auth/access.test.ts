import { errorCode, startTestApp, TestApp } from "../helpers/app";

describe("with READ_REQUIRES_AUTH=true", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ seed: true, env: { READ_REQUIRES_AUTH: "true" } });
  });
  afterAll(() => app.close());

  it("when a query comes without a key, then UNAUTHENTICATED", async () => {
    const result = await app.execute(`{ regions { slug } }`);
    expect(errorCode(result)).toBe("UNAUTHENTICATED");
    expect(result.errors![0].message).toMatch(/API key/);
  });

  it("when a VIEWER asks, then it reads, but may not write", async () => {
    const data = await app.ok(`{ organization(id: "mosaik") { slug } }`, {}, app.tokens.viewer);
    expect(data.organization.slug).toBe("mosaik");
    const write = await app.execute(`mutation { deleteOrganization(id: "anka") }`, {}, app.tokens.viewer);
    expect(errorCode(write)).toBe("FORBIDDEN");
  });
});

describe("reads by default", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ seed: true });
  });
  afterAll(() => app.close());

  it("when the Authorization header says Bearer with no token, then UNAUTHENTICATED says the token is missing", async () => {
    const { graphql } = await app.listen();
    const response = await fetch(graphql, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer " }, body: JSON.stringify({ query: "{ regions { slug } }" }) });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(body.errors[0].message).toMatch(/no token after it/);
  });

  it("when a query comes without a key, then it is answered", async () => {
    const data = await app.ok(`{ region(slug: "correze") { name } }`);
    expect(data.region.name).toBe("Corrèze");
  });

  it("when an EDITOR key is for Corrèze, then it may change MOSAIK but not Teruel's organizations", async () => {
    const ok = await app.ok(`mutation { updateOrganization(id: "mosaik", input: { description: "x" }) { version } }`, {}, app.tokens.editor);
    expect(ok.updateOrganization.version).toBe(2);
    const refused = await app.execute(`mutation { updateOrganization(id: "fundacion-cepaim", input: { description: "x" }) { version } }`, {}, app.tokens.editor);
    expect(errorCode(refused)).toBe("FORBIDDEN");
    expect(refused.errors![0].message).toMatch(/region/);
  });
});

describe("in production", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { NODE_ENV: "production" } });
  });
  afterAll(() => app.close());

  it("when something unexpected fails, then the client gets INTERNAL_SERVER_ERROR with a request id and no internals", async () => {
    await app.db.query(`DROP TABLE regions CASCADE`);
    const result = await app.execute(`{ regions { slug } }`);
    expect(errorCode(result)).toBe("INTERNAL_SERVER_ERROR");
    expect(result.errors![0].extensions!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const text = JSON.stringify(result);
    expect(text).not.toMatch(/regions" does not exist|SELECT|stacktrace|at .*\.ts/);
  });
});
