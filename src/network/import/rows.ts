import { EntityManager } from "typeorm";
import { foldForSearch } from "../../common/text";
import { ReferralStatus } from "../../common/vocabulary";
import { ROWS_PER_STATEMENT } from "../../db/write";

// Records as rows: their shapes, the columns the bulk statements write, and what identifies them.

export type Json = Record<string, unknown>;

/** Meetings by day, then title, then everything else: the same order for stored and file meetings, ties included. */
export function byMeeting(a: Pick<Json, "date" | "title">, b: Pick<Json, "date" | "title">): number {
  const x = `${a.date}|${a.title}|${JSON.stringify(a)}`;
  const y = `${b.date}|${b.title}|${JSON.stringify(b)}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Text of a PostgreSQL text[] literal: the lists written this way hold vocabulary words only. */
export const textArray = (values: string[]) => `{${values.join(",")}}`;

/** Runs `statement` on consecutive slices of `rows`, each slice given as one array per column. */
export async function inSlices<T>(tx: EntityManager, rows: T[], statement: string, columns: ((row: T) => unknown)[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const slice = rows.slice(start, start + ROWS_PER_STATEMENT);
    await tx.query(statement, columns.map((column) => slice.map(column)));
  }
}

export type OrganizationRow = { id: string; slug: string; name: string; kind: string; regionId: string | null; description: string | null; website: string | null };
export type ServiceRow = { organizationId: string; position: number; name: string; category: string; description: string | null; targetGroups: string[]; minAge: number | null; maxAge: number | null };
export type ReferralRow = {
  id: string; fromId: string; toId: string; categories: string[]; since: string | null;
  targetGroups: string[]; minAge: number | null; maxAge: number | null; status: string; until: string | null; description: string | null; source: string | null;
};
export type StoredReferral = { id: string; fromId: string; toId: string; categories: string[]; since: string | null; until: string | null; status: string; fields: ReferralFields };
/** What a referral record may leave out (its identity, the ends, categories and since, it must give). */
export type ReferralFields = Pick<ReferralRow, "targetGroups" | "minAge" | "maxAge" | "status" | "until" | "description" | "source">;
/** A new referral's fields where its record leaves them out. */
export const NEW_REFERRAL: ReferralFields = { targetGroups: [], minAge: null, maxAge: null, status: ReferralStatus.ACTIVE, until: null, description: null, source: null };
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
export const referralColumns = [
  (r: ReferralRow) => r.id, (r: ReferralRow) => r.fromId, (r: ReferralRow) => r.toId, (r: ReferralRow) => textArray(r.categories), (r: ReferralRow) => textArray(r.targetGroups),
  (r: ReferralRow) => r.minAge, (r: ReferralRow) => r.maxAge, (r: ReferralRow) => r.status, (r: ReferralRow) => r.since, (r: ReferralRow) => r.until, (r: ReferralRow) => r.description, (r: ReferralRow) => r.source,
];
/** The rows of organizationColumns, as a table u. */
export const organizationSource = `unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[])
  AS u(id, slug, name, search_name, kind, region_id, description, website)`;
/** The rows of referralColumns, as a table u. */
export const referralSource = `unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::date[], $10::date[], $11::text[], $12::text[])
  AS u(id, from_id, to_id, categories, target_groups, min_age, max_age, status, since, until, description, source)`;

/** A referral's identity (a record of the file is matched to a stored one by it) and its channel (periods must not overlap on one). */
export const channel = (r: { fromId: string; toId: string; categories: string[] }) => `${r.fromId}|${r.toId}|${r.categories.join(",")}`;
export const identity = (r: { fromId: string; toId: string; categories: string[]; since: string | null }) => `${channel(r)}|${r.since ?? ""}`;
