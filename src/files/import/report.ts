import type { Actor, Viewer } from "../../auth/viewer";
import type { Section } from "../network-file";

// What an import answers: counts by section, every rejection and every stored value it overwrites.

export interface Rejection {
  /** The file's name as given to the import. */
  file: string;
  /** The line the record starts on, when known. */
  line: number | null;
  /** e.g. organizations[3] */
  record: string;
  field: string;
  reason: string;
}

export type ImportCounts = Record<Section, number>;

/** One stored value the import overwrites (or would, on a dry run): values as text, JSON for lists and objects, null for none. */
export interface ImportChange {
  /** e.g. organizations[3] */
  record: string;
  /** The file it is in and the line the record starts on, when known. */
  file: string;
  line: number | null;
  field: string;
  before: string | null;
  after: string | null;
}

/** Changes listed in a report; beyond, they are only counted (changeCount). */
export const MAX_LISTED_CHANGES = 1_000;

/** Rejections listed in a report; beyond, they are only counted (rejectedCount). */
export const MAX_LISTED_REJECTIONS = 1_000;

export interface ImportReport {
  file: string;
  dryRun: boolean;
  /** True when changes were written: not a dry run, nothing rejected, something to change. */
  applied: boolean;
  created: ImportCounts;
  updated: ImportCounts;
  unchanged: ImportCounts;
  /** Records of the file outside the chosen region, left alone. */
  skipped: ImportCounts;
  /** The first MAX_LISTED_REJECTIONS rejected records. */
  rejected: Rejection[];
  /** How many rejections in all (a record with several wrong fields has one for each). */
  rejectedCount: number;
  /** The first MAX_LISTED_CHANGES stored values overwritten, in file order (a created record is counted in created, not listed). */
  changes: ImportChange[];
  /** How many stored values were (or would be) overwritten in all. */
  changeCount: number;
  /** What the file's format could not say or Passerelle could not keep (HSDS). */
  notes: string[];
}

export interface ImportOptions {
  actor: Actor;
  /** The API key importing (the mutation): each record is checked against what it may write. Absent for the CLI and the seed, which hold the database itself. */
  viewer?: Viewer | null;
  /** Only check and report; write nothing. */
  dryRun?: boolean;
  /** Only this region's records: its organizations and platforms, and the referrals and partnerships that touch them. */
  region?: string;
  /** For the report, when the network is given in memory (a source names its own file). */
  file?: string;
  /** Said in the report as they are: what a conversion (HSDS) could not map. */
  notes?: string[];
  /** Told how far the import has gone, now and then (the CLI shows it on a terminal). */
  progress?: (message: string) => void;
  /** Rejections found before the records were read (CSV: columns, contradicting rows): nothing is written, and the records are still checked. */
  rejected?: Rejection[];
}

export const counts = (): ImportCounts => ({ regions: 0, organizations: 0, referrals: 0, partnerships: 0, platforms: 0 });
