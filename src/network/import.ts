import { randomUUID } from "node:crypto";
import { DataSource, EntityManager } from "typeorm";
import { Actor, requireAdmin, requireRegionWriter, Viewer } from "../auth/viewer";
import { eligibilityColumns } from "../common/eligibility";
import { FieldFault, Faults, ForbiddenError, InputError } from "../common/errors";
import { foldForSearch } from "../common/text";
import { categorySet, countryValue, enumValue, nutsValue, optionalText, requiredText, slugValue, websiteValue } from "../common/validate";
import { MeetingFormat, OrganizationKind, PartnershipKind, ReferralStatus, ServiceCategory } from "../common/vocabulary";
import { isCalendarDay } from "../common/scalars";
import { ServiceInput } from "../organizations/organization.inputs";
import { periodFaults, periodsOverlap, untilBeforeSince } from "../referrals/referral.rules";
import { serviceRows } from "../organizations/organization.service";
import { MAX_MEMBERS } from "../partnerships/partnership.service";
import { Change, recordChange, recordChanges, ROWS_PER_STATEMENT, writeTransaction } from "../common/write";
import { MAX_PARTICIPANTS, NETWORK_FORMAT, NETWORK_FORMAT_VERSION, NetworkFile, Section, SECTIONS } from "./network-file";
import { memorySource, NetworkRecord, NetworkSource } from "./network-source";
import { fieldsByPlace } from "./json-schema";

// Loads a network into the database in one transaction: a file with one bad record keeps nothing.
// Records come from a NetworkSource a section at a time and are checked and written a few thousand
// at a time, so memory holds one such batch, not the file: what later records need to know (an
// organization's id, the referrals already between two organizations) is asked of the database,
// which the transaction shows as the import has left it so far. A dry run, or an import with a
// rejected record, is written the same way and rolled back.
//
// Records are matched to what is stored by slug (regions, organizations, platforms) or by what
// identifies them (a referral: its ends, categories and start; a partnership: its kind and members;
// a meeting: its platform, day and title), so importing the same file again changes nothing.
// Nothing is deleted: what the file does not mention stays. Merge (API.md, importNetwork): a field
// absent from a record keeps what is stored, an explicit null clears it, and a list a record gives
// (an organization's services, a platform's members or meetings) is the whole list.

export interface Rejection {
  /** The file's name as given to the import. */
  file: string;
  /** The line the record starts on, when known. */
  line: number | null;
  /** e.g. organizations[3] */
  record: string;
  field: string;
  reason: string;
}

export type ImportCounts = Record<Section, number>;

/** One stored value the import overwrites (or would, on a dry run): values as text, JSON for lists and objects, null for none. */
export interface ImportChange {
  /** e.g. organizations[3] */
  record: string;
  /** The file it is in and the line the record starts on, when known. */
  file: string;
  line: number | null;
  field: string;
  before: string | null;
  after: string | null;
}

/** Changes listed in a report; beyond, they are only counted (changeCount). */
export const MAX_LISTED_CHANGES = 1_000;

/** Rejections listed in a report; beyond, they are only counted (rejectedCount). */
export const MAX_LISTED_REJECTIONS = 1_000;

export interface ImportReport {
  file: string;
  dryRun: boolean;
  /** True when changes were written: not a dry run, nothing rejected, something to change. */
  applied: boolean;
  created: ImportCounts;
  updated: ImportCounts;
  unchanged: ImportCounts;
  /** Records of the file outside the chosen region, left alone. */
  skipped: ImportCounts;
  /** The first MAX_LISTED_REJECTIONS rejected records. */
  rejected: Rejection[];
  /** How many rejections in all (a record with several wrong fields has one for each). */
  rejectedCount: number;
  /** The first MAX_LISTED_CHANGES stored values overwritten, in file order (a created record is counted in created, not listed). */
  changes: ImportChange[];
  /** How many stored values were (or would be) overwritten in all. */
  changeCount: number;
  /** What the file's format could not say or Passerelle could not keep (HSDS). */
  notes: string[];
}

export interface ImportOptions {
  actor: Actor;
  /** The API key importing (the mutation): each record is checked against what it may write. Absent for the CLI and the seed, which hold the database itself. */
  viewer?: Viewer | null;
  /** Only check and report; write nothing. */
  dryRun?: boolean;
  /** Only this region's records: its organizations and platforms, and the referrals and partnerships that touch them. */
  region?: string;
  /** For the report, when the network is given in memory (a source names its own file). */
  file?: string;
  /** Said in the report as they are: what a conversion (HSDS) could not map. */
  notes?: string[];
  /** Told how far the import has gone, now and then (the CLI shows it on a terminal). */
  progress?: (message: string) => void;
  /** Rejections found before the records were read (CSV: columns, contradicting rows): nothing is written, and the records are still checked. */
  rejected?: Rejection[];
}

const counts = (): ImportCounts => ({ regions: 0, organizations: 0, referrals: 0, partnerships: 0, platforms: 0 });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

class NothingWritten extends Error {}

/** A record of one section, where it is: rejections name it and its line (a CSV row, its column: NetworkRecord.column). */
type At = Pick<NetworkRecord, "index" | "file" | "line" | "column"> & { section: Section; slug?: string };

/** A value as a change shows it: text as it is, numbers as digits, lists and objects as JSON, nothing as null. */
const asText = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);

/** Whether a record gives a field (JSON has no undefined: a CSV blank cell is left undefined, and keeps too). */
const gives = (record: Record<string, unknown>, field: string) => record[field] !== undefined;

/** What a value is, in a reason: JSON as the file has it (String() of some objects throws). */
const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value ?? null));

/** Rejections as records are read: a batch's are told in the order of its records, the first MAX_LISTED_REJECTIONS listed. */
class Reading {
  constructor(private readonly report: ImportReport) {}

  private readonly seen = new Map<string, number>();
  /** Slugs of records this file holds but rejected, with the line each starts on: what names them is told so. */
  private readonly rejectedSlugs = new Map<string, number | null>();
  private pending: (Rejection & { index: number })[] = [];

