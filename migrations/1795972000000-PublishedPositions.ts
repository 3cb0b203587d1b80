import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far the log has been published to each NATS JetStream stream: moved only after JetStream
 * acknowledged every event up to it, so a publisher that restarts resumes without a gap.
 */
export class PublishedPositions1795972000000 implements MigrationInterface {
  name = 'PublishedPositions1795972000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE published_positions (
        stream text PRIMARY KEY,
        position bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE published_positions`);
  }
}
