import { DataSource, EntityManager } from "typeorm";
import { Actor, Viewer, actorOf, requireRegionWriter } from "../auth/viewer";
import { ConflictError, Faults, InputError, NotFoundError, VersionConflictError } from "../errors";
import { eligibilityColumns } from "../domain/eligibility";
import { foldForSearch, isUuid, slugify } from "../domain/text";
import { optionalText, requiredText, slugValue, websiteValue } from "../domain/validate";
import { recordChange, updateAtVersion, writeTransaction } from "../db/write";
import { ReferralEntity } from "../referrals/referral.entity";
import { RegionEntity } from "../regions/region.entity";
import { RegionWrites } from "../regions/region.writes";
import { OrganizationEntity, ServiceEntity } from "./organization.entity";
import {
  CreateOrganizationInput,
  ServiceInput,
  UpdateOrganizationInput,
} from "./organization.inputs";

/** Finds an organization named by id or slug (the contract accepts either everywhere). */
export function whereIdOrSlug(alias: string, ref: string): { sql: string; params: Record<string, string> } {
  return isUuid(ref)
    ? { sql: `(${alias}.id = CAST(:refId AS uuid) OR ${alias}.slug = :ref)`, params: { refId: ref, ref } }
    : { sql: `${alias}.slug = :ref`, params: { ref } };
}

export async function findOrganization(
  db: DataSource | EntityManager,
  ref: string,
  options: { lock?: boolean } = {},
): Promise<OrganizationEntity | null> {
  const where = whereIdOrSlug("o", ref);
  const query = db.getRepository(OrganizationEntity).createQueryBuilder("o").where(where.sql, where.params);
  if (options.lock) query.setLock("pessimistic_write");
  return query.getOne();
}

/** The organization a write names, or NOT_FOUND naming the argument. */
export async function resolveOrganization(
  tx: EntityManager,
  ref: string,
  field: string,
  options: { lock?: boolean } = {},
): Promise<OrganizationEntity> {
  const organization = await findOrganization(tx, ref, options);
  if (!organization) throw new NotFoundError("organization with id or slug", ref, field);
  return organization;
}

/**
 * Locks these organizations FOR UPDATE in one statement, in id order, and returns them as
 * locked (by id). Every write that locks several organizations calls this, so two writes never
 * hold one each while waiting for the other's (createReferral A→B against B→A deadlocked).
 * With `fields`, NOT_FOUND names `fields[i]` for an organization deleted since it was resolved;
 * without, a missing one is left out.
 */
export async function lockOrganizations(tx: EntityManager, ids: string[], fields?: string[]): Promise<Map<string, OrganizationEntity>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .getRepository(OrganizationEntity)
    .createQueryBuilder("o")
    .where("o.id IN (:...ids)", { ids: [...new Set(ids)] })
    .orderBy("o.id", "ASC")
    .setLock("pessimistic_write")
    .getMany();
  const locked = new Map(rows.map((o) => [o.id, o]));
  ids.forEach((id, i) => {
    if (fields && !locked.has(id)) throw new NotFoundError("organization with id or slug", id, fields[i]);
  });
  return locked;
}

/**
 * The organizations a write names by id or slug, found and locked FOR UPDATE in one statement, in
 * id order (as lockOrganizations, so no deadlock), returned in the order named. A name that
 * matches none is NOT_FOUND, naming its `fields[i]`.
 */
export async function lockNamedOrganizations(tx: EntityManager, refs: string[], fields: string[]): Promise<OrganizationEntity[]> {
  // Ids as the database writes them (lower case), whatever case they were given in.
  const idOf = (ref: string) => (isUuid(ref) ? ref.toLowerCase() : undefined);
  const ids = [...new Set(refs.map(idOf).filter((id): id is string => id !== undefined))];
  const query = tx.getRepository(OrganizationEntity).createQueryBuilder("o").where("o.slug IN (:...refs)", { refs: [...new Set(refs)] });
  if (ids.length) query.orWhere("o.id IN (:...ids)", { ids });
  const rows = await query.orderBy("o.id", "ASC").setLock("pessimistic_write").getMany();
  return refs.map((ref, i) => {
    const found = rows.find((o) => o.id === idOf(ref)) ?? rows.find((o) => o.slug === ref);
    if (!found) throw new NotFoundError("organization with id or slug", ref, fields[i]);
    return found;
  });
}

export const MAX_SERVICES = 100;

/** The stored rows of a list of services; one InputError lists every wrong field of every service. */
export function serviceRows(inputs: ServiceInput[], field: string): Omit<ServiceEntity, "id" | "organizationId" | "createdAt">[] {
  if (inputs.length > MAX_SERVICES) throw new InputError(field, `at most ${MAX_SERVICES} services, got ${inputs.length}`);
  const faults = new Faults();
  const rows = inputs.map((service, i) => ({
    name: faults.check(() => requiredText(service.name, `${field}[${i}].name`))!,
    category: service.category,
    description: faults.check(() => optionalText(service.description, `${field}[${i}].description`))!,
    ...faults.check(() => eligibilityColumns(service.eligibility, `${field}[${i}].eligibility`))!,
    position: i,
  }));
  faults.throwIfAny();
  return rows;
}

