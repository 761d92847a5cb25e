import { Client } from "pg";
import { Role } from "../../src/domain/vocabulary";
import { retriedWrites } from "../../src/db/write";
import { Server } from "../../src/server";
import { listenOver } from "../helpers/app";
import { freshDatabase, TestDatabase } from "../helpers/database";
import { graphqlClient } from "../helpers/http";

// Writes that lock two organizations lock them in one order (by id): createReferral A→B and B→A
// at once used to lock A then B against B then A, and PostgreSQL killed one of them as a deadlock
// (9 of 120 failed after seconds of retries). Every pair at once, many times: no deadlock, no retry.
let database: TestDatabase;
let server: Server | undefined;
let graphql: string;
let token: string;
let slugs: string[];
let databaseName: string;

beforeAll(async () => {
  database = await freshDatabase({ poolSize: 16, poolTimeoutMs: 30_000 });
  databaseName = new URL(database.url!).pathname.slice(1);
  const [{ id: regionId }] = await database.db.query(`INSERT INTO regions (slug, name, country) VALUES ('r', 'R', 'FR') RETURNING id`);
  slugs = ["a", "b", "c", "d"];
  for (const slug of slugs) {
    await database.db.query(`INSERT INTO organizations (slug, name, search_name, kind, region_id) VALUES ($1, $1, $1, 'NGO', $2)`, [slug, regionId]);
  }
  const listening = await listenOver(database.db, { WRITE_RATE_LIMIT: "0", GRAPH_RATE_LIMIT: "0" });
  server = listening.server;
  graphql = listening.graphql;
  token = (await server!.features.apiKeys.create({ role: Role.ADMIN, label: "deadlock test" })).token;
});
afterAll(async () => {
  await server?.stop();
  await database?.close();
});

const ask = async (query: string, variables: Record<string, unknown>) => (await graphqlClient(graphql, token).ask(query, variables)).body;

const CREATE = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`;
const outcome = (body: any) => (body.errors ? body.errors[0].extensions?.code ?? body.errors[0].message : "OK");

describe("writes that lock two organizations, all at once", () => {
  const pairs = () => slugs.flatMap((from) => slugs.filter((to) => to !== from).map((to) => ({ from, to })));

  it("when all 12 directed pairs are created 10 times at once, then each answers created or CONFLICT, with no deadlock and no retry", async () => {
    const retriesBefore = retriedWrites();
    // Rounds 2k and 2k+1 ask for the same year: exactly one of each two lands, the other is a CONFLICT.
    const requests = Array.from({ length: 10 }, (_, round) => round).flatMap((round) =>
      pairs().map(({ from, to }) => {
        const year = 2010 + Math.floor(round / 2);
        return { from, to, categories: ["OTHER"], since: `${year}-01-01`, until: `${year}-12-31` };
      }),
    );
    expect(requests.length).toBe(120);
    const outcomes = await Promise.all(requests.map((input) => ask(CREATE, { input }).then(outcome)));
    const tally = outcomes.reduce<Record<string, number>>((t, o) => ((t[o] = (t[o] ?? 0) + 1), t), {});
    expect(tally).toEqual({ OK: 60, CONFLICT: 60 });
    expect(retriedWrites()).toBe(retriesBefore);
  }, 60_000);

  it("when every referral is updated, ended or deleted while partnerships of every pair are made, then all succeed with no retry", async () => {
    const retriesBefore = retriedWrites();
    const rows: { id: string; until: string }[] = await database.db.query(`SELECT id, until FROM referrals ORDER BY id`);
    const writes = rows.map(({ id, until }, i) =>
      i % 3 === 0
        ? ask(`mutation($id: ID!) { updateReferral(id: $id, input: { description: "changed" }) { id } }`, { id })
        : i % 3 === 1
          ? ask(`mutation($id: ID!, $until: Date!) { endReferral(id: $id, until: $until) { id } }`, { id, until })
          : ask(`mutation($id: ID!) { deleteReferral(id: $id) }`, { id }),
    );
    const partnerships = pairs().map(({ from, to }) =>
      ask(`mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { id } }`, {
        input: { kind: "PARTNERSHIP", organizations: [from, to], description: `${from} ${to}` },
      }),
    );
    const outcomes = await Promise.all([...writes, ...partnerships].map((p) => p.then(outcome)));
    // {a,b} and {b,a} are one partnership: of each two, one lands and the other is a CONFLICT.
    expect(outcomes.filter((o) => o !== "OK" && o !== "CONFLICT")).toEqual([]);
    expect(outcomes.slice(0, writes.length).every((o) => o === "OK")).toBe(true);
    expect(outcomes.slice(writes.length).filter((o) => o === "OK").length).toBe(6);
    expect(retriedWrites()).toBe(retriesBefore);
  }, 60_000);

  it("when the load is over, then PostgreSQL counted no deadlock in this database", async () => {
    // A backend reports its statistics when it ends: close the pool, wait for its sessions to go.
    await server!.stop();
    server = undefined;
    await database.db.destroy();
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      for (let i = 0; i < 100; i++) {
        const [{ n }] = (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [databaseName])).rows;
        if (n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await admin.query(`SELECT pg_stat_clear_snapshot()`);
      const [{ deadlocks }] = (await admin.query(`SELECT deadlocks::int FROM pg_stat_database WHERE datname = $1`, [databaseName])).rows;
      expect(deadlocks).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
