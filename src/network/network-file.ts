import { EligibilityInput } from "../common/eligibility";
import { MeetingFormat, OrganizationKind, PartnershipKind, ReferralStatus, ServiceCategory } from "../common/vocabulary";

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

export const SECTIONS = ["regions", "organizations", "referrals", "partnerships", "platforms"] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * The line on which each record of each top-level list starts, found by scanning the text as
 * JSON.parse read it (strings and escapes skipped), so a rejected record can be pointed at.
 */
export function recordLines(text: string): Partial<Record<string, number[]>> {
  const lines: Record<string, number[]> = {};
  let line = 1;
  let depth = 0;
  let key: string | undefined; // the top-level key whose value is being read
  let lastString = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    else if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      lastString = text.slice(i + 1, end);
      i = end;
    } else if (c === ":" && depth === 1) key = lastString;
    else if (c === "{" || c === "[") {
      if (depth === 2 && key !== undefined) (lines[key] ??= []).push(line);
      depth++;
    } else if (c === "}" || c === "]") depth--;
  }
  return lines;
}
