import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Requests sent with an Idempotency-Key whose outcome already held, so nothing was appended:
 * their answer is kept here, so that a replay gets it again instead of being decided anew.
 * (A request that appended is found again through its events' ids.)
 */
export class IdempotencyOutcomes1795964500000 implements MigrationInterface {
  name = 'IdempotencyOutcomes1795964500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_outcomes (
        token_id      text        NOT NULL,
        key           text        NOT NULL,
        request_hash  text        NOT NULL,
        result        jsonb       NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (token_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_outcomes`);
  }
}
