import fs from "node:fs";
import { Readable } from "node:stream";
import { parse as parseStream } from "csv-parse";
import { parse } from "csv-parse/sync";
import { asUtf8, DEFAULT_ENCODING, Encoding, EncodingError, headOf, textOf } from "./encoding";
import type { Rejection } from "./import";
import { NetworkFile } from "./network-file";
import { REFERRAL_FILE_KEYS, REFERRAL_IDENTITY, referralTable } from "../referrals/referral.table";
import { ORGANIZATION_FIELD_KEYS, ORGANIZATION_FILE_KEYS, organizationTable, SERVICE_FILE_KEYS, serviceTable } from "../organizations/organization.table";
import { Column, Columns, fileName, filePath, Table } from "../db/table";
import { memorySource, NetworkRecord, NetworkSource } from "./network-source";

// The spreadsheets coordinators keep, as CSV: one file of organizations with their services (one
// row per service; an organization's own columns may be left blank on its later rows), one file
// of referrals. Comma or semicolon separated (as French spreadsheets save), UTF-8 with or without
// a byte-order mark, or a single-byte code page given as --encoding (see encoding.ts). A blank cell
// is left out of the record, so that it keeps what is stored. Lists in a cell (target groups, categories) are separated by "|", ";" or ",".
// They become a network source, imported like any other; rejections point at the line where a row
// starts. Organizations are read whole (their rows are grouped by slug); referrals, one per row,
// are read a chunk at a time, so a file of any length is not held in memory.

/** A declared column's header in a spreadsheet: its name in a file where it has one (from, to, region), else the table's. */
const csvName = (c: Column) => c.file ?? c.sql;
/** A service's columns follow its organization's on the same row, each prefixed. */
const SERVICE_PREFIX = "service_";
const ORGANIZATION_COLUMNS = [
  ...ORGANIZATION_FILE_KEYS.map((key) => csvName(organizationTable.columns[key])),
  ...SERVICE_FILE_KEYS.map((key) => SERVICE_PREFIX + csvName(serviceTable.columns[key])),
];
const SERVICE_NEEDS = SERVICE_FILE_KEYS.filter((key) => !serviceTable.columns[key].nullable && serviceTable.columns[key].initial === undefined).map((key) => SERVICE_PREFIX + csvName(serviceTable.columns[key]));
const REFERRAL_COLUMNS = REFERRAL_FILE_KEYS.map((key) => csvName(referralTable.columns[key]));
const REQUIRED: Record<"organizations" | "referrals", readonly string[]> = {
  organizations: ORGANIZATION_FILE_KEYS.filter((key) => !organizationTable.columns[key].nullable).map((key) => csvName(organizationTable.columns[key])),
  referrals: REFERRAL_FILE_KEYS.filter((key) => !referralTable.columns[key].nullable && !referralTable.columns[key].group && referralTable.columns[key].initial === undefined).map((key) => csvName(referralTable.columns[key])),
};

/** The column that holds each field of a record, by the field's JSON path (list indexes left out); an eligibility as a whole is its first age. */
const columnsByPath = <C extends Columns>(t: Table<C>, keys: readonly (keyof C & string)[], prefix = ""): Record<string, string> => ({
  eligibility: `${prefix}min_age`,
  ...Object.fromEntries(keys.map((key) => [filePath(t.columns[key], key), prefix + csvName(t.columns[key])])),
});
const SERVICE_COLUMNS: Record<string, string> = { "": `${SERVICE_PREFIX}name`, ...columnsByPath(serviceTable, SERVICE_FILE_KEYS, SERVICE_PREFIX) };
const REFERRAL_FIELD_COLUMNS = columnsByPath(referralTable, REFERRAL_FILE_KEYS);
const withoutIndex = (field: string) => field.replace(/\[\d+\]$/, "");

