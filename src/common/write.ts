import { DataSource, EntityManager } from "typeorm";
import { AuditEntryEntity } from "../auth/api-key.entity";
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

/** The entities each open write transaction touched (recordChange adds them), by transaction. */
const touchedBy = new WeakMap<EntityManager, Map<string, Set<string>>>();

/**
 * Runs one write as one transaction: all of it lands or none of it does. Serialization
 * failures and deadlocks are retried a few times; database refusals become contract errors.
 * Every write moves the stored version (graph_state), so the graph snapshot and the cached
 * graph answers of every process sharing the database know they are out of date, and lists in
 * graph_changes the entities it touched (those of its recordChange calls), so a snapshot can
 * re-read just them.
 */
export async function writeTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const touched = new Map<string, Set<string>>();
        touchedBy.set(tx, touched);
        const result = await work(tx);
        await tx.query(`UPDATE graph_state SET version = version + 1 WHERE id = 1`);
        const types: string[] = [];
        const ids: (string | null)[] = [];
        for (const [type, set] of touched) for (const id of set) types.push(type), ids.push(id);
        // A write that names nothing, or so much that re-reading everything is as quick (an import): "*".
        const everything = types.length === 0 || types.length > MAX_TOUCHED;
        await tx.query(
          `INSERT INTO graph_changes (version, entity_type, entity_id)
           SELECT g.version, c.t, c.i FROM graph_state g, unnest($1::text[], $2::uuid[]) AS c(t, i) WHERE g.id = 1`,
          everything ? [["*"], [null]] : [types, ids],
        );
        await tx.query(`DELETE FROM graph_changes WHERE version <= (SELECT version FROM graph_state WHERE id = 1) - $1`, [KEPT_GRAPH_VERSIONS]);
        return result;
      });
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && isRetryable(error)) continue;
      throw translateDatabaseError(error);
    }
  }
}

/** Writes one line of the audit trail, inside the change's own transaction, and notes the entity as touched. */
export async function recordChange(
  tx: EntityManager,
  actor: Actor,
  action: "create" | "update" | "delete",
  entityType: string,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  const touched = touchedBy.get(tx);
  if (touched) {
    if (!touched.has(entityType)) touched.set(entityType, new Set());
    touched.get(entityType)!.add(entityId);
  }
  await tx.getRepository(AuditEntryEntity).insert({
    apiKeyId: actor.apiKeyId,
    actor: actor.name,
    action,
    entityType,
    entityId,
    before: (before ?? null) && JSON.parse(JSON.stringify(before)),
    after: (after ?? null) && JSON.parse(JSON.stringify(after)),
  });
}

/** The stored graph version (see graph_state in the first migration). */
export async function graphVersion(db: DataSource | EntityManager): Promise<number> {
  const rows: { version: string | number }[] = await db.query(`SELECT version FROM graph_state WHERE id = 1`);
  return Number(rows[0].version);
}
