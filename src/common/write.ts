import { DataSource, EntityManager } from "typeorm";
import { AuditEntryEntity } from "../auth/api-key.entity";
import { Actor } from "../auth/viewer";
import { isRetryable, translateDatabaseError } from "./db-errors";

const MAX_ATTEMPTS = 3;

/**
 * Runs one write as one transaction: all of it lands or none of it does. Serialization
 * failures and deadlocks are retried a few times; database refusals become contract errors.
 * Every write moves the stored version (graph_state), so the graph snapshot and the cached
 * graph answers of every process sharing the database know they are out of date.
 */
export async function writeTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const result = await work(tx);
        await tx.query(`UPDATE graph_state SET version = version + 1 WHERE id = 1`);
        return result;
      });
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && isRetryable(error)) continue;
      throw translateDatabaseError(error);
    }
  }
}

/** Writes one line of the audit trail, inside the change's own transaction. */
export async function recordChange(
  tx: EntityManager,
  actor: Actor,
  action: "create" | "update" | "delete",
  entityType: string,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
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
