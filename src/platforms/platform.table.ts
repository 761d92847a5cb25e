import { column, nullable, RowOf, table } from "../db/table";
import { SLUG_PATTERN } from "../domain/text";
import { slugValue } from "../domain/validate";
import { MeetingFormat } from "../domain/vocabulary";

// The platforms table, its members, its meetings and their participants, declared once
// (src/db/table.ts): the read model's loader, the import, the network export and the JSON Schema
// take their columns from here. A network file names organizations by slug: a platform's
// `members`, a meeting's `organizers` and `presenters`, after their own columns.

/** Most participants a meeting may count (a stored integer; a roundtable is far smaller). */
export const MAX_PARTICIPANTS = 100_000;

export const platformTable = table("platforms", {
  id: column.uuid("id"),
  slug: column.text("slug", { max: 80, pattern: SLUG_PATTERN, check: slugValue, description: "Unique; matched on import." }),
  name: column.text("name", { max: 200 }),
  regionId: column.uuid("region_id", { file: "region", description: "Region slug." }),
  coordinatorId: nullable(column.uuid("coordinator_id", { file: "coordinator", description: "Coordinating organization's slug." })),
  description: nullable(column.text("description", { description: "Free text." })),
  createdAt: column.timestamp("created_at", { generated: true }),
});
export type PlatformRecord = RowOf<typeof platformTable.columns>;

export const platformMemberTable = table("platform_members", {
  platformId: column.uuid("platform_id"),
  organizationId: column.uuid("organization_id"),
});

export const meetingTable = table("meetings", {
  id: column.uuid("id"),
  platformId: column.uuid("platform_id"),
  date: column.day("date"),
  title: column.text("title", { max: 200 }),
  format: nullable(column.word(MeetingFormat, "format", { description: "How it was held." })),
  participantCount: nullable(column.int("participant_count", { min: 0, max: MAX_PARTICIPANTS })),
  topics: column.texts("topics", { initial: [] }),
  notes: nullable(column.text("notes", { description: "Free text." })),
});
export type MeetingRecord = RowOf<typeof meetingTable.columns>;

export const meetingParticipantTable = table("meeting_participants", {
  meetingId: column.uuid("meeting_id"),
  organizationId: column.uuid("organization_id"),
  role: column.text("role"),
});

/** A platform's own columns in a network file, in its order (its members and meetings follow): all but the id and the database's own. */
export const PLATFORM_FILE_KEYS = platformTable.keys.filter((key): key is Exclude<typeof key, "id" | "createdAt"> => key !== "id" && !platformTable.columns[key].generated);
/** A meeting's own columns in a network file, in its order (its organizers and presenters follow): a meeting is one of its platform's list. */
export const MEETING_FILE_KEYS = meetingTable.keys.filter((key): key is Exclude<typeof key, "id" | "platformId"> => key !== "id" && key !== "platformId");
export type PlatformFileKey = (typeof PLATFORM_FILE_KEYS)[number];
/** What a platform's record gives beside its slug (by which it is matched), before its members and meetings. */
export const PLATFORM_FIELD_KEYS = PLATFORM_FILE_KEYS.filter((key): key is Exclude<PlatformFileKey, "slug"> => key !== "slug");
