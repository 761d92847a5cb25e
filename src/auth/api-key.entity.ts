import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Role } from "../domain/vocabulary";

@Entity({ name: "api_keys" })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  /** Public part of the token, used to find the key; the secret part is only stored hashed. */
  @Column({ type: "text", unique: true })
  prefix: string;

  @Column({ name: "secret_hash", type: "text" })
  secretHash: string;

  @Column({ type: "text" })
  role: Role;

  /** The regions an EDITOR may write to. */
  @Column({ name: "region_ids", type: "uuid", array: true, default: () => "'{}'" })
  regionIds: string[];

  @Column({ type: "text", nullable: true })
  label: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Column({ name: "expires_at", type: "timestamptz", nullable: true })
  expiresAt: Date | null;

  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt: Date | null;
}

@Entity({ name: "audit_log" })
export class AuditEntryEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @CreateDateColumn({ type: "timestamptz" })
  at: Date;

  /** The key behind the change; null for the seed and command-line tools. */
  @Column({ name: "api_key_id", type: "uuid", nullable: true })
  apiKeyId: string | null;

  /** Who, when there is no key: `seed`, `cli`, ... */
  @Column({ type: "text", nullable: true })
  actor: string | null;

  @Column({ type: "text" })
  action: "create" | "update" | "delete";

  @Column({ name: "entity_type", type: "text" })
  entityType: string;

  @Column({ name: "entity_id", type: "uuid" })
  entityId: string;

  @Column({ type: "jsonb", nullable: true })
  before: unknown;

  @Column({ type: "jsonb", nullable: true })
  after: unknown;
}
