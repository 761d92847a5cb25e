import { randomUUID } from "node:crypto";
import { DataSource, EntityManager } from "typeorm";
import { Actor, requireAdmin, requireRegionWriter, Viewer } from "../auth/viewer";
import { eligibilityColumns } from "../common/eligibility";
import { ForbiddenError, InputError } from "../common/errors";
import { foldForSearch } from "../common/text";
import { categorySet, countryValue, enumValue, nutsValue, optionalText, requiredText, slugValue, websiteValue } from "../common/validate";
import { MeetingFormat, OrganizationKind, PartnershipKind, ReferralStatus, ServiceCategory, TargetGroup } from "../common/vocabulary";
import { Change, recordChange, recordChanges, ROWS_PER_STATEMENT, writeTransaction } from "../common/write";
import { NETWORK_FORMAT, NETWORK_FORMAT_VERSION, NetworkFile, Section } from "./network-file";

// Loads a network file into the database in one transaction: everything is checked first
// (fields, references by slug, overlapping referrals), and a file with one bad record writes
// nothing. Records are matched to what is stored by slug (regions, organizations, platforms) or by
// what identifies them (a referral: its ends, categories and start; a partnership: its kind and
// members; a meeting: its platform, day and title), so importing the same file again changes
// nothing. Nothing is deleted: what the file does not mention stays.

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
  rejected: Rejection[];
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
  /** For the report. */
  file?: string;
  /** Where each record starts (recordLines), for the report. */
  lines?: Partial<Record<string, number[]>>;
  /** Said in the report as they are: what a conversion (HSDS) could not map. */
  notes?: string[];
  /** Told how far the import has gone, now and then (the CLI shows it on a terminal). */
  progress?: (message: string) => void;
  /** Rejections found before the records were read (CSV: columns, contradicting rows): nothing is written, and the records are still checked. */
  rejected?: Rejection[];
  /** Where each record came from, when not all from `file` (CSV: organizations and referrals are two files). */
  locate?: (section: Section, index: number) => { file: string; line: number | null } | undefined;
}

const counts = (): ImportCounts => ({ regions: 0, organizations: 0, referrals: 0, partnerships: 0, platforms: 0 });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

class NothingWritten extends Error {}

/** A record being read: rejections name it and its line. */
class Reading {
  constructor(
    private readonly report: ImportReport,
    private readonly options: ImportOptions,
  ) {}

  private readonly seen = new Map<string, number>();

  /** A slug given twice in the file: the second record is rejected, pointing at the first. */
  once(section: Section, index: number, slug: unknown): boolean {
    const key = `${section}|${String(slug)}`;
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, index);
      return true;
    }
    this.reject(section, index, "slug", `"${String(slug)}" is already ${section}[${first}] of this file: give each once`);
    return false;
  }

  reject(section: Section, index: number, field: string, reason: string): void {
    const where = this.options.locate?.(section, index) ?? { file: this.report.file, line: this.options.lines?.[section]?.[index] ?? null };
    this.report.rejected.push({ ...where, record: `${section}[${index}]`, field, reason });
  }

  /** Runs a record's checks; an InputError or a ForbiddenError becomes a rejection of that record. */
  check<T>(section: Section, index: number, read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof InputError) {
        this.reject(section, index, error.field, error.message.slice(error.field.length + 2));
        return undefined;
      }
      if (error instanceof ForbiddenError) {
        this.reject(section, index, "", error.message);
        return undefined;
      }
      throw error;
    }
  }
}

function list<T>(value: T[] | undefined | null, field: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(field, "must be a list");
  return value;
}

function eligibility(value: unknown, field: string) {
  const input = (value ?? null) as { targetGroups?: string[] | null; minAge?: number | null; maxAge?: number | null } | null;
  for (const [i, group] of list(input?.targetGroups, `${field}.targetGroups`).entries()) enumValue(TargetGroup, group, `${field}.targetGroups[${i}]`);
  return eligibilityColumns(input as never, field);
}