export class OrganizationWrites {
  constructor(
    private readonly db: DataSource,
    private readonly regions: RegionWrites,
  ) {}

  async create(viewer: Viewer | null, input: CreateOrganizationInput): Promise<OrganizationEntity> {
    // Every wrong field at once (docs/api.md); what needs the database (region, slug taken) comes after.
    const faults = new Faults();
    const name = faults.check(() => requiredText(input.name, "input.name"));
    let slug = input.slug ? faults.check(() => slugValue(input.slug!, "input.slug")) : name === undefined ? undefined : slugify(name);
    if (slug === "") {
      faults.add("input.slug", "cannot be derived from this name: give one");
      slug = undefined;
    }
    const description = faults.check(() => optionalText(input.description, "input.description"));
    const website = faults.check(() => websiteValue(input.website, "input.website"));
    const services = faults.check(() => serviceRows(input.services ?? [], "input.services"));
    faults.throwIfAny();
    const values = {
      slug: slug!,
      name: name!,
      searchName: foldForSearch(name!),
      kind: input.kind,
      description: description!,
      website: website!,
    };
    return writeTransaction(
      this.db,
      async (tx) => {
        const region =
          input.region === null || input.region === undefined ? null : await this.regions.resolve(tx, input.region, "input.region");
        requireRegionWriter(viewer, [region?.id ?? null], `create organizations in ${region ? `region ${region.slug}` : "no region"}`);
        if (await tx.getRepository(OrganizationEntity).existsBy({ slug: values.slug })) {
          throw new ConflictError(
            `input.slug: an organization with the slug "${values.slug}" already exists; ${input.slug ? "choose another" : "give a slug of your own"}.`,
            { field: "input.slug" },
          );
        }
        const organization = await tx.getRepository(OrganizationEntity).save(
          tx.getRepository(OrganizationEntity).create({ ...values, regionId: region?.id ?? null }),
        );
        const saved = await this.replaceServices(tx, organization.id, services!);
        await recordChange(tx, actorOf(viewer), "create", "organization", organization.id, null, {
          ...organization,
          services: saved,
        });
        return organization;
      },
    );
  }

