import { DataSource, EntityManager, SelectQueryBuilder } from "typeorm";
import { Viewer, actorOf, requireRegionWriter } from "../auth/viewer";
import { ConflictError, InputError, NotFoundError, VersionConflictError } from "../common/errors";
import { admitsSql, checkProfile, eligibilityColumns } from "../common/eligibility";
import { Page, checkPageSize, decodeCursor, toPage } from "../common/pagination";
import { escapeLike, foldForSearch, isUuid, slugify } from "../common/text";
import { optionalText, requiredText, slugValue, websiteValue } from "../common/validate";
import { recordChange, writeTransaction } from "../common/write";
import { ReferralEntity } from "../referrals/referral.entity";
import { RegionEntity } from "../regions/region.entity";
import { RegionService } from "../regions/region.service";
import { OrganizationEntity, ServiceEntity } from "./organization.entity";
import {
  CreateOrganizationInput,
  OrganizationFilter,
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

function serviceRows(inputs: ServiceInput[], field: string): Omit<ServiceEntity, "id" | "organizationId" | "createdAt">[] {
  return inputs.map((service, i) => ({
    name: requiredText(service.name, `${field}[${i}].name`),
    category: service.category,
    description: optionalText(service.description, `${field}[${i}].description`),
    ...eligibilityColumns(service.eligibility, `${field}[${i}].eligibility`),
    position: i,
  }));
}

export class OrganizationService {
  constructor(
    private readonly db: DataSource,
    private readonly regions: RegionService,
  ) {}

  byRef(ref: string): Promise<OrganizationEntity | null> {
    return findOrganization(this.db, ref);
  }

  async list(filter: OrganizationFilter | null | undefined, requested: number | null, after?: string | null): Promise<Page<OrganizationEntity>> {
    const first = checkPageSize(requested);
    const query = this.filtered(filter);
    const countQuery = query.clone();
    const count = () => countQuery.getCount();
    if (after) {
      const cursor = decodeCursor(after);
      if (!isUuid(cursor.id)) throw new InputError("after", "is not a cursor this API gave out");
      query.andWhere("(o.name, o.id) > (:afterName, CAST(:afterId AS uuid))", { afterName: cursor.key, afterId: cursor.id });
    }
    const rows = await query.orderBy("o.name", "ASC").addOrderBy("o.id", "ASC").limit(first + 1).getMany();
    return toPage(rows, first, (o) => o.name, count);
  }

  private filtered(filter: OrganizationFilter | null | undefined): SelectQueryBuilder<OrganizationEntity> {
    const query = this.db.getRepository(OrganizationEntity).createQueryBuilder("o");
    if (!filter) return query;
    if (filter.region !== null && filter.region !== undefined) {
      query.andWhere("o.region_id IN (SELECT r.id FROM regions r WHERE r.slug = :region)", { region: filter.region });
    }
    if (filter.kinds?.length) query.andWhere("o.kind IN (:...kinds)", { kinds: filter.kinds });
    const profile = checkProfile(filter.profile, "filter.profile");
    const admitted = admitsSql("s", profile, "profile");
    if (filter.categories?.length || admitted) {
      const conditions = ["s.organization_id = o.id"];
      if (filter.categories?.length) conditions.push("s.category IN (:...categories)");
      if (admitted) conditions.push(admitted.sql);
      query.andWhere(`EXISTS (SELECT 1 FROM services s WHERE ${conditions.join(" AND ")})`, {
        categories: filter.categories,
        ...admitted?.params,
      });
    }
    if (filter.search) {
      const folded = foldForSearch(filter.search);
      if (folded) query.andWhere("o.search_name LIKE :search", { search: `%${escapeLike(folded)}%` });
    }
    return query;
  }

  async create(viewer: Viewer | null, input: CreateOrganizationInput): Promise<OrganizationEntity> {
    const name = requiredText(input.name, "input.name");
    const slug = input.slug ? slugValue(input.slug, "input.slug") : slugify(name);
    if (!slug) throw new InputError("input.slug", "cannot be derived from this name: give one");
    const values = {
      slug,
      name,
      searchName: foldForSearch(name),
      kind: input.kind,
      description: optionalText(input.description, "input.description"),
      website: websiteValue(input.website, "input.website"),
    };
    const services = serviceRows(input.services ?? [], "input.services");
    return writeTransaction(
      this.db,
      async (tx) => {
        const region = input.region ? await this.regions.resolve(tx, input.region, "input.region") : null;
        requireRegionWriter(viewer, [region?.id ?? null], `create organizations in ${region ? `region ${region.slug}` : "no region"}`);
        if (await tx.getRepository(OrganizationEntity).existsBy({ slug })) {
          throw new ConflictError(
            `input.slug: an organization with the slug "${slug}" already exists; ${input.slug ? "choose another" : "give a slug of your own"}.`,
            { field: "input.slug" },
          );
        }
        const organization = await tx.getRepository(OrganizationEntity).save(
          tx.getRepository(OrganizationEntity).create({ ...values, regionId: region?.id ?? null }),
        );
        const saved = await this.replaceServices(tx, organization.id, services);
        await recordChange(tx, actorOf(viewer), "create", "organization", organization.id, null, {
          ...organization,
          services: saved,
        });
        return organization;
      },
      { graph: true },
    );
  }

  async update(
    viewer: Viewer | null,
    ref: string,
    input: UpdateOrganizationInput,
    expectedVersion?: number | null,
  ): Promise<OrganizationEntity> {
    const changes: Partial<OrganizationEntity> = {};
    if (input.name !== undefined) {
      changes.name = requiredText(input.name, "input.name");
      changes.searchName = foldForSearch(changes.name);
    }
    if (input.slug !== undefined) {
      if (input.slug === null) throw new InputError("input.slug", "cannot be cleared");
      changes.slug = slugValue(input.slug, "input.slug");
    }
    if (input.kind !== undefined) {
      if (input.kind === null) throw new InputError("input.kind", "cannot be cleared");
      changes.kind = input.kind;
    }
    if (input.description !== undefined) changes.description = optionalText(input.description, "input.description");
    if (input.website !== undefined) changes.website = websiteValue(input.website, "input.website");
    const services = input.services === undefined || input.services === null ? undefined : serviceRows(input.services, "input.services");

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
        const result = await tx
          .getRepository(OrganizationEntity)
          .createQueryBuilder()
          .update()
          .set({ ...changes, version: () => "version + 1", updatedAt: () => "now()" })
          .where("id = :id AND version = :version", { id: current.id, version: current.version })
          .execute();
        if (!result.affected) throw new VersionConflictError("organization", current.slug, current.version, current.version + 1);
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
      { graph: true },
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
        const services = await tx.getRepository(ServiceEntity).findBy({ organizationId: current.id });
        await tx.getRepository(OrganizationEntity).delete({ id: current.id });
        await recordChange(tx, actorOf(viewer), "delete", "organization", current.id, { ...current, services }, null);
        return true;
      },
      { graph: true },
    );
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
