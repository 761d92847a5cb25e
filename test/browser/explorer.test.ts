import fs from "node:fs";
import path from "node:path";
import { chromium, Browser } from "playwright-core";
import { startTestApp, TestApp } from "../helpers/app";
import { ROOT } from "../../src/common/root";

// The explorer in a real browser: Debian's Chromium driven by playwright-core. CI installs
// Chromium (.ci/run) and sets CHROMIUM_EXPECTED=1: there a missing browser fails the run. Elsewhere,
// without one, the browser tests are reported as skipped, with the reason in their name.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = path.join(ROOT, "test", "artifacts");
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const EXPECTED = process.env.CHROMIUM_EXPECTED === "1";
/** A browser test: run when Chromium is here or expected (so a missing one fails), reported skipped otherwise. */
const inBrowser = (name: string, test: () => Promise<void>, timeout?: number) =>
  HAVE_CHROMIUM || EXPECTED ? it(name, test, timeout) : it.skip(`${name} (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium, or set CHROMIUM_PATH)`, test, timeout);

let app: TestApp;
let base: string;
let browser: Browser;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen()).base;
  if (HAVE_CHROMIUM) browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app.close();
});

describe("the network explorer in Chromium", () => {
  inBrowser("when opened, then the Corrèze graph is drawn, and a pathway query highlights Chemins Singuliers → MOSAIK for a 19-year-old resettled refugee", async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CHROMIUM_EXPECTED=1 but there is no Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    page.on("request", (request) => !request.url().startsWith(base) && problems.push(`loaded from elsewhere: ${request.url()}`));

    await page.goto(`${base}/explorer?region=correze`);
    await page.waitForSelector("body[data-ready=true]");
    const drawn = await page.evaluate(() => (globalThis as any).passerelleGraph.nodes().map((n: any) => n.data("slug")).sort());
    expect(drawn).toEqual(["chemins-singuliers", "entraide-pierre-valdo", "institut-don-bosco", "mission-locale", "mosaik"]);
    expect(await page.evaluate(() => (globalThis as any).passerelleGraph.edges().length)).toBe(1);

    await page.selectOption("#targetGroup", "RESETTLED_REFUGEE");
    await page.fill("#age", "19");
    await page.click("#filters button[type=submit]");
    // The graph is drawn again with these filters; pathways are then asked with the same.
    await page.waitForSelector("body[data-ready=true]");
    await page.selectOption("#from", "chemins-singuliers");
    await page.selectOption("#category", "LANGUAGE_LEARNING");
    await page.click("#find");
    await page.waitForSelector("#pathways li");
    expect(await page.textContent("#pathways")).toContain("Chemins Singuliers → MOSAIK");
    const highlighted = await page.evaluate(() => (globalThis as any).passerelleGraph.nodes(".on-pathway").map((n: any) => n.data("slug")).sort());
    expect(highlighted).toEqual(["chemins-singuliers", "mosaik"]);

    // An organization's services and referrals, on a click.
    await page.evaluate(() => (globalThis as any).passerelleGraph.getElementById((globalThis as any).passerelleGraph.nodes().filter((n: any) => n.data("slug") === "mosaik")[0].id()).emit("tap"));
    await page.waitForSelector("#details h2");
    expect(await page.textContent("#details")).toMatch(/MOSAIK[\s\S]*Receives people from[\s\S]*Chemins Singuliers/);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "explorer.png") });
    expect(fs.statSync(path.join(ARTIFACTS, "explorer.png")).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  }, 120_000);
});
