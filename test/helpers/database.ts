import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { DataSource } from "typeorm";
import { DatabaseOptions, openDatabase } from "../../src/db/data-source";
import { seedIfEmpty } from "../../src/db/seed/seed";

/** Which backend this run uses: PostgreSQL when TEST_DATABASE_URL is set, else in-memory PGlite. */
export const backend = process.env.TEST_DATABASE_URL ? "postgresql" : "pglite";

export interface TestDatabase {
  db: DataSource;
  /** The URL of the fresh PostgreSQL database (undefined on PGlite). */
  url: string | undefined;
  close(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Creates an empty PostgreSQL database beside TEST_DATABASE_URL's; returns its URL and a dropper. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `passerelle_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  return {
    url: withDatabase(admin, name),
    async drop() {
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A new folder to give a server or command process as DATA_DIR, holding what a first `npm start`
 * leaves: the Corrèze seed (`seeded`), or an empty migrated database (`migrated`), or one PostgreSQL
 * has just made, without any table (`empty`), copied from the ones test/global-setup.js made, so that the process opens it as it is, without the 6 s of
 * initdb and migrations. Without the global setup, an empty folder (the process creates it).
 */
export function preparedDataDir(prefix: string, content: "seeded" | "migrated" | "empty" = "seeded"): string {
  const made = process.env.PASSERELLE_TEST_DATA;
  if (!made || !fs.existsSync(path.join(made, content))) return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // Inside the run's folder (in memory where the machine has /dev/shm): global-teardown.js removes
  // what a test left behind.
  const dir = fs.mkdtempSync(path.join(made, "copies", prefix));
  fs.cpSync(path.join(made, content), dir, { recursive: true });
  return dir;
}

/**
 * A fresh, migrated, empty database for one test file. On PGlite, in a copy of the folder
 * global-setup.js migrated (copied and opened in under half a second, where a new one takes six),
 * without fsync (nothing here outlives a power loss), removed by close().
 */
export async function freshDatabase(options: Omit<DatabaseOptions, "databaseUrl" | "dataDir"> & { migratedHere?: boolean; seeded?: boolean } = {}): Promise<TestDatabase> {
  if (backend === "postgresql") {
    const pg = await createPostgresDatabase();
    const db = await openDatabase({ ...options, databaseUrl: pg.url });
    return {
      db,
      url: pg.url,
      async close() {
        if (db.isInitialized) await db.destroy();
        await pg.drop();
      },
    };
  }
  // migratedHere: without any table, migrated by this open, as a first start does (the migrations' own tests).
  // seeded: the Corrèze seed already in (seedIfEmpty then finds it there; on PostgreSQL it seeds).
  const dataDir = preparedDataDir("passerelle-db-", options.migratedHere ? "empty" : options.seeded ? "seeded" : "migrated");
  const db = await openDatabase({ pgliteFsync: false, ...options, dataDir });
  return {
    db,
    url: undefined,
    async close() {
      if (db.isInitialized) await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh database holding the Corrèze seed, for a test file that reads or imports over it. */
export async function seededDatabase(options: Parameters<typeof freshDatabase>[0] = {}): Promise<TestDatabase> {
  const database = await freshDatabase({ ...options, seeded: true });
  await seedIfEmpty(database.db);
  return database;
}

/** How many rows a table holds (tests assert that a refused write left it as it was). */
export async function countRows(db: DataSource, table: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}
