import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { DataSource } from "typeorm";
import { execute, parseCommand, parseCreate, run, UsageError } from "../../src/cli/apikey";
import { openDatabase } from "../../src/db/data-source";
import { ApiKeys } from "../../src/auth/api-keys";
import { seedIfEmpty } from "../../src/db/seed/seed";
import { createPostgresDatabase, preparedDataDir } from "../helpers/database";
import { ROOT } from "../helpers/process";
import { today } from "../../src/referrals/referral.rules";

const exec = promisify(execFile);

/** The environment the command runs with: a fresh, seeded database of this run's backend. */
let env: Record<string, string>;
let dropDatabase: (() => Promise<void>) | undefined;
/**
 * That database, open once for the commands run in this process (opening PGlite costs a second or
 * two); closed before the commands run as processes, which open it themselves.
 */
let shared: DataSource | undefined;

beforeAll(async () => {
  if (process.env.TEST_DATABASE_URL) {
    const pg = await createPostgresDatabase();
    env = { DATABASE_URL: pg.url };
    dropDatabase = pg.drop;
  } else {
    env = { DATA_DIR: preparedDataDir("passerelle-apikey-") };
  }
  shared = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  await seedIfEmpty(shared);
});
afterAll(async () => {
  await shared?.destroy();
  await dropDatabase?.();
});

/** The command run in this process on the shared database, as `run` runs it after opening one: its output lines. */
async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const command = parseCommand(args);
  if (command.name === "help") throw new Error("help is run as a process below");
  await execute(command, shared!, (line) => lines.push(...line.split("\n")));
  return lines;
}

