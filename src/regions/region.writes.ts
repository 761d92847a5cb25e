import { DataSource, EntityManager } from "typeorm";
import { Viewer, actorOf, requireAdmin } from "../auth/viewer";
import { Faults, InputError, NotFoundError } from "../errors";
import { countryValue, nutsValue, requiredText, slugValue } from "../domain/validate";
import { recordChange, writeTransaction } from "../db/write";
import { RegionEntity } from "./region.entity";
import { CreateRegionInput } from "./region.inputs";

export class RegionWrites {
  constructor(private readonly db: DataSource) {}

  /** The region a write names, or NOT_FOUND naming the field. */
  async resolve(tx: EntityManager, slug: string, field: string): Promise<RegionEntity> {
    if (slug.trim() === "") throw new InputError(field, "must be a region slug (leave it out only for a transnational body)");
    const region = await tx.getRepository(RegionEntity).findOneBy({ slug });
    if (!region) throw new NotFoundError("region", slug, field);
    return region;
  }

  async create(viewer: Viewer | null, input: CreateRegionInput): Promise<RegionEntity> {
    requireAdmin(viewer, "create regions");
    // Every wrong field at once (docs/api.md); a slug already taken comes after, from the database.
    const faults = new Faults();
    const slug = faults.check(() => slugValue(input.slug, "input.slug"));
    const name = faults.check(() => requiredText(input.name, "input.name"));
    const country = faults.check(() => countryValue(input.country, "input.country"));
    const nutsCode = faults.check(() => nutsValue(input.nutsCode, "input.nutsCode"));
    faults.throwIfAny();
    const values = { slug: slug!, name: name!, country: country!, nutsCode: nutsCode! };
    return writeTransaction(this.db, async (tx) => {
      const region = await tx.getRepository(RegionEntity).save(tx.getRepository(RegionEntity).create(values));
      await recordChange(tx, actorOf(viewer), "create", "region", region.id, null, region);
      return region;
    });
  }
}
