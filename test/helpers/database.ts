import { randomBytes } from "node:crypto";
import fs from "node:fs";
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

let template: Blob | undefined;
/** The migrated database test/global-setup.js kept (undefined when jest runs without it): read once per worker. */
function migratedCopy(): Blob | undefined {
  const file = process.env.PASSERELLE_TEST_TEMPLATE;
  if (!template && file && fs.existsSync(file)) template = new Blob([fs.readFileSync(file)]);
  return template;
}

/** A fresh, migrated, empty database for one test file: on PGlite, a copy of the one global-setup.js migrated. */
export async function freshDatabase(options: Omit<DatabaseOptions, "databaseUrl" | "dataDir" | "startFrom"> & { migratedHere?: boolean } = {}): Promise<TestDatabase> {
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
  // migratedHere: made empty and migrated by this open, as a first start does (the migrations' own tests).
  const db = await openDatabase({ ...options, dataDir: "memory://", startFrom: options.migratedHere ? undefined : migratedCopy() });
  return {
    db,
    url: undefined,
    async close() {
      if (db.isInitialized) await db.destroy();
    },
  };
}

/** A fresh database holding the Corrèze seed, for a test file that reads or imports over it. */
export async function seededDatabase(options: Parameters<typeof freshDatabase>[0] = {}): Promise<TestDatabase> {
  const database = await freshDatabase(options);
  await seedIfEmpty(database.db);
  return database;
}

/** How many rows a table holds (tests assert that a refused write left it as it was). */
export async function countRows(db: DataSource, table: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}