/** Where a fault of an organization's record is: its service's row and column, or its own first row and column. */
function organizationColumn(first: number, serviceLines: number[]) {
  return (field: string): { line: number; field: string } | undefined => {
    const service = /^services\[(\d+)\]\.?(.*)$/.exec(field);
    if (service) return { line: serviceLines[Number(service[1])] ?? first, field: SERVICE_COLUMNS[withoutIndex(service[2])] ?? "service_name" };
    if (field === "services") return { line: first, field: "service_name" };
    return ORGANIZATION_COLUMNS.includes(field) ? { line: first, field } : undefined;
  };
}

/** Where a fault of a referral's row is: its column. */
function referralColumn(line: number) {
  return (field: string): { line: number; field: string } | undefined => {
    const name = REFERRAL_FIELD_COLUMNS[withoutIndex(field)] ?? withoutIndex(field);
    return (REFERRAL_COLUMNS as readonly string[]).includes(name) ? { line, field: name } : undefined;
  };
}

/** A CSV file: its name (for the report) and its text, or the path to read it from. */
export type CsvFile = { file: string; text: string } | { file: string; path: string };

export interface CsvNetwork {
  source: NetworkSource;
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

/** The first line of a file that is not blank (its header), without reading the whole of it. */
function firstLine(source: CsvFile, encoding: Encoding = DEFAULT_ENCODING): string {
  const start = (text: string) => text.replace(/^\uFEFF/, "").split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
  if ("text" in source) return start(source.text.slice(0, 64 * 1024));
  const fd = fs.openSync(source.path, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    // Not checked here (the file's first 64 KiB may end inside a character): the whole read checks it.
    return start(headOf(buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)), encoding));
  } finally {
    fs.closeSync(fd);
  }
}

/** Which kind of CSV a file is, read from its first line. */
export function csvFileKind(source: CsvFile, encoding: Encoding = DEFAULT_ENCODING): "organizations" | "referrals" | undefined {
  return csvKind(firstLine(source, encoding));
}

const delimiterOf = (header: string) => ((header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ";" : ",");
const PARSE = { info: true, raw: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true } as const;

/** The line a parsed record starts on: csv-parse counts lines to its end (a quoted cell may hold line breaks). */
const startLine = (info: { lines: number }, raw: string) => info.lines - (raw.match(/\n/g)?.length ?? 0) + (raw.endsWith("\n") ? 1 : 0);

/** The header's names; a name that is no column, or a missing needed one, is a rejection. */
function header(names: string[], source: CsvFile, kind: "organizations" | "referrals", rejected: Rejection[]): string[] {
  const known: readonly string[] = kind === "organizations" ? ORGANIZATION_COLUMNS : REFERRAL_COLUMNS;
  const columns = names.map((name) => name.trim().toLowerCase());
  const refuse = (field: string, reason: string) => rejected.push({ file: source.file, line: 1, record: kind, field, reason });
  for (const name of columns) if (!known.includes(name)) refuse(name, `is not a column of a ${kind} file; the columns are ${known.join(", ")}`);
  for (const name of REQUIRED[kind]) if (!columns.includes(name)) refuse(name, `the column is missing (needed: ${REQUIRED[kind].join(", ")})`);
  return columns;
}

const tooMany = (cells: number, columns: number) => `has ${cells} cells, the header names ${columns} columns`;

function rows(source: CsvFile & { text: string }, kind: "organizations" | "referrals", rejected: Rejection[]): Row[] {
  const refuse = (line: number | null, field: string, reason: string) => rejected.push({ file: source.file, line, record: kind, field, reason });
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(source.text, { ...PARSE, delimiter: delimiterOf(firstLine(source)) });
  } catch (error) {
    const e = error as Error & { lines?: number };
    refuse(e.lines ?? null, "", `is not readable CSV: ${e.message}`);
    return [];
  }
  if (records.length === 0) {
    refuse(1, "", "is empty: the first line names the columns");
    return [];
  }
  const columns = header(records[0].record, source, kind, rejected);
  return records.slice(1).map(({ record, raw, info }) => {
    const line = startLine(info, raw);
    if (record.length > columns.length) refuse(line, "", tooMany(record.length, columns.length));
    return { line, cells: Object.fromEntries(columns.map((name, i) => [name, record[i] ?? ""])) };
  });
}

