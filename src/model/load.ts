import { DataSource, EntityManager } from "typeorm";
import { graphVersion, MAX_TOUCHED } from "../db/write";
import { embeddedWriteCount } from "../db/pglite-driver";
import type { MeetingNode, ModelRows, PatchRows, OrganizationNode, PartnershipNode, PlatformNode, ReferralEdge, RegionNode, ServiceNode } from "./nodes";
import type { Touched } from "./model";
import type { Columns as TableColumns, RowOf, Table } from "../db/table";
import { referralTable } from "../referrals/referral.table";
import { organizationTable, serviceTable } from "../organizations/organization.table";
import { regionTable } from "../regions/region.table";
import { partnershipMemberTable, partnershipTable } from "../partnerships/partnership.table";
import { meetingParticipantTable, meetingTable, platformMemberTable, platformTable } from "../platforms/platform.table";

type Columns = Record<string, unknown[]>;

/** Table blocks (8 kB) per statement when reading a table's columns: bounds the database's and the parser's peak memory. */
const BLOCKS_PER_READ = 100;

/**
 * Reads a table as objects, `make(page, i)` building one from row i of a page of columns: one
 * JSON array per column, parsed natively, a range of the table's blocks per statement (a TID range
 * scan: no sort, no index). At 100,000 referrals this is 2-3x faster than row-by-row results or
 * id-ordered pages on PGlite, and small pages keep the parse's garbage, hence the resident memory,
 * low (bench/). All the aggregates of one SELECT walk the same rows in the same order, so index i
 * of every column is one row. Every row visible to the transaction's snapshot lies below the
 * table size read inside it.
 */
async function readRows<T>(
  tx: EntityManager,
  table: string,
  columns: Record<string, string>,
  make: (page: Columns, i: number) => T,
  only?: { column: string; ids: readonly string[] },
): Promise<T[]> {
  const names = Object.keys(columns);
  const select = names.map((name) => `coalesce(json_agg(${columns[name]}), '[]')::text AS "${name}"`).join(", ");
  const rows: T[] = [];
  const read = async (where: string, params: unknown[] = []) => {
    const [row]: Record<string, string>[] = await tx.query(`SELECT ${select} FROM ${table} WHERE ${where}`, params);
    const page: Columns = Object.fromEntries(names.map((name) => [name, JSON.parse(row[name]) as unknown[]]));
    const count = page[names[0]].length;
    for (let i = 0; i < count; i++) rows.push(make(page, i));
  };
  if (only) {
    // A few changed rows, by their index.
    if (only.ids.length) await read(`${only.column} = ANY($1::uuid[])`, [only.ids]);
    return rows;
  }
  const [{ blocks }]: { blocks: number }[] = await tx.query(
    `SELECT (pg_relation_size('${table}') / current_setting('block_size')::int)::int AS blocks`,
  );
  for (let block = 0; block === 0 || block < blocks; block += BLOCKS_PER_READ) {
    const last = block + BLOCKS_PER_READ >= blocks;
    await read(`ctid >= '(${block},0)'::tid` + (last ? "" : ` AND ctid < '(${block + BLOCKS_PER_READ},0)'::tid`));
  }
  return rows;
}

const toDate = (value: unknown) => new Date(value as string);

/**
 * A declared table's columns (src/db/table.ts) as readRows selects them, and its rows as they are
 * made from them: timestamps as Dates, the values many rows share as one copy each, then the
 * `computed` ones (an SQL expression and how its value is read). Each row is made by one object
 * literal, compiled once from the declaration's keys: V8 keeps a literal's properties inside the
 * object, where rows filled key by key take 40 more bytes each at 17 properties, and rows spread
 * into another four times the bytes (heapUsed and %HasFastProperties over 100,000 rows).
 */
