import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { DataDirHalfMadeError, LOCK_FILE, migrations as MIGRATIONS, openDatabase } from "../../src/db/data-source";
import { seedIfEmpty } from "../../src/db/seed/seed";
import { preparedDataDir } from "../helpers/database";
import { ROOT, startServerProcess } from "../helpers/process";
import { databaseOptions, loadConfig } from "../../src/config/index";

/** Resolves once `dir` exists and has an entry (watched, not polled). */
function firstEntry(dir: string, parent = path.dirname(dir)): Promise<void> {
  return new Promise((resolve) => {
    const watchers: fs.FSWatcher[] = [];
    const done = () => {
      for (const w of watchers) w.close();
      resolve();
    };
    const watchInside = () => {
      watchers.push(fs.watch(dir, () => done()));
      if (fs.readdirSync(dir).length > 0) done();
    };
    if (fs.existsSync(dir)) return watchInside();
    const outer = fs.watch(parent, () => {
      if (fs.existsSync(dir) && watchers.length === 1) watchInside();
    });
    watchers.push(outer);
    if (fs.existsSync(dir)) watchInside();
  });
}

describe("the embedded database's data directory", () => {
  it("when a run writes to DATA_DIR, then the next run opens the same data without migrating or seeding again", async () => {
    // A database PostgreSQL has just made, not migrated yet (its making is the killed start's test, below).
    const dataDir = preparedDataDir("passerelle-data-", "empty");
    const first = await openDatabase({ dataDir });
    expect(await seedIfEmpty(first)).toBe(true);
    await first.query(`UPDATE organizations SET description = 'kept' WHERE slug = 'mosaik'`);
    await first.destroy();
    expect(fs.existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);

    const second = await openDatabase({ dataDir });
    try {
      expect(await seedIfEmpty(second)).toBe(false);
      const [row] = await second.query(`SELECT description FROM organizations WHERE slug = 'mosaik'`);
      expect(row.description).toBe("kept");
      const migrations = await second.query(`SELECT name FROM migrations`);
      expect(migrations).toHaveLength(MIGRATIONS.length); // each ran once, on the first open
    } finally {
      await second.destroy();
    }
  });

  it("when another process holds the folder, then opening it is refused with what to do; once that process is gone, it opens", async () => {
    const dataDir = preparedDataDir("passerelle-locked-", "migrated");
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      fs.writeFileSync(path.join(dataDir, LOCK_FILE), String(other.pid));
      await expect(openDatabase({ dataDir })).rejects.toThrow(new RegExp(`open in process ${other.pid} .*Stop that process first, or give both the same DATABASE_URL`));
      // The migration CLI (npm run migration:show / migration:run) too.
      const cli = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [require.resolve("typeorm/cli.js"), "migration:show", "-d", path.join(ROOT, "dist/ormconfig.js")], {
          cwd: ROOT,
          env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: "production" },
        });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        child.on("close", (code) => resolve({ code, output }));
      });
      expect(cli.code).not.toBe(0);
      expect(cli.output).toContain(`is open in process ${other.pid}`);
      expect(fs.readFileSync(path.join(dataDir, LOCK_FILE), "utf8")).toBe(String(other.pid)); // left to its holder
    } finally {
      other.kill();
      await new Promise((resolve) => other.once("exit", resolve));
    }
    const db = await openDatabase({ dataDir }); // the lock's process is gone: taken over
    expect(fs.readFileSync(path.join(dataDir, LOCK_FILE), "utf8")).toBe(String(process.pid));
    await db.destroy();
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 60_000);

  it("when the very first start is killed -9 while it creates the database, then DATA_DIR is not left half-made and the next start works", async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-killed-"));
    const dataDir = path.join(parent, "data");
    const script = `require(${JSON.stringify(path.join(ROOT, "dist/src/db/data-source.js"))}).openDatabase({ dataDir: ${JSON.stringify(dataDir)} })`;
    const child = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const temp = path.join(parent, `data.creating-${child.pid}`);
    await firstEntry(temp); // initdb's files are being written
    child.kill("SIGKILL");
    await exited;
    expect(fs.existsSync(dataDir)).toBe(false); // only the temporary folder holds the half-made files
    expect(fs.existsSync(temp)).toBe(true);

    const db = await openDatabase({ dataDir });
    try {
      expect(await seedIfEmpty(db)).toBe(true);
      expect(fs.existsSync(temp)).toBe(false); // the leftover was removed
      expect(fs.readdirSync(parent)).toEqual(["data"]);
    } finally {
      await db.destroy();
    }
  }, 180_000);

  it("when DATA_DIR was left half-made by an older version, then the start says so and what to do, without a stack", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-halfmade-"));
    fs.mkdirSync(path.join(dataDir, "base", "1"), { recursive: true });
    fs.writeFileSync(path.join(dataDir, "base", "1", "1259"), Buffer.alloc(8192));
    fs.writeFileSync(path.join(dataDir, "postgresql.conf"), "");
    let exited!: Promise<number | null>;
    let output!: () => string;
    await expect(
      startServerProcess({ DATA_DIR: dataDir }, (child, out) => {
        exited = new Promise((resolve) => child.once("exit", resolve));
        output = out;
      }),
    ).rejects.toThrow(/exited with 1/);
    expect(await exited).toBe(1);
    expect(output()).toContain(`DATA_DIR ${dataDir} was left half-created by an interrupted first start (it has files but no PG_VERSION): move it away or delete it, then start again`);
    expect(output()).not.toMatch(/\n\s+at |WebAssembly|RuntimeError/);
    expect(fs.readdirSync(dataDir).sort()).toEqual(["base", "postgresql.conf"]); // left as it was, no lock

    // With PG_VERSION but without its control file, the same.
    fs.writeFileSync(path.join(dataDir, "PG_VERSION"), "17\n");
    await expect(openDatabase({ dataDir })).rejects.toThrow(DataDirHalfMadeError);
    await expect(openDatabase({ dataDir })).rejects.toThrow(/it has no global\/pg_control\): move it away or delete it, then start again/);
  }, 60_000);

  it("when PGLITE_FSYNC is on (the default), then SHOW fsync says on and each commit reaches the disk's fsync; off, then neither", async () => {
    expect(databaseOptions(loadConfig({})).pgliteFsync).toBe(true);
    expect(databaseOptions(loadConfig({ PGLITE_FSYNC: "false" })).pgliteFsync).toBe(false);
    const dataDir = preparedDataDir("passerelle-fsync-", "migrated");
    const fsyncs = jest.spyOn(fs, "fsyncSync");
    try {
      const durable = await openDatabase({ dataDir });
      try {
        expect(await durable.query(`SHOW fsync`)).toEqual([{ fsync: "on" }]);
        fsyncs.mockClear();
        await durable.query(`UPDATE graph_state SET version = version + 1`);
        expect(fsyncs.mock.calls.length).toBeGreaterThan(0); // the WAL, on disk before the commit returns
      } finally {
        await durable.destroy();
      }
      const relaxed = await openDatabase({ dataDir, pgliteFsync: false });
      try {
        expect(await relaxed.query(`SHOW fsync`)).toEqual([{ fsync: "off" }]);
        fsyncs.mockClear();
        await relaxed.query(`UPDATE graph_state SET version = version + 1`);
        expect(fsyncs).not.toHaveBeenCalled();
      } finally {
        await relaxed.destroy();
      }
    } finally {
      fsyncs.mockRestore();
    }
  }, 180_000);
});