const cell = (row: Row, name: string): string | null => (row.cells[name] ?? "") || null;
const list = (value: string | null): string[] => (value ?? "").split(/[|;,]/).map((v) => v.trim()).filter(Boolean);
/** A number when it reads as one; else the text, for the import to refuse with its reason. */
const numberOr = (value: string | null): number | null => (value === null ? null : /^-?\d+$/.test(value) ? Number(value) : (value as unknown as number));

/** The network two spreadsheets hold: organizations read whole, referrals a chunk at a time when the import reads them. */
export function csvSource(files: { organizations?: CsvFile; referrals?: CsvFile }, encoding: Encoding = DEFAULT_ENCODING): CsvNetwork {
  const rejected: Rejection[] = [];
  const network: NetworkFile = { regions: [], organizations: [], referrals: [], partnerships: [], platforms: [] };
  const where: { file: string; line: number; serviceLines: number[] }[] = [];

  if (files.organizations) {
    const given = files.organizations;
    // Not UTF-8 (and no --encoding): EncodingError, naming the line, before anything is read.
    const source = "text" in given ? given : { file: given.file, text: textOf(fs.readFileSync(given.path), encoding, given.file) };
    const bySlug = new Map<string, { index: number; row: Row }>();
    for (const row of rows(source, "organizations", rejected)) {
      const slug = cell(row, "slug") ?? "";
      let known = bySlug.get(slug);
      if (!known) {
        known = { index: network.organizations.length, row };
        bySlug.set(slug, known);
        // Blank cells are left out (they keep what is stored); services only when a row names one (then the whole list).
        network.organizations.push(recordOf(organizationTable, ORGANIZATION_FILE_KEYS, row, "", ["slug"]) as NetworkFile["organizations"][number]);
        where.push({ file: source.file, line: row.line, serviceLines: [] });
      } else {
        // A later row of the same organization: its own columns are blank, or say the same.
        for (const name of ORGANIZATION_FIELD_KEYS.map((key) => csvName(organizationTable.columns[key]))) {
          const value = cell(row, name);
          if (value !== null && value !== cell(known.row, name)) {
            rejected.push({ file: source.file, line: row.line, record: `organizations[${known.index}]`, field: name, reason: `says "${value}" where line ${known.row.line} says "${cell(known.row, name) ?? ""}": leave it blank or write the same` });
          }
        }
      }
      // A row names a service when it gives what a new one needs (its name, its category).
      if (SERVICE_NEEDS.some((name) => cell(row, name) !== null)) {
        // Blank cells are left out here too: a service stored under the same name keeps their
        // values (the import fills them in); a new one has none (no description, everyone, no bound).
        where[known.index].serviceLines.push(row.line);
        const service = recordOf(serviceTable, SERVICE_FILE_KEYS, row, SERVICE_PREFIX);
        (network.organizations[known.index].services ??= []).push({ ...service, name: service.name ?? "", eligibility: service.eligibility ?? {} } as never);
      }
    }
  }

  const memory = memorySource(network, files.organizations?.file ?? files.referrals?.file ?? "csv", (section, index) => {
    if (section !== "organizations") return undefined;
    const { file, line, serviceLines } = where[index];
    return { file, line, column: organizationColumn(line, serviceLines) };
  });
  const referrals = files.referrals;
  let columns: string[] = [];
  let delimiter = ",";
  if (referrals) {
    const head = firstLine(referrals, encoding);
    delimiter = delimiterOf(head);
    if (head.trim() === "") rejected.push({ file: referrals.file, line: 1, record: "referrals", field: "", reason: "is empty: the first line names the columns" });
    else columns = header(parse(head, { delimiter, relax_column_count: true })[0] ?? [], referrals, "referrals", rejected);
  }
  return {
    rejected,
    source: {
      ...memory,
      counts: { ...memory.counts, referrals: undefined },
      records: (section) => (section !== "referrals" ? memory.records(section) : referrals && columns.length ? referralRecords(referrals, columns, delimiter, encoding) : memory.records(section)),
    },
  };
}

