import type { MeetingFormat, PartnershipKind } from "../domain/vocabulary";
import type { ReferralRecord } from "../referrals/referral.table";
import type { OrganizationRecord, ServiceRecord } from "../organizations/organization.table";

// The read model's own records (DESIGN: "the read model has its own types"): plain, frozen,
// shared by every request that holds the version they belong to. GraphQL resolvers take them as
// roots typed by these interfaces, so type-graphql does not copy them into class instances per field.

export interface RegionNode {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly country: string;
  readonly nutsCode: string | null;
  readonly createdAt: Date;
}

/** A service as its table declares it (src/organizations/organization.table.ts). */
export type ServiceNode = Readonly<ServiceRecord>;

/** An organization as its table declares it (src/organizations/organization.table.ts), with its services. */
export interface OrganizationNode extends Readonly<OrganizationRecord> {
  /** By position, then id. */
  readonly services: readonly ServiceNode[];
}

/** A referral as its table declares it (src/referrals/referral.table.ts). */
export interface ReferralEdge extends Readonly<ReferralRecord> {
  /** created_at in microseconds since 1970: nested lists are in creation order, and Date keeps only milliseconds. */
  readonly createdMicros: number;
}

export interface PartnershipNode {
  readonly id: string;
  readonly kind: PartnershipKind;
  readonly description: string | null;
  readonly createdAt: Date;
  readonly memberIds: readonly string[];
}

export interface MeetingNode {
  readonly id: string;
  readonly platformId: string;
  readonly date: string;
  readonly title: string;
  readonly format: MeetingFormat | null;
  readonly participantCount: number | null;
  readonly topics: readonly string[];
  readonly notes: string | null;
  readonly organizerIds: readonly string[];
  readonly presenterIds: readonly string[];
}

export interface PlatformNode {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly regionId: string;
  readonly coordinatorId: string | null;
  readonly description: string | null;
  readonly createdAt: Date;
  readonly memberIds: readonly string[];
  /** By date, then id. */
  readonly meetings: readonly MeetingNode[];
}

/** What a load reads: every row, or those a run of writes touched (regions and platforms always whole). */
export interface ModelRows {
  organizations: Omit<OrganizationNode, "services">[];
  services: ServiceNode[];
  referrals: ReferralEdge[];
  partnerships: PartnershipNode[];
  regions: RegionNode[];
  platforms: PlatformNode[];
}

/** The rows a patch reads: regions and platforms only when a write touched one (else the model's stand). */
export type PatchRows = Omit<ModelRows, "regions" | "platforms"> & Partial<Pick<ModelRows, "regions" | "platforms">>;