/** On the shared database, or one opened for the call once it is closed. */
async function withDatabase<T>(use: (db: DataSource) => Promise<T>): Promise<T> {
  if (shared) return use(shared);
  const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

const sql = (text: string): Promise<any[]> => withDatabase((db) => db.query(text));
const authenticate = (token: string) => withDatabase((db) => new ApiKeys(db).authenticate(`Bearer ${token}`));

describe("npm run apikey", () => {
  it("when an EDITOR key is created for a region, then the last line is a token that authenticates with that scope, and only a hash is stored", async () => {
    const lines = await cli("create", "--role", "EDITOR", "--region", "correze", "--label", "coordinator");
    const token = lines[lines.length - 1];
    expect(token).toMatch(/^psl_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const viewer = await authenticate(token);
    expect(viewer).toMatchObject({ role: "EDITOR", label: "coordinator" });
    expect(viewer!.regionIds).toHaveLength(1);

    const rows: { secret_hash: string }[] = await sql(`SELECT secret_hash FROM api_keys`);
    const secret = token.split("_").slice(2).join("_");
    expect(rows.every((r) => !r.secret_hash.includes(secret))).toBe(true);
  });

  it("when listed and revoked, then the key shows as revoked and is refused at once", async () => {
    const lines = await cli("create", "--role", "VIEWER");
    const token = lines[lines.length - 1];
    const listed = (await cli("list")).map((l) => l.split("\t"));
    // Under a heading, every line has every column, "-" where a key has no such field.
    expect(listed[0]).toEqual(["id", "role", "regions", "state", "created", "expires", "label"]);
    expect(listed.every((cols) => cols.length === 7)).toBe(true);
    const id = listed.find((cols) => cols[1] === "VIEWER" && cols[3] === "active")![0];
    expect(listed.find((cols) => cols[0] === id)).toEqual([id, "VIEWER", "-", "active", expect.stringMatching(/^\d{4}-\d\d-\d\dT/), "-", "-"]);
    // A label with a tab or a line break in it stays in its column, on its line.
    await cli("create", "--role", "VIEWER", "--label", "two\twords\nand a line");
    expect((await cli("list")).filter((l) => l.endsWith("\ttwo words and a line"))).toHaveLength(1);
    expect(await cli("revoke", id)).toEqual([expect.stringMatching(/Revoked/)]);
    expect((await cli("list")).find((l) => l.startsWith(id))).toMatch(/revoked/);
    await expect(authenticate(token)).rejects.toThrow(/revoked/);
  });

  it("when an expiry date has passed, then the key is refused", async () => {
    const lines = await cli("create", "--role", "ADMIN", "--label", "to expire", "--expires", today());
    await sql(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE label = 'to expire'`);
    await expect(authenticate(lines[lines.length - 1])).rejects.toThrow(/expired/);
  });

  it("when --expires names a day, then the key works through the end of that day, UTC, and list says so", async () => {
    const lines = await cli("create", "--role", "VIEWER", "--label", "through today", "--expires", today());
    expect((await authenticate(lines[lines.length - 1]))?.role).toBe("VIEWER");
    const [row] = await sql(`SELECT id, expires_at FROM api_keys WHERE label = 'through today'`);
    const tomorrow = new Date(`${today()}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    expect(new Date(row.expires_at).toISOString()).toBe(tomorrow.toISOString());
    expect((await cli("list")).find((l) => l.startsWith(row.id))).toContain(`valid through ${today()} UTC`);
  });

  it("when --expires is a day in the past or not a day, then create refuses and says what to give", async () => {
    await expect(cli("create", "--role", "ADMIN", "--expires", "2020-01-01")).rejects.toThrow(/2020-01-01 is in the past .*give today or a later day/);
    await expect(cli("create", "--role", "ADMIN", "--expires", "2027-02-30")).rejects.toThrow(/YYYY-MM-DD.*"2027-02-30"/);
    await expect(cli("create", "--role", "ADMIN", "--expires", "31/12/2027")).rejects.toThrow(UsageError);
  });

  it("when a key is revoked twice, then the second says when it was revoked and succeeds; an unknown id is no such key", async () => {
    await cli("create", "--role", "VIEWER", "--label", "twice");
    const [{ id }] = await sql(`SELECT id FROM api_keys WHERE label = 'twice'`);
    expect(await cli("revoke", id)).toEqual([expect.stringMatching(/^Revoked key/)]);
    const [{ revoked_at }] = await sql(`SELECT revoked_at FROM api_keys WHERE id = '${id}'`);
    const again = await cli("revoke", id);
    expect(again).toEqual([`Key ${id} was already revoked, at ${new Date(revoked_at).toISOString()}: nothing changed.`]);
    const [after] = await sql(`SELECT revoked_at FROM api_keys WHERE id = '${id}'`);
    expect(new Date(after.revoked_at).getTime()).toBe(new Date(revoked_at).getTime());
    await expect(cli("revoke", "00000000-0000-4000-8000-000000000000")).rejects.toThrow(/No API key "00000000-0000-4000-8000-000000000000" exists.*apikey -- list/);
  });

  it("when a bad token starts with psl_, then it hears unknown, revoked or expired, not that it lacks the prefix", async () => {
    const lines = await cli("create", "--role", "VIEWER");
    const token = lines[lines.length - 1];
    const wrongSecret = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const bad of ["psl_nope", token.slice(0, -3), wrongSecret, "psl_aaaaaaaaaaaa_" + "A".repeat(43)]) {
      const refusal = authenticate(bad);
      await expect(refusal).rejects.toThrow(/unknown, revoked or expired/);
      await expect(refusal).rejects.not.toThrow(/psl_\)/);
    }
    await expect(authenticate("hello")).rejects.toThrow(/not a Passerelle API token \(they start with psl_\)/);
  });

  it("when the arguments are wrong, then a usage error says what to fix", async () => {
    expect(() => parseCreate([])).toThrow(/--role/);
    expect(() => parseCreate(["--role", "OWNER"])).toThrow(/ADMIN, EDITOR or VIEWER/);
    expect(() => parseCreate(["--role"])).toThrow(/needs a value/);
    expect(() => parseCreate(["--role", "ADMIN", "--colour", "red"])).toThrow(UsageError);
    await expect(cli("frobnicate")).rejects.toThrow(/unknown command/);
    await expect(run(["list"], () => undefined, { ...env, PROT: "4000" })).rejects.toThrow(/PROT is not a setting of Passerelle: did you mean PORT\?/);
    await expect(cli("create", "--role", "EDITOR")).rejects.toThrow(/needs at least one region/);
    await expect(cli("create", "--role", "EDITOR", "--region", "atlantis")).rejects.toThrow(/atlantis/);
    await expect(cli("create", "--role", "ADMIN", "--region", "correze")).rejects.toThrow(/only scope EDITOR/);
    await expect(cli("revoke", "not-an-id")).rejects.toThrow(/list/);
    await expect(cli("revoke", "00000000-0000-4000-8000-000000000000")).rejects.toThrow(/No API key/);
  });

  it("when the database is new, then it is migrated and seeded first, so --region correze works", async () => {
    const fresh = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : undefined;
    const freshEnv = fresh ? { DATABASE_URL: fresh.url } : { DATA_DIR: preparedDataDir("passerelle-fresh-", "empty") };
    try {
      const lines: string[] = [];
      await run(["create", "--role", "EDITOR", "--region", "correze"], (line) => lines.push(line), freshEnv);
      expect(lines[lines.length - 1]).toMatch(/^psl_/);
    } finally {
      await fresh?.drop();
    }
  });

});

describe("npm run apikey as a process", () => {
  /** A key revoked already, on the shared database, for the processes to revoke again. */
  let revoked: string;
  beforeAll(async () => {
    await cli("create", "--role", "VIEWER", "--label", "process twice");
    [{ id: revoked }] = await sql(`SELECT id FROM api_keys WHERE label = 'process twice'`);
    expect(await cli("revoke", revoked)).toEqual([expect.stringMatching(/^Revoked key/)]);
    // Each process opens the database itself: PGlite's folder is one process's at a time.
    await shared?.destroy();
    shared = undefined;
  });

  it("when run with no arguments, then it prints the usage on stderr and exits non-zero; help exits 0", async () => {
    const bare = await exec(process.execPath, [path.join(ROOT, "dist/src/cli/apikey.js")], { cwd: ROOT, env: { ...process.env, ...env } }).catch((e) => e);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^apikey: say what to do: create, list or revoke\n\nUsage:/);
    const help = await exec(process.execPath, [path.join(ROOT, "dist/src/cli/apikey.js"), "--help"], { cwd: ROOT, env: { ...process.env, ...env } });
    expect(help.stdout).toMatch(/^Usage:[\s\S]*through the end of that day, UTC/);
  });

  it("when a revoked key is revoked again as a process, then it exits 0 (a script may run it twice); an unknown id exits 1", async () => {
    const apikey = (...args: string[]) => exec(process.execPath, [path.join(ROOT, "dist/src/cli/apikey.js"), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    expect((await apikey("revoke", revoked)).stdout).toMatch(/already revoked, at /);
    const unknown = await apikey("revoke", "00000000-0000-4000-8000-000000000000").catch((e) => e);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No API key/);
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
