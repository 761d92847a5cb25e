import { DataSource, In } from "typeorm";
import { oneByKey, manyByKey } from "../common/loader";
import { OrganizationEntity, ServiceEntity } from "./organization.entity";

export function organizationLoaders(db: DataSource) {
  return {
    organizationById: oneByKey(
      (ids) => db.getRepository(OrganizationEntity).findBy({ id: In([...ids]) }),
      (o) => o.id,
    ),
    servicesByOrganization: manyByKey(
      (ids) =>
        db.getRepository(ServiceEntity).find({
          where: { organizationId: In([...ids]) },
          order: { organizationId: "ASC", position: "ASC", id: "ASC" },
        }),
      (s) => s.organizationId,
    ),
  };
}
