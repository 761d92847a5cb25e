import { DataSource, EntityManager } from "typeorm";
import { Actor } from "../auth/viewer";
import { isRetryable, translateDatabaseError } from "./db-errors";

const MAX_ATTEMPTS = 3;

/**
 * Graph versions whose changes are kept in graph_changes. A process whose snapshot is older than
 * that reads every table again, as it does on start.
 */
export const KEPT_GRAPH_VERSIONS = 10_000;

/** Most touched entities a snapshot re-reads one by one; beyond, reading whole tables is as quick. */
export const MAX_TOUCHED = 5_000;

/** The entities each open write transaction touched (recordChange adds them), by transaction; "*" once they are more than MAX_TOUCHED. */
const touchedBy = new WeakMap<EntityManager, { sets: Map<string, Set<string>>; count: number } | "*">();

/**
 * Runs one write as one transaction: all of it lands or none of it does. Serialization
 * failures and deadlocks are retried a few times; database refusals become contract errors.
 * Every write moves the stored version (graph_state), so the graph snapshot and the cached
 * graph answers of every process sharing the database know they are out of date, and lists in
 * graph_changes the entities it touched (those of its recordChange calls), so a snapshot can
 * re-read just them.
 */
let retried = 0;

/** How many write transactions ran again after a deadlock or serialization failure since start: lock ordering keeps it at 0 (test/faults/deadlock.pg.test.ts). */
export function retriedWrites(): number {
  return retried;
}

export async function writeTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        touchedBy.set(tx, { sets: new Map(), count: 0 });
        const result = await work(tx);
        const touched = touchedBy.get(tx)!;
        const types: string[] = [];
        const ids: (string | null)[] = [];
        if (touched !== "*") for (const [type, set] of touched.sets) for (const id of set) types.push(type), ids.push(id);
        // A write that names nothing, or so much that re-reading everything is as quick (an import): "*".
        const everything = types.length === 0;
        // One statement: the next version, what it touched, and the records too old to keep.
        await tx.query(
          `WITH next AS (UPDATE graph_state SET version = version + 1 WHERE id = 1 RETURNING version),
                pruned AS (DELETE FROM graph_changes WHERE version <= (SELECT version FROM next) - $3)
           INSERT INTO graph_changes (version, entity_type, entity_id)
           SELECT next.version, c.t, c.i FROM next, unnest($1::text[], $2::uuid[]) AS c(t, i)`,
          everything ? [["*"], [null], KEPT_GRAPH_VERSIONS] : [types, ids, KEPT_GRAPH_VERSIONS],
        );
        return result;
      });
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
        retried++;
        continue;
      }
      throw translateDatabaseError(error);
    }
  }
}

export interface Change {
  action: "create" | "update" | "delete";
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** Rows per statement when writing many: keeps each statement's parameters and memory small. */
export const ROWS_PER_STATEMENT = 5_000;

/** Writes lines of the audit trail, inside the changes' own transaction, and notes the entities as touched. */
export async function recordChanges(tx: EntityManager, actor: Actor, changes: Change[]): Promise<void> {
  const touched = touchedBy.get(tx);
  if (touched && touched !== "*") {
    for (const change of changes) {
      const set = touched.sets.get(change.entityType) ?? touched.sets.set(change.entityType, new Set()).get(change.entityType)!;
      if (!set.has(change.entityId)) touched.count++;
      set.add(change.entityId);
    }
    if (touched.count > MAX_TOUCHED) touchedBy.set(tx, "*");
  }
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  for (let start = 0; start < changes.length; start += ROWS_PER_STATEMENT) {
    const chunk = changes.slice(start, start + ROWS_PER_STATEMENT);
    await tx.query(
      `INSERT INTO audit_log (api_key_id, actor, action, entity_type, entity_id, before, after)
       SELECT $1, $2, a, t, i, b::jsonb, f::jsonb FROM unnest($3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[]) AS c(a, t, i, b, f)`,
      [actor.apiKeyId, actor.name, chunk.map((c) => c.action), chunk.map((c) => c.entityType), chunk.map((c) => c.entityId), chunk.map((c) => json(c.before)), chunk.map((c) => json(c.after))],
    );
  }
}

/** Writes one line of the audit trail (recordChanges). */
export async function recordChange(
  tx: EntityManager,
  actor: Actor,
  action: Change["action"],
  entityType: string,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await recordChanges(tx, actor, [{ action, entityType, entityId, before, after }]);
}

/** The stored graph version (see graph_state in the first migration). */
export async function graphVersion(db: DataSource | EntityManager): Promise<number> {
  const rows: { version: string | number }[] = await db.query(`SELECT version FROM graph_state WHERE id = 1`);
  return Number(rows[0].version);
}
