import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claim may name the agreement provision it is about (an exchange of bodies obstructed, say).
 * Claims recorded before had none, so the column starts empty and nothing is rebuilt; the
 * scorecard's rows per provision and the claims list's filter read it through a partial index.
 */
export class ClaimProvisions1795969000000 implements MigrationInterface {
  name = 'ClaimProvisions1795969000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE claim_view_v1 ADD COLUMN provision_id uuid`);
    await q.query(`CREATE INDEX claim_view_v1_provision_idx ON claim_view_v1 (provision_id) WHERE provision_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX claim_view_v1_provision_idx`);
    await q.query(`ALTER TABLE claim_view_v1 DROP COLUMN provision_id`);
  }
}
