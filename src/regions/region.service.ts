import { DataSource, EntityManager } from "typeorm";
import { Viewer, actorOf, requireAdmin } from "../auth/viewer";
import { InputError, NotFoundError } from "../common/errors";
import { countryValue, nutsValue, requiredText, slugValue } from "../common/validate";
import { recordChange, writeTransaction } from "../common/write";
import { RegionEntity } from "./region.entity";
import { CreateRegionInput } from "./region.inputs";

export class RegionService {
  constructor(private readonly db: DataSource) {}

  list(): Promise<RegionEntity[]> {
    return this.db.getRepository(RegionEntity).find({ order: { name: "ASC", id: "ASC" } });
  }

  async bySlug(slug: string): Promise<RegionEntity | null> {
    return this.db.getRepository(RegionEntity).findOneBy({ slug });
  }

  /** The region a write names, or NOT_FOUND naming the field. */
  async resolve(tx: EntityManager, slug: string, field: string): Promise<RegionEntity> {
    if (slug.trim() === "") throw new InputError(field, "must be a region slug (leave it out only for a transnational body)");
    const region = await tx.getRepository(RegionEntity).findOneBy({ slug });
    if (!region) throw new NotFoundError("region", slug, field);
    return region;
  }

  async create(viewer: Viewer | null, input: CreateRegionInput): Promise<RegionEntity> {
    requireAdmin(viewer, "create regions");
    const values = {
      slug: slugValue(input.slug, "input.slug"),
      name: requiredText(input.name, "input.name"),
      country: countryValue(input.country, "input.country"),
      nutsCode: nutsValue(input.nutsCode, "input.nutsCode"),
    };
    return writeTransaction(this.db, async (tx) => {
      const region = await tx.getRepository(RegionEntity).save(tx.getRepository(RegionEntity).create(values));
      await recordChange(tx, actorOf(viewer), "create", "region", region.id, null, region);
      return region;
    });
  }
}
