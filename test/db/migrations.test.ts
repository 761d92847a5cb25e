import { DataSource } from "typeorm";
import { driverError, translateDatabaseError } from "../../src/errors/database";
import { InputError } from "../../src/errors";
import { backend, countRows, createPostgresDatabase, freshDatabase, TestDatabase } from "../helpers/database";
import { migrations, openDatabase } from "../../src/db/data-source";
import { CORREZE, seedIfEmpty } from "../../src/db/seed/seed";

let database: TestDatabase;
let db: DataSource;
beforeAll(async () => {
  database = await freshDatabase({ migratedHere: true });
  db = database.db;
});
afterAll(() => database.close());

const TABLES = [
  "api_keys",
  "audit_log",
  "graph_changes",
  "graph_state",
  "meeting_participants",
  "meetings",
  "organizations",
  "partnership_members",
  "partnerships",
  "platform_members",
  "platforms",
  "referrals",
  "regions",
  "services",
];

async function tables(): Promise<string[]> {
  const rows: { table_name: string }[] = await db.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'migrations' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Runs a statement expected to fail, and returns the SQLSTATE it failed with. */
async function refusal(sql: string, params: unknown[] = []): Promise<string | undefined> {
  try {
    await db.query(sql, params);
  } catch (error) {
    return driverError(error)?.code;
  }
  return undefined;
}

describe("migrations", () => {
  it("when run on an empty database, then every table exists and the graph version starts at 1", async () => {
    expect(await tables()).toEqual(TABLES);
    const [state] = await db.query(`SELECT version FROM graph_state`);
    expect(Number(state.version)).toBe(1);
  });

  it("when undone and run again, then the schema comes back the same", async () => {
    for (let i = 0; i < migrations.length; i++) await db.undoLastMigration({ transaction: "all" });
    expect(await tables()).toEqual([]);
    const ran = await db.runMigrations({ transaction: "all" });
    expect(ran.map((m) => m.name)).toEqual(["Foundation1764320000000", "GraphChanges1764900000000", "EndedReferralsHaveUntil1765100000000", "ReferralVerifiedOn1765300000000"]);
    expect(await tables()).toEqual(TABLES);
  });

  it("when already up to date, then running them again does nothing", async () => {
    expect(await db.runMigrations()).toEqual([]);
  });
});

describe("constraints in the database", () => {
  let regionId: string;
  let a: string;
  let b: string;
  beforeAll(async () => {
    [{ id: regionId }] = await db.query(`INSERT INTO regions (slug, name, country) VALUES ('r', 'R', 'FR') RETURNING id`);
    [{ id: a }] = await db.query(`INSERT INTO organizations (slug, name, search_name, kind, region_id) VALUES ('a', 'A', 'a', 'NGO', $1) RETURNING id`, [regionId]);
    [{ id: b }] = await db.query(`INSERT INTO organizations (slug, name, search_name, kind, region_id) VALUES ('b', 'B', 'b', 'NGO', $1) RETURNING id`, [regionId]);
  });

  it("when ids are left to the database, then they are random UUIDs", () => {
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ["a duplicate slug", `INSERT INTO organizations (slug, name, search_name, kind) VALUES ('a', 'A2', 'a2', 'NGO')`, "23505"],
    ["a bad slug", `INSERT INTO organizations (slug, name, search_name, kind) VALUES ('A b', 'X', 'x', 'NGO')`, "23514"],
    ["an unknown kind", `INSERT INTO organizations (slug, name, search_name, kind) VALUES ('k', 'K', 'k', 'CLUB')`, "23514"],
    ["a missing region", `INSERT INTO organizations (slug, name, search_name, kind, region_id) VALUES ('m', 'M', 'm', 'NGO', gen_random_uuid())`, "23503"],
    ["a bad country", `INSERT INTO regions (slug, name, country) VALUES ('x', 'X', 'fr')`, "23514"],
  ])("when inserting %s, then the database refuses it", async (_what, sql, code) => {
    expect(await refusal(sql)).toBe(code);
  });

  it.each([
    ["a self-referral", `from_id, to_id, categories) VALUES ($1, $1, '{OTHER}')`, "23514"],
    ["no category", `from_id, to_id, categories) VALUES ($1, $2, '{}')`, "23514"],
    ["an unknown category", `from_id, to_id, categories) VALUES ($1, $2, '{DANCING}')`, "23514"],
    ["an age above 120", `from_id, to_id, categories, max_age) VALUES ($1, $2, '{OTHER}', 121)`, "23514"],
    ["a negative age", `from_id, to_id, categories, min_age) VALUES ($1, $2, '{OTHER}', -1)`, "23514"],
    ["min above max", `from_id, to_id, categories, min_age, max_age) VALUES ($1, $2, '{OTHER}', 30, 20)`, "23514"],
    ["until before since", `from_id, to_id, categories, since, until) VALUES ($1, $2, '{OTHER}', '2022-02-01', '2022-01-01')`, "23514"],
    ["an unknown status", `from_id, to_id, categories, status) VALUES ($1, $2, '{OTHER}', 'MAYBE')`, "23514"],
    ["an unknown target group", `from_id, to_id, categories, target_groups) VALUES ($1, $2, '{OTHER}', '{TOURIST}')`, "23514"],
  ])("when a referral has %s, then the database refuses it", async (_what, tail, code) => {
    const params = tail.includes("$2") ? [a, b] : [a];
    expect(await refusal(`INSERT INTO referrals (${tail}`, params)).toBe(code);
  });

  it("when a referral is valid, then the database takes it, and keeps its ends from being deleted", async () => {
    await db.query(`INSERT INTO referrals (from_id, to_id, categories, min_age, max_age) VALUES ($1, $2, '{OTHER}', 0, 120)`, [a, b]);
    // restrict_violation (23001) on PostgreSQL 18, foreign_key_violation (23503) before it
    expect(["23001", "23503"]).toContain(await refusal(`DELETE FROM organizations WHERE id = $1`, [b]));
  });

  it("when an EDITOR key names no region, then the database refuses it", async () => {
    expect(await refusal(`INSERT INTO api_keys (prefix, secret_hash, role) VALUES ('p', 'h', 'EDITOR')`)).toBe("23514");
  });

  it("when the filters of the contract run, then each has an index", async () => {
    const rows: { indexname: string }[] = await db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()`);
    const names = rows.map((r) => r.indexname);
    expect(names).toEqual(
      expect.arrayContaining([
        "organizations_name_id",
        "organizations_region_name",
        "organizations_kind",
        "organizations_search_name",
        "services_organization",
        "services_category",
        "referrals_from",
        "referrals_to",
        "referrals_status",
        "referrals_categories",
      ]),
    );
  });
});

describe("the migration giving ENDED referrals their end day", () => {
  const MIGRATION = "EndedReferralsHaveUntil1765100000000";
  let a: string;
  let b: string;

  /** Undoes migrations down to (and including) this one, so rows can be stored as before it. */
  async function undoDownToIt(): Promise<void> {
    for (;;) {
      const [last] = await db.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
      await db.undoLastMigration({ transaction: "all" });
      if (last.name === MIGRATION) return;
    }
  }

  beforeAll(async () => {
    [{ id: a }] = await db.query(`INSERT INTO organizations (slug, name, search_name, kind) VALUES ('ended-a', 'A', 'a', 'NGO') RETURNING id`);
    [{ id: b }] = await db.query(`INSERT INTO organizations (slug, name, search_name, kind) VALUES ('ended-b', 'B', 'b', 'NGO') RETURNING id`);
  });

  it("when run over ENDED rows without until, then each gets its last change's UTC day (since if later), recorded as a write", async () => {
    await undoDownToIt();
    const insert = async (status: string, since: string | null, until: string | null, updatedAt: string, category: string) =>
      (
        await db.query(
          `INSERT INTO referrals (from_id, to_id, categories, status, since, until, updated_at) VALUES ($1, $2, ARRAY[$3], $4, $5, $6, $7) RETURNING id`,
          [a, b, category, status, since, until, updatedAt],
        )
      )[0].id as string;
    // 23:30 in UTC is already the next day in Paris: the day is the UTC one.
    const plain = await insert("ENDED", null, null, "2024-03-05T23:30:00Z", "HOUSING");
    const lateSince = await insert("ENDED", "2024-06-01", null, "2024-03-05T10:00:00Z", "HEALTH");
    const active = await insert("ACTIVE", null, null, "2024-03-05T10:00:00Z", "MOBILITY");
    const dated = await insert("ENDED", "2020-01-01", "2021-01-01", "2024-03-05T10:00:00Z", "OTHER");
    const [{ version: graphBefore }] = await db.query(`SELECT version::int FROM graph_state`);
    const [{ n: auditBefore }] = await db.query(`SELECT count(*)::int AS n FROM audit_log`);

    const ran = await db.runMigrations({ transaction: "all" });
    expect(ran.map((m) => m.name)).toContain(MIGRATION);

    const rows: { id: string; until: string | null; version: number }[] = await db.query(
      `SELECT id, until, version FROM referrals WHERE id = ANY($1::uuid[])`,
      [[plain, lateSince, active, dated]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[plain]).toMatchObject({ until: "2024-03-05", version: 2 });
    expect(byId[lateSince]).toMatchObject({ until: "2024-06-01", version: 2 });
    expect(byId[active]).toMatchObject({ until: null, version: 1 });
    expect(byId[dated]).toMatchObject({ until: "2021-01-01", version: 1 });
    // The graph snapshot of every process learns of it as of any write: a new graph version naming the two referrals.
    const [{ version: graphAfter }] = await db.query(`SELECT version::int FROM graph_state`);
    expect(graphAfter).toBe(graphBefore + 1);
    const changed: { entity_type: string; entity_id: string }[] = await db.query(
      `SELECT entity_type, entity_id FROM graph_changes WHERE version = $1 ORDER BY entity_id`,
      [graphAfter],
    );
    expect(changed).toEqual([plain, lateSince].sort().map((id) => ({ entity_type: "referral", entity_id: id })));
    const [{ n: auditAfter }] = await db.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(auditAfter).toBe(auditBefore + 2);
  });

  it("when a row would be ENDED without until again, then the database refuses it, as BAD_USER_INPUT naming input.until", async () => {
    let refused: unknown;
    try {
      await db.query(`INSERT INTO referrals (from_id, to_id, categories, status) VALUES ($1, $2, '{EDUCATION}', 'ENDED')`, [a, b]);
    } catch (error) {
      refused = error;
    }
    expect(driverError(refused)?.code).toBe("23514");
    const translated = translateDatabaseError(refused);
    expect(translated).toBeInstanceOf(InputError);
    expect((translated as InputError).field).toBe("input.until");
    expect(await refusal(`UPDATE referrals SET until = NULL WHERE status = 'ENDED'`)).toBe("23514");
  });

  it("when nothing needs an end day, then it moves no graph version", async () => {
    await undoDownToIt();
    const [{ version: before }] = await db.query(`SELECT version::int FROM graph_state`);
    await db.runMigrations({ transaction: "all" });
    const [{ version: after }] = await db.query(`SELECT version::int FROM graph_state`);
    expect(after).toBe(before);
  });
});

// Only PostgreSQL is shared between processes; PGlite's data directory is opened by one at a time.
const onPostgres = backend === "postgresql" ? describe : () => undefined;

onPostgres("instances starting together on one PostgreSQL", () => {
  it("when two open an empty database at once, then both start and the seed lands once", async () => {
    const pg = await createPostgresDatabase();
    try {
      const [one, two] = await Promise.all(
        [1, 2].map(() => openDatabase({ databaseUrl: pg.url }, (db) => seedIfEmpty(db))),
      );
      expect(await countRows(one, "organizations")).toBe(CORREZE.organizations.length);
      expect(await countRows(two, "regions")).toBe(CORREZE.regions.length);
      await one.destroy();
      await two.destroy();
    } finally {
      await pg.drop();
    }
  });
});
