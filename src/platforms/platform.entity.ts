import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { MeetingFormat } from "../domain/vocabulary";

@Entity({ name: "platforms" })
export class PlatformEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "text", unique: true })
  slug: string;

  @Column({ type: "text" })
  name: string;

  @Column({ name: "region_id", type: "uuid" })
  regionId: string;

  @Column({ name: "coordinator_id", type: "uuid", nullable: true })
  coordinatorId: string | null;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}

@Entity({ name: "platform_members" })
export class PlatformMemberEntity {
  @PrimaryColumn({ name: "platform_id", type: "uuid" })
  platformId: string;

  @PrimaryColumn({ name: "organization_id", type: "uuid" })
  organizationId: string;
}

@Entity({ name: "meetings" })
export class MeetingEntity {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ name: "platform_id", type: "uuid" })
  platformId: string;

  @Column({ type: "date" })
  date: string;

  @Column({ type: "text" })
  title: string;

  /** Null where the source does not say. */
  @Column({ type: "text", nullable: true })
  format: MeetingFormat | null;

  @Column({ name: "participant_count", type: "int", nullable: true })
  participantCount: number | null;

  @Column({ type: "text", array: true, default: () => "'{}'" })
  topics: string[];

  @Column({ type: "text", nullable: true })
  notes: string | null;
}

export type MeetingRole = "ORGANIZER" | "PRESENTER";

@Entity({ name: "meeting_participants" })
export class MeetingParticipantEntity {
  @PrimaryColumn({ name: "meeting_id", type: "uuid" })
  meetingId: string;

  @PrimaryColumn({ name: "organization_id", type: "uuid" })
  organizationId: string;

  @PrimaryColumn({ type: "text" })
  role: MeetingRole;
}
