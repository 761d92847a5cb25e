import fs from "node:fs";
import path from "node:path";
import { chromium, Browser } from "playwright-core";
import { startTestApp, TestApp } from "../helpers/app";
import { ROOT } from "../../src/root";

// The explorer in a real browser: Debian's Chromium driven by playwright-core. Where there is no
// Chromium, jest.config.js leaves this file out and says so, unless CHROMIUM_EXPECTED=1 (CI,
// which installs it): then it runs, and fails saying what to install.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = path.join(ROOT, "test", "artifacts");

let app: TestApp;
let base: string;
let browser: Browser;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen()).base;
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app.close();
});

describe("the network explorer in Chromium", () => {
  it("when opened, then the Corrèze graph is drawn, and a pathway query highlights Chemins Singuliers → MOSAIK for a 19-year-old resettled refugee", async () => {
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
    await page.evaluate(() => (globalThis as any).passerelleGraph.getElementById((globalThis as any).passerelleGraph.nodes().filter((n: any) => n.data("slug") === "mosaik")[0].id()).emit("tap") && undefined); // a cytoscape collection returned would be serialized: 30 s
    await page.waitForSelector("#details h2");
    expect(await page.textContent("#details")).toMatch(/MOSAIK[\s\S]*Receives people from[\s\S]*Chemins Singuliers/);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "explorer.png") });
    expect(fs.statSync(path.join(ARTIFACTS, "explorer.png")).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  }, 120_000);
});
