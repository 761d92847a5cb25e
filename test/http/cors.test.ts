import { startTestApp, TestApp } from "../helpers/app";
import { ConfigError, loadConfig } from "../../src/config/index";

// CORS_ORIGINS: a dashboard served from a listed origin may query from a browser (preflight
// answered, Access-Control-Allow-Origin on the answers); any other origin gets no CORS header.

const DASHBOARD = "https://dash.example.org";
let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen({ CORS_ORIGINS: `${DASHBOARD}, http://localhost:5173` })).base;
});
afterAll(() => app.close());

const preflight = (origin: string, path = "/graphql") =>
  fetch(`${base}${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
  });

describe("CORS", () => {
  it("when a listed origin sends a preflight, then 204 allows POST, GET and the headers a GraphQL client sends", async () => {
    const response = await preflight(DASHBOARD);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(DASHBOARD);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    const allowed = response.headers.get("access-control-allow-headers")!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["content-type", "authorization", "apollo-require-preflight"]));
    expect(Number(response.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    expect(response.headers.get("vary")).toMatch(/Origin/);
  });

  it("when a listed origin POSTs a query as JSON, then Apollo's CSRF prevention lets it through and the answer names the origin", async () => {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { origin: "http://localhost:5173", "content-type": "application/json" },
      body: JSON.stringify({ query: `{ organization(id: "mosaik") { name } }` }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { organization: { name: "MOSAIK" } } });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(response.headers.get("access-control-expose-headers")).toMatch(/x-request-id/);
    expect(response.headers.get("vary")).toMatch(/Origin/);
  });

  it("when a listed origin gets an error or an export, then the answer carries the CORS headers too", async () => {
    const refused = await fetch(`${base}/nothing`, { headers: { origin: DASHBOARD } });
    expect(refused.status).toBe(404);
    expect(refused.headers.get("access-control-allow-origin")).toBe(DASHBOARD);
    const exported = await fetch(`${base}/export/network.json`, { headers: { origin: DASHBOARD } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("access-control-allow-origin")).toBe(DASHBOARD);
  });

  it("when another origin sends a preflight or a query, then no CORS header is given", async () => {
    const response = await preflight("https://evil.example.com");
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(((await response.json()) as any).errors[0].message).toContain("CORS_ORIGINS");
    const query = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { origin: "https://evil.example.com", "content-type": "application/json" },
      body: JSON.stringify({ query: "{ regions { slug } }" }),
    });
    expect(query.headers.get("access-control-allow-origin")).toBeNull();
    expect(query.headers.get("access-control-allow-methods")).toBeNull();
  });

  it("when CORS_ORIGINS is not set, then a preflight gets no CORS header", async () => {
    const { base: plain } = await app.listen();
    const response = await fetch(`${plain}/graphql`, { method: "OPTIONS", headers: { origin: DASHBOARD, "access-control-request-method": "POST" } });
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("when CORS_ORIGINS holds something that is not an origin, then the start is refused naming the setting", () => {
    for (const bad of ["*", "dash.example.org", "https://dash.example.org/", "https://dash.example.org/app", "ftp://x.org"]) {
      expect(() => loadConfig({ CORS_ORIGINS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
    }
    expect(() => loadConfig({ CORS_ORIGINS: "https://dash.example.org/" })).toThrow(/did you mean https:\/\/dash\.example\.org\?/);
    expect(loadConfig({ CORS_ORIGINS: "https://a.example.org,http://127.0.0.1:8080" }).corsOrigins).toEqual(["https://a.example.org", "http://127.0.0.1:8080"]);
  });
});
