import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The casualties chart splits killed and wounded into civilian and military: the claim view and
 * the timeline keep the civilian part of each sum beside the total (military is the rest). The
 * claims projector's version 2 rebuilds both from the log, which fills them.
 */
export class CivilianCasualties1795973500000 implements MigrationInterface {
  name = 'CivilianCasualties1795973500000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['claim_view_v1', 'allegation_timeline_v1']) {
      await q.query(`
        ALTER TABLE ${table}
          ADD COLUMN civilian_killed_min integer NOT NULL DEFAULT 0, ADD COLUMN civilian_killed_max integer NOT NULL DEFAULT 0,
          ADD COLUMN civilian_wounded_min integer NOT NULL DEFAULT 0, ADD COLUMN civilian_wounded_max integer NOT NULL DEFAULT 0`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['claim_view_v1', 'allegation_timeline_v1']) {
      await q.query(`
        ALTER TABLE ${table}
          DROP COLUMN civilian_killed_min, DROP COLUMN civilian_killed_max, DROP COLUMN civilian_wounded_min, DROP COLUMN civilian_wounded_max`);
    }
  }
}
