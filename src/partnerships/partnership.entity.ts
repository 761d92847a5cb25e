import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { PartnershipKind } from "../domain/vocabulary";

@Entity({ name: "partnerships" })
export class PartnershipEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "text" })
  kind: PartnershipKind;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}

@Entity({ name: "partnership_members" })
export class PartnershipMemberEntity {
  @PrimaryColumn({ name: "partnership_id", type: "uuid" })
  partnershipId: string;

  @PrimaryColumn({ name: "organization_id", type: "uuid" })
  organizationId: string;
}
