// A stored record's columns, declared once (README, "Adding a field"): the read
// model's loader, the import's bulk statements and its reading of stored rows, the network export,
// the CSV columns and the JSON Schema derive their column lists from a table's declaration, so
// that a column added there reaches all of them, and the places that cannot derive (the GraphQL
// type and inputs, the TypeORM entity) fail to compile until they say what they do with it.

export type SqlType = "uuid" | "text" | "char" | "text[]" | "int" | "date" | "timestamptz";

export interface Column<V = unknown> {
  /** Its name in the database. */
  readonly sql: string;
  readonly type: SqlType;
  readonly nullable: boolean;
  /** Written by the database alone (version, timestamps): left out of files and of the import's statements. */
  readonly generated: boolean;
  /** Many rows hold the same values (ends, statuses, lists of words): the read model keeps one copy of each. */
  readonly shared: boolean;
  /** The words it may hold, when it holds words of the vocabulary. */
  readonly values?: Readonly<Record<string, string>>;
  /** Most characters of a text; for a number, its largest value. */
  readonly max?: number;
  /** A number's smallest value. */
  readonly min?: number;
  /** The form a text must have (the JSON Schema's pattern; `check` refuses what does not match). */
  readonly pattern?: RegExp;
  /**
   * The rule a value given for it must pass (src/domain/validate.ts), naming `field` when it does
   * not: the import reads a file's value with it (src/files/import/checks.ts, columnValue) as the
   * writes read the mutation's. Without one, the column's kind decides (a text within `max`, a
   * word of `values`, a day, a number within `min`..`max`).
   */
  readonly check?: (value: any, field: string) => V | null;
  /** Its name in a network file and a CSV header, where not the property's (files) or the column's (CSV). */
  readonly file?: string;
  /** The object a network file nests it in (eligibility), if any; a CSV has it as a column of its own. */
  readonly group?: string;
  /** The value of a new record that leaves it out (null when nullable and not said). */
  readonly initial?: V;
  /** What it means: the JSON Schema's description. */
  readonly description?: string;
  /** Never set: carries the value's TypeScript type. */
  readonly __value?: V;
}

type Options<V> = Partial<Pick<Column<V>, "generated" | "shared" | "max" | "min" | "pattern" | "check" | "file" | "group" | "initial" | "description">>;

const make = <V>(type: SqlType, sql: string, options: Options<V> & { values?: Record<string, string> } = {}): Column<V> =>
  Object.freeze({ sql, type, nullable: false, generated: false, shared: false, ...options });

/** The kinds of column, by the TypeScript value a row holds. */
export const column = {
  uuid: (sql: string, options?: Options<string>) => make<string>("uuid", sql, options),
  text: (sql: string, options?: Options<string>) => make<string>("text", sql, options),
  /** A text of a fixed length (a country code). */
  char: (sql: string, options?: Options<string>) => make<string>("char", sql, options),
  /** A list of free texts (a meeting's topics). */
  texts: (sql: string, options?: Options<readonly string[]>) => make<readonly string[]>("text[]", sql, options),
  word: <T extends string>(values: Record<string, T>, sql: string, options?: Options<T>) => make<T>("text", sql, { ...options, values }),
  words: <T extends string>(values: Record<string, T>, sql: string, options?: Options<readonly T[]>) => make<readonly T[]>("text[]", sql, { ...options, values }),
  int: (sql: string, options?: Options<number>) => make<number>("int", sql, options),
  /** A calendar day, held as its YYYY-MM-DD text. */
  day: (sql: string, options?: Options<string>) => make<string>("date", sql, options),
  timestamp: (sql: string, options?: Options<Date>) => make<Date>("timestamptz", sql, options),
};

/** The column, allowed to hold null (and null for a new record, unless it says otherwise). */
export const nullable = <V>(c: Column<V>): Column<V | null> =>
  Object.freeze({ initial: null, ...c, nullable: true }) as Column<V | null>;

export type Columns = Record<string, Column<any>>;
export type RowOf<C extends Columns> = { -readonly [K in keyof C]: C[K] extends Column<infer V> ? V : never };

export interface Table<C extends Columns> {
  readonly name: string;
  readonly columns: C;
  /** The properties, in the declaration's order (the order of files and CSV headers). */
  readonly keys: readonly (keyof C & string)[];
}

export function table<C extends Columns>(name: string, columns: C): Table<C> {
  return Object.freeze({ name, columns, keys: Object.keys(columns) as (keyof C & string)[] });
}

/** Text of a PostgreSQL text[] literal, each element quoted (free texts may hold commas, quotes, braces). */
export const textArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;

/** `alias.column AS "property"` for each key: rows come back under the properties' names, days as their text. */
export function selectList<C extends Columns>(t: Table<C>, keys: readonly (keyof C & string)[], alias: string): string {
  return keys.map((key) => `${alias}.${t.columns[key].sql}${t.columns[key].type === "date" ? "::text" : ""} AS "${key}"`).join(", ");
}

/** A value of the column as an expression over u (the bulk statements' rows): lists come as literals. */
const fromRows = (c: Column) => (c.type === "text[]" ? `u.${c.sql}::text[]` : `u.${c.sql}`);

/**
 * The rows of the keys' columns as a table u, one array parameter per column, and how a row gives
 * each parameter's value: a statement writes thousands of rows with as many parameters as columns.
 */
