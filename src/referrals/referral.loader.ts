import DataLoader from "dataloader";
import { DataSource, In } from "typeorm";
import { ReferralEntity } from "./referral.entity";

export interface ReferralsOf {
  out: ReferralEntity[];
  in: ReferralEntity[];
}

export function referralLoaders(db: DataSource) {
  return {
    /**
     * Both directions in one batch: referralsOut and referralsIn of a page come from one
     * statement, and the organizations at their other ends from one batch after it.
     */
    referralsOf: new DataLoader<string, ReferralsOf>(async (ids) => {
      const rows = await db.getRepository(ReferralEntity).find({
        where: [{ fromId: In([...ids]) }, { toId: In([...ids]) }],
        order: { createdAt: "ASC", id: "ASC" },
      });
      const of = new Map<string, ReferralsOf>(ids.map((id) => [id, { out: [], in: [] }]));
      for (const referral of rows) {
        of.get(referral.fromId)?.out.push(referral);
        of.get(referral.toId)?.in.push(referral);
      }
      return ids.map((id) => of.get(id)!);
    }),
  };
}
