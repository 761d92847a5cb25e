import { DataSource } from "typeorm";
import correze from "./correze.json";
import { NetworkFile } from "../../files/network-file";
import { NetworkFiles } from "../../files/network-files";

/** The Corrèze network of the founding article and the rest of the Share SIRA network. */
export const CORREZE: NetworkFile = correze as unknown as NetworkFile;

/** Writes a seed as `npm run import` would: in one transaction (all or nothing), with an audit line per record. */
async function applySeed(db: DataSource, data: NetworkFile): Promise<void> {
  const report = await new NetworkFiles(db).import({ operator: "seed" }, data, { file: "seed" });
  if (!report.applied) {
    throw new Error(`seed: nothing written, ${report.rejected.map((r) => `${r.record}.${r.field}: ${r.reason}`).join("; ")}`);
  }
}

/** Seeds the Corrèze network when the database holds no region and no organization yet. */
export async function seedIfEmpty(db: DataSource, data: NetworkFile = CORREZE): Promise<boolean> {
  const rows: { n: number }[] = await db.query(
    `SELECT ((SELECT count(*) FROM regions) + (SELECT count(*) FROM organizations))::int AS n`,
  );
  if (rows[0].n > 0) return false;
  await applySeed(db, data);
  return true;
}
