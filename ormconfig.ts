// The TypeORM data source used by the migration CLI (`npm run migration:run`, `migration:show`);
// the app builds the same one through createDataSource(), from the same configuration.
import { loadConfig } from "./src/config";
import { createDataSource } from "./src/db/data-source";

const config = loadConfig();

export default createDataSource({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  statementTimeoutMs: config.statementTimeoutMs,
  poolSize: config.poolSize,
  poolTimeoutMs: config.poolTimeoutMs,
});
