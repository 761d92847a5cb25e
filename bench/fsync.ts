// What PGLITE_FSYNC costs: 1,000 small write transactions and the seed import on a fresh PGlite
// folder, fsync on and off (README, "Durability of the embedded database"). Run:
//   npx tsc -b tsconfig.bench.json && node dist/bench/fsync.js
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../src/db/data-source";
import { seedIfEmpty } from "../src/db/seed/seed";

const WRITES = Number(process.argv[2] ?? 1_000);

async function measure(fsync: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `passerelle-fsync-${fsync ? "on" : "off"}-`));
  try {
    const db = await openDatabase({ dataDir: path.join(dir, "data"), pgliteFsync: fsync });
    try {
      const [{ fsync: shown }] = await db.query(`SHOW fsync`);
      let started = performance.now();
      await seedIfEmpty(db);
      const seedMs = performance.now() - started;
      await db.query(`CREATE TABLE bench_writes (id serial PRIMARY KEY, note text)`);
      started = performance.now();
      for (let i = 0; i < WRITES; i++) await db.query(`INSERT INTO bench_writes (note) VALUES ($1)`, [`note ${i}`]);
      const writesMs = performance.now() - started;
      return { fsync: shown, seedMs: Math.round(seedMs), [`writes${WRITES}Ms`]: Math.round(writesMs), msPerWrite: +(writesMs / WRITES).toFixed(2) };
    } finally {
      await db.destroy();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void (async () => {
  for (const fsync of [false, true]) console.log(JSON.stringify(await measure(fsync)));
})();
