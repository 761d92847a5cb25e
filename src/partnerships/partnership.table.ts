import { column, nullable, RowOf, table } from "../db/table";
import { PartnershipKind } from "../domain/vocabulary";

// The partnerships table and its members, declared once (src/db/table.ts): the read model's
// loader, the import, the network export and the JSON Schema take their columns from here. A
// network file names a partnership's members by slug, after its own columns, as `organizations`.

export const partnershipTable = table("partnerships", {
  id: column.uuid("id"),
  kind: column.word(PartnershipKind, "kind", { description: "What links them." }),
  description: nullable(column.text("description", { description: "Free text." })),
  createdAt: column.timestamp("created_at", { generated: true }),
});
export type PartnershipRecord = RowOf<typeof partnershipTable.columns>;

export const partnershipMemberTable = table("partnership_members", {
  partnershipId: column.uuid("partnership_id"),
  organizationId: column.uuid("organization_id"),
});

/** A partnership's own columns in a network file, in its order: all but the id and the database's own. */
export const PARTNERSHIP_FILE_KEYS = partnershipTable.keys.filter((key): key is Exclude<typeof key, "id" | "createdAt"> => key !== "id" && !partnershipTable.columns[key].generated);
export type PartnershipFileKey = (typeof PARTNERSHIP_FILE_KEYS)[number];
/** What a partnership's record gives beside what identifies it (its kind and members). */
export const PARTNERSHIP_FIELD_KEYS = PARTNERSHIP_FILE_KEYS.filter((key): key is Exclude<PartnershipFileKey, "kind"> => key !== "kind");
