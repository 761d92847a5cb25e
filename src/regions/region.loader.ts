import { DataSource, In } from "typeorm";
import { oneByKey } from "../common/loader";
import { RegionEntity } from "./region.entity";

export function regionLoaders(db: DataSource) {
  return {
    regionById: oneByKey(
      (ids) => db.getRepository(RegionEntity).findBy({ id: In([...ids]) }),
      (r) => r.id,
    ),
  };
}