function day(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InputError(field, `must be a day written YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

interface StoredOrganization {
  id: string;
  slug: string;
  regionId: string | null;
  fields: Record<string, unknown>;
  services: Record<string, unknown>[];
}

export async function importNetwork(db: DataSource, file: NetworkFile, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    file: options.file ?? "input",
    dryRun: options.dryRun ?? false,
    applied: false,
    created: counts(),
    updated: counts(),
    unchanged: counts(),
    skipped: counts(),
    rejected: [...(options.rejected ?? [])],
    notes: [...(options.notes ?? [])],
  };
  const reading = new Reading(report, options);
  if (file === null || typeof file !== "object" || Array.isArray(file)) {
    reading.reject("regions", 0, "file", "a network file is a JSON object with the lists regions, organizations, referrals, partnerships and platforms");
    return report;
  }
  if (file.format !== undefined && file.format !== NETWORK_FORMAT) {
    report.rejected.push({ file: report.file, line: 1, record: "file", field: "format", reason: `must be "${NETWORK_FORMAT}", got "${String(file.format)}"` });
    return report;
  }
  if (file.version !== undefined && file.version !== NETWORK_FORMAT_VERSION) {
    report.rejected.push({ file: report.file, line: 1, record: "file", field: "version", reason: `this server reads version ${NETWORK_FORMAT_VERSION}, the file is version ${file.version}` });
    return report;
  }

  try {
    await writeTransaction(db, async (tx) => {
      // A retried attempt (deadlock, serialization) starts its counts afresh.
      Object.assign(report, { created: counts(), updated: counts(), unchanged: counts(), skipped: counts(), rejected: [...(options.rejected ?? [])] });
      // Writers wait until the import is done; readers do not.
      await tx.query(
        `LOCK TABLE regions, organizations, services, referrals, partnerships, partnership_members, platforms, platform_members, meetings, meeting_participants IN EXCLUSIVE MODE`,
      );
      await new Import(tx, file, options, report, new Reading(report, options)).run();
      const changes = Object.values(report.created).concat(Object.values(report.updated)).some((n) => n > 0);
      // Rolled back: a rejection, a dry run, or nothing to change (no version moves, no audit line).
      if (report.rejected.length > 0 || report.dryRun || !changes) throw new NothingWritten();
    });
    report.applied = true;
  } catch (error) {
    if (!(error instanceof NothingWritten)) throw error;
  }
  if (!report.applied && report.rejected.length > 0) {
    // Nothing was written: say so in the counts too.
    report.created = counts();
    report.updated = counts();
  }
  return report;
}

type Json = Record<string, unknown>;

/** Meetings by day, then title, then everything else: the same order for stored and file meetings, ties included. */
function byMeeting(a: Json, b: Json): number {
  const x = `${a.date}|${a.title}|${JSON.stringify(a)}`;
  const y = `${b.date}|${b.title}|${JSON.stringify(b)}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Text of a PostgreSQL text[] literal: the lists written this way hold vocabulary words only. */
const textArray = (values: string[]) => `{${values.join(",")}}`;

/** Runs `statement` on consecutive slices of `rows`, each slice given as one array per column. */
async function inSlices<T>(tx: EntityManager, rows: T[], statement: string, columns: ((row: T) => unknown)[], done?: (count: number) => void): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const slice = rows.slice(start, start + ROWS_PER_STATEMENT);
    await tx.query(statement, columns.map((column) => slice.map(column)));
    done?.(start + slice.length);
  }
}

const PROGRESS_EVERY = 5_000;

type OrganizationRow = { id: string; slug: string; name: string; kind: string; regionId: string | null; description: string | null; website: string | null };
type ServiceRow = { organizationId: string; position: number; name: string; category: string; description: string | null; targetGroups: string[]; minAge: number | null; maxAge: number | null };
type ReferralRow = {
  id: string; fromId: string; toId: string; categories: string[]; since: string | null;
  targetGroups: string[]; minAge: number | null; maxAge: number | null; status: string; until: string | null; description: string | null; source: string | null;
};

class Import {
  private readonly regionIds = new Map<string, string>();
  private readonly organizations = new Map<string, StoredOrganization>();
  /** The many-row writes, made together once every record has been checked (flush). */
  private readonly pending = {
    organizationInserts: [] as OrganizationRow[],
    organizationUpdates: [] as OrganizationRow[],
    servicesReplaced: [] as string[],
    services: [] as ServiceRow[],
    referralInserts: [] as ReferralRow[],
    referralUpdates: [] as ReferralRow[],
    changes: [] as Change[],
  };

