import { FieldFault, InputError } from "../../errors";
import { isCalendarDay } from "../../api/scalars";
import { enumValue, optionalText } from "../../domain/validate";
import { Column } from "../../db/table";
import { fieldsByPlace } from "../json-schema";

// The checks of a file's values a record at a time, for what GraphQL's types check for the
// mutations (a file may hold anything): shapes, fields the schema has, days, slugs the database can hold.

/** A value as a change shows it: text as it is, numbers as digits, lists and objects as JSON, nothing as null. */
export const asText = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);

/** Whether a record gives a field (JSON has no undefined: a CSV blank cell is left undefined, and keeps too). */
export const gives = (record: Record<string, unknown>, field: string) => record[field] !== undefined;

/** A list of a record (a file is not checked by GraphQL's types: anything may be there). */
export function list(value: unknown, field: string): any[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(field, "must be a list");
  return value;
}

/** The fields the network file's schema allows at each place ("" is the file itself). */
export const FIELDS = fieldsByPlace();

/** Refuses the fields the network file's schema does not have at this place (see fieldsByPlace), all of them at once. */
export function onlyFields(value: Record<string, unknown>, place: string, prefix = ""): void {
  const allowed = FIELDS.get(place) ?? [];
  const unknown: FieldFault[] = Object.keys(value)
    .filter((name) => !allowed.includes(name))
    .map((name) => ({ field: `${prefix}${name}`, reason: `is not a field of ${place.replace(/\./g, " ")}; they are ${allowed.join(", ")}` }));
  if (unknown.length > 0) throw InputError.of(unknown);
}

/** An eligibility given in a file: its own fields only (its values are checked by eligibilityColumns). */
export function eligibilityFields(value: unknown, place: string, prefix: string): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) onlyFields(value as Record<string, unknown>, place, prefix);
}

/** A nested record (a service, an eligibility, a meeting): an object, or nothing where allowed. */
export function object(value: unknown, field: string): Record<string, any> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new InputError(field, `must be a JSON object, got ${JSON.stringify(value ?? null)}`);
  return value as Record<string, any>;
}


export function day(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string" || !isCalendarDay(value)) {
    throw new InputError(field, `must be a day written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Slugs a record names that the database can hold (U+0000 cannot be: such a slug names nothing, and the record is rejected as such). */
export const storable = (slugs: Iterable<unknown>): string[] => [...new Set([...slugs].filter((s): s is string => typeof s === "string" && !s.includes("\u0000")))];

/** Equal as JSON: a record of the file and what is stored, compared. */
export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A value a file gives for a declared column (src/db/table.ts), checked as the column says: a word of its vocabulary (null: the initial one), a day, a text within its length. */
export function columnValue(c: Column, value: unknown, field: string): unknown {
  const checked =
    c.values && c.type === "text" ? enumValue(c.values, value ?? c.initial, field)
    : c.type === "date" ? day(value as string | null, field)
    : c.type === "text" ? optionalText(value as string | null, field, c.max)
    : undefined;
  if (checked === undefined) throw new Error(`${field}: a ${c.type} column is not read from a file by columnValue; give it its own reading`);
  if (checked === null && !c.nullable) throw new InputError(field, "must be given");
  return checked;
}
