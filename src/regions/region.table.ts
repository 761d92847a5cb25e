import { column, nullable, RowOf, table } from "../db/table";
import { SLUG_PATTERN } from "../domain/text";
import { COUNTRY_PATTERN, countryValue, NUTS_PATTERN, nutsValue, slugValue } from "../domain/validate";

// The regions table, declared once (src/db/table.ts): the read model's loader, the import, the
// network export and the JSON Schema take its columns from here; test/db/tables.test.ts holds it,
// the entity (region.entity.ts) and the migrated table together.

export const regionTable = table("regions", {
  id: column.uuid("id"),
  slug: column.text("slug", { max: 80, pattern: SLUG_PATTERN, check: slugValue, description: "Unique; what other records name the region by." }),
  name: column.text("name", { max: 200 }),
  country: column.char("country", { pattern: COUNTRY_PATTERN, check: countryValue, description: "ISO 3166-1 alpha-2, e.g. FR." }),
  nutsCode: nullable(column.text("nuts_code", { max: 5, pattern: NUTS_PATTERN, check: nutsValue, description: "e.g. FRI21." })),
  createdAt: column.timestamp("created_at", { generated: true }),
});
export type RegionRecord = RowOf<typeof regionTable.columns>;

/** A region's record in a network file, in its order: every column but the id and the database's own. */
export const REGION_FILE_KEYS = regionTable.keys.filter((key): key is Exclude<typeof key, "id" | "createdAt"> => key !== "id" && !regionTable.columns[key].generated);
export type RegionFileKey = (typeof REGION_FILE_KEYS)[number];
/** What a region's record gives beside its slug (by which it is matched). */
export const REGION_FIELD_KEYS = REGION_FILE_KEYS.filter((key): key is Exclude<RegionFileKey, "slug"> => key !== "slug");
export type RegionFields = Pick<RegionRecord, (typeof REGION_FIELD_KEYS)[number]>;
