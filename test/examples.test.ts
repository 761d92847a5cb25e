import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../src/root";
import { startTestApp, TestApp } from "./helpers/app";

const run = promisify(execFile);
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

// examples/: a dashboard query with graphql-request and types generated from schema/schema.graphql
// by GraphQL Code Generator. It must generate, compile, and answer from a real server.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

describe("the typed client example", () => {
  it("when its types are generated from the schema and it is compiled, then it runs against the server", async () => {
    await run(bin("graphql-codegen"), ["--config", "examples/codegen.yml"], { cwd: ROOT, timeout: 120_000 });
    await run(bin("tsc"), ["-p", "examples/tsconfig.json"], { cwd: ROOT, timeout: 120_000 });
    const { graphql } = await app.listen();
    const { stdout } = await run(process.execPath, [path.join(ROOT, "examples/dist/dashboard.js"), graphql, "correze"], { cwd: ROOT, timeout: 60_000 });
    // Short, and true of the seed: one referral, no betweenness anywhere, so no broker is named.
    expect(stdout.trim().split("\n")).toEqual([
      "correze: 5 organizations, 1 walkable referral, 9 services",
      "  chemins-singuliers -> mosaik (LANGUAGE_LEARNING, VOCATIONAL_ORIENTATION, ACTIVE)",
      "reaches most (1 organization downstream): Chemins Singuliers",
      "4 components, density 0.05; isolated: Entraide Pierre Valdo, Institut Don Bosco, Mission Locale; brokers (whose leaving splits the network): none",
    ]);
  }, 240_000);
});
