import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables that live beside the log rather than in it: access tokens (only their hashes) and the
 * per-attribution keys that seal confidential sources, which must stay destroyable. Plus the
 * lookups the write side makes on the log before read models exist.
 */
export class AccessTokensAndSourceKeys1795960800000 implements MigrationInterface {
  name = 'AccessTokensAndSourceKeys1795960800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_tokens (
        id          uuid        PRIMARY KEY,
        name        text        NOT NULL,
        role        text        NOT NULL CHECK (role IN ('reader', 'journalist', 'editor', 'auditor', 'admin')),
        token_hash  bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
        created_at  timestamptz NOT NULL,
        created_by  text        NOT NULL,
        revoked_at  timestamptz
      )`);
    await q.query(`
      CREATE TABLE source_keys (
        attribution_id uuid        PRIMARY KEY,
        key            bytea       CHECK (key IS NULL OR length(key) = 32),
        created_at     timestamptz NOT NULL,
        shredded_at    timestamptz,
        CHECK ((key IS NULL) = (shredded_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX events_type_idx ON events (type, position)`);
    await q.query(`
      CREATE INDEX events_conflict_idx ON events ((data->>'conflictId'), type)
        WHERE type IN ('AgreementRecorded', 'ClaimRecorded')`);
    await q.query(`
      CREATE INDEX events_responds_to_idx ON events ((data->>'respondsTo'))
        WHERE type = 'ClaimRecorded'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_responds_to_idx`);
    await q.query(`DROP INDEX events_conflict_idx`);
    await q.query(`DROP INDEX events_type_idx`);
    await q.query(`DROP TABLE source_keys`);
    await q.query(`DROP TABLE access_tokens`);
  }
}
