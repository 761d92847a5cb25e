// The organizations section: an organization per record, matched by slug, with its services (the whole list a record gives).
import { randomUUID } from "node:crypto";
import { eligibilityColumns } from "../../domain/eligibility";
import { Faults } from "../../errors";
import { foldForSearch } from "../../domain/text";
import { enumValue, optionalText, requiredText } from "../../domain/validate";
import { ServiceCategory } from "../../domain/vocabulary";
import { Change, recordChanges } from "../../db/write";
import { ServiceInput } from "../../organizations/organization.inputs";
import { serviceRows } from "../../organizations/organization.writes";
import { columnValue, declaredFields, eligibilityFields, gives, list, object, onlyFields, same, storable } from "./checks";
import { At } from "./reading";
import { inSlices, OrganizationFields, OrganizationRow, ServiceRow } from "./rows";
import { bulkInsert, bulkUpdate, jsonRowSql, selectList } from "../../db/table";
import { ORGANIZATION_FIELD_KEYS, ORGANIZATION_FILE_KEYS, ORGANIZATION_WRITTEN, organizationTable, SERVICE_WRITTEN, serviceTable } from "../../organizations/organization.table";
import { storedMatches, StoredService, withStoredFields } from "./services";
import type { Import } from "./index";

const INSERT_ORGANIZATIONS = bulkInsert(organizationTable, ORGANIZATION_WRITTEN);
const UPDATE_ORGANIZATIONS = bulkUpdate(organizationTable, ORGANIZATION_WRITTEN.filter((key) => key !== "id" && key !== "slug"), "version = r.version + 1, updated_at = now()");
const INSERT_SERVICES = bulkInsert(serviceTable, SERVICE_WRITTEN);
/** A stored service as a record's is compared to it: its own columns (not its organization, nor its place in the list). */
const STORED_SERVICE_KEYS = SERVICE_WRITTEN.filter((key) => key !== "organizationId" && key !== "position");

/**
 * An organization's services as a file gives them (the whole list; null or [] for none), every
 * fault told. A service named as a stored one is that service: the fields it leaves out (a blank
 * CSV cell) keep their stored values; an explicit null clears.
 */
export function services(this: Import, value: unknown, stored: readonly StoredService[] = []): Omit<ServiceRow, "organizationId" | "position">[] {
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

export async function organizations(this: Import): Promise<void> {
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
export async function storedOrganizations(this: Import, slugs: string[]): Promise<Map<string, { id: string; fields: OrganizationFields; services: Omit<ServiceRow, "organizationId" | "position">[] }>> {
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