function declared<C extends TableColumns, X extends Record<string, unknown>>(
  t: Table<C>,
  computed: { [K in keyof X]: [sql: string, read: (value: unknown) => X[K]] },
) {
  const columns = Object.fromEntries([...t.keys.map((key) => [key, t.columns[key].sql]), ...Object.entries(computed).map(([key, [sql]]) => [key, sql])]);
  const cell = (key: string) => `p[${JSON.stringify(key)}][i]`;
  const properties = [
    ...t.keys.map((key) => {
      const c = t.columns[key];
      return `${JSON.stringify(key)}: ${c.type === "timestamptz" ? `toDate(${cell(key)})` : c.shared ? `shared(${cell(key)})` : cell(key)}`;
    }),
    ...Object.keys(computed).map((key) => `${JSON.stringify(key)}: computed[${JSON.stringify(key)}][1](${cell(key)})`),
  ];
  // The keys are the declaration's own (JSON-quoted): no outside text reaches the compiled function.
  const make = new Function("toDate", "computed", `return (p, i, shared) => ({ ${properties.join(", ")} });`)(toDate, computed) as (
    page: Columns,
    i: number,
    shared: <T>(value: T) => T,
  ) => RowOf<C> & X;
  return { columns, make };
}

/** Organizations a link table names for each row of `owner` (its `via` column), as a computed column of declared(). */
const linked = (link: string, via: string, owner: string, where = ""): [string, (value: unknown) => readonly string[]] => [
  `(SELECT coalesce(array_agg(l.organization_id::text ORDER BY l.organization_id), '{}') FROM ${link} l WHERE l.${via} = ${owner}.id${where})`,
  (value) => Object.freeze(value as string[]),
];

/** Compiled once, when the module loads: every load and patch uses the same (optimised) makers. */
const ORGANIZATIONS = declared(organizationTable, {});
const SERVICES = declared(serviceTable, {});
const REFERRALS = declared(referralTable, { createdMicros: ["(extract(epoch FROM created_at) * 1000000)::bigint", Number] });
const REGIONS = declared(regionTable, {});
const PARTNERSHIPS = declared(partnershipTable, { memberIds: linked(partnershipMemberTable.name, "partnership_id", partnershipTable.name) });
const PLATFORMS = declared(platformTable, { memberIds: linked(platformMemberTable.name, "platform_id", platformTable.name) });
const MEETINGS = declared(meetingTable, {
  organizerIds: linked(meetingParticipantTable.name, "meeting_id", meetingTable.name, ` AND l.role = 'ORGANIZER'`),
  presenterIds: linked(meetingParticipantTable.name, "meeting_id", meetingTable.name, ` AND l.role = 'PRESENTER'`),
});

/**
 * One shared copy of each repeated value: the ends of 100,000 referrals are 20,000 ids, their
 * statuses and lists a handful of values. Saves about a third of the model's heap (bench/).
 * The model's records are read-only, so sharing them is safe.
 */
function interner() {
  const seen = new Map<string, unknown>();
  return <T>(value: T): T => {
    if (value === null || value === undefined) return value;
    // Lists are of vocabulary words (no commas); "[" keeps a list's key apart from a string's.
    const key = typeof value === "string" ? value : `[${(value as unknown[]).join(",")}`;
    const known = seen.get(key);
    if (known !== undefined) return known as T;
    seen.set(key, typeof value === "object" ? Object.freeze(value) : value);
    return value;
  };
}

/**
 * The stored version and what the writes after `since` touched, from graph_changes, in one
 * statement; touched is undefined when the model must read everything again: a write that named
 * nothing, versions pruned or written without a record (raw SQL), or too many changes.
 */
async function changesSince(tx: EntityManager, since: number): Promise<{ version: number; touched: Touched | undefined }> {
  const rows: { current: string; version: string | null; entity_type: string | null; entity_id: string | null }[] = await tx.query(
    `SELECT s.version AS current, c.version, c.entity_type, c.entity_id
       FROM graph_state s LEFT JOIN graph_changes c ON c.version > $1 AND c.version <= s.version AND s.version - $1 <= ${MAX_TOUCHED}
      WHERE s.id = 1 LIMIT ${MAX_TOUCHED + 1}`,
    [since],
  );
  const version = Number(rows[0].current);
  if (version === since) return { version, touched: undefined };
  const changes = rows.filter((r) => r.version !== null);
  if (version - since > MAX_TOUCHED || rows.length > MAX_TOUCHED) return { version, touched: undefined };
  if (new Set(changes.map((r) => r.version)).size !== version - since) return { version, touched: undefined };
  const sets: Record<string, Set<string>> = { organization: new Set(), referral: new Set(), partnership: new Set() };
  let regionsOrPlatforms = false;
  for (const row of changes) {
    if (row.entity_type === "*") return { version, touched: undefined };
    if (row.entity_type! in sets) sets[row.entity_type!].add(row.entity_id!);
    // Regions and platforms (a few dozen) are read again whole when one was written; any other
    // type a write may name one day is treated the same way, rather than missed.
    else regionsOrPlatforms = true;
  }
  return { version, touched: { organizations: [...sets.organization], referrals: [...sets.referral], partnerships: [...sets.partnership], regionsOrPlatforms } };
}

