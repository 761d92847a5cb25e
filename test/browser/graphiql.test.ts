import { Browser, Page } from "playwright-core";
import { startTestApp, TestApp } from "../helpers/app";
import { launchChromium, openPage, screenshot } from "../helpers/browser";

// GraphiQL at GET /graphql (outside production) in a real browser. A violation of the page's
// content security policy is a console error, so "no console error" is also "nothing the policy
// refused".
let app: TestApp;
let base: string;
let browser: Browser;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
  base = (await app.listen({ NODE_ENV: "development" })).base;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app.close();
});

/** The text of a CodeMirror editor of GraphiQL's (query, response, headers). */
const editorText = (page: Page, selector: string) => page.evaluate((s) => ((globalThis as any).document.querySelector(`${s} .CodeMirror`) as any).CodeMirror.getValue() as string, selector);

describe("GraphiQL in Chromium", () => {
  it("when /graphql is opened with a query in its address, then the editor holds it, and running it shows the Corrèze region", async () => {
    const { page, problems, close } = await openPage(browser, `${base}/`);
    const posted: string[] = [];
    page.on("request", (request) => request.method() === "POST" && posted.push(request.url()));

    await page.goto(`${base}/graphql?query=${encodeURIComponent("{ regions { slug } }")}`);
    await page.waitForSelector(".graphiql-query-editor .CodeMirror");
    expect(await page.title()).toBe("Passerelle — GraphiQL");
    expect(await editorText(page, ".graphiql-query-editor")).toBe("{ regions { slug } }");
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(() => (((globalThis as any).document.querySelector(".graphiql-response .CodeMirror") as any)?.CodeMirror.getValue() ?? "").includes("correze"));
    expect(JSON.parse(await editorText(page, ".graphiql-response"))).toEqual({ data: { regions: expect.arrayContaining([{ slug: "correze" }]) } });
    // The schema (introspection) and the query, both to the page's own address.
    expect(new Set(posted)).toEqual(new Set([`${base}/graphql`]));

    // The schema was read: the docs pane lists the root types.
    await page.click("button[aria-label='Show Documentation Explorer']");
    await page.waitForSelector(".graphiql-doc-explorer-root-type");
    expect(await page.textContent(".graphiql-doc-explorer")).toMatch(/query:\s*Query[\s\S]*mutation:\s*Mutation/);

    // A dialog adds a <style> element of its own (the policy's style-src 'unsafe-inline' is for it).
    await page.click("button[aria-label='Open settings dialog']");
    await page.waitForSelector(".graphiql-dialog");
    await page.keyboard.press("Escape");
    await page.waitForSelector(".graphiql-dialog", { state: "detached" });

    await screenshot(page, "graphiql");
    expect(problems).toEqual([]);
    await close();
  }, 120_000);

  it("when a key is written in the Headers pane, then the query is sent with it: a wrong one is refused as UNAUTHENTICATED", async () => {
    const { page, problems, close } = await openPage(browser, `${base}/`);
    const sent: (string | undefined)[] = [];
    page.on("request", (request) => request.method() === "POST" && !request.postData()?.includes("IntrospectionQuery") && sent.push(request.headers()["authorization"]));

    await page.goto(`${base}/graphql?query=${encodeURIComponent("{ regions { slug } }")}`);
    await page.waitForSelector(".graphiql-query-editor .CodeMirror");
    await page.click("button:has-text('Headers')");
    await page.click(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror");
    await page.keyboard.type(`{"Authorization": "Bearer not-a-key"}`);
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(() => (((globalThis as any).document.querySelector(".graphiql-response .CodeMirror") as any)?.CodeMirror.getValue() ?? "").includes("UNAUTHENTICATED"));
    expect(sent).toEqual(["Bearer not-a-key"]);
    // A browser refuses a 401 answer with a console error of its own: only ours count.
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);

    // The links of the header: the explorer and the API reference, beside the page.
    expect(await page.getAttribute("header a:has-text('Network explorer')", "href")).toBe("explorer");
    await page.click("header a:has-text('API reference')");
    await page.waitForURL(`${base}/docs/api.md`);
    expect(await page.textContent("body")).toContain("# Passerelle's API, for those who call it");
    await close();
  }, 120_000);
});
