import fs from "node:fs";
import path from "node:path";
import { Browser, BrowserContextOptions, chromium, Page } from "playwright-core";
import { ROOT } from "../../src/root";

// Debian's Chromium driven by playwright-core, for test/browser/. Where there is no Chromium,
// jest.config.js leaves those files out and says so, unless CHROMIUM_EXPECTED=1 (CI, which
// installs it): then they run, and fail saying what to install.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.join(ROOT, "test", "artifacts");

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export interface WatchedPage {
  page: Page;
  /** Script errors, console errors and requests to anywhere but `origin` (or the page's own blob: and data: URLs), as they came. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Pages given back by a test's close(), per browser and context options, for the next test to take.
 * A new page costs a new renderer process: some 0.9 s more per test than navigating a page that has
 * one (measured here: ten explorer loads 14.4 s with a page each, 5.6 s in one page), and the CPU
 * Chromium spends starting it is taken from the other jest worker.
 */
const released = new WeakMap<Browser, Map<string, Page[]>>();

/**
 * A page for one test, whose problems are collected: a new one in a context of its own, or one an
 * earlier test of this browser released with the same options, emptied first: no listener and no
 * route is left on it, and the sessionStorage and localStorage of every origin it was on are
 * cleared after it left them (so that what a page writes as it unloads is cleared too), so that no
 * key, language or held-back request carries over. Where an origin it was on no longer answers, the
 * page is not handed on. (A test that adds init scripts or resizes the page closes its own context.)
 */
export async function openPage(browser: Browser, origin: string, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const key = JSON.stringify(options);
  const idle = released.get(browser) ?? released.set(browser, new Map()).get(browser)!;
  const page = idle.get(key)?.pop() ?? (await (await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...options })).newPage());
  const problems: string[] = [];
  const visited = new Set<string>();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
  page.on("request", (request) => !request.url().startsWith(origin) && !/^(blob|data):/.test(request.url()) && problems.push(`loaded from elsewhere: ${request.url()}`));
  page.on("framenavigated", (frame) => frame === page.mainFrame() && frame.url().startsWith("http") && visited.add(new URL(frame.url()).origin));
  const close = async () => {
    page.removeAllListeners(); // ours and any the test added
    await page.unrouteAll({ behavior: "wait" });
    try {
      await page.goto("about:blank");
      for (const left of visited) {
        await page.goto(`${left}/`); // any document of that origin (a 404 will do) reaches its storage
        await page.evaluate(() => ((globalThis as any).sessionStorage.clear(), (globalThis as any).localStorage.clear()));
      }
      await page.goto("about:blank");
    } catch {
      return page.context().close();
    }
    (idle.get(key) ?? idle.set(key, []).get(key)!).push(page);
  };
  return { page, problems, close };
}

/** Waits until the explorer has drawn (or given up on) what it was asked. */
export async function settled(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForSelector("body[data-ready=true]", { timeout });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (fs.statSync(file).size < 5_000) throw new Error(`the screenshot ${file} is nearly empty`);
}

/** The slugs (or another data field) of the nodes drawn, sorted; `selector` narrows them (e.g. ".on-pathway"). */
export function drawn(page: Page, selector = "", field = "slug"): Promise<string[]> {
  return page.evaluate(
    ([sel, f]) => (globalThis as any).passerelleGraph.nodes(`[^partnership]${sel}`).map((n: any) => n.data(f)).sort(),
    [selector, field] as const,
  );
}

/** Taps the organization node with this slug, as a click on it would. */
export async function tap(page: Page, slug: string): Promise<void> {
  // Returns nothing: a cytoscape collection returned would be serialized, slowly.
  await page.evaluate((s) => {
    (globalThis as any).passerelleGraph.nodes(`[slug = "${s}"]`).emit("tap");
  }, slug);
}
