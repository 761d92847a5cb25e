import { EntityManager } from "typeorm";
import { foldForSearch } from "../../common/text";
import { ROWS_PER_STATEMENT } from "../../db/write";
import { REFERRAL_WRITTEN, ReferralFields, ReferralRecord } from "../../referrals/referral.table";

// Records as rows: their shapes, the columns the bulk statements write, and what identifies them.

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

export type OrganizationRow = { id: string; slug: string; name: string; kind: string; regionId: string | null; description: string | null; website: string | null };
export type ServiceRow = { organizationId: string; position: number; name: string; category: string; description: string | null; targetGroups: string[]; minAge: number | null; maxAge: number | null };
/** A referral as the import writes it: every column but the database's own (src/referrals/referral.table.ts). */
export type ReferralRow = Pick<ReferralRecord, (typeof REFERRAL_WRITTEN)[number]>;
export type StoredReferral = Pick<ReferralRow, "id" | "fromId" | "toId" | "categories" | "since" | "until" | "status"> & { fields: ReferralFields };
export type RegionFields = { name: string; country: string; nutsCode: string | null };
export type OrganizationFields = Omit<OrganizationRow, "id" | "slug">;
/** A platform as compared and written: organizations by slug. */
export type PlatformFields = { name: string; regionId: string; coordinator: string | null; description: string | null; members: string[] };
export type PlatformMeeting = { date: string; title: string; format: string | null; participantCount: number | null; organizers: string[]; presenters: string[]; topics: string[]; notes: string | null };
export type StoredPlatform = { id: string; fields: PlatformFields; meetings: PlatformMeeting[] };

/** An organization as a record elsewhere names it: its id and region. */
export type Known = { id: string; regionId: string | null };

export const organizationColumns = [
  (o: OrganizationRow) => o.id, (o: OrganizationRow) => o.slug, (o: OrganizationRow) => o.name, (o: OrganizationRow) => foldForSearch(o.name),
  (o: OrganizationRow) => o.kind, (o: OrganizationRow) => o.regionId, (o: OrganizationRow) => o.description, (o: OrganizationRow) => o.website,
];
/** The rows of organizationColumns, as a table u. */
export const organizationSource = `unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[])
  AS u(id, slug, name, search_name, kind, region_id, description, website)`;

/** A referral's identity (a record of the file is matched to a stored one by it) and its channel (periods must not overlap on one). */
export const channel = (r: { fromId: string; toId: string; categories: readonly string[] }) => `${r.fromId}|${r.toId}|${r.categories.join(",")}`;
export const identity = (r: { fromId: string; toId: string; categories: readonly string[]; since: string | null }) => `${channel(r)}|${r.since ?? ""}`;
