import { EligibilityInput } from "../domain/eligibility";
import type { Assert, Covers } from "../db/table";
import type { ReferralField } from "../referrals/referral.table";
import { MeetingFormat, OrganizationKind, PartnershipKind, ReferralStatus, ServiceCategory } from "../domain/vocabulary";

// Passerelle's own network file (JSON): what `npm run export` writes and `npm run import` reads,
// and the shape of the seed (src/db/seed/correze.json). Records name each other by slug; the JSON
// Schema is schema/network.schema.json.

export const NETWORK_FORMAT = "passerelle-network";
export const NETWORK_FORMAT_VERSION = 1;

export interface NetworkFile {
  format?: typeof NETWORK_FORMAT;
  version?: number;
  regions: { slug: string; name: string; country: string; nutsCode?: string | null }[];
  organizations: {
    slug: string;
    name: string;
    kind: OrganizationKind;
    region: string | null;
    description?: string | null;
    website?: string | null;
    services?: { name: string; category: ServiceCategory; description?: string | null; eligibility?: EligibilityInput | null }[];
  }[];
  referrals: {
    from: string;
    to: string;
    categories: ServiceCategory[];
    eligibility?: EligibilityInput | null;
    status?: ReferralStatus;
    since?: string | null;
    until?: string | null;
    description?: string | null;
    source?: string | null;
    verifiedOn?: string | null;
  }[];
  partnerships: { kind: PartnershipKind; organizations: string[]; description?: string | null }[];
  platforms: {
    slug: string;
    name: string;
    region: string;
    coordinator: string | null;
    description?: string | null;
    members: string[];
    meetings?: {
      date: string;
      title: string;
      format: MeetingFormat | null;
      participantCount?: number | null;
      organizers?: string[];
      presenters?: string[];
      topics?: string[];
      notes?: string | null;
    }[];
  }[];
}

/** A referral's record names every field the table declares (referral.table.ts), eligibility as one: a field added there fails to compile here until it is. */
export type ReferralRecordNamesEveryField = Assert<Covers<ReferralField | "categories" | "since", NetworkFile["referrals"][number], "targetGroups" | "minAge" | "maxAge">>;

export const SECTIONS = ["regions", "organizations", "referrals", "partnerships", "platforms"] as const;
export type Section = (typeof SECTIONS)[number];
