import { errorCode, startTestApp, TestApp } from "../helpers/app";
import { NetworkFile } from "../../src/files/network-file";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

const IMPORT = `mutation($input: ImportNetworkInput!) {
  importNetwork(input: $input) {
    applied dryRun
    created { regions organizations referrals partnerships platforms }
    updated { organizations }
    skipped { organizations referrals }
    rejected { file line record field reason }
  }
}`;

const file = (more: Partial<NetworkFile>): string =>
  JSON.stringify({ format: "passerelle-network", version: 1, regions: [], organizations: [], referrals: [], partnerships: [], platforms: [], ...more }, null, 2);

describe("importNetwork", () => {
  it("when an ADMIN imports a file, then its records land and the graph sees them at once", async () => {
    const content = file({
      organizations: [{ slug: "mutation-org", name: "Mutation Org", kind: "NGO" as never, region: "correze", services: [{ name: "Logement", category: "HOUSING" as never }] }],
      referrals: [{ from: "mosaik", to: "mutation-org", categories: ["HOUSING" as never] }],
    });
    const data = await app.ok(IMPORT, { input: { content, fileName: "mine.json" } }, app.tokens.admin);
    expect(data.importNetwork).toMatchObject({ applied: true, created: { organizations: 1, referrals: 1 }, rejected: [] });
    const graph = await app.ok(`{ referralChain(organization: "mosaik", maxDepth: 1) { entries { organization { slug } } } }`);
    expect(graph.referralChain.entries.map((e: any) => e.organization.slug)).toContain("mutation-org");
  });

  it("when an EDITOR imports its region, then other regions' records are skipped and a change to a region is refused", async () => {
    const content = file({
      regions: [{ slug: "correze", name: "Corrèze renamed", country: "FR", nutsCode: "FRI21" }],
      organizations: [
        { slug: "editor-org", name: "Editor Org", kind: "ASSOCIATION" as never, region: "correze" },
        { slug: "elsewhere-org", name: "Elsewhere", kind: "ASSOCIATION" as never, region: "vaucluse" },
      ],
    });
    const refused = await app.ok(IMPORT, { input: { content, region: "correze", fileName: "editor.json" } }, app.tokens.editor);
    expect(refused.importNetwork.applied).toBe(false);
    expect(refused.importNetwork.rejected).toEqual([
      { file: "editor.json", line: 5, record: "regions[0]", field: "", reason: expect.stringMatching(/Only an ADMIN key may change region correze/) },
    ]);
    const content2 = file({ organizations: JSON.parse(content).organizations });
    const data = await app.ok(IMPORT, { input: { content: content2, region: "correze" } }, app.tokens.editor);
    expect(data.importNetwork).toMatchObject({ applied: true, created: { organizations: 1 }, skipped: { organizations: 1 }, rejected: [] });
    expect((await app.ok(`{ organization(id: "elsewhere-org") { slug } }`)).organization).toBeNull();
  });

  it("when an EDITOR gives no region, a VIEWER or nobody imports, or the content is not JSON, then the whole request is refused", async () => {
    const content = file({});
    expect(errorCode(await app.execute(IMPORT, { input: { content } }, app.tokens.editor))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(IMPORT, { input: { content } }, app.tokens.viewer))).toBe("FORBIDDEN");
    expect(errorCode(await app.execute(IMPORT, { input: { content } }))).toBe("UNAUTHENTICATED");
    const notJson = await app.execute(IMPORT, { input: { content: "{ nope" } }, app.tokens.admin);
    expect(errorCode(notJson)).toBe("BAD_USER_INPUT");
    expect(notJson.errors![0].message).toMatch(/^input\.content: is not JSON/);
  });
});
