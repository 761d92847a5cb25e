import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../src/common/root";
import { startTestApp, TestApp } from "./helpers/app";

// The README's GraphQL examples are what a newcomer pastes first: each must run on the seed as written.
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const examples = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

describe("the README", () => {
  it("when its examples are counted, then there are some (the extraction works)", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((query, i) => [i + 1, query]))("when GraphQL example %i is run on the seed, then it answers without error and with data", async (_, query) => {
    const result = await app.execute(query as string, { region: "correze" });
    expect(result.errors).toBeUndefined();
    expect(JSON.stringify(result.data)).toMatch(/"slug"|"name"/);
  });
});