  constructor(
    private readonly tx: EntityManager,
    private readonly file: NetworkFile,
    private readonly options: ImportOptions,
    private readonly report: ImportReport,
    private readonly reading: Reading,
  ) {}

  async run(): Promise<void> {
    const regions: { id: string; slug: string; name: string; country: string; nuts_code: string | null }[] = await this.tx.query(
      `SELECT id, slug, name, country, nuts_code FROM regions`,
    );
    for (const r of regions) this.regionIds.set(r.slug, r.id);
    const scope = this.options.region;
    if (scope !== undefined && !this.regionIds.has(scope) && !list(this.file.regions, "regions").some((r) => r?.slug === scope)) {
      this.reading.reject("regions", 0, "region", `"${scope}" is neither stored nor in the file`);
      return;
    }

    const storedRegions = new Map(regions.map((r) => [r.slug, r]));
    for (const [i, input] of list(this.file.regions, "regions").entries()) {
      if (scope !== undefined && input?.slug !== scope) {
        this.report.skipped.regions++;
        continue;
      }
      if (!this.reading.once("regions", i, input?.slug)) continue;
      const region = this.reading.check("regions", i, () => ({
        slug: slugValue(input.slug, "slug"),
        name: requiredText(input.name, "name"),
        country: countryValue(input.country, "country"),
        nutsCode: nutsValue(input.nutsCode, "nutsCode"),
      }));
      if (!region) continue;
      const stored = storedRegions.get(region.slug);
      const changes = !stored || !same([stored.name, stored.country, stored.nuts_code], [region.name, region.country, region.nutsCode]);
      if (changes && !this.reading.check("regions", i, () => (this.mayAdmin(`${stored ? "change" : "create"} region ${region.slug}`), true))) continue;
      if (!stored) {
        const id = randomUUID();
        await this.tx.query(`INSERT INTO regions (id, slug, name, country, nuts_code) VALUES ($1, $2, $3, $4, $5)`, [id, region.slug, region.name, region.country, region.nutsCode]);
        await recordChange(this.tx, this.options.actor, "create", "region", id, null, region);
        this.regionIds.set(region.slug, id);
        this.report.created.regions++;
      } else if (same([stored.name, stored.country, stored.nuts_code], [region.name, region.country, region.nutsCode])) {
        this.report.unchanged.regions++;
      } else {
        await this.tx.query(`UPDATE regions SET name = $2, country = $3, nuts_code = $4 WHERE id = $1`, [stored.id, region.name, region.country, region.nutsCode]);
        await recordChange(this.tx, this.options.actor, "update", "region", stored.id, stored, region);
        this.report.updated.regions++;
      }
    }

    await this.loadOrganizations();
    const inScope = new Set<string>();
    const fileOrganizations = list(this.file.organizations, "organizations");
    for (const [i, input] of fileOrganizations.entries()) {
      if (i % PROGRESS_EVERY === 0) this.say(`checking organizations ${i}/${fileOrganizations.length}`);
      if (scope !== undefined && input?.region !== scope) {
        this.report.skipped.organizations++;
        continue;
      }
      if (typeof input?.slug === "string") inScope.add(input.slug);
      if (!this.reading.once("organizations", i, input?.slug)) continue;
      await this.organization(i, input);
    }
    if (scope !== undefined) for (const o of this.organizations.values()) if (o.regionId === this.regionIds.get(scope)) inScope.add(o.slug);
    const touches = (slugs: string[]) => scope === undefined || slugs.some((slug) => inScope.has(slug));

    await this.referrals(touches);
    await this.flush();
    await this.partnerships(touches);
    await this.platforms(scope);
  }

  /** FORBIDDEN unless the importing key may write records of these regions (no key: the CLI, allowed). */
  private mayWrite(regionIds: (string | null)[], what: string): void {
    if (this.options.viewer !== undefined) requireRegionWriter(this.options.viewer, regionIds, what);
  }

  /** FORBIDDEN unless the importing key is an ADMIN's (no key: the CLI, allowed). */
  private mayAdmin(what: string): void {
    if (this.options.viewer !== undefined) requireAdmin(this.options.viewer, what);
  }