  /** A slug given twice in the file: the second record is rejected, pointing at the first. */
  once(at: At, slug: unknown): boolean {
    const key = `${at.section}|${shown(slug)}`;
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, at.index);
      return true;
    }
    this.push(at, "slug", `"${shown(slug)}" is already ${at.section}[${first}] of this file: give each once`);
    return false;
  }

  reject(at: At, field: string, reason: string): void {
    if (at.slug !== undefined && !this.rejectedSlugs.has(`${at.section}|${at.slug}`)) this.rejectedSlugs.set(`${at.section}|${at.slug}`, at.line);
    this.push(at, field, reason);
  }

  private push(at: At, field: string, reason: string): void {
    // A CSV row names its own line and the column's header, not the record's JSON path.
    const where = at.column?.(field);
    this.pending.push({ index: at.index, file: at.file, line: where?.line ?? at.line, record: `${at.section}[${at.index}]`, field: where?.field ?? field, reason });
  }

  /** Why a slug names nothing: its record in this file was rejected, or it is nowhere. */
  missing(section: "regions" | "organizations", slug: unknown): string {
    const what = section === "regions" ? "region" : "organization";
    const key = `${section}|${typeof slug === "string" ? slug : ""}`;
    if (typeof slug === "string" && this.rejectedSlugs.has(key)) {
      const line = this.rejectedSlugs.get(key);
      return `${JSON.stringify(slug)} is in this file but its record${line === null ? "" : ` (line ${line})`} was rejected: correct that record`;
    }
    return `no ${what} ${JSON.stringify(slug ?? null)} is stored or in the file`;
  }

  /** A fault of the import as a whole (no record of the file is at fault). */
  refuse(file: string, field: string, reason: string): void {
    this.pending.push({ index: -1, file, line: null, record: "file", field, reason });
  }

  /** Tells the rejections of the records read so far (a batch), in their order. */
  flush(): void {
    for (const { index, ...rejection } of this.pending.sort((a, b) => a.index - b.index)) {
      this.report.rejectedCount++;
      if (this.report.rejected.length < MAX_LISTED_REJECTIONS) this.report.rejected.push(rejection);
    }
    this.pending = [];
  }

  /** Whether the record is a JSON object; if not, it is rejected. */
  readable(at: At, record: NetworkRecord): boolean {
    if (record.refused !== undefined) this.reject(at, record.refused.field, record.refused.reason);
    else if (record.value === null || typeof record.value !== "object" || Array.isArray(record.value)) this.reject(at, "", `must be a JSON object, got ${shown(record.value)}`);
    else return true;
    return false;
  }

  /** Runs a record's checks; an InputError (each of its fields) or a ForbiddenError becomes a rejection of that record. */
  check<T>(at: At, read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof InputError) {
        for (const fault of error.fields) this.reject(at, fault.field, fault.reason);
        return undefined;
      }
      if (error instanceof ForbiddenError) {
        this.reject(at, "", error.message);
        return undefined;
      }
      throw error;
    }
  }
}

/** A list of a record (a file is not checked by GraphQL's types: anything may be there). */
function list(value: unknown, field: string): any[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(field, "must be a list");
  return value;
}

const FIELDS = fieldsByPlace();

/** Refuses the fields the network file's schema does not have at this place (see fieldsByPlace), all of them at once. */
function onlyFields(value: Record<string, unknown>, place: string, prefix = ""): void {
  const allowed = FIELDS.get(place) ?? [];
  const unknown: FieldFault[] = Object.keys(value)
    .filter((name) => !allowed.includes(name))
    .map((name) => ({ field: `${prefix}${name}`, reason: `is not a field of ${place.replace(/\./g, " ")}; they are ${allowed.join(", ")}` }));
  if (unknown.length > 0) throw InputError.of(unknown);
}

/** An eligibility given in a file: its own fields only (its values are checked by eligibilityColumns). */
function eligibilityFields(value: unknown, place: string, prefix: string): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) onlyFields(value as Record<string, unknown>, place, prefix);
}

/** A nested record (a service, an eligibility, a meeting): an object, or nothing where allowed. */
function object(value: unknown, field: string): Record<string, any> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new InputError(field, `must be a JSON object, got ${JSON.stringify(value ?? null)}`);
  return value as Record<string, any>;
}


function day(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string" || !isCalendarDay(value)) {
    throw new InputError(field, `must be a day written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The records of a source in lists of at most `size`. */
async function* batches(records: AsyncIterable<NetworkRecord>, size: number): AsyncGenerator<NetworkRecord[]> {
  let batch: NetworkRecord[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

const isSource = (input: NetworkFile | NetworkSource): input is NetworkSource => typeof (input as NetworkSource).records === "function";

export async function importNetwork(db: DataSource, input: NetworkFile | NetworkSource, options: ImportOptions): Promise<ImportReport> {
  const source = isSource(input) ? input : memorySource(input, options.file ?? "input");
  const report: ImportReport = {
    file: options.file ?? source.file,
    dryRun: options.dryRun ?? false,
    applied: false,
    created: counts(),
    updated: counts(),
    unchanged: counts(),
    skipped: counts(),
    rejected: [],
    rejectedCount: 0,
    changes: [],
    changeCount: 0,
    notes: [...(options.notes ?? [])],
  };
  const refuse = (field: string, reason: string, line: number | null) => {
    report.rejected.push({ file: source.file, line, record: "file", field, reason });
    report.rejectedCount++;
    return report;
  };
  if (source.refused) return refuse(source.refused.field, source.refused.reason, source.refused.line);
  const unknown = source.keys.filter((key) => !FIELDS.get("")!.includes(key));
  if (unknown.length > 0) {
    return refuse(unknown[0], `is not a list of a network file; they are ${SECTIONS.join(", ")} (and format, version)`, null);
  }
  if (source.format !== undefined && source.format !== NETWORK_FORMAT) return refuse("format", `must be "${NETWORK_FORMAT}", got ${JSON.stringify(source.format)}`, 1);
  if (source.version !== undefined && source.version !== NETWORK_FORMAT_VERSION) {
    return refuse("version", `this server reads version ${NETWORK_FORMAT_VERSION}, the file is version ${JSON.stringify(source.version)}: export it again with this server's npm run export, or import it with a server of that version`, 1);
  }

  try {
    await writeTransaction(db, async (tx) => {
      // A retried attempt (deadlock, serialization) starts its counts afresh.
      const before = options.rejected ?? [];
      Object.assign(report, { created: counts(), updated: counts(), unchanged: counts(), skipped: counts(), rejected: before.slice(0, MAX_LISTED_REJECTIONS), rejectedCount: before.length, changes: [], changeCount: 0 });
      // Writers wait until the import is done; readers do not.
      await tx.query(
        `LOCK TABLE regions, organizations, services, referrals, partnerships, partnership_members, platforms, platform_members, meetings, meeting_participants IN EXCLUSIVE MODE`,
      );
      await new Import(tx, source, options, report, new Reading(report)).run();
      const changes = Object.values(report.created).concat(Object.values(report.updated)).some((n) => n > 0);
      // Rolled back: a rejection, a dry run, or nothing to change (no version moves, no audit line).
      if (report.rejectedCount > 0 || report.dryRun || !changes) throw new NothingWritten();
    });
    report.applied = true;
  } catch (error) {
    if (!(error instanceof NothingWritten)) throw error;
  }
  if (!report.applied && report.rejectedCount > 0) {
    // Nothing was written, nor would be: say so in the counts and changes too.
    report.created = counts();
    report.updated = counts();
    report.changes = [];
    report.changeCount = 0;
  }
  return report;
}

type Json = Record<string, unknown>;

