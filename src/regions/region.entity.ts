import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "regions" })
export class RegionEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "text", unique: true })
  slug: string;

  @Column({ type: "text" })
  name: string;

  @Column({ type: "char", length: 2 })
  country: string;

  @Column({ name: "nuts_code", type: "text", nullable: true })
  nutsCode: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
