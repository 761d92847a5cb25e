import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { Actor } from "../auth/viewer";
import { VersionConflictError } from "../errors";
import { isRetryable, translateDatabaseError } from "../errors/database";

const MAX_ATTEMPTS = 3;

/**
 * Graph versions whose changes are kept in graph_changes. A process whose snapshot is older than
 * that reads every table again, as it does on start.
 */
export const KEPT_GRAPH_VERSIONS = 10_000;

/** Most touched entities a snapshot re-reads one by one; beyond, reading whole tables is as quick. */
export const MAX_TOUCHED = 5_000;

/** A line of the audit trail, as the columns of audit_log. */
type AuditRow = [apiKeyId: string | null, actor: string | null, action: string, entityType: string, entityId: string, before: string | null, after: string | null];

/** What each open write transaction has recorded (recordChanges), by transaction. */
interface Recorded {
  /** The entities it touched, by type; `everything` once they are more than MAX_TOUCHED. */
  sets: Map<string, Set<string>>;
  count: number;
  everything: boolean;
  /** Audit lines not yet sent: they go with the version's statement at the end, a round trip less per write. */
  audit: AuditRow[];
}
const recordedBy = new WeakMap<EntityManager, Recorded>();

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
        const recorded: Recorded = { sets: new Map(), count: 0, everything: false, audit: [] };
        recordedBy.set(tx, recorded);
        const result = await work(tx);
        const types: string[] = [];
        const ids: (string | null)[] = [];
        if (!recorded.everything) for (const [type, set] of recorded.sets) for (const id of set) types.push(type), ids.push(id);
        // A write that names nothing, or so much that re-reading everything is as quick (an import): "*".
        const everything = types.length === 0;
        const audit = recorded.audit;
        // One statement: the next version, what it touched, the audit lines not yet sent, and the records too old to keep.
        await tx.query(
          `WITH next AS (UPDATE graph_state SET version = version + 1 WHERE id = 1 RETURNING version),
                pruned AS (DELETE FROM graph_changes WHERE version <= (SELECT version FROM next) - $3),
                audit AS (${AUDIT_INSERT.replace(/\$(\d)/g, (_, n) => `$${Number(n) + 3}`)})
           INSERT INTO graph_changes (version, entity_type, entity_id)
           SELECT next.version, c.t, c.i FROM next, unnest($1::text[], $2::uuid[]) AS c(t, i)`,
          [...(everything ? [["*"], [null]] : [types, ids]), KEPT_GRAPH_VERSIONS, ...auditColumns(audit)],
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

/** Audit lines as seven arrays ($1 to $7). */
const AUDIT_INSERT = `INSERT INTO audit_log (api_key_id, actor, action, entity_type, entity_id, before, after)
  SELECT k, n, a, t, i, b::jsonb, f::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[]) AS c(k, n, a, t, i, b, f)`;

function auditColumns(rows: readonly AuditRow[]): unknown[][] {
  return Array.from({ length: 7 }, (_, column) => rows.map((row) => row[column]));
}

/**
 * Writes lines of the audit trail, inside the changes' own transaction, and notes the entities as
 * touched. In a writeTransaction the lines wait for its last statement (they land or not with
 * it); beyond ROWS_PER_STATEMENT waiting (an import), they are sent in statements of their own.
 */
export async function recordChanges(tx: EntityManager, actor: Actor, changes: Change[]): Promise<void> {
  const recorded = recordedBy.get(tx);
  if (recorded && !recorded.everything) {
    for (const change of changes) {
      const set = recorded.sets.get(change.entityType) ?? recorded.sets.set(change.entityType, new Set()).get(change.entityType)!;
      if (!set.has(change.entityId)) recorded.count++;
      set.add(change.entityId);
    }
    if (recorded.count > MAX_TOUCHED) recorded.everything = true;
  }
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  const rows = changes.map((c): AuditRow => [actor.apiKeyId, actor.name, c.action, c.entityType, c.entityId, json(c.before), json(c.after)]);
  if (recorded && recorded.audit.length + rows.length <= ROWS_PER_STATEMENT) {
    recorded.audit.push(...rows);
    return;
  }
  const waiting = recorded ? recorded.audit.splice(0).concat(rows) : rows;
  for (let start = 0; start < waiting.length; start += ROWS_PER_STATEMENT) {
    await tx.query(AUDIT_INSERT, auditColumns(waiting.slice(start, start + ROWS_PER_STATEMENT)));
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

/**
 * Writes `changes` to the row of `current` if it is still at `current.version`, moving it to the
 * next version: a concurrent writer in between is a VersionConflictError naming `what` and `label`.
 */
export async function updateAtVersion<T extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<T>,
  current: { id: string; version: number },
  changes: Partial<T>,
  what: string,
  label: string,
): Promise<void> {
  const result = await tx
    .getRepository(entity)
    .createQueryBuilder()
    .update()
    .set({ ...changes, version: () => "version + 1", updatedAt: () => "now()" } as never)
    .where("id = :id AND version = :version", { id: current.id, version: current.version })
    .execute();
  if (!result.affected) throw new VersionConflictError(what, label, current.version, current.version + 1);
}

/** The stored graph version (see graph_state in the first migration). */
export async function graphVersion(db: DataSource | EntityManager): Promise<number> {
  const rows: { version: string | number }[] = await db.query(`SELECT version FROM graph_state WHERE id = 1`);
  return Number(rows[0].version);
}
