import { ForbiddenError, InputError } from "../../errors";
import type { Section } from "../network-file";
import type { NetworkRecord } from "../network-source";
import { ImportReport, MAX_LISTED_REJECTIONS, Rejection } from "./report";

// Where a record stands in its file, and the rejections told as records are read.

/** A record of one section, where it is: rejections name it and its line (a CSV row, its column: NetworkRecord.column). */
export type At = Pick<NetworkRecord, "index" | "file" | "line" | "column"> & { section: Section; slug?: string };

/** What a value is, in a reason: JSON as the file has it (String() of some objects throws). */
export const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value ?? null));

/** Rejections as records are read: a batch's are told in the order of its records, the first MAX_LISTED_REJECTIONS listed. */
export class Reading {
  constructor(private readonly report: ImportReport) {}

  private readonly seen = new Map<string, number>();
  /** Slugs of records this file holds but rejected, with the line each starts on: what names them is told so. */
  private readonly rejectedSlugs = new Map<string, number | null>();
  private pending: (Rejection & { index: number })[] = [];

  /** A slug given twice in the file: the second record is rejected, pointing at the first. */
  once(at: At, slug: unknown): boolean {
    const key = `${at.section}|${shown(slug)}`;
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, at.index);
      return true;
    }
    this.push(at, "slug", `"${shown(slug)}" is already ${at.section}[${first}] of this file: give each once`);
    return false;
  }

  reject(at: At, field: string, reason: string): void {
    if (at.slug !== undefined && !this.rejectedSlugs.has(`${at.section}|${at.slug}`)) this.rejectedSlugs.set(`${at.section}|${at.slug}`, at.line);
    this.push(at, field, reason);
  }

  private push(at: At, field: string, reason: string): void {
    // A CSV row names its own line and the column's header, not the record's JSON path.
    const where = at.column?.(field);
    this.pending.push({ index: at.index, file: at.file, line: where?.line ?? at.line, record: `${at.section}[${at.index}]`, field: where?.field ?? field, reason });
  }

  /** Why a slug names nothing: its record in this file was rejected, or it is nowhere. */
  missing(section: "regions" | "organizations", slug: unknown): string {
    const what = section === "regions" ? "region" : "organization";
    const key = `${section}|${typeof slug === "string" ? slug : ""}`;
    if (typeof slug === "string" && this.rejectedSlugs.has(key)) {
      const line = this.rejectedSlugs.get(key);
      return `${JSON.stringify(slug)} is in this file but its record${line === null ? "" : ` (line ${line})`} was rejected: correct that record`;
    }
    return `no ${what} ${JSON.stringify(slug ?? null)} is stored or in the file`;
  }

  /** A fault of the import as a whole (no record of the file is at fault). */
  refuse(file: string, field: string, reason: string): void {
    this.pending.push({ index: -1, file, line: null, record: "file", field, reason });
  }

  /** Tells the rejections of the records read so far (a batch), in their order. */
  flush(): void {
    for (const { index, ...rejection } of this.pending.sort((a, b) => a.index - b.index)) {
      this.report.rejectedCount++;
      if (this.report.rejected.length < MAX_LISTED_REJECTIONS) this.report.rejected.push(rejection);
    }
    this.pending = [];
  }

  /** Whether the record is a JSON object; if not, it is rejected. */
  readable(at: At, record: NetworkRecord): boolean {
    if (record.refused !== undefined) this.reject(at, record.refused.field, record.refused.reason);
    else if (record.value === null || typeof record.value !== "object" || Array.isArray(record.value)) this.reject(at, "", `must be a JSON object, got ${shown(record.value)}`);
    else return true;
    return false;
  }

  /** Runs a record's checks; an InputError (each of its fields) or a ForbiddenError becomes a rejection of that record. */
  check<T>(at: At, read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (error instanceof InputError) {
        for (const fault of error.fields) this.reject(at, fault.field, fault.reason);
        return undefined;
      }
      if (error instanceof ForbiddenError) {
        this.reject(at, "", error.message);
        return undefined;
      }
      throw error;
    }
  }
}