/** The referrals of a CSV file, one per row, as csv-parse reads them a chunk at a time. */
async function* referralRecords(source: CsvFile, columns: string[], delimiter: string, encoding: Encoding): AsyncGenerator<NetworkRecord> {
  const input = "text" in source ? Readable.from([source.text]) : Readable.from(asUtf8(fs.createReadStream(source.path), encoding, source.file));
  // A row csv-parse cannot read (a quote not closed) is refused on its own, and the reading goes on.
  const parser = input.pipe(parseStream({ ...PARSE, delimiter, skip_records_with_error: true }));
  // pipe() does not pass on the reading's errors (not UTF-8): the parser is stopped with them.
  input.on("error", (error) => parser.destroy(error));
  const unreadable: { line: number | null; message: string }[] = [];
  parser.on("skip", (error: Error & { lines?: number }) => unreadable.push({ line: error.lines ?? null, message: error.message }));
  let index = 0;
  const refusal = ({ line, message }: { line: number | null; message: string }): NetworkRecord => ({
    index: index++, file: source.file, line, value: undefined, refused: { field: "", reason: `is not readable CSV: ${message}` },
  });
  let header = true;
  try {
    for await (const { record, raw, info } of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      const line = startLine(info, raw);
      while (unreadable.length > 0 && (unreadable[0].line ?? Infinity) < line) yield refusal(unreadable.shift()!);
      if (header) {
        header = false; // its names were read before (columns)
        continue;
      }
      const row: Row = { line, cells: Object.fromEntries(columns.map((name, i) => [name, record[i] ?? ""])) };
      const refused = record.length > columns.length ? { field: "", reason: tooMany(record.length, columns.length) } : undefined;
      yield { index: index++, file: source.file, line, refused, value: referralOf(row), column: referralColumn(line) };
    }
    while (unreadable.length > 0) yield refusal(unreadable.shift()!);
  } catch (error) {
    if (error instanceof EncodingError) {
      yield { index: index++, file: source.file, line: error.line, value: undefined, refused: { field: "", reason: error.reason } };
      return;
    }
    const e = error as Error & { lines?: number };
    yield refusal({ line: e.lines ?? null, message: e.message });
  } finally {
    // Also when the import stops reading early: no file left open.
    input.destroy();
    parser.destroy();
  }
}

/**
 * A row as a record of a declared table: each column's cell under its file name (grouped ones
 * nested: eligibility), lists split, numbers read, a blank cell left out (it keeps what is stored),
 * except in what identifies the record, where blank is empty (a blank since is "always").
 */
function recordOf<C extends Columns>(t: Table<C>, keys: readonly (keyof C & string)[], row: Row, prefix = "", identity: readonly string[] = []): Record<string, any> {
  const record: Record<string, any> = {};
  for (const key of keys) {
    const c: Column = t.columns[key];
    const text = cell(row, prefix + csvName(c));
    const value = text === null ? (identity.includes(key) ? (c.type === "text[]" ? [] : c.nullable ? null : "") : undefined)
      : c.type === "text[]" ? list(text) : c.type === "int" ? numberOr(text) : text;
    if (value === undefined) continue;
    if (c.group) (record[c.group] ??= {})[fileName(c, key)] = value;
    else record[fileName(c, key)] = value;
  }
  return record;
}

/** A referral's row: its identity (ends, categories, since) always; the other cells when not blank. */
const referralOf = (row: Row) => recordOf(referralTable, REFERRAL_FILE_KEYS, row, "", REFERRAL_IDENTITY) as NetworkFile["referrals"][number];
