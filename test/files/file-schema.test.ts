import fs from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { freshDatabase } from "../helpers/database";
import { CORREZE, seedIfEmpty } from "../../src/db/seed/seed";
import { exportNetwork } from "../../src/files/export";
import { NETWORK_SCHEMA_FILE, printedNetworkSchema } from "../../src/files/json-schema";

// schema/network.schema.json documents the network file for other tools: it must be current, and
// what `npm run export` writes (and the seed) must be valid against it.
const validate = new Ajv2020({ allErrors: true }).compile(JSON.parse(printedNetworkSchema()));

describe("schema/network.schema.json", () => {
  it("when compared with the schema the code builds, then it is current (else run `npm run schema`)", () => {
    expect(fs.readFileSync(NETWORK_SCHEMA_FILE, "utf8")).toBe(printedNetworkSchema());
  });

  it("when an export and the seed are checked against it, then both are valid", async () => {
    const database = await freshDatabase();
    try {
      await seedIfEmpty(database.db);
      const exported = JSON.parse(JSON.stringify(await exportNetwork(database.db)));
      expect(validate(exported) ? [] : validate.errors).toEqual([]);
      expect(validate(CORREZE) ? [] : validate.errors).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it("when a record breaks it, then the validator says where", () => {
    const broken = { ...CORREZE, organizations: [{ slug: "x", name: "X", kind: "CLUB", region: null }] };
    expect(validate(broken)).toBe(false);
    expect(validate.errors).toEqual(expect.arrayContaining([expect.objectContaining({ instancePath: "/organizations/0/kind" })]));
  });
});
