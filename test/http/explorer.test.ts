import fs from "node:fs";
import path from "node:path";
import { startTestApp, TestApp } from "../helpers/app";
import { ROOT } from "../../src/root";

// The explorer page is served by the API server with everything it needs (no CDN: it works
// offline), under a content security policy that allows this server only. The page's behaviour
// in a browser is tested in test/browser/.
let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen()).base;
});
afterAll(() => app.close());

describe("/explorer", () => {
  it("when the page is asked, then it and every file it loads are served from here, with a strict content security policy", async () => {
    const page = await fetch(`${base}/explorer`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'self'; script-src 'self'/);
    const html = await page.text();
    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(loaded.filter((url) => url !== "data:,").sort()).toEqual(["/explorer/cytoscape.min.js", "/explorer/explorer.css", "/explorer/explorer.js"]);
    for (const url of loaded.filter((u) => u !== "data:,")) {
      const response = await fetch(`${base}${url}`);
      expect(response.status).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(500);
    }
    const script = await (await fetch(`${base}/explorer/cytoscape.min.js`)).text();
    expect(script).toContain("cytoscape");
  });

  it("when its own files are read, then they name no other site to load from", () => {
    for (const name of ["index.html", "explorer.js", "explorer.css"]) {
      const text = fs.readFileSync(path.join(ROOT, "src", "explorer", name), "utf8");
      expect(text).not.toMatch(/(src|href)="https?:|url\(https?:|fetch\("https?:/);
    }
  });

  it("when a file is asked again with its validator, then 304 without a body", async () => {
    const first = await fetch(`${base}/explorer/cytoscape.min.js`);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${base}/explorer/cytoscape.min.js`, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("when a file that is not the explorer's is asked, or with POST, then 404 or 405", async () => {
    expect((await fetch(`${base}/explorer/../package.json`)).status).toBe(404);
    expect((await fetch(`${base}/explorer/secret.js`)).status).toBe(404);
    expect((await fetch(`${base}/explorer`, { method: "POST" })).status).toBe(405);
  });
});