  private say(message: string): void {
    this.options.progress?.(message);
  }

  /** Whether writing is still worth it: once a record is rejected, or in a dry run, nothing will be kept. */
  private get writing(): boolean {
    return this.report.rejected.length === 0 && !this.report.dryRun;
  }

  /** Writes the organizations, services, referrals and their audit lines, a few thousand rows per statement. */
  private async flush(): Promise<void> {
    if (!this.writing) return;
    const p = this.pending;
    const organizationColumns = [(o: OrganizationRow) => o.id, (o: OrganizationRow) => o.slug, (o: OrganizationRow) => o.name, (o: OrganizationRow) => foldForSearch(o.name), (o: OrganizationRow) => o.kind, (o: OrganizationRow) => o.regionId, (o: OrganizationRow) => o.description, (o: OrganizationRow) => o.website];
    await inSlices(this.tx, p.organizationInserts,
      `INSERT INTO organizations (id, slug, name, search_name, kind, region_id, description, website)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[])`, organizationColumns,
      (n) => this.say(`writing organizations ${n}/${p.organizationInserts.length}`));
    await inSlices(this.tx, p.organizationUpdates,
      `UPDATE organizations o SET name = u.name, search_name = u.search_name, kind = u.kind, region_id = u.region_id, description = u.description,
              website = u.website, version = o.version + 1, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[]) AS u(id, slug, name, search_name, kind, region_id, description, website)
        WHERE o.id = u.id`, organizationColumns);
    await inSlices(this.tx, p.servicesReplaced, `DELETE FROM services WHERE organization_id = ANY($1::uuid[])`, [(id: string) => id]);
    await inSlices(this.tx, p.services,
      `INSERT INTO services (organization_id, position, name, category, description, target_groups, min_age, max_age)
       SELECT o, n, na, c, d, g::text[], mn, mx FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[]) AS s(o, n, na, c, d, g, mn, mx)`,
      [(r) => r.organizationId, (r) => r.position, (r) => r.name, (r) => r.category, (r) => r.description, (r) => textArray(r.targetGroups), (r) => r.minAge, (r) => r.maxAge]);
    const referralColumns = [(r: ReferralRow) => r.id, (r: ReferralRow) => r.fromId, (r: ReferralRow) => r.toId, (r: ReferralRow) => textArray(r.categories), (r: ReferralRow) => textArray(r.targetGroups),
      (r: ReferralRow) => r.minAge, (r: ReferralRow) => r.maxAge, (r: ReferralRow) => r.status, (r: ReferralRow) => r.since, (r: ReferralRow) => r.until, (r: ReferralRow) => r.description, (r: ReferralRow) => r.source];
    const referralSource = `unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::date[], $10::date[], $11::text[], $12::text[])
      AS u(id, from_id, to_id, categories, target_groups, min_age, max_age, status, since, until, description, source)`;
    await inSlices(this.tx, p.referralInserts,
      `INSERT INTO referrals (id, from_id, to_id, categories, target_groups, min_age, max_age, status, since, until, description, source)
       SELECT id, from_id, to_id, categories::text[], target_groups::text[], min_age, max_age, status, since, until, description, source FROM ${referralSource}`, referralColumns,
      (n) => this.say(`writing referrals ${n}/${p.referralInserts.length}`));
    await inSlices(this.tx, p.referralUpdates,
      `UPDATE referrals r SET target_groups = u.target_groups::text[], min_age = u.min_age, max_age = u.max_age, status = u.status, until = u.until,
              description = u.description, source = u.source, version = r.version + 1, updated_at = now()
         FROM ${referralSource} WHERE r.id = u.id`, referralColumns);
    this.say(`writing ${p.changes.length} audit lines`);
    await recordChanges(this.tx, this.options.actor, p.changes);
  }

