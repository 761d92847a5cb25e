import { startTestApp, TestApp } from "../helpers/app";

// docs/api.md "consistency": every field of one response comes from one state of the network. The
// read model is taken once per request (src/context.ts); these tests hold that, and the order of
// connections, on PGlite and on PostgreSQL alike.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

describe("one state per response", () => {
  it("when renames run while a query asks for network and organizations, then both parts of every answer show the same name", async () => {
    const QUERY = `{ network(region: "correze") { organizations { slug name } } organizations(first: 100) { edges { node { slug name } } } organization(id: "mosaik") { name } }`;
    let writing = true;
    const writes = (async () => {
      for (let i = 0; writing && i < 200; i++) {
        await app.ok(`mutation($n: String) { updateOrganization(id: "mosaik", input: { name: $n }) { version } }`, { n: `MOSAIK ${i}` }, app.tokens.admin);
      }
    })();
    const names = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const data = await app.ok(QUERY);
      const inNetwork = data.network.organizations.find((o: any) => o.slug === "mosaik").name;
      const inList = data.organizations.edges.find((e: any) => e.node.slug === "mosaik").node.name;
      expect([inList, data.organization.name]).toEqual([inNetwork, inNetwork]);
      names.add(inNetwork);
    }
    writing = false;
    await writes;
    expect(names.size).toBeGreaterThan(1); // the writes did land between the reads
  });
});

describe("the order of connections", () => {
  it("when names differ by case, accents and characters beyond U+FFFF, then organizations come by name in code-point order, then id, page after page", async () => {
    const names = ["zèbre", "Zebre", "Élan", "eau", "\u{1D538}lpha", "\uFB01n", "Ábaco", "abaco"];
    for (const [i, name] of names.entries()) {
      await app.ok(`mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`, { input: { name, slug: `order-${i}`, kind: "NGO", region: "correze" } }, app.tokens.admin);
    }
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const data: any = await app.ok(`query($after: String) { organizations(first: 3, after: $after, filter: { search: "" }) { edges { node { name slug } } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...data.organizations.edges.filter((e: any) => e.node.slug.startsWith("order-")).map((e: any) => e.node.name));
      after = data.organizations.pageInfo.hasNextPage ? data.organizations.pageInfo.endCursor : null;
    } while (after);
    const codePoints = (s: string) => [...s].map((c) => c.codePointAt(0)!);
    const expected = [...names].sort((a, b) => {
      const x = codePoints(a);
      const y = codePoints(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
      return x.length - y.length;
    });
    expect(seen).toEqual(expected);
    // The database's own "C" collation agrees (UTF-8 bytes compare as code points).
    const stored: { name: string }[] = await app.db.query(`SELECT name FROM organizations WHERE slug LIKE 'order-%' ORDER BY name COLLATE "C", id`);
    expect(stored.map((r) => r.name)).toEqual(expected);
  });
});
