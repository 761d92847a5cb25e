// The TypeORM data source used by the migration CLI (`npm run migration:run`, `migration:show`);
// the app builds the same one through createDataSource(), from the same configuration.
import { databaseOptions, loadConfig } from "./src/config/index";
import { createDataSource } from "./src/db/data-source";

export default createDataSource(databaseOptions(loadConfig()));