  private async loadOrganizations(): Promise<void> {
    const rows: Record<string, any>[] = await this.tx.query(
      `SELECT o.id, o.slug, o.name, o.kind, o.region_id, o.description, o.website,
              coalesce(json_agg(json_build_object('name', s.name, 'category', s.category, 'description', s.description,
                'targetGroups', s.target_groups, 'minAge', s.min_age, 'maxAge', s.max_age) ORDER BY s.position) FILTER (WHERE s.id IS NOT NULL), '[]') AS services
         FROM organizations o LEFT JOIN services s ON s.organization_id = o.id GROUP BY o.id`,
    );
    for (const o of rows) {
      this.organizations.set(o.slug, {
        id: o.id,
        slug: o.slug,
        regionId: o.region_id,
        fields: { name: o.name, kind: o.kind, regionId: o.region_id, description: o.description, website: o.website },
        services: typeof o.services === "string" ? JSON.parse(o.services) : o.services,
      });
    }
  }

  private organizationId(slug: unknown, field: string): string {
    const found = typeof slug === "string" ? this.organizations.get(slug) : undefined;
    if (!found) throw new InputError(field, `no organization "${String(slug)}" is stored or in the file`);
    return found.id;
  }

  private async organization(i: number, input: NetworkFile["organizations"][number]): Promise<void> {
    const checked = this.reading.check("organizations", i, () => {
      const slug = slugValue(input.slug, "slug");
      let regionId: string | null = null;
      if (input.region !== null && input.region !== undefined) {
        regionId = this.regionIds.get(input.region) ?? null;
        if (!regionId) throw new InputError("region", `no region "${input.region}" is stored or in the file`);
      }
      const fields = {
        name: requiredText(input.name, "name"),
        kind: enumValue(OrganizationKind, input.kind, "kind"),
        regionId,
        description: optionalText(input.description, "description"),
        website: websiteValue(input.website, "website"),
      };
      const services = list(input.services, "services").map((s, k) => ({
        name: requiredText(s.name, `services[${k}].name`),
        category: enumValue(ServiceCategory, s.category, `services[${k}].category`),
        description: optionalText(s.description, `services[${k}].description`),
        ...eligibility(s.eligibility, `services[${k}].eligibility`),
      }));
      return { slug, fields, services };
    });
    if (!checked) return;
    const { slug, fields, services } = checked;
    const stored = this.organizations.get(slug);
    if (stored && same(stored.fields, fields) && same(stored.services, services)) {
      this.report.unchanged.organizations++;
      return;
    }
    const allowed = this.reading.check("organizations", i, () => {
      this.mayWrite([fields.regionId], `${stored ? "change" : "create"} organization ${slug}`);
      if (stored && stored.regionId !== fields.regionId) this.mayWrite([stored.regionId], `move organization ${slug} out of its region`);
      return true;
    });
    if (!allowed) return;
    const id = stored?.id ?? randomUUID();
    const row = { id, slug, ...fields };
    if (stored) {
      this.pending.organizationUpdates.push(row);
      this.report.updated.organizations++;
    } else {
      this.pending.organizationInserts.push(row);
      this.report.created.organizations++;
    }
    if (!stored || !same(stored.services, services)) {
      if (stored) this.pending.servicesReplaced.push(id);
      for (const [position, service] of services.entries()) this.pending.services.push({ organizationId: id, position, ...service });
    }
    this.pending.changes.push({ action: stored ? "update" : "create", entityType: "organization", entityId: id, before: stored ?? null, after: { slug, ...fields, services } });
    this.organizations.set(slug, { id, slug, regionId: fields.regionId, fields, services });
  }

