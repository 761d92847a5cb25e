import { parse } from "csv-parse/sync";
import type { Rejection } from "./import";
import { NetworkFile, Section } from "./network-file";

// The spreadsheets coordinators keep, as CSV: one file of organizations with their services (one
// row per service; an organization's own columns may be left blank on its later rows), one file
// of referrals. Comma or semicolon separated (as French spreadsheets save), UTF-8 with or without
// a byte-order mark. Lists in a cell (target groups, categories) are separated by "|", ";" or ",".
// They become a network file, imported like any other; rejections point at the CSV lines.

export const ORGANIZATION_COLUMNS = [
  "slug", "name", "kind", "region", "description", "website",
  "service_name", "service_category", "service_description", "service_target_groups", "service_min_age", "service_max_age",
] as const;
export const REFERRAL_COLUMNS = ["from", "to", "categories", "target_groups", "min_age", "max_age", "status", "since", "until", "description", "source"] as const;
const REQUIRED: Record<"organizations" | "referrals", readonly string[]> = { organizations: ["slug", "name", "kind"], referrals: ["from", "to", "categories"] };

export interface CsvFile {
  /** Its name, for the report. */
  file: string;
  text: string;
}

export interface CsvNetwork {
  network: NetworkFile;
  /** Where each record of the network came from. */
  locate(section: Section, index: number): { file: string; line: number | null } | undefined;
  /** What is wrong with the files as such: columns, rows that contradict each other. */
  rejected: Rejection[];
}

/** Which kind of CSV this is, from its header: organizations name a slug, referrals a from and a to. */
export function csvKind(text: string): "organizations" | "referrals" | undefined {
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0].toLowerCase();
  const cells = header.split(/[;,]/).map((c) => c.trim().replace(/^"|"$/g, ""));
  if (cells.includes("from") && cells.includes("to")) return "referrals";
  if (cells.includes("slug")) return "organizations";
  return undefined;
}

interface Row {
  line: number;
  cells: Record<string, string>;
}

function rows(source: CsvFile, kind: "organizations" | "referrals", rejected: Rejection[]): Row[] {
  const text = source.text.replace(/^\uFEFF/, "");
  const first = text.split(/\r?\n/, 1)[0];
  const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ";" : ",";
  const refuse = (line: number | null, field: string, reason: string) => rejected.push({ file: source.file, line, record: kind, field, reason });
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    const e = error as Error & { lines?: number };
    refuse(e.lines ?? null, "", `is not readable CSV: ${e.message}`);
    return [];
  }
  if (records.length === 0) {
    refuse(1, "", "is empty: the first line names the columns");
    return [];
  }
  const known: readonly string[] = kind === "organizations" ? ORGANIZATION_COLUMNS : REFERRAL_COLUMNS;
  const header = records[0].record.map((name) => name.toLowerCase());
  for (const name of header) if (!known.includes(name)) refuse(1, name, `is not a column of a ${kind} file; the columns are ${known.join(", ")}`);
  for (const name of REQUIRED[kind]) if (!header.includes(name)) refuse(1, name, `the column is missing (needed: ${REQUIRED[kind].join(", ")})`);
  return records.slice(1).map(({ record, info }) => {
    if (record.length > header.length) refuse(info.lines, "", `has ${record.length} cells, the header names ${header.length} columns`);
    return { line: info.lines, cells: Object.fromEntries(header.map((name, i) => [name, record[i] ?? ""])) };
  });
}

const cell = (row: Row, name: string): string | null => (row.cells[name] ?? "") || null;
const list = (value: string | null): string[] => (value ?? "").split(/[|;,]/).map((v) => v.trim()).filter(Boolean);
/** A number when it reads as one; else the text, for the import to refuse with its reason. */
const numberOr = (value: string | null): number | null => (value === null ? null : /^-?\d+$/.test(value) ? Number(value) : (value as unknown as number));

export function networkFromCsv(files: { organizations?: CsvFile; referrals?: CsvFile }): CsvNetwork {
  const rejected: Rejection[] = [];
  const network: NetworkFile = { regions: [], organizations: [], referrals: [], partnerships: [], platforms: [] };
  const where: Record<"organizations" | "referrals", { file: string; line: number }[]> = { organizations: [], referrals: [] };

  if (files.organizations) {
    const source = files.organizations;
    const bySlug = new Map<string, { index: number; row: Row }>();
    for (const row of rows(source, "organizations", rejected)) {
      const slug = cell(row, "slug") ?? "";
      let known = bySlug.get(slug);
      if (!known) {
        known = { index: network.organizations.length, row };
        bySlug.set(slug, known);
        network.organizations.push({
          slug,
          name: cell(row, "name") ?? "",
          kind: cell(row, "kind") as never,
          region: cell(row, "region"),
          description: cell(row, "description"),
          website: cell(row, "website"),
          services: [],
        });
        where.organizations.push({ file: source.file, line: row.line });
      } else {
        // A later row of the same organization: its own columns are blank, or say the same.
        for (const name of ["name", "kind", "region", "description", "website"]) {
          const value = cell(row, name);
          if (value !== null && value !== cell(known.row, name)) {
            rejected.push({ file: source.file, line: row.line, record: `organizations[${known.index}]`, field: name, reason: `says "${value}" where line ${known.row.line} says "${cell(known.row, name) ?? ""}": leave it blank or write the same` });
          }
        }
      }
      const service = cell(row, "service_name");
      const category = cell(row, "service_category");
      if (service !== null || category !== null) {
        const targetGroups = list(cell(row, "service_target_groups"));
        const minAge = numberOr(cell(row, "service_min_age"));
        const maxAge = numberOr(cell(row, "service_max_age"));
        network.organizations[known.index].services!.push({
          name: service ?? "",
          category: category as never,
          description: cell(row, "service_description"),
          eligibility: { targetGroups: targetGroups as never[], minAge, maxAge },
        });
      }
    }
  }

  if (files.referrals) {
    const source = files.referrals;
    for (const row of rows(source, "referrals", rejected)) {
      network.referrals.push({
        from: cell(row, "from") ?? "",
        to: cell(row, "to") ?? "",
        categories: list(cell(row, "categories")) as never[],
        eligibility: { targetGroups: list(cell(row, "target_groups")) as never[], minAge: numberOr(cell(row, "min_age")), maxAge: numberOr(cell(row, "max_age")) },
        status: (cell(row, "status") ?? undefined) as never,
        since: cell(row, "since"),
        until: cell(row, "until"),
        description: cell(row, "description"),
        source: cell(row, "source"),
      });
      where.referrals.push({ file: source.file, line: row.line });
    }
  }

  return {
    network,
    rejected,
    locate: (section, index) => (section === "organizations" || section === "referrals" ? where[section][index] : undefined),
  };
}
