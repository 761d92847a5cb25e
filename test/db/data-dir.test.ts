import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { LOCK_FILE, migrations as MIGRATIONS, openDatabase } from "../../src/db/data-source";
import { seedIfEmpty } from "../../src/db/seed/seed";

describe("the embedded database's data directory", () => {
  it("when a run writes to DATA_DIR, then the next run opens the same data without migrating or seeding again", async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-data-")), "nested", "data");
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
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-locked-"));
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      fs.writeFileSync(path.join(dataDir, LOCK_FILE), String(other.pid));
      await expect(openDatabase({ dataDir })).rejects.toThrow(new RegExp(`open in process ${other.pid} .*Stop that process first, or give both the same DATABASE_URL`));
    } finally {
      other.kill();
      await new Promise((resolve) => other.once("exit", resolve));
    }
    const db = await openDatabase({ dataDir }); // the lock's process is gone: taken over
    expect(fs.readFileSync(path.join(dataDir, LOCK_FILE), "utf8")).toBe(String(process.pid));
    await db.destroy();
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 60_000);
});
