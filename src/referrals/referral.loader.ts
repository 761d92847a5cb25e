import { DataSource, In } from "typeorm";
import { manyByKey } from "../common/loader";
import { ReferralEntity } from "./referral.entity";

export function referralLoaders(db: DataSource) {
  const byEnd = (column: "fromId" | "toId") =>
    manyByKey(
      (ids) => db.getRepository(ReferralEntity).find({ where: { [column]: In([...ids]) }, order: { createdAt: "ASC", id: "ASC" } }),
      (r) => r[column],
    );
  return { referralsFrom: byEnd("fromId"), referralsTo: byEnd("toId") };
}
