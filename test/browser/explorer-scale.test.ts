import { Browser } from "playwright-core";
import { generateNetwork } from "../../bench/generate";
import { startTestApp, TestApp } from "../helpers/app";
import { drawn, launchChromium, openPage, screenshot, settled } from "../helpers/browser";

// The explorer at a real region's size (1,000 organizations, 5,000 referrals, generated as the
// bench does), and an accessibility pass with axe-core and the keyboard on the Corrèze seed.
let app: TestApp;
let base: string;
let browser: Browser;
let region: string;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  // Two regions of 1,000 (some 5,000 referrals each): one is shown, both are too many to draw.
  region = (await generateNetwork(app.db, { regions: 2, organizations: 1000, referrals: 10_000, seed: 11 })).regionSlugs[0];
  // A server started after the generation: its read model holds the new region.
  base = (await app.listen({ GRAPH_RATE_LIMIT: "0", WRITE_RATE_LIMIT: "0" })).base;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app.close();
});

type Box = { x1: number; x2: number; y1: number; y2: number; w: number; h: number };

describe("the explorer at 1,000 organizations", () => {
  it("when a 1,000-organization region is shown, then it is laid out within the canvas with labels hidden until zoomed in, the table lists them all, and a neighbourhood in focus is readable", async () => {
    const { page, problems, close } = await openPage(browser, base);
    await page.goto(`${base}/explorer?region=${region}`);
    await settled(page, 90_000);
    expect(await drawn(page)).toHaveLength(1000);
    const fitted = await page.evaluate(() => {
      const cy = (globalThis as any).passerelleGraph;
      return { box: cy.nodes().renderedBoundingBox() as Box, width: cy.width() as number, height: cy.height() as number, zoom: cy.zoom() as number };
    });
    // Fitted to the canvas: the drawing spans most of it and stays inside it.
    expect(fitted.box.x1).toBeGreaterThanOrEqual(0);
    expect(fitted.box.y1).toBeGreaterThanOrEqual(0);
    expect(fitted.box.x2).toBeLessThanOrEqual(fitted.width + 1);
    expect(fitted.box.y2).toBeLessThanOrEqual(fitted.height + 1);
    expect(Math.max(fitted.box.w / fitted.width, fitted.box.h / fitted.height)).toBeGreaterThan(0.8);
    await screenshot(page, "explorer-1000");
    const timing = await page.evaluate(() => (globalThis as any).passerelleGraph.scratch("passerelle"));
    console.log(`explorer: 1,000 organizations laid out in ${Math.round(timing.layoutMs)} ms`);
    // Labels are 12 px and shown from 9 px on screen: at this zoom they are hidden, not 5 px smudges.
    expect(fitted.zoom * 12).toBeLessThan(9);

    // An organization with few referrals (the fewest, at least one; first by slug): its neighbourhood is small.
    const quiet = await page.evaluate(() => {
      const nodes = (globalThis as any).passerelleGraph.nodes("[slug]").filter((n: any) => n.degree() > 0);
      const sorted = nodes.sort((a: any, b: any) => a.degree() - b.degree() || (a.data("slug") < b.data("slug") ? -1 : 1));
      const node = sorted[0];
      node.emit("tap");
      return { id: node.id() as string, degree: node.degree() as number };
    });
    expect(quiet.degree).toBeLessThanOrEqual(5);
    await page.waitForSelector("#details h2");
    expect(await page.textContent("#details .kind")).toMatch(/ · Bench Region 1$/);
    expect(await page.textContent("#details")).not.toContain("null");
    await page.selectOption("#focus-hops", "1");
    await page.click("#focus");
    const zoom = await page.evaluate(() => (globalThis as any).passerelleGraph.zoom());
    expect(zoom * 12).toBeGreaterThanOrEqual(9);
    await screenshot(page, "explorer-1000-focus");

    await page.click("#tab-table");
    await page.waitForSelector("table.organizations");
    expect(await page.$$eval("table.organizations tbody tr", (rows) => rows.length)).toBe(1000);
    expect(problems).toEqual([]);
    await close();
  }, 180_000);
});

/** What each view shows once its answer is drawn. */
const DRAWN: Record<string, string> = {
  graph: "#graph:not([hidden]) canvas",
  table: "table.organizations",
  coverage: "table.coverage",
  cliffs: "ol.cliffs",
  summary: "dl.figures",
  changes: "section.meeting",
};

describe("the explorer with more than it can draw", () => {
  it("when every region is asked (2,011 organizations), then the graph says it holds too many to draw, and the table lists them all", async () => {
    const { page, problems, close } = await openPage(browser, base);
    await page.goto(`${base}/explorer?region=`);
    await settled(page, 60_000);
    expect(await page.textContent("#status")).toBe(
      "2011 organizations are more than a browser can draw legibly (at most 1500): choose a region, or use the table, the analyses and the downloads, which hold them all.",
    );
    expect(await drawn(page)).toEqual([]);
    await page.click("#tab-table");
    await page.waitForSelector("table.organizations");
    expect(await page.$$eval("table.organizations tbody tr", (rows) => rows.length)).toBe(2011);
    expect(problems).toEqual([]);
    await close();
  }, 120_000);
});

describe("the explorer's accessibility", () => {
  it("when axe-core checks each view, then it finds no serious or critical violation", async () => {
    // axe is put in the page by the test: the page's own policy would rightly refuse it.
    const { page, problems, close } = await openPage(browser, base, { bypassCSP: true });
    await page.goto(`${base}/explorer?region=correze&targetGroup=RESETTLED_REFUGEE&age=19`);
    await settled(page);
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const found: string[] = [];
    for (const view of ["graph", "table", "coverage", "cliffs", "summary", "changes"]) {
      await page.click(`#tab-${view}`);
      await page.waitForSelector(DRAWN[view]);
      const violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] = await page.evaluate(async () => (await (globalThis as any).axe.run({ runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })).violations);
      for (const v of violations) if (v.impact === "serious" || v.impact === "critical") found.push(`${view}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
    }
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  }, 120_000);

  it("when only the keyboard is used, then every control is reached with Tab, the views change with the arrow keys, and an organization opens from the table", async () => {
    const { page, problems, close } = await openPage(browser, base);
    await page.goto(`${base}/explorer?region=correze`);
    await settled(page);
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      reached.add(await page.evaluate(() => {
        const active = (globalThis as any).document.activeElement;
        return active.id || active.dataset.download || active.textContent;
      }));
    }
    for (const control of ["region", "targetGroup", "age", "asOf", "search", "language", "tab-graph", "from", "category", "find", "csv", "graphml", "gexf", "json"]) {
      expect([control, reached.has(control)]).toEqual([control, true]);
    }
    await page.focus("#tab-graph");
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.id)).toBe("tab-table");
    await page.waitForSelector("table.organizations");
    await page.focus("table.organizations tbody tr:first-child button");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#details h2");
    expect(await page.textContent("#details h2")).toBe("Chemins Singuliers");
    expect(problems).toEqual([]);
    await close();
  }, 60_000);
});