  private async referrals(touches: (slugs: string[]) => boolean): Promise<void> {
    const rows: Record<string, any>[] = await this.tx.query(
      `SELECT id, from_id, to_id, categories, target_groups, min_age, max_age, status, since::text AS since, until::text AS until, description, source FROM referrals`,
    );
    type Stored = { id: string; fromId: string; toId: string; categories: string[]; since: string | null; until: string | null; status: string; fields: Record<string, unknown> };
    // Several stored referrals may share an identity (an ENDED one without `until` blocks nothing):
    // each record of the file takes one of them, the one with the same fields first, and only once.
    const byIdentity = new Map<string, Stored[]>();
    const claimed = new Set<string>();
    const byChannel = new Map<string, Stored[]>(); // same ends and categories: their periods must not overlap
    const identity = (r: { fromId: string; toId: string; categories: string[]; since: string | null }) => `${r.fromId}|${r.toId}|${r.categories.join(",")}|${r.since ?? ""}`;
    const channel = (r: { fromId: string; toId: string; categories: string[] }) => `${r.fromId}|${r.toId}|${r.categories.join(",")}`;
    const keep = (r: Stored) => {
      byIdentity.set(identity(r), [...(byIdentity.get(identity(r)) ?? []).filter((s) => s.id !== r.id), r]);
      const same = byChannel.get(channel(r)) ?? [];
      byChannel.set(channel(r), [...same.filter((s) => s.id !== r.id), r]);
    };
    for (const r of rows) {
      keep({
        id: r.id, fromId: r.from_id, toId: r.to_id, categories: r.categories, since: r.since, until: r.until, status: r.status,
        fields: { targetGroups: r.target_groups, minAge: r.min_age, maxAge: r.max_age, status: r.status, until: r.until, description: r.description, source: r.source },
      });
    }
    const fileReferrals = list(this.file.referrals, "referrals");
    for (const [i, input] of fileReferrals.entries()) {
      if (i % PROGRESS_EVERY === 0) this.say(`checking referrals ${i}/${fileReferrals.length}`);
      if (!touches([input?.from, input?.to])) {
        this.report.skipped.referrals++;
        continue;
      }
      const checked = this.reading.check("referrals", i, () => {
        const fromId = this.organizationId(input.from, "from");
        const toId = this.organizationId(input.to, "to");
        if (fromId === toId) throw new InputError("to", "a referral must go to another organization than from");
        const categories = categorySet(list(input.categories, "categories"), "categories").map((c, k) => enumValue(ServiceCategory, c, `categories[${k}]`));
        const since = day(input.since, "since");
        const until = day(input.until, "until");
        if (since && until && until < since) throw new InputError("until", `must not be before since (${until} < ${since})`);
        const fields = {
          ...eligibility(input.eligibility, "eligibility"),
          status: enumValue(ReferralStatus, input.status ?? ReferralStatus.ACTIVE, "status"),
          until,
          description: optionalText(input.description, "description"),
          source: optionalText(input.source, "source", 1000),
        };
        return { fromId, toId, categories, since, fields };
      });
      if (!checked) continue;
      const candidates = (byIdentity.get(identity(checked)) ?? []).filter((s) => !claimed.has(s.id));
      const stored = candidates.find((s) => same(s.fields, checked.fields)) ?? candidates[0];
      if (stored) claimed.add(stored.id);
      if (stored && same(stored.fields, checked.fields)) {
        this.report.unchanged.referrals++;
        continue;
      }
      const ends = [this.organizations.get(input.from)!.regionId, this.organizations.get(input.to)!.regionId];
      if (!this.reading.check("referrals", i, () => (this.mayWrite(ends, `${stored ? "change" : "add"} referrals between ${input.from} and ${input.to}`), true))) continue;
      const next: Stored = { id: stored?.id ?? randomUUID(), ...checked, until: checked.fields.until, status: checked.fields.status };
      const clash = (byChannel.get(channel(next)) ?? []).find(
        (other) =>
          other.id !== next.id &&
          !(other.status === ReferralStatus.ENDED && other.until === null) &&
          !(next.status === ReferralStatus.ENDED && next.until === null) &&
          (other.since === null || next.until === null || other.since <= next.until) &&
          (other.until === null || next.since === null || other.until >= next.since),
      );
      if (clash) {
        this.reading.reject("referrals", i, "since", `another referral between the same organizations for the same categories runs in the same period (since ${clash.since ?? "always"}, until ${clash.until ?? "open"}): change the dates, or end one`);
        continue;
      }
      const row: ReferralRow = { id: next.id, fromId: next.fromId, toId: next.toId, categories: next.categories, since: next.since, ...checked.fields };
      if (stored) {
        this.pending.referralUpdates.push(row);
        this.report.updated.referrals++;
      } else {
        this.pending.referralInserts.push(row);
        this.report.created.referrals++;
      }
      this.pending.changes.push({ action: stored ? "update" : "create", entityType: "referral", entityId: next.id, before: stored ?? null, after: row });
      keep(next);
      claimed.add(next.id); // a later record of the file may not take it again
    }
  }

