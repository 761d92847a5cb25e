import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseCreate, run, UsageError } from "../../src/cli/apikey";
import { openDatabase } from "../../src/db/data-source";
import { ApiKeyService } from "../../src/auth/api-key.service";
import { seedIfEmpty } from "../../src/db/seed/seed";
import { createPostgresDatabase } from "../helpers/database";
import { ROOT } from "../helpers/process";

const exec = promisify(execFile);

/** The environment the command runs with: a fresh, seeded database of this run's backend. */
let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (process.env.TEST_DATABASE_URL) {
    const pg = await createPostgresDatabase();
    env = { DATABASE_URL: pg.url };
    dropDatabase = pg.drop;
  } else {
    env = { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-apikey-")) };
  }
  const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  await seedIfEmpty(db);
  await db.destroy();
});
afterAll(async () => {
  await dropDatabase?.();
});

async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await run(args, (line) => lines.push(...line.split("\n")), env);
  return lines;
}

async function authenticate(token: string) {
  const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    return await new ApiKeyService(db).authenticate(`Bearer ${token}`);
  } finally {
    await db.destroy();
  }
}

describe("npm run apikey", () => {
  it("when an EDITOR key is created for a region, then the last line is a token that authenticates with that scope, and only a hash is stored", async () => {
    const lines = await cli("create", "--role", "EDITOR", "--region", "correze", "--label", "coordinator");
    const token = lines[lines.length - 1];
    expect(token).toMatch(/^psl_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const viewer = await authenticate(token);
    expect(viewer).toMatchObject({ role: "EDITOR", label: "coordinator" });
    expect(viewer!.regionIds).toHaveLength(1);

    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
    const rows: { secret_hash: string }[] = await db.query(`SELECT secret_hash FROM api_keys`);
    await db.destroy();
    const secret = token.split("_").slice(2).join("_");
    expect(rows.every((r) => !r.secret_hash.includes(secret))).toBe(true);
  });

  it("when listed and revoked, then the key shows as revoked and is refused at once", async () => {
    const lines = await cli("create", "--role", "VIEWER");
    const token = lines[lines.length - 1];
    const id = (await cli("list")).map((l) => l.split("\t")).find((cols) => cols[1] === "VIEWER" && cols[3] === "active")![0];
    expect(await cli("revoke", id)).toEqual([expect.stringMatching(/Revoked/)]);
    expect((await cli("list")).find((l) => l.startsWith(id))).toMatch(/revoked/);
    await expect(authenticate(token)).rejects.toThrow(/revoked/);
  });

  it("when an expiry date has passed, then the key is refused", async () => {
    const lines = await cli("create", "--role", "ADMIN", "--expires", "2020-01-01");
    await expect(authenticate(lines[lines.length - 1])).rejects.toThrow(/expired/);
  });

  it("when the arguments are wrong, then a usage error says what to fix", async () => {
    expect(() => parseCreate([])).toThrow(/--role/);
    expect(() => parseCreate(["--role", "OWNER"])).toThrow(/ADMIN, EDITOR or VIEWER/);
    expect(() => parseCreate(["--role"])).toThrow(/needs a value/);
    expect(() => parseCreate(["--role", "ADMIN", "--colour", "red"])).toThrow(UsageError);
    await expect(cli("frobnicate")).rejects.toThrow(/unknown command/);
    await expect(cli("create", "--role", "EDITOR")).rejects.toThrow(/needs at least one region/);
    await expect(cli("create", "--role", "EDITOR", "--region", "atlantis")).rejects.toThrow(/atlantis/);
    await expect(cli("create", "--role", "ADMIN", "--region", "correze")).rejects.toThrow(/only scope EDITOR/);
    await expect(cli("revoke", "not-an-id")).rejects.toThrow(/list/);
    await expect(cli("revoke", "00000000-0000-4000-8000-000000000000")).rejects.toThrow(/No API key/);
  });

  it("when the database is new, then it is migrated and seeded first, so --region correze works", async () => {
    const fresh = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : undefined;
    const freshEnv = fresh ? { DATABASE_URL: fresh.url } : { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-fresh-")) };
    try {
      const lines: string[] = [];
      await run(["create", "--role", "EDITOR", "--region", "correze"], (line) => lines.push(line), freshEnv);
      expect(lines[lines.length - 1]).toMatch(/^psl_/);
    } finally {
      await fresh?.drop();
    }
  });

  it("when run through npm as the README says, then the token is the last line of stdout", async () => {
    const { stdout } = await exec("npm", ["run", "--silent", "apikey", "--", "create", "--role", "ADMIN", "--label", "npm"], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    const lines = stdout.trim().split("\n");
    const token = lines[lines.length - 1];
    expect(token).toMatch(/^psl_/);
    expect((await authenticate(token))?.role).toBe("ADMIN");
  });
});