export function bulkRows<C extends Columns, K extends keyof C & string>(t: Table<C>, keys: readonly K[]) {
  const columns = keys.map((key) => t.columns[key]);
  const source = `unnest(${columns.map((c, i) => `$${i + 1}::${c.type === "text[]" ? "text" : c.type}[]`).join(", ")}) AS u(${columns.map((c) => c.sql).join(", ")})`;
  const values = keys.map((key) =>
    t.columns[key].type === "text[]" ? (row: Pick<RowOf<C>, K>) => (row[key] === null ? null : textArray(row[key] as string[])) : (row: Pick<RowOf<C>, K>) => row[key]);
  return { source, values };
}

/** INSERT of rows of the keys' columns, as bulkRows gives them. */
export function bulkInsert<C extends Columns, K extends keyof C & string>(t: Table<C>, keys: readonly K[]) {
  const { source, values } = bulkRows(t, keys);
  const columns = keys.map((key) => t.columns[key]);
  return { sql: `INSERT INTO ${t.name} (${columns.map((c) => c.sql).join(", ")}) SELECT ${columns.map(fromRows).join(", ")} FROM ${source}`, values };
}

/** UPDATE by id of the `set` columns (and what `also` sets, over the stored row r), as bulkRows gives them. */
export function bulkUpdate<C extends Columns, K extends keyof C & string>(t: Table<C>, set: readonly K[], also = "") {
  const keys = ["id", ...set] as (K | "id")[];
  const { source, values } = bulkRows(t, keys);
  const assignments = set.map((key) => `${t.columns[key].sql} = ${fromRows(t.columns[key])}`).join(", ");
  return { sql: `UPDATE ${t.name} r SET ${assignments}${also ? `, ${also}` : ""} FROM ${source} WHERE r.id = u.id`, values };
}

/** INSERT of one row of the keys' columns: the statement and its parameters (lists as arrays). */
export function insertOne<C extends Columns, K extends keyof C & string>(t: Table<C>, keys: readonly K[], row: Pick<RowOf<C>, K>): [string, unknown[]] {
  const sql = `INSERT INTO ${t.name} (${keys.map((key) => t.columns[key].sql).join(", ")}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(", ")})`;
  return [sql, keys.map((key) => row[key])];
}

/** UPDATE by id of the keys' columns of one row (and what `also` sets): the statement and its parameters. */
export function updateOne<C extends Columns, K extends keyof C & string>(t: Table<C>, keys: readonly K[], id: string, row: Pick<RowOf<C>, K>, also = ""): [string, unknown[]] {
  const assignments = keys.map((key, i) => `${t.columns[key].sql} = $${i + 2}`).join(", ");
  return [`UPDATE ${t.name} SET ${assignments}${also ? `, ${also}` : ""} WHERE id = $1`, [id, ...keys.map((key) => row[key])]];
}

/** A column's name in a network file, and its path there (eligibility.minAge for a grouped one): how faults and changes name it. */
export const fileName = (c: Column, key: string): string => c.file ?? key;
export const filePath = (c: Column, key: string): string => (c.group ? `${c.group}.${fileName(c, key)}` : fileName(c, key));

/**
 * The keys' columns of row `alias` as a network file's record, built in SQL (json_build_object):
 * under their file names, grouped ones nested, days as text, in the keys' order, then `after`'s
 * entries (name: SQL). For records a file nests in another (an organization's services, a
 * platform's meetings).
 */
export function jsonRecordSql<C extends Columns>(t: Table<C>, keys: readonly (keyof C & string)[], alias: string, after: Record<string, string> = {}): string {
  const parts: (string | { group: string; members: string[] })[] = [];
  for (const key of keys) {
    const c = t.columns[key];
    const entry = `'${fileName(c, key)}', ${alias}.${c.sql}${c.type === "date" ? "::text" : ""}`;
    if (!c.group) {
      parts.push(entry);
      continue;
    }
    let group = parts.find((p): p is { group: string; members: string[] } => typeof p === "object" && p.group === c.group);
    if (!group) parts.push((group = { group: c.group, members: [] }));
    group.members.push(entry);
  }
  for (const [name, sql] of Object.entries(after)) parts.push(`'${name}', ${sql}`);
  return `json_build_object(${parts.map((p) => (typeof p === "string" ? p : `'${p.group}', json_build_object(${p.members.join(", ")})`)).join(", ")})`;
}

/** The keys' columns of row `alias` as a JSON object under the properties' names (days as text), built in SQL. */
export function jsonRowSql<C extends Columns>(t: Table<C>, keys: readonly (keyof C & string)[], alias: string): string {
  return `json_build_object(${keys.map((key) => `'${key}', ${alias}.${t.columns[key].sql}${t.columns[key].type === "date" ? "::text" : ""}`).join(", ")})`;
}

/** A row as a network file's record: each key under its file name, grouped ones nested (eligibility), in the keys' order. */
export function fileRecord<C extends Columns>(t: Table<C>, keys: readonly (keyof C & string)[], row: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, any> = {};
  for (const key of keys) {
    const c = t.columns[key];
    if (c.group) (record[c.group] ??= {})[fileName(c, key)] = row[key];
    else record[fileName(c, key)] = row[key];
  }
  return record;
}

/** True when `Has` has a property for every key of `Declared` but `Except`; else names the missing keys (use with Assert). */
export type Covers<Declared extends string, Has, Except extends string = never> =
  [Exclude<Declared, keyof Has | Except>] extends [never] ? true : { missing: Exclude<Declared, keyof Has | Except> };
/** Fails to compile unless T is true: `Assert<Covers<...>>` names the keys a class leaves out. */
export type Assert<T extends true> = T;
