import { DataSource } from "typeorm";
import { isUuid } from "../common/text";
import { PlatformEntity } from "./platform.entity";

export class PlatformService {
  constructor(private readonly db: DataSource) {}

  list(): Promise<PlatformEntity[]> {
    return this.db.getRepository(PlatformEntity).find({ order: { name: "ASC", id: "ASC" } });
  }

  /** By id or slug. */
  byRef(ref: string): Promise<PlatformEntity | null> {
    const query = this.db.getRepository(PlatformEntity).createQueryBuilder("p");
    return (
      isUuid(ref) ? query.where("p.id = CAST(:refId AS uuid) OR p.slug = :ref", { refId: ref, ref }) : query.where("p.slug = :ref", { ref })
    ).getOne();
  }
}
