import { column, nullable, RowOf, table } from "../db/table";
import { OrganizationKind, ServiceCategory, TargetGroup } from "../domain/vocabulary";
import { SLUG_PATTERN } from "../domain/text";
import { slugValue, websiteValue } from "../domain/validate";

// The organizations and services tables, declared once (src/db/table.ts): the read model's loader
// and the import's bulk statements take their columns from here; test/db/tables.test.ts holds
// these, the entities (organization.entity.ts) and the migrated tables together.

export const organizationTable = table("organizations", {
  id: column.uuid("id"),
  slug: column.text("slug", { max: 80, pattern: SLUG_PATTERN, check: slugValue, description: "Unique; matched on import." }),
  name: column.text("name", { max: 200 }),
  /** The name folded for the accent-insensitive search (src/domain/text.ts, foldForSearch). */
  searchName: column.text("search_name"),
  kind: column.word(OrganizationKind, "kind", { shared: true, description: "What kind of organization." }),
  regionId: nullable(column.uuid("region_id", { shared: true, file: "region", description: "Region slug; null for a transnational body." })),
  description: nullable(column.text("description", { description: "Free text." })),
  website: nullable(column.text("website", { max: 500, check: websiteValue, description: "http:// or https:// address." })),
  version: column.int("version", { generated: true }),
  createdAt: column.timestamp("created_at", { generated: true }),
  updatedAt: column.timestamp("updated_at", { generated: true }),
});
export type OrganizationRecord = RowOf<typeof organizationTable.columns>;
/** The columns the import writes. */
export const ORGANIZATION_WRITTEN = organizationTable.keys.filter((key): key is Exclude<typeof key, "version" | "createdAt" | "updatedAt"> => !organizationTable.columns[key].generated);

export const serviceTable = table("services", {
  id: column.uuid("id", { generated: true }),
  organizationId: column.uuid("organization_id", { shared: true }),
  name: column.text("name", { max: 200 }),
  category: column.word(ServiceCategory, "category", { shared: true, description: "The service's category." }),
  description: nullable(column.text("description", { description: "Free text." })),
  targetGroups: column.words(TargetGroup, "target_groups", { shared: true, group: "eligibility", initial: [] }),
  minAge: nullable(column.int("min_age", { group: "eligibility" })),
  maxAge: nullable(column.int("max_age", { group: "eligibility" })),
  /** Keeps services in the order they were given. */
  position: column.int("position"),
  createdAt: column.timestamp("created_at", { generated: true }),
});
export type ServiceRecord = RowOf<typeof serviceTable.columns>;
/** The columns the import writes (the database gives the id). */
export const SERVICE_WRITTEN = serviceTable.keys.filter((key): key is Exclude<typeof key, "id" | "createdAt"> => !serviceTable.columns[key].generated);

/** An organization's columns in a network file, in its order (the search name follows from the name; the region is named by slug). */
export const ORGANIZATION_FILE_KEYS = ORGANIZATION_WRITTEN.filter((key) => key !== "id" && key !== "searchName");
/** A service's columns in a network file, in its order (an organization's services are a list: no id, organization or position). */
export const SERVICE_FILE_KEYS = SERVICE_WRITTEN.filter((key) => key !== "organizationId" && key !== "position");
/** What an organization's record gives beside its slug (by which it is matched). */
export const ORGANIZATION_FIELD_KEYS = ORGANIZATION_FILE_KEYS.filter((key): key is Exclude<(typeof ORGANIZATION_FILE_KEYS)[number], "slug"> => key !== "slug");
