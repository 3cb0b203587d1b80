import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The position at which each projector last changed its read models, beside how far it has
 * read: HTTP answers take their ETag from it, so that events a read model ignores (tokens,
 * signed checkpoints, other read models' events) do not make every cached answer stale.
 */
export class ReadModelChangePositions1795970000000 implements MigrationInterface {
  name = 'ReadModelChangePositions1795970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projection_checkpoints ADD COLUMN changed_position bigint NOT NULL DEFAULT 0`);
    await q.query(`UPDATE projection_checkpoints SET changed_position = position`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projection_checkpoints DROP COLUMN changed_position`);
  }
}
