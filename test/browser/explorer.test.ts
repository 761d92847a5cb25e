import fs from "node:fs";
import http from "node:http";
import { Browser } from "playwright-core";
import { XMLParser } from "fast-xml-parser";
import { startTestApp, TestApp } from "../helpers/app";
import { drawn, launchChromium, openPage, screenshot, settled, tap } from "../helpers/browser";

// The explorer in a real browser, as a platform coordinator uses it on the Corrèze seed: the graph,
// search, the table, an organization's neighbourhood and closure, pathways, the analyses, in
// French and English, with a key when reads need one, behind a path prefix, and downloads.
// The 1,000-organization region and the accessibility pass are in explorer-scale.test.ts.
const UNLIMITED = { GRAPH_RATE_LIMIT: "0", WRITE_RATE_LIMIT: "0" };

let app: TestApp;
let base: string;
let browser: Browser;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen(UNLIMITED)).base;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app.close();
});

async function explorer(path = "explorer?region=correze", options = {}) {
  const watched = await openPage(browser, base, options);
  await watched.page.goto(`${base}/${path}`);
  await settled(watched.page);
  return watched;
}

describe("the network explorer in Chromium", () => {
  it("when opened, then the Corrèze graph is drawn with its partnership and a legend; pathways for a 19-year-old resettled refugee highlight Chemins Singuliers → MOSAIK", async () => {
    const { page, problems, close } = await explorer();
    expect(await drawn(page)).toEqual(["chemins-singuliers", "entraide-pierre-valdo", "institut-don-bosco", "mission-locale", "mosaik"]);
    expect(await page.evaluate(() => (globalThis as any).passerelleGraph.edges().not(".membership").length)).toBe(1);
    // The partnership of MOSAIK and the Mission Locale: a diamond joined to both, no arrow.
    expect(await page.evaluate(() => (globalThis as any).passerelleGraph.nodes(".partnership").connectedEdges().connectedNodes("[slug]").map((n: any) => n.data("slug")).sort())).toEqual(["mission-locale", "mosaik"]);
    const legend = await page.textContent("#legend");
    expect(legend).toContain("Association");
    expect(legend).toContain("pilot referral (dashed)");
    expect(legend).toContain("partnership (no arrow)");
    expect(legend).toContain("on a pathway found");

    await page.selectOption("#targetGroup", "RESETTLED_REFUGEE");
    await page.fill("#age", "19");
    await page.click("#filters button[type=submit]");
    await settled(page);
    expect(new URL(page.url()).search).toBe("?region=correze&targetGroup=RESETTLED_REFUGEE&age=19");
    await page.selectOption("#from", { label: "Chemins Singuliers" });
    await page.selectOption("#category", "LANGUAGE_LEARNING");
    await page.click("#find");
    await page.waitForSelector("#pathways li");
    expect(await page.textContent("#pathways")).toBe("Chemins Singuliers → MOSAIK");
    expect(await drawn(page, ".on-pathway")).toEqual(["chemins-singuliers", "mosaik"]);
    await screenshot(page, "explorer");
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it("when an organization is clicked, then its details show in words; its neighbourhood can be focused, and its closure shows what the region loses", async () => {
    const { page, problems, close } = await explorer();
    await tap(page, "mosaik");
    await page.waitForSelector("#details h2");
    const details = await page.textContent("#details");
    expect(details).toMatch(/MOSAIK[\s\S]*Language learning[\s\S]*Receives people from[\s\S]*Chemins Singuliers: [^(]*\(Active; Resettled refugee, 16–25 years; never confirmed\)/);
    expect(details).not.toMatch(/LANGUAGE_LEARNING|RESETTLED_REFUGEE/);

    await page.selectOption("#focus-direction", "in");
    await page.click("#focus");
    expect(await drawn(page, ".in-focus")).toEqual(["chemins-singuliers", "mosaik"]);
    expect(await drawn(page, ".dimmed")).toEqual(["entraide-pierre-valdo", "institut-don-bosco", "mission-locale"]);

    await page.click("#closure");
    await page.waitForSelector("#closure-impact h3");
    const impact = await page.textContent("#closure-impact");
    expect(impact).toContain("If MOSAIK closes");
    expect(impact).toMatch(/Routes lost.*Chemins Singuliers → Language learning/);
    expect(impact).toMatch(/Left without any referral.*Chemins Singuliers/);
    expect(await drawn(page, ".closed")).toEqual(["mosaik"]);
    await screenshot(page, "explorer-closure");
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it("when a name is searched without its accents, then the API's search finds it and picking it shows it", async () => {
    const { page, problems, close } = await explorer();
    await page.fill("#search", "entraide pierre");
    await page.waitForSelector("#search-results button");
    expect(await page.textContent("#search-results")).toBe("Entraide Pierre Valdo");
    await page.click("#search-results button");
    await page.waitForSelector("#details h2");
    expect(await page.textContent("#details h2")).toBe("Entraide Pierre Valdo");
    // A body of no region (transnational): every region is shown, where it is drawn.
    await page.fill("#search", "icmc");
    await page.waitForFunction(() => (globalThis as any).document.querySelector("#search-results button")?.textContent.startsWith("ICMC Europe"));
    expect(await page.textContent("#search-results")).toBe("ICMC Europe (no region: shown with all regions)");
    await page.click("#search-results button");
    await page.waitForFunction(() => (globalThis as any).document.querySelector("#details h2")?.textContent === "ICMC Europe");
    expect(await page.inputValue("#region")).toBe("");
    expect(await drawn(page, ":selected")).toEqual(["icmc-europe"]);
    await page.fill("#search", "zzzz");
    await page.waitForSelector("#search-results li:not(:has(button))");
    expect(await page.textContent("#search-results")).toBe("No organization matches “zzzz”.");
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it("when the table is shown, then it lists the organizations with kinds, services and referrals, sorts by a heading, and downloads as CSV", async () => {
    const { page, problems, close } = await explorer("explorer?region=correze&view=table");
    const names = () => page.$$eval("table.organizations tbody th", (cells) => cells.map((c) => c.textContent));
    expect(await names()).toEqual(["Chemins Singuliers", "Entraide Pierre Valdo", "Institut Don Bosco", "Mission Locale", "MOSAIK"]);
    const mosaik = await page.$$eval("table.organizations tbody tr", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)).find((r) => r[0] === "MOSAIK"));
    expect(mosaik).toEqual(["MOSAIK", "Association", expect.stringContaining("Language learning"), "1", "0"]);
    await page.click("th:nth-child(4) button"); // referrals in, fewest first
    await page.click("th:nth-child(4) button"); // then most first
    expect((await names())[0]).toBe("MOSAIK");
    expect(await page.getAttribute("th:nth-child(4)", "aria-sort")).toBe("descending");

    const [file] = await Promise.all([page.waitForEvent("download"), page.click("[data-download=csv]")]);
    expect(file.suggestedFilename()).toBe("organizations-correze.csv");
    const text = fs.readFileSync((await file.path())!, "utf8");
    const lines = text.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe("slug,Name,Kind,Services,Referrals in,Referrals out");
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^mosaik,MOSAIK,Association,"Language learning, [^"]*",1,0$/);
    await screenshot(page, "explorer-table");
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it("when GraphML is downloaded with filters, then the file is the filtered network with names as labels", async () => {
    const { page, problems, close } = await explorer("explorer?region=correze&targetGroup=RESETTLED_REFUGEE&age=19");
    const [file] = await Promise.all([page.waitForEvent("download"), page.click("[data-download=graphml]")]);
    expect(file.suggestedFilename()).toBe("network-correze-resettled-refugee-age-19.graphml");
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ["node", "data", "key", "edge"].includes(name) }).parse(fs.readFileSync((await file.path())!, "utf8"));
    expect(xml.graphml.graph.desc).toMatch(/^Referral network of region correze for RESETTLED_REFUGEE aged 19 as of \d{4}-\d{2}-\d{2} \(Passerelle export\)$/);
    const labelKey = xml.graphml.key.find((k: any) => k["@_for"] === "node" && k["@_attr.name"] === "label")["@_id"];
    const labels = xml.graphml.graph.node.map((n: any) => n.data.find((d: any) => d["@_key"] === labelKey)["#text"]).sort();
    expect(labels).toEqual(["Chemins Singuliers", "Entraide Pierre Valdo", "Institut Don Bosco", "MOSAIK", "Mission Locale"]); // code-unit order
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it("when the analyses are shown, then the coverage heat table marks gaps, age cliffs follow the slider, the network health is in figures and the roundtables list what changed", async () => {
    const { page, problems, close } = await explorer("explorer?region=correze&targetGroup=RESETTLED_REFUGEE&age=19");
    await page.click("#tab-coverage");
    await page.waitForSelector("table.coverage");
    const cell = (category: string, group: string) => page.getAttribute(`td[data-category=${category}][data-group=${group}]`, "class");
    expect(await cell("LANGUAGE_LEARNING", "RESETTLED_REFUGEE")).toBe("heat single");
    expect(await cell("HOUSING", "RESETTLED_REFUGEE")).toBe("heat gap");
    expect(await page.textContent("#coverage-view h2")).toBe("Providers of each service, per target group, at age 19");
    await screenshot(page, "explorer-coverage");

    await page.click("#tab-cliffs");
    await page.waitForSelector("ol.cliffs, #cliffs-result p");
    await page.fill("#cliffs-age", "26");
    expect(await page.textContent("#cliffs-result")).toContain("At 26, Language learning: 1 → 0 providers — no longer admitted by MOSAIK");
    await page.fill("#cliffs-age", "20");
    expect(await page.textContent("#cliffs-result")).not.toContain("At 26");
    await screenshot(page, "explorer-cliffs");

    await page.click("#tab-summary");
    await page.waitForSelector("dl.figures");
    expect(await page.textContent("[data-figure=organizations]")).toBe("5");
    expect(await page.textContent("[data-figure=components]")).toBe("4");
    // Each figure says what it means, in words (no sentence missing from words.js).
    expect(await page.$$eval("dl.figures .hint", (hints) => hints.length)).toBe(8);
    expect(await page.textContent("#summary-view")).toContain("of all the possible pairs (A sends to B), how many are used");
    expect(await page.textContent("#summary-view")).not.toMatch(/Help/);

    await page.click("#tab-changes");
    await page.waitForSelector("section.meeting");
    expect(await page.textContent("#changes-view")).toMatch(/Third roundtable[^,]*, January 27, 2022/);
    await screenshot(page, "explorer-changes");
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it("when the browser reads French, then codes and dates are in French, and the switch turns the page to English", async () => {
    const { page, problems, close } = await explorer("explorer?region=correze&view=changes", { locale: "fr-FR" });
    await page.waitForSelector("section.meeting");
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    expect(await page.$$eval("#targetGroup option", (o) => o.map((x) => x.textContent))).toContain("Réfugié réinstallé");
    // A French spreadsheet expects ";" between columns, and the headings in French.
    const [file] = await Promise.all([page.waitForEvent("download"), page.click("[data-download=csv]")]);
    expect(fs.readFileSync((await file.path())!, "utf8").split("\r\n")[0]).toBe("\uFEFFslug;Nom;Type;Services;Orientations reçues;Orientations émises");
    expect(await page.textContent("#changes-view")).toContain("27 janvier 2022");
    expect(await page.textContent("#tab-graph")).toBe("Graphe");
    await page.selectOption("#language", "en");
    await page.waitForFunction(() => (globalThis as any).document.querySelector("#tab-graph").textContent === "Graph");
    await page.waitForFunction(() => (globalThis as any).document.querySelector("#changes-view").textContent.includes("January 27, 2022"));
    expect(await page.$$eval("#targetGroup option", (o) => o.map((x) => x.textContent))).toContain("Resettled refugee");
    // What was drawn in French is drawn again in English: the coverage's choice, an organization's details.
    await page.click("#tab-coverage");
    await page.waitForSelector("table.coverage");
    await page.selectOption("#language", "fr");
    await page.waitForFunction(() => (globalThis as any).document.querySelector("#tab-graph").textContent === "Graphe");
    expect(await page.textContent("#coverage-from option:first-child")).toBe("partout sur le territoire");
    expect(await page.textContent("#coverage-result h2")).toBe("Structures offrant chaque service, par public, à tout âge");
    await tap(page, "mosaik");
    await page.waitForSelector("#details h2");
    expect(await page.textContent("#details")).toContain("Reçoit de");
    await page.selectOption("#language", "en");
    expect(await page.textContent("#coverage-from option:first-child")).toBe("anywhere in the region");
    expect(await page.textContent("#coverage-result h2")).toBe("Providers of each service, per target group, at any age");
    expect(await page.textContent("#details")).toContain("Receives people from");
    await page.selectOption("#language", "el");
    expect(await page.$$eval("#category option", (o) => o.map((x) => x.textContent))).toContain("Εκμάθηση γλώσσας");
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it("when the region is unknown or empty, or the age impossible, then the page says so in words, naming it", async () => {
    const old = await explorer("explorer?region=correze&age=200");
    expect(await old.page.textContent("#status")).toBe("The age must be a whole number of years from 0 to 120.");
    await old.close();
    const unknown = await explorer("explorer?region=nowhere");
    expect(await unknown.page.textContent("#status")).toBe("There is no region “nowhere” in Passerelle. Choose one of the list.");
    expect(await drawn(unknown.page)).toEqual([]);
    await unknown.close();

    await app.ok(`mutation { createRegion(input: { slug: "lozere", name: "Lozère", country: "FR" }) { id } }`, {}, app.tokens.admin);
    const empty = await explorer("explorer?region=lozere");
    expect(await empty.page.textContent("#status")).toBe("No organizations yet in Lozère: import a spreadsheet with npm run import (see the README), then show the region again.");
    await screenshot(empty.page, "explorer-empty");
    expect([...unknown.problems, ...empty.problems]).toEqual([]);
    await empty.close();
  }, 60_000);
});

describe("answers that come late, and every region at once", () => {
  /** Holds back the GraphQL requests whose body contains `marker` until the returned release() is called. */
  async function holdBack(page: import("playwright-core").Page, marker: string): Promise<() => void> {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/graphql", async (route) => {
      if (route.request().postData()?.includes(marker)) await gate;
      await route.continue();
    });
    return release;
  }
  /** The response to the request whose body contains `marker`; should the test fail before it comes, its timeout is not left unhandled. */
  const arrived = (page: import("playwright-core").Page, marker: string) => {
    const response = page.waitForResponse((r) => r.url().endsWith("/graphql") && !!r.request().postData()?.includes(marker));
    response.catch(() => undefined);
    return response;
  };

  it("when an organization's details or its closure come after another was clicked, then they are not shown for it", async () => {
    const { page, problems, close } = await explorer();
    const release = await holdBack(page, "query Closure");
    try {
      await tap(page, "mosaik");
      await page.waitForSelector("#details h2");
      const late = arrived(page, "query Closure");
      await page.click("#closure");
      await tap(page, "mission-locale");
      await page.waitForFunction(() => (globalThis as any).document.querySelector("#details h2").textContent === "Mission Locale");
      release(); // the closure of mosaik answers now, after another organization was clicked
      await late;
    } finally {
      release(); // not left held should a step above fail
    }
    await page.evaluate(() => new Promise((resolve) => (globalThis as any).requestAnimationFrame(resolve))); // the late answer's handler has run
    expect(await page.textContent("#details h2")).toBe("Mission Locale");
    expect(await page.textContent("#closure-impact")).toBe("");
    expect(await drawn(page, ".closed")).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it("when the region changes while an organization's details are on their way, then the new region's page does not show them", async () => {
    const { page, problems, close } = await explorer();
    const release = await holdBack(page, "query Organization");
    try {
      const late = arrived(page, "query Organization");
      await tap(page, "mosaik");
      await page.selectOption("#region", "isere");
      await page.click("#filters button[type=submit]");
      await settled(page);
      release(); // mosaik's details answer now, once the new region is drawn
      await late;
    } finally {
      release(); // not left held should a step above fail
    }
    await page.evaluate(() => new Promise((resolve) => (globalThis as any).requestAnimationFrame(resolve)));
    expect(await page.textContent("#details")).toBe("Click an organization in the graph or the table for its services and referrals.");
    expect(problems).toEqual([]);
    await close();
  }, 60_000);

  it("when every region is shown, then partnerships across regions are drawn, and a region's analyses ask for one", async () => {
    const { page, problems, close } = await explorer("explorer?region=");
    expect(await page.inputValue("#region")).toBe("");
    expect((await drawn(page)).length).toBeGreaterThan(5);
    const hubs = await page.evaluate(() => (globalThis as any).passerelleGraph.nodes(".partnership").length);
    expect(hubs).toBeGreaterThan(1);
    await page.click("#tab-coverage");
    await page.waitForSelector("#coverage-result p");
    expect(await page.textContent("#coverage-result")).toBe("This analysis is a region's: choose one in the list above.");
    expect(new URL(page.url()).search).toBe("?region=&view=coverage");
    expect(problems).toEqual([]);
    await close();
  }, 60_000);
});

describe("the explorer where reads need a key, and behind a path prefix", () => {
  it("when READ_REQUIRES_AUTH is on, then the page asks for a key and says what it is; a wrong key is refused in words, a right one draws the graph and stays in the tab only", async () => {
    const guarded = await app.listen({ ...UNLIMITED, READ_REQUIRES_AUTH: "true" });
    const { page, problems, close } = await openPage(browser, guarded.base);
    await page.goto(`${guarded.base}/explorer?region=correze`);
    await page.waitForSelector("#key-panel:not([hidden])");
    expect(await page.textContent("#key-panel")).toContain("READ_REQUIRES_AUTH");
    expect(await page.textContent("#key-panel")).toContain("npm run apikey");
    await screenshot(page, "explorer-key");

    await page.fill("#key", "not-a-key");
    await page.click("#key-form button");
    await page.waitForSelector("#key-problem:not(:empty)");
    expect(await page.textContent("#key-problem")).toMatch(/^This key was not accepted: [^.]*[^.]\. Check it, or ask for a new one\.$/); // one full stop, not two
    await page.fill("#key", "  ");
    await page.click("#key-form button");
    expect(await page.textContent("#key-problem")).toBe("Write or paste the key first.");

    await page.fill("#key", app.tokens.viewer);
    await page.click("#key-form button");
    await settled(page);
    expect(await drawn(page)).toHaveLength(5);
    expect(await page.evaluate(() => [(globalThis as any).sessionStorage.length, Object.keys((globalThis as any).localStorage).filter((k) => k.startsWith("passerelle.apiKey")).length])).toEqual([1, 0]);
    // Downloads send the key too.
    const [file] = await Promise.all([page.waitForEvent("download"), page.click("[data-download=json]")]);
    expect(JSON.parse(fs.readFileSync((await file.path())!, "utf8")).elements.nodes).toHaveLength(5);
    // 401 answers are what the key panel is for: the browser logs them as failed loads.
    expect(problems.filter((p) => !p.includes("401"))).toEqual([]);
    await close();
  }, 60_000);

  it("when served under /passerelle/ by a proxy, then every address the page uses stays under it", async () => {
    const target = new URL(base);
    const seen: string[] = [];
    const proxy = http.createServer((request, response) => {
      seen.push(request.url!);
      if (!request.url!.startsWith("/passerelle/")) {
        response.writeHead(404).end();
        return;
      }
      const forwarded = http.request({ host: target.hostname, port: target.port, path: request.url!.slice("/passerelle".length), method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(response);
      });
      request.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const prefixed = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const { page, problems, close } = await openPage(browser, `${prefixed}/passerelle/`);
      await page.goto(`${prefixed}/passerelle/explorer?region=correze`);
      await settled(page);
      expect(await drawn(page)).toHaveLength(5);
      expect(seen.filter((url) => !url.startsWith("/passerelle/"))).toEqual([]);
      expect(seen).toContain("/passerelle/graphql");
      expect(problems).toEqual([]);
      await close();
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 60_000);
});
