import type { RegionRecord } from "../regions/region.table";
import type { PartnershipRecord } from "../partnerships/partnership.table";
import type { MeetingRecord, PlatformRecord } from "../platforms/platform.table";
import type { ReferralRecord } from "../referrals/referral.table";
import type { OrganizationRecord, ServiceRecord } from "../organizations/organization.table";

// The read model's own records (DESIGN: "the read model has its own types"): plain, frozen,
// shared by every request that holds the version they belong to. GraphQL resolvers take them as
// roots typed by these interfaces, so type-graphql does not copy them into class instances per field.

/** A region as its table declares it (src/regions/region.table.ts). */
export type RegionNode = Readonly<RegionRecord>;

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

/** A partnership as its table declares it (src/partnerships/partnership.table.ts), with its members. */
export interface PartnershipNode extends Readonly<PartnershipRecord> {
  readonly memberIds: readonly string[];
}

/** A meeting as its table declares it (src/platforms/platform.table.ts), with its organizers and presenters. */
export interface MeetingNode extends Readonly<MeetingRecord> {
  readonly organizerIds: readonly string[];
  readonly presenterIds: readonly string[];
}

/** A platform as its table declares it (src/platforms/platform.table.ts), with its members and meetings. */
export interface PlatformNode extends Readonly<PlatformRecord> {
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
