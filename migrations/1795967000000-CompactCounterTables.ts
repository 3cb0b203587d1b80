import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timeline and the scorecard are counter tables: every batch adds to and takes from rows
 * that already exist. Their partial "empty row" indexes named the counters, so no such update
 * could be HOT (stay in its page without touching the indexes): the tables bloated to five
 * times their size between vacuums. The projector now deletes emptied rows by the keys it just
 * changed, so those indexes go, and a fillfactor leaves room in each page for the new versions.
 * Casualty sums fit an integer, which PostgreSQL sums without going through numeric.
 */
export class CompactCounterTables1795967000000 implements MigrationInterface {
  name = 'CompactCounterTables1795967000000';

  async up(q: QueryRunner): Promise<void> {
    // Found by their predicate: a rebuild before this version left them under generated names.
    const empty: { name: string }[] = await q.query(
      `SELECT indexname AS name FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename IN ('allegation_timeline_v1', 'agreement_scorecard_v1')
          AND (indexdef LIKE '%WHERE (claims = 0)' OR indexdef LIKE '%WHERE ((violations_alleged = 0) AND (compliance_asserted = 0))')`,
    );
    for (const { name } of empty) await q.query(`DROP INDEX ${name}`);
    await q.query(`
      ALTER TABLE allegation_timeline_v1
        ALTER COLUMN killed_min TYPE integer, ALTER COLUMN killed_max TYPE integer,
        ALTER COLUMN wounded_min TYPE integer, ALTER COLUMN wounded_max TYPE integer,
        SET (fillfactor = 70)`);
    await q.query(`ALTER TABLE agreement_scorecard_v1 SET (fillfactor = 70)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreement_scorecard_v1 RESET (fillfactor)`);
    await q.query(`
      ALTER TABLE allegation_timeline_v1
        ALTER COLUMN killed_min TYPE bigint, ALTER COLUMN killed_max TYPE bigint,
        ALTER COLUMN wounded_min TYPE bigint, ALTER COLUMN wounded_max TYPE bigint,
        RESET (fillfactor)`);
    await q.query(`CREATE INDEX agreement_scorecard_v1_empty_idx ON agreement_scorecard_v1 (agreement_id) WHERE violations_alleged = 0 AND compliance_asserted = 0`);
    await q.query(`CREATE INDEX allegation_timeline_v1_empty_idx ON allegation_timeline_v1 (conflict_id) WHERE claims = 0`);
  }
}
