import { InputError } from "../errors";
import { SLUG_PATTERN } from "./text";

// Checks of input values beyond their GraphQL types; each names the field it refuses.

/** PostgreSQL text cannot hold U+0000. */
function refuseNul(text: string, field: string): string {
  if (text.includes("\u0000")) throw new InputError(field, "must not contain the NUL character (U+0000)");
  return text;
}

/** Files (imports) are not checked by GraphQL's types: a number or a list where text belongs is refused here. */
function textOrNothing(value: unknown, field: string): string | null | undefined {
  if (value === null || value === undefined || typeof value === "string") return value;
  throw new InputError(field, `must be text, got ${JSON.stringify(value)}`);
}

export function requiredText(value: string | null | undefined, field: string, maxLength = 200): string {
  const text = refuseNul((textOrNothing(value, field) ?? "").trim(), field);
  if (text === "") throw new InputError(field, "must not be empty");
  if (text.length > maxLength) throw new InputError(field, `must be at most ${maxLength} characters`);
  return text;
}

export function optionalText(value: string | null | undefined, field: string, maxLength = 5000): string | null {
  const given = textOrNothing(value, field);
  if (given === null || given === undefined) return null;
  const text = refuseNul(given.trim(), field);
  if (text.length > maxLength) throw new InputError(field, `must be at most ${maxLength} characters`);
  return text === "" ? null : text;
}

export function slugValue(value: string, field: string): string {
  if (textOrNothing(value, field) === null || value === undefined) throw new InputError(field, 'must be given: a slug such as "mission-locale"');
  if (value.length > 80 || !SLUG_PATTERN.test(value)) {
    throw new InputError(
      field,
      `"${value}" is not a slug: use lower-case ASCII letters, digits and single dashes (at most 80), e.g. "mission-locale"`,
    );
  }
  return value;
}

export function websiteValue(value: string | null | undefined, field: string): string | null {
  const text = optionalText(value, field, 500);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(field, `"${text}" is not a URL; write it in full, e.g. https://example.org`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(field, "must be an http:// or https:// address");
  }
  return text;
}

export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
export const NUTS_PATTERN = /^[A-Z]{2}[0-9A-Z]{0,3}$/;

export function countryValue(value: string, field: string): string {
  if (textOrNothing(value, field) === null || value === undefined) throw new InputError(field, "must be given: an ISO 3166-1 alpha-2 code such as FR");
  if (!COUNTRY_PATTERN.test(value)) throw new InputError(field, `must be an ISO 3166-1 alpha-2 code such as FR, got "${value}"`);
  return value;
}

export function nutsValue(value: string | null | undefined, field: string): string | null {
  const given = textOrNothing(value, field);
  if (given === null || given === undefined || given === "") return null;
  if (!NUTS_PATTERN.test(given)) throw new InputError(field, `must be a NUTS code such as FRI21, got "${given}"`);
  return given;
}

/** Non-empty list without repeats, sorted, so that equal sets compare equal. */
export function categorySet<T extends string>(values: T[] | null | undefined, field: string): T[] {
  const set = [...new Set(values ?? [])].sort();
  if (set.length === 0) throw new InputError(field, "give at least one category");
  return set;
}

/** One of an enum's values (files are not checked by GraphQL's types). */
export function enumValue<T extends string>(values: Record<string, T>, value: unknown, field: string): T {
  const allowed = Object.values(values);
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw new InputError(field, `must be one of ${allowed.join(", ")}; got ${JSON.stringify(value ?? null)}`);
  }
  return value as T;
}