  async update(
    viewer: Viewer | null,
    ref: string,
    input: UpdateOrganizationInput,
    expectedVersion?: number | null,
  ): Promise<OrganizationEntity> {
    // Every wrong field at once (docs/api.md); what needs the database (region, slug taken) comes after.
    const faults = new Faults();
    const changes: Partial<OrganizationEntity> = {};
    if (input.name !== undefined) {
      const name = faults.check(() => requiredText(input.name, "input.name"));
      if (name !== undefined) Object.assign(changes, { name, searchName: foldForSearch(name) });
    }
    if (input.slug !== undefined) {
      if (input.slug === null) faults.add("input.slug", "cannot be cleared");
      else changes.slug = faults.check(() => slugValue(input.slug!, "input.slug"));
    }
    if (input.kind !== undefined) {
      if (input.kind === null) faults.add("input.kind", "cannot be cleared");
      else changes.kind = input.kind;
    }
    if (input.description !== undefined) changes.description = faults.check(() => optionalText(input.description, "input.description"));
    if (input.website !== undefined) changes.website = faults.check(() => websiteValue(input.website, "input.website"));
    const services =
      input.services === undefined || input.services === null ? undefined : faults.check(() => serviceRows(input.services!, "input.services"));
    faults.throwIfAny();

    return writeTransaction(
      this.db,
      async (tx) => {
        const current = await resolveOrganization(tx, ref, "id", { lock: true });
        requireRegionWriter(viewer, [current.regionId], `change the organization ${current.slug}`);
        if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== current.version) {
          throw new VersionConflictError("organization", current.slug, expectedVersion, current.version);
        }
        if (input.region !== undefined) {
          let region: RegionEntity | null = null;
          if (input.region !== null) region = await this.regions.resolve(tx, input.region, "input.region");
          requireRegionWriter(viewer, [region?.id ?? null], `move an organization to ${region ? `region ${region.slug}` : "no region"}`);
          changes.regionId = region?.id ?? null;
        }
        if (changes.slug && changes.slug !== current.slug) {
          if (await tx.getRepository(OrganizationEntity).existsBy({ slug: changes.slug })) {
            throw new ConflictError(`input.slug: an organization with the slug "${changes.slug}" already exists.`, {
              field: "input.slug",
            });
          }
        }
        const beforeServices = await tx.getRepository(ServiceEntity).find({ where: { organizationId: current.id }, order: { position: "ASC" } });
        await updateAtVersion(tx, OrganizationEntity, current, changes, "organization", current.slug);
        const afterServices = services ? await this.replaceServices(tx, current.id, services) : beforeServices;
        const updated = await tx.getRepository(OrganizationEntity).findOneByOrFail({ id: current.id });
        await recordChange(
          tx,
          actorOf(viewer),
          "update",
          "organization",
          current.id,
          { ...current, services: beforeServices },
          { ...updated, services: afterServices },
        );
        return updated;
      },
    );
  }

  async delete(viewer: Viewer | null, ref: string): Promise<boolean> {
    return writeTransaction(
      this.db,
      async (tx) => {
        const current = await resolveOrganization(tx, ref, "id", { lock: true });
        requireRegionWriter(viewer, [current.regionId], `delete the organization ${current.slug}`);
        const referrals = await tx
          .getRepository(ReferralEntity)
          .createQueryBuilder("r")
          .where("r.from_id = :id OR r.to_id = :id", { id: current.id })
          .getCount();
        if (referrals > 0) {
          throw new ConflictError(
            `The organization ${current.slug} still has ${referrals} referral(s): end or delete them first (deleteReferral), then delete it.`,
            { referrals },
          );
        }
        await this.refuseIfHistoryNeedsIt(tx, current);
        const actor = actorOf(viewer);
        await this.leavePartnerships(tx, current, actor);
        const services = await tx.getRepository(ServiceEntity).findBy({ organizationId: current.id });
        const platforms: { platform_id: string }[] = await tx.query(
          `SELECT platform_id FROM platform_members WHERE organization_id = $1`,
          [current.id],
        );
        await tx.getRepository(OrganizationEntity).delete({ id: current.id });
        await recordChange(tx, actor, "delete", "organization", current.id, {
          ...current,
          services,
          platforms: platforms.map((p) => p.platform_id),
        }, null);
        return true;
      },
    );
  }

  /** Platforms keep their coordinator and their meetings' participants as history. */
  private async refuseIfHistoryNeedsIt(tx: EntityManager, organization: OrganizationEntity): Promise<void> {
    const coordinated: { slug: string }[] = await tx.query(`SELECT slug FROM platforms WHERE coordinator_id = $1 ORDER BY slug`, [
      organization.id,
    ]);
    if (coordinated.length) {
      throw new ConflictError(
        `The organization ${organization.slug} coordinates ${coordinated.map((p) => p.slug).join(", ")}: a platform keeps its coordinator, so it cannot be deleted.`,
      );
    }
    const [meetings]: { n: number }[] = await tx.query(
      `SELECT count(DISTINCT meeting_id)::int AS n FROM meeting_participants WHERE organization_id = $1`,
      [organization.id],
    );
    if (meetings.n > 0) {
      throw new ConflictError(
        `The organization ${organization.slug} organised or presented at ${meetings.n} platform meeting(s), which are kept as history: it cannot be deleted.`,
      );
    }
  }

  /** Takes the organization out of its partnerships; one left with a single member is deleted. Each change is audited. */
  private async leavePartnerships(tx: EntityManager, organization: OrganizationEntity, actor: Actor): Promise<void> {
    const partnerships: { id: string; kind: string; description: string | null; members: string[] }[] = await tx.query(
      `SELECT p.id, p.kind, p.description, array_agg(m.organization_id::text ORDER BY m.organization_id::text COLLATE "C") AS members
         FROM partnerships p JOIN partnership_members m ON m.partnership_id = p.id
        WHERE p.id IN (SELECT partnership_id FROM partnership_members WHERE organization_id = $1)
        GROUP BY p.id, p.kind, p.description`,
      [organization.id],
    );
    for (const partnership of partnerships) {
      const before = { ...partnership, organizations: partnership.members, members: undefined };
      const remaining = partnership.members.filter((id) => id !== organization.id);
      if (remaining.length < 2) {
        await tx.query(`DELETE FROM partnerships WHERE id = $1`, [partnership.id]);
        await recordChange(tx, actor, "delete", "partnership", partnership.id, before, null);
      } else {
        await tx.query(`DELETE FROM partnership_members WHERE partnership_id = $1 AND organization_id = $2`, [partnership.id, organization.id]);
        await recordChange(tx, actor, "update", "partnership", partnership.id, before, { ...before, organizations: remaining });
      }
    }
  }

  private async replaceServices(
    tx: EntityManager,
    organizationId: string,
    services: ReturnType<typeof serviceRows>,
  ): Promise<ServiceEntity[]> {
    const repository = tx.getRepository(ServiceEntity);
    await repository.delete({ organizationId });
    if (services.length === 0) return [];
    return repository.save(services.map((s) => repository.create({ ...s, organizationId })));
  }
}
