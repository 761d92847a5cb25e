import { column, nullable, RowOf, table } from "../db/table";
import { ReferralStatus, ServiceCategory, TargetGroup } from "../domain/vocabulary";

// The referrals table, declared once (src/db/table.ts). The read model's loader, the import, the
// network export, the CSV columns and the JSON Schema take their columns from here; the entity
// (referral.entity.ts, checked against this by test/db/tables.test.ts), the GraphQL type and its
// inputs fail to compile while they leave out a field declared here.

export const referralTable = table("referrals", {
  id: column.uuid("id"),
  fromId: column.uuid("from_id", { shared: true, file: "from", description: "Sending organization's slug." }),
  toId: column.uuid("to_id", { shared: true, file: "to", description: "Receiving organization's slug." }),
  /** Sorted and without repeats, so that "the same categories" is array equality. */
  categories: column.words(ServiceCategory, "categories", { shared: true, description: "A category the channel is for." }),
  targetGroups: column.words(TargetGroup, "target_groups", { shared: true, group: "eligibility", initial: [] }),
  minAge: nullable(column.int("min_age", { group: "eligibility" })),
  maxAge: nullable(column.int("max_age", { group: "eligibility" })),
  status: column.word(ReferralStatus, "status", { shared: true, initial: ReferralStatus.ACTIVE, description: "ACTIVE for a new referral when absent or null. ENDED needs until." }),
  since: nullable(column.day("since", { shared: true, description: "First day it runs; null: always." })),
  until: nullable(column.day("until", { shared: true, description: "Last day it runs; null: open." })),
  description: nullable(column.text("description", { description: "Free text." })),
  source: nullable(column.text("source", { max: 1000, description: "Where this is known from." })),
  verifiedOn: nullable(column.day("verified_on", { description: "The day a coordinator last confirmed the channel; null: never. Not a day to come." })),
  version: column.int("version", { generated: true }),
  createdAt: column.timestamp("created_at", { generated: true }),
  updatedAt: column.timestamp("updated_at", { generated: true }),
});

type ReferralColumns = typeof referralTable.columns;
export type ReferralKey = keyof ReferralColumns & string;
/** A stored referral, as the declaration types it. */
export type ReferralRecord = RowOf<ReferralColumns>;

/** What identifies a referral in a file (a record is matched to a stored one by it): its ends, categories and first day. */
export const REFERRAL_IDENTITY = ["fromId", "toId", "categories", "since"] as const satisfies readonly ReferralKey[];
type Identity = (typeof REFERRAL_IDENTITY)[number];
/** The database's own columns (`generated` in the declaration). */
type Generated = "version" | "createdAt" | "updatedAt";
const isGenerated = (key: ReferralKey) => referralTable.columns[key].generated;

/** Every other column a file or a mutation writes: what a record may leave out (kept, or initial for a new one). */
export type ReferralField = Exclude<ReferralKey, "id" | Identity | Generated>;
export const REFERRAL_FIELDS = referralTable.keys.filter(
  (key): key is ReferralField => key !== "id" && !(REFERRAL_IDENTITY as readonly string[]).includes(key) && !isGenerated(key),
);
/** The columns the import writes: all but the database's own. */
export const REFERRAL_WRITTEN = referralTable.keys.filter((key): key is Exclude<ReferralKey, Generated> => !isGenerated(key));

export type ReferralFields = Pick<ReferralRecord, ReferralField>;
/** A new referral's fields where its record leaves them out. */
export const NEW_REFERRAL = Object.freeze(
  Object.fromEntries(REFERRAL_FIELDS.map((key) => [key, referralTable.columns[key].initial ?? null])),
) as ReferralFields;

/** The columns a network file's referral holds, in its order: all the import writes but the id (files name ends by slug). */
export const REFERRAL_FILE_KEYS = REFERRAL_WRITTEN.filter((key): key is Exclude<(typeof REFERRAL_WRITTEN)[number], "id"> => key !== "id");
