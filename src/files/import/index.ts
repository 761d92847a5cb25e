import { randomUUID } from "node:crypto";
import { DataSource, EntityManager } from "typeorm";
import { requireAdmin, requireRegionWriter } from "../../auth/viewer";
import { eligibilityColumns } from "../../domain/eligibility";
import { Faults, InputError } from "../../errors";
import { foldForSearch } from "../../domain/text";
import { enumValue, optionalText, requiredText } from "../../domain/validate";
import { PartnershipKind, ServiceCategory } from "../../domain/vocabulary";
import { Change, recordChange, recordChanges, ROWS_PER_STATEMENT, writeTransaction } from "../../db/write";
import { ServiceInput } from "../../organizations/organization.inputs";
import { serviceRows } from "../../organizations/organization.writes";
import { membersFault, partnershipIdentity } from "../../partnerships/partnership.rules";
import { PARTNERSHIP_FIELD_KEYS, PARTNERSHIP_FILE_KEYS, PartnershipFileKey, partnershipMemberTable, PartnershipRecord, partnershipTable } from "../../partnerships/partnership.table";
import { NETWORK_FORMAT, NETWORK_FORMAT_VERSION, NetworkFile, Section, SECTIONS } from "../network-file";
import { memorySource, NetworkRecord, NetworkSource } from "../network-source";
import { asText, columnValue, declaredFields, eligibilityFields, FIELDS, gives, list, object, onlyFields, same, storable } from "./checks";
import { meetings, platforms, writePlatform } from "./platforms";
import { At, Reading } from "./reading";
import { referrals } from "./referrals";
import { counts, ImportOptions, ImportReport, MAX_LISTED_CHANGES, MAX_LISTED_REJECTIONS } from "./report";
import { inSlices, Known, OrganizationFields, OrganizationRow, ServiceRow } from "./rows";
import { bulkInsert, bulkUpdate, insertOne, jsonRowSql, selectList, updateOne } from "../../db/table";
import { REGION_FIELD_KEYS, REGION_FILE_KEYS, RegionFields, RegionFileKey, RegionRecord, regionTable } from "../../regions/region.table";
import { ORGANIZATION_FIELD_KEYS, ORGANIZATION_FILE_KEYS, ORGANIZATION_WRITTEN, organizationTable, SERVICE_WRITTEN, serviceTable } from "../../organizations/organization.table";
import { storedMatches, StoredService, withStoredFields } from "./services";

