// The TypeORM data source used by the migration CLI (`npm run migration:run`, `migration:show`);
// the app builds the same one, from the same configuration. On the embedded database it takes
// DATA_DIR's lock like every other command: refused while the server has the folder open.
import { databaseOptions, loadConfig } from "./src/config/index";
import { guardedDataSource } from "./src/db/data-source";

// A promise of it: the CLI awaits what the file exports.
export default guardedDataSource(databaseOptions(loadConfig()));
