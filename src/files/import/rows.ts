import { EntityManager } from "typeorm";
import { ROWS_PER_STATEMENT } from "../../db/write";
import { REFERRAL_WRITTEN, ReferralFields, ReferralRecord } from "../../referrals/referral.table";
import { ORGANIZATION_WRITTEN, OrganizationRecord, SERVICE_WRITTEN, ServiceRecord } from "../../organizations/organization.table";
import type { MEETING_FILE_KEYS, MeetingRecord, PLATFORM_FIELD_KEYS, PlatformRecord } from "../../platforms/platform.table";

// Records as rows: their shapes (from the table declarations), the bulk statements' slicing, and what identifies them.

export type Json = Record<string, unknown>;

/** Meetings by day, then title, then everything else: the same order for stored and file meetings, ties included. */
export function byMeeting(a: Pick<Json, "date" | "title">, b: Pick<Json, "date" | "title">): number {
  const x = `${a.date}|${a.title}|${JSON.stringify(a)}`;
  const y = `${b.date}|${b.title}|${JSON.stringify(b)}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Runs `statement` on consecutive slices of `rows`, each slice given as one array per column. */
export async function inSlices<T>(tx: EntityManager, rows: T[], statement: string, columns: ((row: T) => unknown)[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const slice = rows.slice(start, start + ROWS_PER_STATEMENT);
    await tx.query(statement, columns.map((column) => slice.map(column)));
  }
}

/** An organization and a service as the import writes them: every column but the database's own (src/organizations/organization.table.ts). */
export type OrganizationRow = Pick<OrganizationRecord, (typeof ORGANIZATION_WRITTEN)[number]>;
export type ServiceRow = Pick<ServiceRecord, (typeof SERVICE_WRITTEN)[number]>;
/** A referral as the import writes it: every column but the database's own (src/referrals/referral.table.ts). */
export type ReferralRow = Pick<ReferralRecord, (typeof REFERRAL_WRITTEN)[number]>;
export type StoredReferral = Pick<ReferralRow, "id" | "fromId" | "toId" | "categories" | "since" | "until" | "status"> & { fields: ReferralFields };
/** What an organization's record gives beside its slug (the search name follows from the name). */
export type OrganizationFields = Omit<OrganizationRow, "id" | "slug" | "searchName">;
/** A platform as compared and written (platform.table.ts): its coordinator and members by slug, its region by id. */
export type PlatformFields = Pick<PlatformRecord, (typeof PLATFORM_FIELD_KEYS)[number]> & { members: string[] };
/** A meeting as a file gives it: its columns (platform.table.ts), then its organizers and presenters by slug. */
export type PlatformMeeting = Pick<MeetingRecord, (typeof MEETING_FILE_KEYS)[number]> & { organizers: string[]; presenters: string[] };
export type StoredPlatform = { id: string; fields: PlatformFields; meetings: PlatformMeeting[] };

/** An organization as a record elsewhere names it: its id and region. */
export type Known = { id: string; regionId: string | null };

/** A referral's identity (a record of the file is matched to a stored one by it) and its channel (periods must not overlap on one). */
export const channel = (r: { fromId: string; toId: string; categories: readonly string[] }) => `${r.fromId}|${r.toId}|${r.categories.join(",")}`;
export const identity = (r: { fromId: string; toId: string; categories: readonly string[]; since: string | null }) => `${channel(r)}|${r.since ?? ""}`;
