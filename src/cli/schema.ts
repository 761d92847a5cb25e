import "reflect-metadata";
import fs from "node:fs";
import { lexicographicSortSchema, printSchema } from "graphql";
import { DataSource } from "typeorm";
import { buildGraphQLSchema, createFeatures, SCHEMA_FILE } from "../schema";
import { NETWORK_SCHEMA_FILE, printedNetworkSchema } from "../files/json-schema";

/** The SDL that the code defines, sorted so that the checked-in file diffs cleanly. */
export async function printedSchema(): Promise<string> {
  // Building the schema touches no database: services only keep the handle they are given.
  const schema = await buildGraphQLSchema(createFeatures(new DataSource({ type: "postgres" })));
  return `# Emitted from the code by \`npm run schema\`; do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}

if (require.main === module) {
  printedSchema()
    .then((sdl) => {
      fs.writeFileSync(SCHEMA_FILE, sdl);
      fs.writeFileSync(NETWORK_SCHEMA_FILE, printedNetworkSchema());
      process.stdout.write(`wrote ${SCHEMA_FILE} and ${NETWORK_SCHEMA_FILE}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`schema: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    });
}
