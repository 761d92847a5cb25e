import { MigrationInterface, QueryRunner } from "typeorm";

// Referral.verifiedOn: the day a coordinator last confirmed that the channel still works. Unknown
// (null) for every referral stored before; adding a nullable column rewrites no row.
export class ReferralVerifiedOn1765300000000 implements MigrationInterface {
  name = "ReferralVerifiedOn1765300000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referrals ADD COLUMN verified_on date`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referrals DROP COLUMN verified_on`);
  }
}
