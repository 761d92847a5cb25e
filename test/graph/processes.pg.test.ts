import { openDatabase } from "../../src/db/data-source";
import { ApiKeys } from "../../src/auth/api-keys";
import { seedIfEmpty } from "../../src/db/seed/seed";
import { Role } from "../../src/domain/vocabulary";
import { createPostgresDatabase } from "../helpers/database";
import { startServerProcess, Started } from "../helpers/process";

// Only PostgreSQL is shared between processes (PGlite's data directory is opened by one at a
// time): *.pg.test.ts files run only when TEST_DATABASE_URL is set (jest.config.js).

async function graphql(port: number, query: string, token?: string) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

describe("two server processes on one PostgreSQL", () => {
  let drop: () => Promise<void>;
  let token: string;
  let one: Started;
  let two: Started;

  beforeAll(async () => {
    const pg = await createPostgresDatabase();
    drop = pg.drop;
    const db = await openDatabase({ databaseUrl: pg.url }, seedIfEmpty);
    token = (await new ApiKeys(db).create({ role: Role.ADMIN })).token;
    await db.destroy();
    [one, two] = await Promise.all([startServerProcess({ DATABASE_URL: pg.url }), startServerProcess({ DATABASE_URL: pg.url })]);
  });
  afterAll(async () => {
    one?.child.kill("SIGKILL");
    two?.child.kill("SIGKILL");
    await drop?.();
  });

  it("when one process writes, then the other's next graph query sees it", async () => {
    const chain = `{ referralChain(organization: "mission-locale", maxDepth: 1) { entries { organization { slug } } } }`;
    // Both build their snapshot first, so the second must notice it has gone stale.
    expect((await graphql(two.port, chain)).data.referralChain.entries).toHaveLength(1);
    expect((await graphql(one.port, chain)).data.referralChain.entries).toHaveLength(1);

    const created = await graphql(
      one.port,
      `mutation { createReferral(input: { from: "mission-locale", to: "mosaik", categories: [LANGUAGE_LEARNING] }) { id } }`,
      token,
    );
    expect(created.errors).toBeUndefined();
    const seen = await graphql(two.port, chain);
    expect(seen.data.referralChain.entries.map((e: any) => e.organization.slug)).toEqual(["mission-locale", "mosaik"]);

    await graphql(two.port, `mutation { updateOrganization(id: "mosaik", input: { name: "MOSAIK Tulle" }) { id } }`, token);
    const renamed = await graphql(one.port, `{ network(region: "correze") { organizations { name } } }`);
    expect(renamed.data.network.organizations.map((o: any) => o.name)).toContain("MOSAIK Tulle");
  });
});
