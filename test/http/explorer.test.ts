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
  it("when /explorer is asked, then it is sent on to /explorer/ with its query, as the page's addresses are relative (it works behind a path prefix)", async () => {
    const bare = await fetch(`${base}/explorer?region=correze&age=19`, { redirect: "manual" });
    expect(bare.status).toBe(302);
    expect(bare.headers.get("location")).toBe("explorer/?region=correze&age=19");
    expect((await fetch(`${base}/explorer`, { redirect: "manual" })).headers.get("location")).toBe("explorer/");
  });

  it("when the page is asked, then it and every file it loads, and every module those import, are served from here, with a strict content security policy", async () => {
    const page = await fetch(`${base}/explorer/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'self'; script-src 'self'/);
    const html = await page.text();
    const loaded = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]).filter((url) => url !== "data:,");
    expect(loaded.sort()).toEqual(["cose-base.js", "cytoscape-fcose.js", "cytoscape.min.js", "explorer.css", "explorer.js", "layout-base.js"]);
    const seen = new Set<string>();
    const fetchAll = async (name: string): Promise<void> => {
      if (seen.has(name)) return;
      seen.add(name);
      const response = await fetch(`${base}/explorer/${name}`);
      expect([name, response.status]).toEqual([name, 200]);
      expect(response.headers.get("content-type")).toMatch(name.endsWith(".css") ? /^text\/css/ : /^text\/javascript/);
      const text = await response.text();
      expect(text.length).toBeGreaterThan(500);
      for (const imported of text.matchAll(/^import .* from "\.\/([\w-]+\.js)";$/gm)) await fetchAll(imported[1]);
    };
    for (const url of loaded) await fetchAll(url);
    expect([...seen].sort()).toEqual(["analyses.js", "api.js", "cose-base.js", "cytoscape-fcose.js", "cytoscape.min.js", "dom.js", "explorer.css", "explorer.js", "graph.js", "layout-base.js", "views.js", "words.js"]);
  });

  it("when its own files are read, then they name no other site to load from", () => {
    const dir = path.join(ROOT, "src", "explorer");
    const names = fs.readdirSync(dir).filter((name) => /\.(html|js|css)$/.test(name));
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) {
      const text = fs.readFileSync(path.join(dir, name), "utf8");
      expect([name, text.match(/(src|href)="https?:|url\(https?:|fetch\("https?:|"\/(graphql|export|explorer)/)?.[0] ?? null]).toEqual([name, null]);
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

describe("the explorer's words", () => {
  it("when the schema has a code people read (kinds, target groups, categories, statuses, partnership kinds), then words.js labels it in all five languages", () => {
    const schema = fs.readFileSync(path.join(ROOT, "schema", "schema.graphql"), "utf8");
    const codes = ["OrganizationKind", "TargetGroup", "ServiceCategory", "ReferralStatus", "PartnershipKind"].flatMap((name) => {
      const body = schema.match(new RegExp(`enum ${name} \\{([^}]*)\\}`))![1];
      return body.split("\n").map((line) => line.trim()).filter((line) => /^[A-Z_]+$/.test(line));
    });
    expect(codes.length).toBeGreaterThan(35);
    const words = fs.readFileSync(path.join(ROOT, "src", "explorer", "words.js"), "utf8");
    const labelled = new Map([...words.matchAll(/^ {2}([A-Z_]+): (\[.*\]),$/gm)].map((m) => [m[1], JSON.parse(m[2]) as string[]]));
    for (const code of codes) expect([code, labelled.get(code)?.filter((label) => label.length > 0).length]).toEqual([code, 5]);
    // The lists the page offers (kinds, target groups, categories) hold every value of their enum.
    for (const [group, name] of [["kinds", "OrganizationKind"], ["targetGroups", "TargetGroup"], ["categories", "ServiceCategory"]]) {
      const offered = JSON.parse(words.match(new RegExp(`${group}: (\\[[^\\]]*\\])`))![1].replace(/\s+/g, " ").replace(/,\s*\]/, "]")) as string[];
      const values = schema.match(new RegExp(`enum ${name} \\{([^}]*)\\}`))![1].split("\n").map((l) => l.trim()).filter((l) => /^[A-Z_]+$/.test(l));
      expect([group, [...offered].sort()]).toEqual([group, [...values].sort()]);
    }
  });
});