  private async partnerships(touches: (slugs: string[]) => boolean): Promise<void> {
    const rows: { id: string; kind: string; description: string | null; members: string[] }[] = await this.tx.query(
      `SELECT p.id, p.kind, p.description, coalesce(array_agg(m.organization_id::text ORDER BY m.organization_id) FILTER (WHERE m.organization_id IS NOT NULL), '{}') AS members
         FROM partnerships p LEFT JOIN partnership_members m ON m.partnership_id = p.id GROUP BY p.id`,
    );
    const byIdentity = new Map(rows.map((p) => [`${p.kind}|${[...p.members].sort().join(",")}`, p]));
    for (const [i, input] of list(this.file.partnerships, "partnerships").entries()) {
      if (!touches(Array.isArray(input?.organizations) ? input.organizations : [])) {
        this.report.skipped.partnerships++;
        continue;
      }
      const checked = this.reading.check("partnerships", i, () => {
        const kind = enumValue(PartnershipKind, input.kind, "kind");
        const members = [...new Set(list(input.organizations, "organizations").map((slug, k) => this.organizationId(slug, `organizations[${k}]`)))].sort();
        if (members.length < 2) throw new InputError("organizations", "a partnership links at least two organizations");
        return { kind, members, description: optionalText(input.description, "description") };
      });
      if (!checked) continue;
      const key = `${checked.kind}|${checked.members.join(",")}`;
      const stored = byIdentity.get(key);
      if (stored && stored.description === checked.description) {
        this.report.unchanged.partnerships++;
        continue;
      }
      const regions = list(input.organizations, "organizations").map((slug) => this.organizations.get(slug)!.regionId);
      if (!this.reading.check("partnerships", i, () => (this.mayWrite(regions, `${stored ? "change" : "add"} this partnership`), true))) continue;
      if (stored) {
        if (this.writing) {
          await this.tx.query(`UPDATE partnerships SET description = $2 WHERE id = $1`, [stored.id, checked.description]);
          await recordChange(this.tx, this.options.actor, "update", "partnership", stored.id, stored, checked);
        }
        this.report.updated.partnerships++;
        stored.description = checked.description;
        continue;
      }
      const id = randomUUID();
      if (this.writing) {
        await this.tx.query(`INSERT INTO partnerships (id, kind, description) VALUES ($1, $2, $3)`, [id, checked.kind, checked.description]);
        await this.tx.query(`INSERT INTO partnership_members (partnership_id, organization_id) SELECT $1, unnest($2::uuid[])`, [id, checked.members]);
        await recordChange(this.tx, this.options.actor, "create", "partnership", id, null, checked);
      }
      byIdentity.set(key, { id, kind: checked.kind, description: checked.description, members: checked.members });
      this.report.created.partnerships++;
    }
  }

