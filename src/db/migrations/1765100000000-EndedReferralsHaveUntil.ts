import { MigrationInterface, QueryRunner } from "typeorm";

// docs/api.md: ENDED means "ended on `until`". Referrals stored ENDED without an end day take the
// day of their last change (updated_at, as a UTC day; since, when that is later), recorded as a
// write is (version, audit line, graph version and graph_changes, so in-memory graph snapshots
// re-read them); then a CHECK keeps every path (mutations, import, raw SQL) from storing one again.
export class EndedReferralsHaveUntil1765100000000 implements MigrationInterface {
  name = "EndedReferralsHaveUntil1765100000000";

  public async up(q: QueryRunner): Promise<void> {
    const rows: { id: string }[] = await q.query(`SELECT id FROM referrals WHERE status = 'ENDED' AND until IS NULL ORDER BY id`);
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      // GREATEST ignores a null since. The audit line holds the fields the migration changed.
      await q.query(
        `WITH fixed AS (
           UPDATE referrals r
              SET until = GREATEST((r.updated_at AT TIME ZONE 'UTC')::date, r.since), version = r.version + 1, updated_at = now()
             FROM (SELECT id, until, version, updated_at FROM referrals WHERE id = ANY($1::uuid[])) old
            WHERE r.id = old.id
           RETURNING r.id, jsonb_build_object('until', old.until, 'version', old.version, 'updatedAt', old.updated_at) AS before,
                     jsonb_build_object('until', r.until, 'version', r.version, 'updatedAt', r.updated_at) AS after
         )
         INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after)
         SELECT 'migration EndedReferralsHaveUntil', 'update', 'referral', id, before, after FROM fixed`,
        [ids],
      );
      await q.query(`UPDATE graph_state SET version = version + 1 WHERE id = 1`);
      await q.query(
        `INSERT INTO graph_changes (version, entity_type, entity_id)
         SELECT g.version, 'referral', c.id FROM graph_state g, unnest($1::uuid[]) AS c(id) WHERE g.id = 1`,
        [ids],
      );
    }
    await q.query(`ALTER TABLE referrals ADD CONSTRAINT referrals_ended_has_until CHECK (status <> 'ENDED' OR until IS NOT NULL)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // The end days given stay: they are true of those referrals.
    await q.query(`ALTER TABLE referrals DROP CONSTRAINT referrals_ended_has_until`);
  }
}
