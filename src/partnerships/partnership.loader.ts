import { DataSource, In } from "typeorm";
import { manyByKey, oneByKey } from "../common/loader";
import { PartnershipEntity, PartnershipMemberEntity } from "./partnership.entity";

export function partnershipLoaders(db: DataSource) {
  const members = (column: "partnershipId" | "organizationId") =>
    manyByKey(
      (ids) => db.getRepository(PartnershipMemberEntity).findBy({ [column]: In([...ids]) }),
      (m) => m[column],
    );
  return {
    partnershipById: oneByKey(
      (ids) => db.getRepository(PartnershipEntity).findBy({ id: In([...ids]) }),
      (p) => p.id,
    ),
    /** Member rows by organization: which partnerships it is in. */
    partnershipMembersByOrganization: members("organizationId"),
    /** Member rows by partnership: which organizations are in it. */
    partnershipMembersByPartnership: members("partnershipId"),
  };
}
