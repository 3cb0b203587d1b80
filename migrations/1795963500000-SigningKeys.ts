import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The public halves of the Ed25519 keys that signed checkpoints, kept so old signatures stay checkable. */
export class SigningKeys1795963500000 implements MigrationInterface {
  name = 'SigningKeys1795963500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE signing_keys (
        key_id      text        PRIMARY KEY,
        public_key  text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE signing_keys`);
  }
}