const INSERT_ORGANIZATIONS = bulkInsert(organizationTable, ORGANIZATION_WRITTEN);
const UPDATE_ORGANIZATIONS = bulkUpdate(organizationTable, ORGANIZATION_WRITTEN.filter((key) => key !== "id" && key !== "slug"), "version = r.version + 1, updated_at = now()");
const INSERT_SERVICES = bulkInsert(serviceTable, SERVICE_WRITTEN);
/** A stored service as a record's is compared to it: its own columns (not its organization, nor its place in the list). */
const STORED_SERVICE_KEYS = SERVICE_WRITTEN.filter((key) => key !== "organizationId" && key !== "position");

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
  readonly referrals = referrals;
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

  /** Returns whether the chosen region is one of the file's records. */
  async regions(): Promise<boolean> {
    const scope = this.options.region;
    let scopeInFile = false;
    const regions: ({ id: string } & Pick<RegionRecord, RegionFileKey>)[] = await this.tx.query(`SELECT ${selectList(regionTable, ["id", ...REGION_FILE_KEYS], "r")} FROM regions r`);
    for (const r of regions) this.regionIds.set(r.slug, r.id);
    const stored = new Map(regions.map(({ id, slug, ...fields }) => [slug, { id, fields: fields as RegionFields }]));
    for await (const batch of this.sections("regions")) {
      for (const { at, value: input } of batch) {
        scopeInFile ||= input.slug === scope;
        if (!this.taken(at, scope === undefined || input.slug === scope, input.slug)) continue;
        const before = typeof input.slug === "string" ? stored.get(input.slug) : undefined;
        const region = this.reading.check(at, () => {
          const faults = new Faults();
          faults.check(() => onlyFields(input, "regions"));
          const slug = faults.check(() => columnValue(regionTable.columns.slug, input.slug, "slug")) as string;
          const given = declaredFields(regionTable, REGION_FIELD_KEYS, input, !before, faults);
          faults.throwIfAny();
          return { slug, fields: { ...before?.fields, ...given } as RegionFields };
        });
        if (!region) continue;
        if (before && same(before.fields, region.fields)) {
          this.report.unchanged.regions++;
          continue;
        }
        if (!this.reading.check(at, () => (this.mayAdmin(`${before ? "change" : "create"} region ${region.slug}`), true))) continue;
        if (!before) {
          const id = randomUUID();
          await this.tx.query(...insertOne(regionTable, ["id", ...REGION_FILE_KEYS], { id, slug: region.slug, ...region.fields }));
          await recordChange(this.tx, this.options.actor, "create", "region", id, null, { slug: region.slug, ...region.fields });
          this.regionIds.set(region.slug, id);
          this.report.created.regions++;
        } else {
          await this.tx.query(...updateOne(regionTable, REGION_FIELD_KEYS, before.id, region.fields));
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
  services(value: unknown, stored: readonly StoredService[] = []): Omit<ServiceRow, "organizationId" | "position">[] {
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

  async organizations(): Promise<void> {
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
          const slug = faults.check(() => columnValue(organizationTable.columns.slug, input.slug, "slug")) as string | undefined;
          const given = declaredFields(organizationTable, ORGANIZATION_FIELD_KEYS, input, !before, faults, { regionId: (value, field) => this.regionId(value, field) });
          const services = !before || gives(input, "services") ? faults.check(() => this.services(input.services, before?.services)) : before.services;
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
        (before ? updates : inserts).push({ id, slug, ...fields, searchName: foldForSearch(fields.name) });
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

      await inSlices(this.tx, inserts, INSERT_ORGANIZATIONS.sql, INSERT_ORGANIZATIONS.values);
      await inSlices(this.tx, updates, UPDATE_ORGANIZATIONS.sql, UPDATE_ORGANIZATIONS.values);
      await inSlices(this.tx, servicesReplaced, `DELETE FROM services WHERE organization_id = ANY($1::uuid[])`, [(id: string) => id]);
      await inSlices(this.tx, services, INSERT_SERVICES.sql, INSERT_SERVICES.values);
      await recordChanges(this.tx, this.options.actor, changes);
    }
  }

  /** Stored organizations of these slugs, with their services, as a record of the file is compared to them. */
  async storedOrganizations(slugs: string[]): Promise<Map<string, { id: string; fields: OrganizationFields; services: Omit<ServiceRow, "organizationId" | "position">[] }>> {
    if (slugs.length === 0) return new Map();
    const rows: Record<string, any>[] = await this.tx.query(
      `SELECT ${selectList(organizationTable, ["id", ...ORGANIZATION_FILE_KEYS], "o")},
              coalesce(json_agg(${jsonRowSql(serviceTable, STORED_SERVICE_KEYS, "s")} ORDER BY s.position) FILTER (WHERE s.id IS NOT NULL), '[]') AS services
         FROM organizations o LEFT JOIN services s ON s.organization_id = o.id WHERE o.slug = ANY($1::text[]) GROUP BY o.id`,
      [slugs],
    );
    return new Map(
      rows.map((o) => [
        o.slug,
        {
          id: o.id,
          fields: Object.fromEntries(ORGANIZATION_FIELD_KEYS.map((key) => [key, o[key]])) as OrganizationFields,
          services: typeof o.services === "string" ? JSON.parse(o.services) : o.services,
        },
      ]),
    );
  }

  async partnerships(): Promise<void> {
    if (this.source.counts.partnerships === 0) return; // no need to read the stored ones
    const rows: ({ id: string; members: string[] } & Pick<PartnershipRecord, PartnershipFileKey>)[] = await this.tx.query(
      `SELECT ${selectList(partnershipTable, ["id", ...PARTNERSHIP_FILE_KEYS], "p")},
              coalesce(array_agg(m.organization_id::text ORDER BY m.organization_id) FILTER (WHERE m.organization_id IS NOT NULL), '{}') AS members
         FROM partnerships p LEFT JOIN partnership_members m ON m.partnership_id = p.id GROUP BY p.id`,
    );
    const byIdentity = new Map(rows.map((p) => [partnershipIdentity(p.kind, p.members), p]));
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
          const kind = faults.check(() => columnValue(partnershipTable.columns.kind, input.kind, "kind")) as PartnershipKind | undefined;
          const members = faults.check(() => {
            const ids = [...new Set(this.organizationSlugs(known, input.organizations, "organizations").map((slug) => known.get(slug)!.id))].sort();
            const size = membersFault(ids.length, "organizations");
            if (size) throw new InputError(size.field, size.reason);
            return ids;
          });
          // What it gives beside what identifies it (kind, members): a field it leaves out keeps the stored one.
          const given = declaredFields(partnershipTable, PARTNERSHIP_FIELD_KEYS, input, false, faults);
          faults.throwIfAny();
          return { kind: kind!, members: members!, description: given.description };
        });
        if (!checked) continue;
        const key = partnershipIdentity(checked.kind, checked.members);
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
          await this.tx.query(...updateOne(partnershipTable, PARTNERSHIP_FIELD_KEYS, stored.id, { description }));
          await recordChange(this.tx, this.options.actor, "update", "partnership", stored.id, stored, after);
          this.changed(at, { description: stored.description }, { description });
          this.report.updated.partnerships++;
          stored.description = description;
          continue;
        }
        const id = randomUUID();
        await this.tx.query(...insertOne(partnershipTable, ["id", ...PARTNERSHIP_FILE_KEYS], { id, kind: checked.kind, description }));
        const members = partnershipMemberTable.columns;
        await this.tx.query(`INSERT INTO ${partnershipMemberTable.name} (${members.partnershipId.sql}, ${members.organizationId.sql}) SELECT $1, unnest($2::uuid[])`, [id, checked.members]);
        await recordChange(this.tx, this.options.actor, "create", "partnership", id, null, after);
        byIdentity.set(key, { id, kind: checked.kind, description, members: checked.members });
        this.report.created.partnerships++;
      }
    }
  }

}
