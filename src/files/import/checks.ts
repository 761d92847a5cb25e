import { Faults, FieldFault, InputError } from "../../errors";
import { isCalendarDay } from "../../api/scalars";
import { enumValue, optionalText, requiredText } from "../../domain/validate";
import { Column, Columns, fileName, RowOf, Table } from "../../db/table";
import { shown } from "./reading";
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

/** A value a file gives for a declared column (src/db/table.ts), checked as the column says: its own rule, or a word of its vocabulary (null: the initial one), a day, a text within its length, a whole number within its bounds, a list of texts. */
export function columnValue(c: Column, value: unknown, field: string): unknown {
  const given = value === undefined ? null : value;
  const checked =
    c.check ? c.check(given, field)
    : c.values && c.type === "text" ? (given === null && c.initial === null ? null : enumValue(c.values, given ?? c.initial, field))
    : c.type === "date" ? day(given as string | null, field)
    : c.type === "text" || c.type === "char" ? (c.nullable ? optionalText(given as string | null, field, c.max) : requiredText(given as string | null, field, c.max))
    : c.type === "int" ? wholeNumber(given, field, c.min, c.max)
    : c.type === "text[]" && !c.values ? list(given, field).map((text, n) => requiredText(text, `${field}[${n}]`))
    : undefined;
  if (checked === undefined) throw new Error(`${field}: a ${c.type} column is not read from a file by columnValue; give it its own reading`);
  if (checked === null && !c.nullable) throw new InputError(field, "must be given");
  return checked;
}

function wholeNumber(value: unknown, field: string, min = -(2 ** 31), max = 2 ** 31 - 1): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(field, `must be a whole number from ${min} to ${max}, got ${shown(value)}`);
  }
  return value;
}

/**
 * The fields a record gives for a table's declared columns, each under its file name, checked by
 * columnValue (every fault told in `faults`): all of them for a new record, and for a stored one
 * those the record gives (what it leaves out keeps the stored value). `links` reads the columns a
 * file names by slug (a region, a coordinator).
 */
export function declaredFields<C extends Columns, K extends keyof C & string>(
  t: Table<C>,
  keys: readonly K[],
  input: Record<string, unknown>,
  isNew: boolean,
  faults: Faults,
  links: Partial<Record<K, (value: unknown, field: string) => unknown>> = {},
  prefix = "",
): Partial<Pick<RowOf<C>, K>> {
  const given: Record<string, unknown> = {};
  for (const key of keys) {
    const c = t.columns[key];
    const name = fileName(c, key);
    if (!isNew && !gives(input, name)) continue;
    const read = links[key];
    given[key] = faults.check(() => (read ? read(input[name], `${prefix}${name}`) : columnValue(c, input[name], `${prefix}${name}`)));
  }
  return given as Partial<Pick<RowOf<C>, K>>;
}