  private async platforms(scope: string | undefined): Promise<void> {
    const rows: Record<string, any>[] = await this.tx.query(
      `SELECT p.id, p.slug, p.name, p.region_id, p.coordinator_id, p.description,
              (SELECT coalesce(array_agg(m.organization_id::text ORDER BY m.organization_id), '{}') FROM platform_members m WHERE m.platform_id = p.id) AS members,
              (SELECT coalesce(json_agg(json_build_object('date', g.date::text, 'title', g.title, 'format', g.format, 'participantCount', g.participant_count,
                  'organizers', (SELECT coalesce(array_agg(x.organization_id::text ORDER BY x.organization_id), '{}') FROM meeting_participants x WHERE x.meeting_id = g.id AND x.role = 'ORGANIZER'),
                  'presenters', (SELECT coalesce(array_agg(x.organization_id::text ORDER BY x.organization_id), '{}') FROM meeting_participants x WHERE x.meeting_id = g.id AND x.role = 'PRESENTER'),
                  'topics', g.topics, 'notes', g.notes) ORDER BY g.date, g.title COLLATE "C"), '[]') FROM meetings g WHERE g.platform_id = p.id) AS meetings
         FROM platforms p`,
    );
    const stored = new Map(
      rows.map((p) => [
        p.slug,
        {
          id: p.id as string,
          fields: { name: p.name, regionId: p.region_id, coordinatorId: p.coordinator_id, description: p.description, members: p.members },
          meetings: ((typeof p.meetings === "string" ? JSON.parse(p.meetings) : p.meetings) as Json[]).sort(byMeeting),
        },
      ]),
    );
    for (const [i, input] of list(this.file.platforms, "platforms").entries()) {
      if (scope !== undefined && input?.region !== scope) {
        this.report.skipped.platforms++;
        continue;
      }
      if (!this.reading.once("platforms", i, input?.slug)) continue;
      const checked = this.reading.check("platforms", i, () => {
        const slug = slugValue(input.slug, "slug");
        const regionId = this.regionIds.get(input.region);
        if (!regionId) throw new InputError("region", `no region "${String(input.region)}" is stored or in the file`);
        const ids = (slugs: unknown, field: string) => [...new Set(list(slugs as string[], field).map((s, k) => this.organizationId(s, `${field}[${k}]`)))].sort();
        const fields = {
          name: requiredText(input.name, "name"),
          regionId,
          coordinatorId: input.coordinator === null || input.coordinator === undefined ? null : this.organizationId(input.coordinator, "coordinator"),
          description: optionalText(input.description, "description"),
          members: ids(input.members, "members"),
        };
        const meetings = list(input.meetings, "meetings")
          .map((m, k) => {
            const count = m.participantCount ?? null;
            if (count !== null && (!Number.isInteger(count) || count < 0)) throw new InputError(`meetings[${k}].participantCount`, "must be a whole number, 0 or more");
            return {
              date: day(m.date, `meetings[${k}].date`) ?? (() => { throw new InputError(`meetings[${k}].date`, "must be given"); })(),
              title: requiredText(m.title, `meetings[${k}].title`),
              format: m.format === null || m.format === undefined ? null : enumValue(MeetingFormat, m.format, `meetings[${k}].format`),
              participantCount: count,
              organizers: ids(m.organizers, `meetings[${k}].organizers`),
              presenters: ids(m.presenters, `meetings[${k}].presenters`),
              topics: list(m.topics, `meetings[${k}].topics`).map((t, n) => requiredText(t, `meetings[${k}].topics[${n}]`)),
              notes: optionalText(m.notes, `meetings[${k}].notes`),
            };
          })
          .sort(byMeeting);
        return { slug, fields, meetings };
      });
      if (!checked) continue;
      const before = stored.get(checked.slug);
      if (before && same(before.fields, checked.fields) && same(before.meetings, checked.meetings)) {
        this.report.unchanged.platforms++;
        continue;
      }
      if (!this.reading.check("platforms", i, () => (this.mayAdmin(`${before ? "change" : "create"} platform ${checked.slug}`), true))) continue;
      const f = checked.fields;
      const id = before?.id ?? randomUUID();
      if (before) this.report.updated.platforms++;
      else this.report.created.platforms++;
      if (!this.writing) continue;
      if (before) {
        await this.tx.query(`UPDATE platforms SET name = $2, region_id = $3, coordinator_id = $4, description = $5 WHERE id = $1`, [id, f.name, f.regionId, f.coordinatorId, f.description]);
        await this.tx.query(`DELETE FROM platform_members WHERE platform_id = $1`, [id]);
        await this.tx.query(`DELETE FROM meetings WHERE platform_id = $1`, [id]);
      } else {
        await this.tx.query(`INSERT INTO platforms (id, slug, name, region_id, coordinator_id, description) VALUES ($1, $2, $3, $4, $5, $6)`, [id, checked.slug, f.name, f.regionId, f.coordinatorId, f.description]);
      }
      await this.tx.query(`INSERT INTO platform_members (platform_id, organization_id) SELECT $1, unnest($2::uuid[])`, [id, f.members]);
      for (const m of checked.meetings) {
        const meetingId = randomUUID();
        await this.tx.query(
          `INSERT INTO meetings (id, platform_id, date, title, format, participant_count, topics, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [meetingId, id, m.date, m.title, m.format, m.participantCount, m.topics, m.notes],
        );
        await this.tx.query(
          `INSERT INTO meeting_participants (meeting_id, organization_id, role)
           SELECT $1::uuid, o, 'ORGANIZER' FROM unnest($2::uuid[]) o UNION ALL SELECT $1::uuid, o, 'PRESENTER' FROM unnest($3::uuid[]) o`,
          [meetingId, m.organizers, m.presenters],
        );
      }
      await recordChange(this.tx, this.options.actor, before ? "update" : "create", "platform", id, before ?? null, checked);
    }
  }
}