/** Meetings by day, then title, then everything else: the same order for stored and file meetings, ties included. */
function byMeeting(a: Pick<Json, "date" | "title">, b: Pick<Json, "date" | "title">): number {
  const x = `${a.date}|${a.title}|${JSON.stringify(a)}`;
  const y = `${b.date}|${b.title}|${JSON.stringify(b)}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Text of a PostgreSQL text[] literal: the lists written this way hold vocabulary words only. */
const textArray = (values: string[]) => `{${values.join(",")}}`;

/** Runs `statement` on consecutive slices of `rows`, each slice given as one array per column. */
async function inSlices<T>(tx: EntityManager, rows: T[], statement: string, columns: ((row: T) => unknown)[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const slice = rows.slice(start, start + ROWS_PER_STATEMENT);
    await tx.query(statement, columns.map((column) => slice.map(column)));
  }
}

type OrganizationRow = { id: string; slug: string; name: string; kind: string; regionId: string | null; description: string | null; website: string | null };
type ServiceRow = { organizationId: string; position: number; name: string; category: string; description: string | null; targetGroups: string[]; minAge: number | null; maxAge: number | null };
type StoredService = Omit<ServiceRow, "organizationId" | "position">;

/**
 * A file's service with what it leaves out taken from `match`, the stored service it stands for
 * (an organization's services are told apart by name): a field absent keeps what is stored, as
 * for every other record of a file. A new service's absent fields are simply absent (none, no bound).
 */
function withStoredFields(service: Record<string, any>, match: StoredService | undefined): Record<string, any> {
  if (!match) return service;
  const eligibility = service.eligibility;
  const given = Object.fromEntries(Object.entries(service).filter(([, v]) => v !== undefined));
  const merged: Record<string, any> = { category: match.category, description: match.description, ...given };
  if (eligibility === undefined || (eligibility !== null && typeof eligibility === "object" && !Array.isArray(eligibility))) {
    merged.eligibility = { targetGroups: match.targetGroups, minAge: match.minAge, maxAge: match.maxAge, ...eligibility };
  }
  return merged;
}

/**
 * The stored service each of a file's services stands for: the k-th of a name in the file is the
 * k-th of that name stored (names need not be unique; both lists are in position order).
 */
function storedMatches(given: unknown[], stored: readonly StoredService[]): (StoredService | undefined)[] {
  const byName = new Map<string, StoredService[]>();
  for (const s of stored) (byName.get(s.name) ?? byName.set(s.name, []).get(s.name)!).push(s);
  return given.map((service) => {
    const name = service !== null && typeof service === "object" ? (service as { name?: unknown }).name : undefined;
    return typeof name === "string" ? byName.get(name.trim())?.shift() : undefined;
  });
}
type ReferralRow = {
  id: string; fromId: string; toId: string; categories: string[]; since: string | null;
  targetGroups: string[]; minAge: number | null; maxAge: number | null; status: string; until: string | null; description: string | null; source: string | null;
};
type StoredReferral = { id: string; fromId: string; toId: string; categories: string[]; since: string | null; until: string | null; status: string; fields: ReferralFields };
/** What a referral record may leave out (its identity, the ends, categories and since, it must give). */
type ReferralFields = Pick<ReferralRow, "targetGroups" | "minAge" | "maxAge" | "status" | "until" | "description" | "source">;
/** A new referral's fields where its record leaves them out. */
const NEW_REFERRAL: ReferralFields = { targetGroups: [], minAge: null, maxAge: null, status: ReferralStatus.ACTIVE, until: null, description: null, source: null };
type RegionFields = { name: string; country: string; nutsCode: string | null };
type OrganizationFields = Omit<OrganizationRow, "id" | "slug">;
/** A platform as compared and written: organizations by slug. */
type PlatformFields = { name: string; regionId: string; coordinator: string | null; description: string | null; members: string[] };
type PlatformMeeting = { date: string; title: string; format: string | null; participantCount: number | null; organizers: string[]; presenters: string[]; topics: string[]; notes: string | null };
type StoredPlatform = { id: string; fields: PlatformFields; meetings: PlatformMeeting[] };

/** Slugs a record names that the database can hold (U+0000 cannot be: such a slug names nothing, and the record is rejected as such). */
const storable = (slugs: Iterable<unknown>): string[] => [...new Set([...slugs].filter((s): s is string => typeof s === "string" && !s.includes("\u0000")))];

/** An organization as a record elsewhere names it: its id and region. */
type Known = { id: string; regionId: string | null };

const organizationColumns = [
  (o: OrganizationRow) => o.id, (o: OrganizationRow) => o.slug, (o: OrganizationRow) => o.name, (o: OrganizationRow) => foldForSearch(o.name),
  (o: OrganizationRow) => o.kind, (o: OrganizationRow) => o.regionId, (o: OrganizationRow) => o.description, (o: OrganizationRow) => o.website,
];
const referralColumns = [
  (r: ReferralRow) => r.id, (r: ReferralRow) => r.fromId, (r: ReferralRow) => r.toId, (r: ReferralRow) => textArray(r.categories), (r: ReferralRow) => textArray(r.targetGroups),
  (r: ReferralRow) => r.minAge, (r: ReferralRow) => r.maxAge, (r: ReferralRow) => r.status, (r: ReferralRow) => r.since, (r: ReferralRow) => r.until, (r: ReferralRow) => r.description, (r: ReferralRow) => r.source,
];
/** The rows of organizationColumns, as a table u. */
const organizationSource = `unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[])
  AS u(id, slug, name, search_name, kind, region_id, description, website)`;
/** The rows of referralColumns, as a table u. */
const referralSource = `unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::date[], $10::date[], $11::text[], $12::text[])
  AS u(id, from_id, to_id, categories, target_groups, min_age, max_age, status, since, until, description, source)`;

/** A referral's identity (a record of the file is matched to a stored one by it) and its channel (periods must not overlap on one). */
const channel = (r: { fromId: string; toId: string; categories: string[] }) => `${r.fromId}|${r.toId}|${r.categories.join(",")}`;
const identity = (r: { fromId: string; toId: string; categories: string[]; since: string | null }) => `${channel(r)}|${r.since ?? ""}`;

class Import {
  private readonly regionIds = new Map<string, string>();
  private scopeId: string | undefined;

  constructor(
    private readonly tx: EntityManager,
    private readonly source: NetworkSource,
    private readonly options: ImportOptions,
    private readonly report: ImportReport,
    private readonly reading: Reading,
  ) {}

  async run(): Promise<void> {
    try {
      await this.sectionsInOrder();
    } finally {
      this.reading.flush();
    }
  }

  private async sectionsInOrder(): Promise<void> {
    const scope = this.options.region;
    const scopeInFile = await this.regions();
    if (scope !== undefined) {
      this.scopeId = this.regionIds.get(scope);
      if (!this.scopeId) {
        // Rejected in the file: said already. Neither stored nor in the file: nothing to import.
        if (!scopeInFile) {
          const stored = [...this.regionIds.keys()].sort();
          const known = stored.length ? `stored: ${stored.slice(0, 20).join(", ")}${stored.length > 20 ? ", ..." : ""}` : "none is stored";
          this.reading.refuse(this.source.file, "region", `--region "${scope}" is neither stored nor in the file: give a region slug that is (${known}), or add the region to the file`);
        }
        return;
      }
    }
    await this.organizations();
    // Referrals, partnerships and platforms name organizations, stored or written above.
    await this.tx.query(`CREATE TEMPORARY TABLE import_claimed (id uuid PRIMARY KEY) ON COMMIT DROP`);
    await this.referrals();
    await this.partnerships();
    await this.platforms();
  }

  /** FORBIDDEN unless the importing key may write records of these regions (no key: the CLI, allowed). */
  private mayWrite(regionIds: (string | null)[], what: string): void {
    if (this.options.viewer !== undefined) requireRegionWriter(this.options.viewer, regionIds, what);
  }

  /** FORBIDDEN unless the importing key is an ADMIN's (no key: the CLI, allowed). */
  private mayAdmin(what: string): void {
    if (this.options.viewer !== undefined) requireAdmin(this.options.viewer, what);
  }

  private progress(section: Section, done: number): void {
    const count = this.source.counts[section];
    this.options.progress?.(`${section} ${done}${count === undefined ? "" : `/${count}`}`);
  }

  /** Records of one section, a batch at a time, each told as a place for rejections. */
  private async *sections(section: Section, size = ROWS_PER_STATEMENT): AsyncGenerator<{ at: At; value: any }[]> {
    let done = 0;
    for await (const batch of batches(this.source.records(section), size)) {
      const readable: { at: At; value: any }[] = [];
      for (const record of batch) {
        const slug = typeof record.value?.slug === "string" ? (record.value.slug as string) : undefined;
        const at: At = { section, index: record.index, file: record.file, line: record.line, column: record.column, slug };
        if (this.reading.readable(at, record)) readable.push({ at, value: record.value });
      }
      yield readable;
      this.reading.flush();
      done += batch.length;
      this.progress(section, done);
    }
  }

  /** Whether a record with a slug is to be imported: not when outside the chosen region (skipped), nor when its slug came before (rejected). */
  private taken(at: At, inScope: boolean, slug: unknown): boolean {
    if (inScope) return this.reading.once(at, slug);
    this.report.skipped[at.section]++;
    return false;
  }

  /** Whether a record naming these organizations is within the chosen region (any region without one). */
  private touches(slugs: unknown[], known: Map<string, Known>): boolean {
    return this.scopeId === undefined || slugs.some((slug) => typeof slug === "string" && known.get(slug)?.regionId === this.scopeId);
  }

  /** The stored organizations (those this import wrote included) of these slugs. */
  private async known(slugs: Iterable<unknown>): Promise<Map<string, Known>> {
    const wanted = storable(slugs);
    const rows: { slug: string; id: string; region_id: string | null }[] = wanted.length
      ? await this.tx.query(`SELECT slug, id, region_id FROM organizations WHERE slug = ANY($1::text[])`, [wanted])
      : [];
    return new Map(rows.map((r) => [r.slug, { id: r.id, regionId: r.region_id }]));
  }

  private organizationId(known: Map<string, Known>, slug: unknown, field: string): string {
    const found = typeof slug === "string" ? known.get(slug) : undefined;
    if (!found) throw new InputError(field, this.reading.missing("organizations", slug));
    return found.id;
  }

  /** Slugs of organizations a record names, each checked (every missing one told), sorted and without repeats. */
  private organizationSlugs(known: Map<string, Known>, slugs: unknown, field: string): string[] {
    const faults = new Faults();
    const given = list(slugs, field);
    given.forEach((slug, k) => faults.check(() => this.organizationId(known, slug, `${field}[${k}]`)));
    faults.throwIfAny();
    return [...new Set(given as string[])].sort();
  }

  /** A region a record names by slug: its id, or null for none. */
  private regionId(slug: unknown, field: string): string | null {
    if (slug === null || slug === undefined) return null;
    const id = typeof slug === "string" ? this.regionIds.get(slug) : undefined;
    if (!id) throw new InputError(field, this.reading.missing("regions", slug));
    return id;
  }

  private regionSlug(id: string | null): string | null {
    if (id === null) return null;
    for (const [slug, known] of this.regionIds) if (known === id) return slug;
    return null;
  }

  /** Tells the report each field whose stored value the record overwrites. */
  private changed(at: At, before: Record<string, unknown>, after: Record<string, unknown>): void {
    for (const field of Object.keys(after)) {
      if (same(before[field], after[field])) continue;
      this.report.changeCount++;
      if (this.report.changes.length < MAX_LISTED_CHANGES) {
        this.report.changes.push({ record: `${at.section}[${at.index}]`, file: at.file, line: at.line, field, before: asText(before[field]), after: asText(after[field]) });
      }
    }
  }

  /** Returns whether the chosen region is one of the file's records. */
  private async regions(): Promise<boolean> {
    const scope = this.options.region;
    let scopeInFile = false;
    const regions: { id: string; slug: string; name: string; country: string; nuts_code: string | null }[] = await this.tx.query(`SELECT id, slug, name, country, nuts_code FROM regions`);
    for (const r of regions) this.regionIds.set(r.slug, r.id);
    const stored = new Map(regions.map((r) => [r.slug, { id: r.id, fields: { name: r.name, country: r.country, nutsCode: r.nuts_code } as RegionFields }]));
    for await (const batch of this.sections("regions")) {
      for (const { at, value: input } of batch) {
        scopeInFile ||= input.slug === scope;
        if (!this.taken(at, scope === undefined || input.slug === scope, input.slug)) continue;
        const before = typeof input.slug === "string" ? stored.get(input.slug) : undefined;
        const region = this.reading.check(at, () => {
          const faults = new Faults();
          faults.check(() => onlyFields(input, "regions"));
          const slug = faults.check(() => slugValue(input.slug, "slug"));
          const given: Partial<RegionFields> = {};
          const wanted = (field: string) => !before || gives(input, field);
          if (wanted("name")) given.name = faults.check(() => requiredText(input.name, "name"));
          if (wanted("country")) given.country = faults.check(() => countryValue(input.country, "country"));
          if (wanted("nutsCode")) given.nutsCode = faults.check(() => nutsValue(input.nutsCode, "nutsCode"));
          faults.throwIfAny();
          return { slug: slug!, fields: { ...before?.fields, ...given } as RegionFields };
        });
        if (!region) continue;
        if (before && same(before.fields, region.fields)) {
          this.report.unchanged.regions++;
          continue;
        }
        if (!this.reading.check(at, () => (this.mayAdmin(`${before ? "change" : "create"} region ${region.slug}`), true))) continue;
        const { name, country, nutsCode } = region.fields;
        if (!before) {
          const id = randomUUID();
          await this.tx.query(`INSERT INTO regions (id, slug, name, country, nuts_code) VALUES ($1, $2, $3, $4, $5)`, [id, region.slug, name, country, nutsCode]);
          await recordChange(this.tx, this.options.actor, "create", "region", id, null, { slug: region.slug, ...region.fields });
          this.regionIds.set(region.slug, id);
          this.report.created.regions++;
        } else {
          await this.tx.query(`UPDATE regions SET name = $2, country = $3, nuts_code = $4 WHERE id = $1`, [before.id, name, country, nutsCode]);
          await recordChange(this.tx, this.options.actor, "update", "region", before.id, { slug: region.slug, ...before.fields }, { slug: region.slug, ...region.fields });
          this.changed(at, before.fields, region.fields);
          this.report.updated.regions++;
        }
      }
    }
    return scopeInFile;
  }

  /**
   * An organization's services as a file gives them (the whole list; null or [] for none), every
   * fault told. A service named as a stored one is that service: the fields it leaves out (a blank
   * CSV cell) keep their stored values; an explicit null clears.
   */
  private services(value: unknown, stored: readonly StoredService[] = []): Omit<ServiceRow, "organizationId" | "position">[] {
    const faults = new Faults();
    const services = list(value, "services");
    const matches = storedMatches(services, stored);
    const given = services.map((service, k) =>
      faults.check(() => {
        // What GraphQL's types check for the mutations (objects, enums), then the same rules as createOrganization.
        const s = withStoredFields(object(service, `services[${k}]`), matches[k]);
        const own = new Faults();
        own.check(() => onlyFields(s, "organizations.services", `services[${k}].`));
        own.check(() => eligibilityFields(s.eligibility, "organizations.services.eligibility", `services[${k}].eligibility.`));
        own.check(() => enumValue(ServiceCategory, s.category, `services[${k}].category`));
        own.check(() => requiredText(s.name, `services[${k}].name`));
        own.check(() => optionalText(s.description, `services[${k}].description`));
        own.check(() => eligibilityColumns(s.eligibility, `services[${k}].eligibility`));
        own.throwIfAny();
        return s as ServiceInput;
      }),
    );
    faults.throwIfAny();
    return serviceRows(given as ServiceInput[], "services").map(({ position, ...service }) => service);
  }

  private async organizations(): Promise<void> {
    const scope = this.options.region;
    for await (const batch of this.sections("organizations")) {
      const stored = await this.storedOrganizations(storable(batch.map(({ value }) => value.slug)));
      const checked: { at: At; slug: string; fields: OrganizationFields; services: Omit<ServiceRow, "organizationId" | "position">[] }[] = [];
      for (const { at, value: input } of batch) {
        const before = typeof input.slug === "string" ? stored.get(input.slug) : undefined;
        // A record without region stays in the stored one's.
        const region = gives(input, "region") ? input.region : this.regionSlug(before?.fields.regionId ?? null);
        if (!this.taken(at, scope === undefined || region === scope, input.slug)) continue;
        const record = this.reading.check(at, () => {
          const faults = new Faults();
          faults.check(() => onlyFields(input, "organizations"));
          const slug = faults.check(() => slugValue(input.slug, "slug"));
          const given: Partial<OrganizationFields> = {};
          const wanted = (field: string) => !before || gives(input, field);
          if (wanted("name")) given.name = faults.check(() => requiredText(input.name, "name"));
          if (wanted("kind")) given.kind = faults.check(() => enumValue(OrganizationKind, input.kind, "kind"));
          if (wanted("region")) given.regionId = faults.check(() => this.regionId(input.region, "region"));
          if (wanted("description")) given.description = faults.check(() => optionalText(input.description, "description"));
          if (wanted("website")) given.website = faults.check(() => websiteValue(input.website, "website"));
          const services = wanted("services") ? faults.check(() => this.services(input.services, before?.services)) : before!.services;
          faults.throwIfAny();
          return { at, slug: slug!, fields: { ...before?.fields, ...given } as OrganizationFields, services: services! };
        });
        if (record) checked.push(record);
      }

      const inserts: OrganizationRow[] = [];
      const updates: OrganizationRow[] = [];
      const servicesReplaced: string[] = [];
      const services: ServiceRow[] = [];
      const changes: Change[] = [];
      const view = (fields: OrganizationFields, services: unknown[]) => ({
        name: fields.name, kind: fields.kind, region: this.regionSlug(fields.regionId), description: fields.description, website: fields.website, services,
      });
      for (const { at, slug, fields, services: given } of checked) {
        const before = stored.get(slug);
        if (before && same(before.fields, fields) && same(before.services, given)) {
          this.report.unchanged.organizations++;
          continue;
        }
        const allowed = this.reading.check(at, () => {
          this.mayWrite([fields.regionId], `${before ? "change" : "create"} organization ${slug}`);
          if (before && before.fields.regionId !== fields.regionId) this.mayWrite([before.fields.regionId], `move organization ${slug} out of its region`);
          return true;
        });
        if (!allowed) continue;
        const id = before?.id ?? randomUUID();
        (before ? updates : inserts).push({ id, slug, ...fields });
        if (before) {
          this.report.updated.organizations++;
          this.changed(at, view(before.fields, before.services), view(fields, given));
        } else this.report.created.organizations++;
        if (!before || !same(before.services, given)) {
          if (before) servicesReplaced.push(id);
          for (const [position, service] of given.entries()) services.push({ organizationId: id, position, ...service });
        }
        changes.push({ action: before ? "update" : "create", entityType: "organization", entityId: id, before: before ?? null, after: { slug, ...fields, services: given } });
      }

      await inSlices(this.tx, inserts,
        `INSERT INTO organizations (id, slug, name, search_name, kind, region_id, description, website)
         SELECT id, slug, name, search_name, kind, region_id, description, website FROM ${organizationSource}`, organizationColumns);
      await inSlices(this.tx, updates,
        `UPDATE organizations o SET name = u.name, search_name = u.search_name, kind = u.kind, region_id = u.region_id, description = u.description,
                website = u.website, version = o.version + 1, updated_at = now()
           FROM ${organizationSource} WHERE o.id = u.id`, organizationColumns);
      await inSlices(this.tx, servicesReplaced, `DELETE FROM services WHERE organization_id = ANY($1::uuid[])`, [(id: string) => id]);
      await inSlices(this.tx, services,
        `INSERT INTO services (organization_id, position, name, category, description, target_groups, min_age, max_age)
         SELECT o, n, na, c, d, g::text[], mn, mx FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[]) AS s(o, n, na, c, d, g, mn, mx)`,
        [(r) => r.organizationId, (r) => r.position, (r) => r.name, (r) => r.category, (r) => r.description, (r) => textArray(r.targetGroups), (r) => r.minAge, (r) => r.maxAge]);
      await recordChanges(this.tx, this.options.actor, changes);
    }
  }

  /** Stored organizations of these slugs, with their services, as a record of the file is compared to them. */
  private async storedOrganizations(slugs: string[]): Promise<Map<string, { id: string; fields: OrganizationFields; services: Omit<ServiceRow, "organizationId" | "position">[] }>> {
    if (slugs.length === 0) return new Map();
    const rows: Record<string, any>[] = await this.tx.query(
      `SELECT o.id, o.slug, o.name, o.kind, o.region_id, o.description, o.website,
              coalesce(json_agg(json_build_object('name', s.name, 'category', s.category, 'description', s.description,
                'targetGroups', s.target_groups, 'minAge', s.min_age, 'maxAge', s.max_age) ORDER BY s.position) FILTER (WHERE s.id IS NOT NULL), '[]') AS services
         FROM organizations o LEFT JOIN services s ON s.organization_id = o.id WHERE o.slug = ANY($1::text[]) GROUP BY o.id`,
      [slugs],
    );
    return new Map(
      rows.map((o) => [
        o.slug,
        {
          id: o.id,
          fields: { name: o.name, kind: o.kind, regionId: o.region_id, description: o.description, website: o.website },
          services: typeof o.services === "string" ? JSON.parse(o.services) : o.services,
        },
      ]),
    );
  }

  private async referrals(): Promise<void> {
    for await (const batch of this.sections("referrals")) {
      const known = await this.known(batch.flatMap(({ value }) => [value.from, value.to]));
      const checked: { at: At; input: any; record: Pick<ReferralRow, "fromId" | "toId" | "categories" | "since">; given: Partial<ReferralFields> }[] = [];
      for (const { at, value: input } of batch) {
        if (!this.touches([input.from, input.to], known)) {
          this.report.skipped.referrals++;
          continue;
        }
        const record = this.reading.check(at, () => {
          const faults = new Faults();
          faults.check(() => onlyFields(input, "referrals"));
          faults.check(() => eligibilityFields(input.eligibility, "referrals.eligibility", "eligibility."));
          const fromId = faults.check(() => this.organizationId(known, input.from, "from"));
          const toId = faults.check(() => this.organizationId(known, input.to, "to"));
          if (fromId !== undefined && fromId === toId) faults.add("to", "a referral must go to another organization than from");
          const categories = faults.check(() => categorySet(list(input.categories, "categories").map((c, k) => enumValue(ServiceCategory, c, `categories[${k}]`)), "categories"));
          const since = faults.check(() => day(input.since, "since"));
          // What the record gives; the rest is kept from the stored referral it matches (below).
          const given: Partial<ReferralFields> = {};
          if (gives(input, "eligibility")) {
            const eligibility = input.eligibility;
            const columns = faults.check(() => eligibilityColumns(eligibility, "eligibility"));
            if (columns && eligibility === null) Object.assign(given, columns);
            else if (columns) for (const key of ["targetGroups", "minAge", "maxAge"] as const) if (gives(eligibility, key)) (given as Record<string, unknown>)[key] = columns[key];
          }
          // An explicit null status is the default one.
          if (gives(input, "status")) given.status = faults.check(() => enumValue(ReferralStatus, input.status ?? ReferralStatus.ACTIVE, "status"));
          if (gives(input, "until")) given.until = faults.check(() => day(input.until, "until"));
          // Told now with the record's other faults; the rules on the merged referral follow below.
          const order = since !== undefined && given.until !== undefined ? untilBeforeSince({ since, until: given.until }) : undefined;
          if (order) faults.add(order.field, order.reason);
          if (gives(input, "description")) given.description = faults.check(() => optionalText(input.description, "description"));
          if (gives(input, "source")) given.source = faults.check(() => optionalText(input.source, "source", 1000));
          faults.throwIfAny();
          return { record: { fromId: fromId!, toId: toId!, categories: categories!, since: since! }, given };
        });
        if (record) checked.push({ at, input, ...record });
      }

      // The referrals already between the same organizations: stored, or written by earlier batches.
      // Several may share an identity (periods apart): each record of the file takes one of them, the
      // one its fields leave as it is first, and only once (import_claimed).
      const pairs = [...new Set(checked.map(({ record }) => `${record.fromId}|${record.toId}`))].map((pair) => pair.split("|"));
      const rows: Record<string, any>[] = pairs.length
        ? await this.tx.query(
            `SELECT r.id, r.from_id, r.to_id, r.categories, r.target_groups, r.min_age, r.max_age, r.status, r.since::text AS since, r.until::text AS until,
                    r.description, r.source, c.id IS NOT NULL AS claimed
               FROM referrals r JOIN unnest($1::uuid[], $2::uuid[]) AS p(from_id, to_id) ON r.from_id = p.from_id AND r.to_id = p.to_id
               LEFT JOIN import_claimed c ON c.id = r.id`,
            [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
          )
        : [];
      const byIdentity = new Map<string, StoredReferral[]>();
      const byChannel = new Map<string, StoredReferral[]>();
      const claimed = new Set<string>(rows.filter((r) => r.claimed).map((r) => r.id));
      const newlyClaimed: string[] = [];
      const keep = (r: StoredReferral) => {
        byIdentity.set(identity(r), [...(byIdentity.get(identity(r)) ?? []).filter((s) => s.id !== r.id), r]);
        byChannel.set(channel(r), [...(byChannel.get(channel(r)) ?? []).filter((s) => s.id !== r.id), r]);
      };
      for (const r of rows) {
        keep({
          id: r.id, fromId: r.from_id, toId: r.to_id, categories: r.categories, since: r.since, until: r.until, status: r.status,
          fields: { targetGroups: r.target_groups, minAge: r.min_age, maxAge: r.max_age, status: r.status, until: r.until, description: r.description, source: r.source },
        });
      }

      const inserts: ReferralRow[] = [];
      const updates: ReferralRow[] = [];
      const changes: Change[] = [];
      for (const { at, input, record, given } of checked) {
        const merged = (s: StoredReferral | undefined): ReferralFields => ({ ...(s?.fields ?? NEW_REFERRAL), ...given });
        const candidates = (byIdentity.get(identity(record)) ?? []).filter((s) => !claimed.has(s.id));
        const stored = candidates.find((s) => same(s.fields, merged(s))) ?? candidates[0];
        const fields = merged(stored);
        // The rules on what the referral will be, file and stored values together (ENDED needs until).
        const valid = this.reading.check(at, () => {
          const faults = new Faults();
          faults.check(() => eligibilityColumns({ minAge: fields.minAge, maxAge: fields.maxAge }, "eligibility"));
          for (const fault of periodFaults({ status: fields.status, since: record.since, until: fields.until })) faults.add(fault.field, fault.reason);
          faults.throwIfAny();
          return true;
        });
        if (!valid) continue;
        if (stored) {
          claimed.add(stored.id);
          newlyClaimed.push(stored.id);
        }
        if (stored && same(stored.fields, fields)) {
          this.report.unchanged.referrals++;
          continue;
        }
        const ends = [known.get(input.from)!.regionId, known.get(input.to)!.regionId];
        if (!this.reading.check(at, () => (this.mayWrite(ends, `${stored ? "change" : "add"} referrals between ${input.from} and ${input.to}`), true))) continue;
        const next: StoredReferral = { id: stored?.id ?? randomUUID(), ...record, until: fields.until, status: fields.status, fields };
        const clash = (byChannel.get(channel(next)) ?? []).find((other) => other.id !== next.id && periodsOverlap(other, next));
        if (clash) {
          this.reading.reject(at, "since", `another referral between the same organizations for the same categories runs in the same period (since ${clash.since ?? "always"}, until ${clash.until ?? "open"}): change the dates, or end one`);
          continue;
        }
        const row: ReferralRow = { id: next.id, ...record, ...fields };
        if (stored) {
          updates.push(row);
          this.report.updated.referrals++;
          const { targetGroups, minAge, maxAge, ...rest } = stored.fields as ReferralFields;
          const { targetGroups: groups, minAge: min, maxAge: max, ...now } = fields;
          this.changed(at, { "eligibility.targetGroups": targetGroups, "eligibility.minAge": minAge, "eligibility.maxAge": maxAge, ...rest }, { "eligibility.targetGroups": groups, "eligibility.minAge": min, "eligibility.maxAge": max, ...now });
        } else {
          inserts.push(row);
          this.report.created.referrals++;
          claimed.add(next.id); // a later record of the file may not take it again
          newlyClaimed.push(next.id);
        }
        changes.push({ action: stored ? "update" : "create", entityType: "referral", entityId: next.id, before: stored ?? null, after: row });
        keep(next);
      }

      await inSlices(this.tx, inserts,
        `INSERT INTO referrals (id, from_id, to_id, categories, target_groups, min_age, max_age, status, since, until, description, source)
         SELECT id, from_id, to_id, categories::text[], target_groups::text[], min_age, max_age, status, since, until, description, source FROM ${referralSource}`, referralColumns);
      await inSlices(this.tx, updates,
        `UPDATE referrals r SET target_groups = u.target_groups::text[], min_age = u.min_age, max_age = u.max_age, status = u.status, until = u.until,
                description = u.description, source = u.source, version = r.version + 1, updated_at = now()
           FROM ${referralSource} WHERE r.id = u.id`, referralColumns);
      await inSlices(this.tx, newlyClaimed, `INSERT INTO import_claimed (id) SELECT unnest($1::uuid[])`, [(id: string) => id]);
      await recordChanges(this.tx, this.options.actor, changes);
    }
  }

  private async partnerships(): Promise<void> {
    if (this.source.counts.partnerships === 0) return; // no need to read the stored ones
    const rows: { id: string; kind: string; description: string | null; members: string[] }[] = await this.tx.query(
      `SELECT p.id, p.kind, p.description, coalesce(array_agg(m.organization_id::text ORDER BY m.organization_id) FILTER (WHERE m.organization_id IS NOT NULL), '{}') AS members
         FROM partnerships p LEFT JOIN partnership_members m ON m.partnership_id = p.id GROUP BY p.id`,
    );
    const byIdentity = new Map(rows.map((p) => [`${p.kind}|${[...p.members].sort().join(",")}`, p]));
    for await (const batch of this.sections("partnerships")) {
      const known = await this.known(batch.flatMap(({ value }) => (Array.isArray(value.organizations) ? value.organizations : [])));
      for (const { at, value: input } of batch) {
        const slugs: unknown[] = Array.isArray(input.organizations) ? input.organizations : [];
        if (!this.touches(slugs, known)) {
          this.report.skipped.partnerships++;
          continue;
        }
        const checked = this.reading.check(at, () => {
          const faults = new Faults();
          faults.check(() => onlyFields(input, "partnerships"));
          const kind = faults.check(() => enumValue(PartnershipKind, input.kind, "kind"));
          const members = faults.check(() => {
            const ids = [...new Set(this.organizationSlugs(known, input.organizations, "organizations").map((slug) => known.get(slug)!.id))].sort();
            if (ids.length < 2) throw new InputError("organizations", "a partnership links at least two organizations");
            if (ids.length > MAX_MEMBERS) throw new InputError("organizations", `at most ${MAX_MEMBERS} organizations, got ${ids.length}`);
            return ids;
          });
          const description = gives(input, "description") ? faults.check(() => optionalText(input.description, "description")) : undefined;
          faults.throwIfAny();
          return { kind: kind!, members: members!, description };
        });
        if (!checked) continue;
        const key = `${checked.kind}|${checked.members.join(",")}`;
        const stored = byIdentity.get(key);
        // Without a description, a partnership keeps the stored one.
        const description = checked.description === undefined ? (stored?.description ?? null) : checked.description;
        const after = { kind: checked.kind, members: checked.members, description };
        if (stored && stored.description === description) {
          this.report.unchanged.partnerships++;
          continue;
        }
        const regions = slugs.map((slug) => known.get(slug as string)!.regionId);
        if (!this.reading.check(at, () => (this.mayWrite(regions, `${stored ? "change" : "add"} this partnership`), true))) continue;
        if (stored) {
          await this.tx.query(`UPDATE partnerships SET description = $2 WHERE id = $1`, [stored.id, description]);
          await recordChange(this.tx, this.options.actor, "update", "partnership", stored.id, stored, after);
          this.changed(at, { description: stored.description }, { description });
          this.report.updated.partnerships++;
          stored.description = description;
          continue;
        }
        const id = randomUUID();
        await this.tx.query(`INSERT INTO partnerships (id, kind, description) VALUES ($1, $2, $3)`, [id, checked.kind, description]);
        await this.tx.query(`INSERT INTO partnership_members (partnership_id, organization_id) SELECT $1, unnest($2::uuid[])`, [id, checked.members]);
        await recordChange(this.tx, this.options.actor, "create", "partnership", id, null, after);
        byIdentity.set(key, { id, kind: checked.kind, description, members: checked.members });
        this.report.created.partnerships++;
      }
    }
  }

  private async platforms(): Promise<void> {
    if (this.source.counts.platforms === 0) return; // no need to read the stored ones
    const scope = this.options.region;
    // Organizations by slug (sorted as JavaScript sorts them: "C"), as a file names them.
    const rows: Record<string, any>[] = await this.tx.query(
      `SELECT p.id, p.slug, p.name, p.region_id, c.slug AS coordinator, p.description,
              (SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM platform_members m JOIN organizations o ON o.id = m.organization_id WHERE m.platform_id = p.id) AS members,
              (SELECT coalesce(json_agg(json_build_object('date', g.date::text, 'title', g.title, 'format', g.format, 'participantCount', g.participant_count,
                  'organizers', (SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM meeting_participants x JOIN organizations o ON o.id = x.organization_id WHERE x.meeting_id = g.id AND x.role = 'ORGANIZER'),
                  'presenters', (SELECT coalesce(array_agg(o.slug ORDER BY o.slug COLLATE "C"), '{}') FROM meeting_participants x JOIN organizations o ON o.id = x.organization_id WHERE x.meeting_id = g.id AND x.role = 'PRESENTER'),
                  'topics', g.topics, 'notes', g.notes) ORDER BY g.date, g.title COLLATE "C"), '[]') FROM meetings g WHERE g.platform_id = p.id) AS meetings
         FROM platforms p LEFT JOIN organizations c ON c.id = p.coordinator_id`,
    );
    const stored = new Map<string, StoredPlatform>(
      rows.map((p) => [
        p.slug,
        {
          id: p.id as string,
          fields: { name: p.name, regionId: p.region_id, coordinator: p.coordinator, description: p.description, members: p.members },
          meetings: ((typeof p.meetings === "string" ? JSON.parse(p.meetings) : p.meetings) as PlatformMeeting[]).sort(byMeeting),
        },
      ]),
    );
    // A platform names few organizations, but many meetings may: small batches.
    for await (const batch of this.sections("platforms", 100)) {
      const named = batch.flatMap(({ value: p }) => [
        p.coordinator,
        ...(Array.isArray(p.members) ? p.members : []),
        ...(Array.isArray(p.meetings) ? p.meetings.flatMap((m: any) => [...(Array.isArray(m?.organizers) ? m.organizers : []), ...(Array.isArray(m?.presenters) ? m.presenters : [])]) : []),
      ]);
      const known = await this.known(named);
      for (const { at, value: input } of batch) {
        const before = typeof input.slug === "string" ? stored.get(input.slug) : undefined;
        const region = gives(input, "region") ? input.region : this.regionSlug(before?.fields.regionId ?? null);
        if (!this.taken(at, scope === undefined || region === scope, input.slug)) continue;
        const checked = this.reading.check(at, () => {
          const faults = new Faults();
          faults.check(() => onlyFields(input, "platforms"));
          const slug = faults.check(() => slugValue(input.slug, "slug"));
          const given: Partial<PlatformFields> = {};
          const wanted = (field: string) => !before || gives(input, field);
          if (wanted("name")) given.name = faults.check(() => requiredText(input.name, "name"));
          if (wanted("region")) {
            given.regionId = faults.check(() => this.regionId(input.region, "region") ?? (() => { throw new InputError("region", "must be given: the slug of the platform's region"); })());
          }
          if (wanted("coordinator")) given.coordinator = faults.check(() => (input.coordinator === null || input.coordinator === undefined ? null : (this.organizationId(known, input.coordinator, "coordinator"), input.coordinator as string)));
          if (wanted("description")) given.description = faults.check(() => optionalText(input.description, "description"));
          if (wanted("members")) given.members = faults.check(() => this.organizationSlugs(known, input.members, "members"));
          const meetings = wanted("meetings") ? faults.check(() => this.meetings(known, input.meetings)) : before!.meetings;
          faults.throwIfAny();
          return { slug: slug!, fields: { ...before?.fields, ...given } as PlatformFields, meetings: meetings! };
        });
        if (!checked) continue;
        if (before && same(before.fields, checked.fields) && same(before.meetings, checked.meetings)) {
          this.report.unchanged.platforms++;
          continue;
        }
        if (!this.reading.check(at, () => (this.mayAdmin(`${before ? "change" : "create"} platform ${checked.slug}`), true))) continue;
        await this.writePlatform(before, checked);
        if (before) {
          const view = ({ fields: { regionId, ...fields }, meetings }: { fields: PlatformFields; meetings: PlatformMeeting[] }) => ({ ...fields, region: this.regionSlug(regionId), meetings });
          this.changed(at, view(before), view(checked));
          this.report.updated.platforms++;
        } else this.report.created.platforms++;
      }
    }
  }

  /** A platform's meetings as a file gives them (the whole list), every fault told, in the order stored ones are compared in. */
  private meetings(known: Map<string, Known>, value: unknown): PlatformMeeting[] {
    const faults = new Faults();
    const meetings = list(value, "meetings").map((meeting, k) =>
      faults.check(() => {
        const m = object(meeting, `meetings[${k}]`);
        const own = new Faults();
        own.check(() => onlyFields(m, "platforms.meetings", `meetings[${k}].`));
        const count = m.participantCount ?? null;
        if (count !== null && (!Number.isInteger(count) || count < 0 || count > MAX_PARTICIPANTS)) {
          own.add(`meetings[${k}].participantCount`, `must be a whole number from 0 to ${MAX_PARTICIPANTS}, got ${shown(count)}`);
        }
        const date = own.check(() => day(m.date, `meetings[${k}].date`) ?? (() => { throw new InputError(`meetings[${k}].date`, "must be given"); })());
        const title = own.check(() => requiredText(m.title, `meetings[${k}].title`));
        const format = own.check(() => (m.format === null || m.format === undefined ? null : enumValue(MeetingFormat, m.format, `meetings[${k}].format`)));
        const organizers = own.check(() => this.organizationSlugs(known, m.organizers, `meetings[${k}].organizers`));
        const presenters = own.check(() => this.organizationSlugs(known, m.presenters, `meetings[${k}].presenters`));
        const topics = own.check(() => list(m.topics, `meetings[${k}].topics`).map((t, n) => requiredText(t, `meetings[${k}].topics[${n}]`)));
        const notes = own.check(() => optionalText(m.notes, `meetings[${k}].notes`));
        own.throwIfAny();
        return { date: date!, title: title!, format: format!, participantCount: count, organizers: organizers!, presenters: presenters!, topics: topics!, notes: notes! };
      }),
    );
    faults.throwIfAny();
    return (meetings as PlatformMeeting[]).sort(byMeeting);
  }

  private async writePlatform(before: { id: string } | undefined, checked: { slug: string; fields: PlatformFields; meetings: PlatformMeeting[] }): Promise<void> {
    const f = checked.fields;
    const id = before?.id ?? randomUUID();
    const coordinator = `(SELECT id FROM organizations WHERE slug = $4)`;
    if (before) {
      await this.tx.query(`UPDATE platforms SET name = $2, region_id = $3, coordinator_id = ${coordinator}, description = $5 WHERE id = $1`, [id, f.name, f.regionId, f.coordinator, f.description]);
      await this.tx.query(`DELETE FROM platform_members WHERE platform_id = $1`, [id]);
      await this.tx.query(`DELETE FROM meetings WHERE platform_id = $1`, [id]);
    } else {
      await this.tx.query(`INSERT INTO platforms (id, slug, name, region_id, coordinator_id, description) VALUES ($1, $6, $2, $3, ${coordinator}, $5)`, [id, f.name, f.regionId, f.coordinator, f.description, checked.slug]);
    }
    await this.tx.query(`INSERT INTO platform_members (platform_id, organization_id) SELECT $1, id FROM organizations WHERE slug = ANY($2::text[])`, [id, f.members]);
    for (const m of checked.meetings) {
      const meetingId = randomUUID();
      await this.tx.query(
        `INSERT INTO meetings (id, platform_id, date, title, format, participant_count, topics, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [meetingId, id, m.date, m.title, m.format, m.participantCount, m.topics, m.notes],
      );
      await this.tx.query(
        `INSERT INTO meeting_participants (meeting_id, organization_id, role)
         SELECT $1::uuid, o.id, 'ORGANIZER' FROM organizations o WHERE o.slug = ANY($2::text[])
         UNION ALL SELECT $1::uuid, o.id, 'PRESENTER' FROM organizations o WHERE o.slug = ANY($3::text[])`,
        [meetingId, m.organizers, m.presenters],
      );
    }
    await recordChange(this.tx, this.options.actor, before ? "update" : "create", "platform", id, before ?? null, checked);
  }
}
