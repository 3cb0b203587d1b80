import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A source added to a claim later (AttributionAdded, a correction's list) without a publication
 * date was seen at the time the event was recorded: the server's clock, mixed into first and last
 * seen with publication dates. It is now seen at the claim's statedAt, which each citation keeps
 * (as corrected) so that a later batch finds it. Existing rows take it from the claim view; the
 * sources projector's version 3 then rebuilds the ledger from the log with the new rule.
 */
export class SourceStatementTimes1795968000000 implements MigrationInterface {
  name = 'SourceStatementTimes1795968000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE source_citations_v1 ADD COLUMN stated_at timestamptz`);
    await q.query(
      `UPDATE source_citations_v1 c SET stated_at = coalesce((v.doc->>'statedAt')::timestamptz, c.seen_at)
         FROM claim_view_v1 v WHERE v.claim_id = c.claim_id`,
    );
    await q.query(`UPDATE source_citations_v1 SET stated_at = seen_at WHERE stated_at IS NULL`);
    await q.query(`ALTER TABLE source_citations_v1 ALTER COLUMN stated_at SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE source_citations_v1 DROP COLUMN stated_at`);
  }
}
