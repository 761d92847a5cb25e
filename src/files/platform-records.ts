import { jsonRecordSql } from "../db/table";
import { MEETING_FILE_KEYS, meetingParticipantTable, meetingTable, platformMemberTable } from "../platforms/platform.table";

// A platform's lists as a network file gives them, in SQL over platform `alias`: what the export
// writes and what the import compares a record with (src/files/export.ts, import/platforms.ts).

/** Slugs of the organizations a link table names for `owner`'s row, in "C" order (as JavaScript sorts them). */
const slugsOf = (link: string, via: string, owner: string, where = "") =>
  `(SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM ${link} l JOIN organizations o ON o.id = l.organization_id WHERE l.${via} = ${owner}.id${where})`;

/** Its members' slugs. */
export const platformMembersSql = (alias: string) => slugsOf(platformMemberTable.name, "platform_id", alias);

/** Its meetings, by day then title: each meeting's columns (platform.table.ts), then its organizers' and presenters' slugs. */
export const platformMeetingsSql = (alias: string) => {
  const role = (name: string) => slugsOf(meetingParticipantTable.name, "meeting_id", "g", ` AND l.role = '${name}'`);
  const meeting = jsonRecordSql(meetingTable, MEETING_FILE_KEYS, "g", { organizers: role("ORGANIZER"), presenters: role("PRESENTER") });
  return `(SELECT coalesce(json_agg(${meeting} ORDER BY g.date, g.title COLLATE "C"), '[]') FROM ${meetingTable.name} g WHERE g.platform_id = ${alias}.id)`;
};
