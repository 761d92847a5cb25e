import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { OrganizationKind, ServiceCategory, TargetGroup } from "../domain/vocabulary";

@Entity({ name: "organizations" })
export class OrganizationEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "text", unique: true })
  slug: string;

  @Column({ type: "text" })
  name: string;

  /** The name folded to lower case without accents, for `search`. */
  @Column({ name: "search_name", type: "text" })
  searchName: string;

  @Column({ type: "text" })
  kind: OrganizationKind;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @Column({ type: "text", nullable: true })
  website: string | null;

  /** Null only for transnational bodies. */
  @Column({ name: "region_id", type: "uuid", nullable: true })
  regionId: string | null;

  @Column({ type: "int", default: 1 })
  version: number;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}

@Entity({ name: "services" })
export class ServiceEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ name: "organization_id", type: "uuid" })
  organizationId: string;

  @Column({ type: "text" })
  name: string;

  @Column({ type: "text" })
  category: ServiceCategory;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @Column({ name: "target_groups", type: "text", array: true, default: () => "'{}'" })
  targetGroups: TargetGroup[];

  @Column({ name: "min_age", type: "int", nullable: true })
  minAge: number | null;

  @Column({ name: "max_age", type: "int", nullable: true })
  maxAge: number | null;

  /** Keeps services in the order they were given. */
  @Column({ type: "int", default: 0 })
  position: number;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
