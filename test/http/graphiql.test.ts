import http from "node:http";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startTestApp, TestApp } from "../helpers/app";
import { ROOT } from "../../src/root";

/** The status of GET `rawPath` sent to `base` exactly as written. */
function rawStatus(base: string, rawPath: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: rawPath, method: "GET" }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    request.on("error", reject);
    request.end();
  });
}

// GET /graphql from a browser, outside production: GraphiQL, served with everything it loads by
// this server (no CDN), under a content security policy without inline script or eval. In
// production the same visit gets today's 400; queries sent with GET run as before, everywhere.
// Its behaviour in a browser is tested in test/browser/graphiql.test.ts.

let app: TestApp;
let development: string;
let production: string;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  development = (await app.listen({ NODE_ENV: "development" })).base;
  production = (await app.listen({ NODE_ENV: "production" })).base;
});
afterAll(() => app.close());

/** What a browser's address bar sends. */
const BROWSER = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
/** An installed package's file, as on disk. */
const installed = (name: string, file: string) => fs.readFileSync(path.join(path.dirname(require.resolve(`${name}/package.json`)), file));
const regions = encodeURIComponent("{ regions { slug } }");

describe("GET /graphql from a browser, outside production", () => {
  it("when the page is asked, then it is GraphiQL under a policy allowing this server only, with no inline script", async () => {
    const page = await fetch(`${development}/graphql`, { headers: BROWSER });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toMatch(/default-src 'self'; script-src 'self';/);
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    const html = await page.text();
    expect(html).toContain("<title>Passerelle — GraphiQL</title>");
    // Every script is a file of this server: none inline, which the policy would refuse anyway.
    expect([...html.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)].every(([, attributes, body]) => /src="/.test(attributes) && body.trim() === "")).toBe(true);
  });

  it("when every file the page names is asked, relative to the page, then this server answers it with its content type", async () => {
    const html = await (await fetch(`${development}/graphql`, { headers: BROWSER })).text();
    const named = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((url) => url !== "data:,");
    // Relative, so that the page works behind a path prefix: none starts with / or a scheme.
    expect(named.filter((url) => /^(\/|[a-z]+:)/.test(url))).toEqual([]);
    const types: Record<string, RegExp> = { js: /^text\/javascript/, css: /^text\/css/, md: /^text\/plain; charset=utf-8$/ };
    const answered: Record<string, string> = {};
    for (const url of named) {
      const address = new URL(url, `${development}/graphql`).href;
      expect(address.startsWith(`${development}/`)).toBe(true);
      const response = await fetch(address);
      expect(response.status).toBe(200);
      const type = response.headers.get("content-type")!;
      const extension = /\.(\w+)$/.exec(url)?.[1];
      expect(type).toMatch(extension ? types[extension] : /^text\/html/);
      answered[url] = await response.text();
    }
    expect(Object.keys(answered).sort()).toEqual([
      "docs/api.md",
      "explorer",
      "graphiql/graphiql.min.css",
      "graphiql/graphiql.min.js",
      "graphiql/page.css",
      "graphiql/react-dom.production.min.js",
      "graphiql/react.production.min.js",
      "graphiql/start.js",
    ]);
    // The installed packages' browser builds, as they are.
    expect(answered["graphiql/graphiql.min.js"]).toBe(installed("graphiql", "graphiql.min.js").toString());
    expect(answered["graphiql/graphiql.min.css"]).toBe(installed("graphiql", "graphiql.min.css").toString());
    expect(answered["graphiql/react.production.min.js"]).toBe(installed("react", "umd/react.production.min.js").toString());
    expect(answered["graphiql/react-dom.production.min.js"]).toBe(installed("react-dom", "umd/react-dom.production.min.js").toString());
    expect(answered["docs/api.md"]).toBe(fs.readFileSync(path.join(ROOT, "docs", "api.md"), "utf8"));
    expect(answered["explorer"]).toContain("network explorer");
    // The reference's own links to files of the repository answer from where it is served.
    const links = [...answered["docs/api.md"].matchAll(/\]\(((?:\.\.?\/)[^)#]+)\)/g)].map((m) => m[1]);
    expect(links).toContain("../schema/schema.graphql");
    for (const link of links) {
      const response = await fetch(new URL(link, `${development}/docs/api.md`));
      expect([link, response.status]).toEqual([link, 200]);
      expect(await response.text()).toBe(fs.readFileSync(path.join(ROOT, "docs", link), "utf8"));
    }
  });

  it("when our own files are read, then they name no other site to load from", () => {
    for (const name of ["index.html", "start.js", "page.css"]) {
      const text = fs.readFileSync(path.join(ROOT, "src", "graphiql", name), "utf8");
      expect(text).not.toMatch(/(src|href)="(https?:)?\/\/|url\((https?:)?\/\/|url:\s*["'`]https?:/);
    }
  });

  it("when a file is asked again with its validator, then 304; with POST, 405; one not GraphiQL's, 404", async () => {
    const first = await fetch(`${development}/graphiql/graphiql.min.js`);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await fetch(`${development}/graphiql/graphiql.min.js`, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await fetch(`${development}/graphiql/graphiql.min.js`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${development}/graphiql/graphiql.min.js.map`)).status).toBe(404);
    // Sent as written (fetch would resolve the dots before sending): the server sees them.
    for (const raw of ["/graphiql/../package.json", "/graphiql/%2e%2e/package.json", "/explorer/../package.json", "/explorer/%2E%2E/src/main.ts"]) {
      expect([raw, await rawStatus(development, raw)]).toEqual([raw, 404]);
    }
  });

  it("when the address holds a query but not the preflight header a browser cannot send, then the page too (it opens the query)", async () => {
    const page = await fetch(`${development}/graphql?query=${regions}`, { headers: BROWSER });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("when GraphiQL's packages are not installed (npm ci --omit=dev), then the page is a 500 saying so, and the server still starts", () => {
    // The server's own module, with graphiql, react and react-dom unresolvable, in a process of its own.
    const script = `
      const Module = require("node:module");
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (/^(graphiql|react|react-dom)\\//.test(request)) throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: "MODULE_NOT_FOUND" });
        return resolve.call(this, request, ...rest);
      };
      const http = require("node:http");
      const { serveGraphiQL } = require(${JSON.stringify(path.join(ROOT, "dist", "src", "graphiql", "serve.js"))});
      const server = http.createServer((q, s) => serveGraphiQL(new URL(q.url, "http://x").pathname, q, s));
      server.listen(0, "127.0.0.1", async () => {
        const base = "http://127.0.0.1:" + server.address().port;
        const page = await fetch(base + "/graphql");
        const script = await fetch(base + "/graphiql/graphiql.min.js");
        const own = await fetch(base + "/graphiql/start.js");
        console.log(JSON.stringify({ page: page.status, body: await page.json(), script: script.status, own: own.status }));
        server.close();
      });`;
    const answer = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 }));
    expect(answer).toMatchObject({ page: 500, script: 500, own: 200 });
    expect(answer.body.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(answer.body.errors[0].message).toMatch(/not installed[\s\S]*devDependencies[\s\S]*npm ci --omit=dev[\s\S]*POST them to \/graphql/);
  });
});

describe("GET /graphql in production", () => {
  it("when a browser asks it, then the 400 that says to POST, as before; GraphiQL's files and the reference are not there", async () => {
    const visit = await fetch(`${production}/graphql`, { headers: BROWSER });
    expect(visit.status).toBe(400);
    expect(visit.headers.get("content-type")).toMatch(/^application\/json/);
    const body: any = await visit.json();
    expect(body.errors[0].message).toMatch(/GET \/graphql needs a \?query= parameter; better, POST the operation as JSON/);
    for (const file of ["/graphiql/graphiql.min.js", "/graphiql/start.js", "/docs/api.md", "/schema/schema.graphql"]) {
      expect((await fetch(`${production}${file}`)).status).toBe(404);
    }
    const asked = await fetch(`${production}/graphql?query=${regions}`, { headers: BROWSER });
    expect(asked.status).toBe(400);
    expect(((await asked.json()) as any).errors[0].extensions.fields[0].field).toBe("apollo-require-preflight");
  });
});

describe("GET /graphql?query= still runs queries", () => {
  it.each([
    ["outside production", () => development],
    ["in production", () => production],
  ])("when a client sends one %s, then it is answered, even asking for HTML besides JSON", async (_where, base) => {
    for (const accept of [undefined, "application/json", "application/graphql-response+json", "text/html, application/json"]) {
      const response = await fetch(`${base()}/graphql?query=${regions}`, { headers: { "apollo-require-preflight": "1", ...(accept ? { accept } : {}) } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/(graphql-response\+)?json/);
      const body: any = await response.json();
      expect(body.data.regions.map((r: { slug: string }) => r.slug)).toContain("correze");
    }
    const typename = await fetch(`${base()}/graphql?query={__typename}`, { headers: { "apollo-require-preflight": "1" } });
    expect(await typename.json()).toEqual({ data: { __typename: "Query" } });
  });
});