/** The rows of every table, or of the touched ids only. Regions and platforms whole (a few dozen), or not at all when none was touched. */
async function readModelRows(tx: EntityManager, only: Touched): Promise<PatchRows>;
async function readModelRows(tx: EntityManager): Promise<ModelRows>;
async function readModelRows(tx: EntityManager, only?: Touched): Promise<PatchRows> {
  const shared = interner();
  const by = (column: string, ids: readonly string[] | undefined) => (ids ? { column, ids } : undefined);
  // Column arrays, not hydrated entities nor rows: hydration is many times slower at this size (TypeORM issues 1672, 6338, 7089).
  const organizations: Omit<OrganizationNode, "services">[] = await readRows(tx, organizationTable.name, ORGANIZATIONS.columns, (p, i) => ORGANIZATIONS.make(p, i, shared), by("id", only?.organizations));
  const services: ServiceNode[] = await readRows(tx, serviceTable.name, SERVICES.columns, (p, i) => SERVICES.make(p, i, shared), by("organization_id", only?.organizations));
  const referrals: ReferralEdge[] = await readRows(tx, referralTable.name, REFERRALS.columns, (p, i) => REFERRALS.make(p, i, shared), by("id", only?.referrals));
  const partnerships: PartnershipNode[] =
    only && only.partnerships.length === 0 ? [] : await readRows(tx, partnershipTable.name, PARTNERSHIPS.columns, (p, i) => PARTNERSHIPS.make(p, i, shared), by("id", only?.partnerships));
  if (only && !only.regionsOrPlatforms) return { organizations, services, referrals, partnerships };
  const regions: RegionNode[] = await readRows(tx, regionTable.name, REGIONS.columns, (p, i) => Object.freeze(REGIONS.make(p, i, shared)));
  return { organizations, services, referrals, partnerships, regions, platforms: await readPlatforms(tx, shared) };
}

/** Platforms with their members and meetings (meetings by date, then id). */
async function readPlatforms(tx: EntityManager, shared: <T>(value: T) => T): Promise<PlatformNode[]> {
  const meetings: MeetingNode[] = await readRows(tx, meetingTable.name, MEETINGS.columns, (p, i) => Object.freeze(MEETINGS.make(p, i, shared)));
  meetings.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const meetingsOf = new Map<string, MeetingNode[]>();
  for (const m of meetings) (meetingsOf.get(m.platformId) ?? meetingsOf.set(m.platformId, []).get(m.platformId)!).push(m);
  return readRows(tx, platformTable.name, PLATFORMS.columns, (p, i) => {
    const platform = PLATFORMS.make(p, i, shared);
    return { ...platform, meetings: meetingsOf.get(platform.id) ?? [] };
  });
}

/**
 * Reads the stored state in one REPEATABLE READ transaction (one consistent state). With the
 * previous version's number, only the rows the writes since touched are read (graph_changes).
 * The embedded database lends its one session to one transaction at a time, so any isolation
 * sees one state there: none is set (a statement less per load).
 */
type Loaded = { version: number; rows: ModelRows; touched: undefined };
type Read = Loaded | { version: number; rows: PatchRows; touched: Touched } | { version: number; rows: undefined; touched: undefined };
export async function loadModelRows(db: DataSource): Promise<Loaded>;
export async function loadModelRows(db: DataSource, since: number | undefined): Promise<Read>;
export async function loadModelRows(db: DataSource, since?: number): Promise<Read> {
  const read = async (tx: EntityManager): Promise<Read> => {
    const { version, touched } = since === undefined ? { version: await graphVersion(tx), touched: undefined } : await changesSince(tx, since);
    if (since === version) return { version, rows: undefined, touched: undefined };
    if (touched) return { version, rows: await readModelRows(tx, touched), touched };
    return { version, rows: await readModelRows(tx), touched: undefined };
  };
  return embeddedWriteCount(db) === undefined ? db.transaction("REPEATABLE READ", read) : db.transaction(read);
}
