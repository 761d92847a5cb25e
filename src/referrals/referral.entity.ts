import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { ReferralStatus, ServiceCategory, TargetGroup } from "../domain/vocabulary";

@Entity({ name: "referrals" })
export class ReferralEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ name: "from_id", type: "uuid" })
  fromId: string;

  @Column({ name: "to_id", type: "uuid" })
  toId: string;

  /** Sorted and without repeats, so that "the same categories" is array equality. */
  @Column({ type: "text", array: true })
  categories: ServiceCategory[];

  @Column({ name: "target_groups", type: "text", array: true, default: () => "'{}'" })
  targetGroups: TargetGroup[];

  @Column({ name: "min_age", type: "int", nullable: true })
  minAge: number | null;

  @Column({ name: "max_age", type: "int", nullable: true })
  maxAge: number | null;

  @Column({ type: "text", default: ReferralStatus.ACTIVE })
  status: ReferralStatus;

  /** YYYY-MM-DD; null means "always has been". */
  @Column({ type: "date", nullable: true })
  since: string | null;

  @Column({ type: "date", nullable: true })
  until: string | null;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @Column({ type: "text", nullable: true })
  source: string | null;

  /** YYYY-MM-DD: the day a coordinator last confirmed the channel; null: never. */
  @Column({ name: "verified_on", type: "date", nullable: true })
  verifiedOn: string | null;

  @Column({ type: "int", default: 1 })
  version: number;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}
