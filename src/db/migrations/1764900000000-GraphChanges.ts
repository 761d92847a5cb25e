import { MigrationInterface, QueryRunner } from "typeorm";

// What each graph version changed, so a process holding the graph in memory re-reads only those
// rows instead of every table (src/graph/graph-queries.ts). One row per touched entity; a write
// that names none is recorded as '*' (read everything). Old versions are pruned by the writes.
export class GraphChanges1764900000000 implements MigrationInterface {
  name = "GraphChanges1764900000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE graph_changes (
        version bigint NOT NULL,
        entity_type text NOT NULL,
        entity_id uuid,
        CONSTRAINT graph_changes_all_or_one CHECK ((entity_type = '*') = (entity_id IS NULL))
      )`);
    await q.query(`CREATE INDEX graph_changes_version ON graph_changes (version)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE graph_changes`);
  }
}
