import { DataSource, EntityManager } from "typeorm";
import { requireAdmin, requireRegionWriter } from "../../auth/viewer";
import { Faults, InputError } from "../../errors";
import { ROWS_PER_STATEMENT, writeTransaction } from "../../db/write";
import { NETWORK_FORMAT, NETWORK_FORMAT_VERSION, NetworkFile, Section, SECTIONS } from "../network-file";
import { memorySource, NetworkRecord, NetworkSource } from "../network-source";
import { asText, FIELDS, list, same, storable } from "./checks";
import { meetings, platforms, writePlatform } from "./platforms";
import { regions } from "./regions";
import { organizations, services, storedOrganizations } from "./organizations";
import { partnerships } from "./partnerships";
import { At, Reading } from "./reading";
import { referrals } from "./referrals";
import { counts, ImportOptions, ImportReport, MAX_LISTED_CHANGES, MAX_LISTED_REJECTIONS } from "./report";
import { Known } from "./rows";

export type { ImportChange, ImportCounts, ImportOptions, ImportReport, Rejection } from "./report";
export { MAX_LISTED_CHANGES, MAX_LISTED_REJECTIONS } from "./report";

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
// Nothing is deleted: what the file does not mention stays. Merge (docs/api.md, importNetwork): a field
// absent from a record keeps what is stored, an explicit null clears it, and a list a record gives
// (an organization's services, a platform's members or meetings) is the whole list.

class NothingWritten extends Error {}

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

/** One import: its transaction, what it has read so far, and the report it writes. Its sections live in this folder's files. */
export class Import {
  readonly regions = regions;
  readonly services = services;
  readonly organizations = organizations;
  readonly storedOrganizations = storedOrganizations;
  readonly referrals = referrals;
  readonly partnerships = partnerships;
  readonly platforms = platforms;
  readonly meetings = meetings;
  readonly writePlatform = writePlatform;

  readonly regionIds = new Map<string, string>();
  scopeId: string | undefined;

  constructor(
    readonly tx: EntityManager,
    readonly source: NetworkSource,
    readonly options: ImportOptions,
    readonly report: ImportReport,
    readonly reading: Reading,
  ) {}

  async run(): Promise<void> {
    try {
      await this.sectionsInOrder();
    } finally {
      this.reading.flush();
    }
  }

  async sectionsInOrder(): Promise<void> {
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
  mayWrite(regionIds: (string | null)[], what: string): void {
    if (this.options.viewer !== undefined) requireRegionWriter(this.options.viewer, regionIds, what);
  }

  /** FORBIDDEN unless the importing key is an ADMIN's (no key: the CLI, allowed). */
  mayAdmin(what: string): void {
    if (this.options.viewer !== undefined) requireAdmin(this.options.viewer, what);
  }

  progress(section: Section, done: number): void {
    const count = this.source.counts[section];
    this.options.progress?.(`${section} ${done}${count === undefined ? "" : `/${count}`}`);
  }

  /** Records of one section, a batch at a time, each told as a place for rejections. */
  async *sections(section: Section, size = ROWS_PER_STATEMENT): AsyncGenerator<{ at: At; value: any }[]> {
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
  taken(at: At, inScope: boolean, slug: unknown): boolean {
    if (inScope) return this.reading.once(at, slug);
    this.report.skipped[at.section]++;
    return false;
  }

  /** Whether a record naming these organizations is within the chosen region (any region without one). */
  touches(slugs: unknown[], known: Map<string, Known>): boolean {
    return this.scopeId === undefined || slugs.some((slug) => typeof slug === "string" && known.get(slug)?.regionId === this.scopeId);
  }

  /** The stored organizations (those this import wrote included) of these slugs. */
  async known(slugs: Iterable<unknown>): Promise<Map<string, Known>> {
    const wanted = storable(slugs);
    const rows: { slug: string; id: string; region_id: string | null }[] = wanted.length
      ? await this.tx.query(`SELECT slug, id, region_id FROM organizations WHERE slug = ANY($1::text[])`, [wanted])
      : [];
    return new Map(rows.map((r) => [r.slug, { id: r.id, regionId: r.region_id }]));
  }

  organizationId(known: Map<string, Known>, slug: unknown, field: string): string {
    const found = typeof slug === "string" ? known.get(slug) : undefined;
    if (!found) throw new InputError(field, this.reading.missing("organizations", slug));
    return found.id;
  }

  /** Slugs of organizations a record names, each checked (every missing one told), sorted and without repeats. */
  organizationSlugs(known: Map<string, Known>, slugs: unknown, field: string): string[] {
    const faults = new Faults();
    const given = list(slugs, field);
    given.forEach((slug, k) => faults.check(() => this.organizationId(known, slug, `${field}[${k}]`)));
    faults.throwIfAny();
    return [...new Set(given as string[])].sort();
  }

  /** A region a record names by slug: its id, or null for none. */
  regionId(slug: unknown, field: string): string | null {
    if (slug === null || slug === undefined) return null;
    const id = typeof slug === "string" ? this.regionIds.get(slug) : undefined;
    if (!id) throw new InputError(field, this.reading.missing("regions", slug));
    return id;
  }

  regionSlug(id: string | null): string | null {
    if (id === null) return null;
    for (const [slug, known] of this.regionIds) if (known === id) return slug;
    return null;
  }

  /** Tells the report each field whose stored value the record overwrites. */
  changed(at: At, before: Record<string, unknown>, after: Record<string, unknown>): void {
    for (const field of Object.keys(after)) {
      if (same(before[field], after[field])) continue;
      this.report.changeCount++;
      if (this.report.changes.length < MAX_LISTED_CHANGES) {
        this.report.changes.push({ record: `${at.section}[${at.index}]`, file: at.file, line: at.line, field, before: asText(before[field]), after: asText(after[field]) });
      }
    }
  }
}
