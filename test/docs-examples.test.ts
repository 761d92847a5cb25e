import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../src/root";
import { startTestApp, TestApp } from "./helpers/app";

// docs/api.md's examples are answers on the Corrèze seed: each runs as written, and where the text
// says what it answers (answers `[...]` or `{...}`), that is the answer, to the letter.
const DOC = fs.readFileSync(path.join(ROOT, "docs", "api.md"), "utf8");
const examples = [...DOC.matchAll(/```graphql\n([\s\S]*?)```\n(?:answers `([[{][\s\S]*?)`)?/g)].map((m) => ({ query: m[1], answer: m[2] }));

/** The answer as the text writes it (GraphQL-like: bare keys and enum values) read as JSON. */
function literal(text: string): unknown {
  const json = text
    .replace(/([{,]\s*)(\w+):/g, '$1"$2":')
    .replace(/([:[,]\s*)([A-Z][A-Z_]+)(?=\s*[,}\]])/g, '$1"$2"');
  return JSON.parse(json);
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

describe("docs/api.md's examples", () => {
  it("when they are counted, then the analyses' six are there, three with their answer written out", () => {
    expect(examples.length).toBe(6);
    expect(examples.filter((e) => e.answer).map((e) => e.query.match(/^\{ (\w+)/)![1])).toEqual(["coverage", "ageCliffs", "criticalOrganizations"]);
  });

  it.each(examples.map((e) => [e.query.trim().split("\n")[0], e]))("when %s is run on the seed, then it is answered as written", async (_, example) => {
    const { query, answer } = example as (typeof examples)[number];
    const result = await app.execute(query);
    expect(result.errors).toBeUndefined();
    const fields = Object.keys(result.data!);
    expect(fields.length).toBeGreaterThan(0);
    if (answer) expect(result.data![fields[0]]).toEqual(literal(answer));
  });
});
