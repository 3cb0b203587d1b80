import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over claims (the claims list's `q`): a weighted text vector of the summary
 * (A) and the place's names as reported (B), kept by PostgreSQL itself as a generated column so
 * no projector changes and rebuilt copies (`LIKE … INCLUDING ALL`) carry it too.
 *
 * `unaccent` lets "Agdam" find "Ağdam"; PostgreSQL marks it STABLE (its dictionary could be
 * changed), so a generated column needs the usual IMMUTABLE wrapper naming the dictionary.
 * The English configuration stems both sides alike ("strikes" finds "strike").
 */
export class ClaimSearch1795971000000 implements MigrationInterface {
  name = 'ClaimSearch1795971000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`
      CREATE FUNCTION tracker_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);
    await q.query(`
      ALTER TABLE claim_view_v1 ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, tracker_unaccent(summary)), 'A') ||
        setweight(to_tsvector('english'::regconfig, tracker_unaccent(
          coalesce(doc->'location'->>'name', '') || ' ' || coalesce(doc->'location'->>'altNames', ''))), 'B')
      ) STORED`);
    await q.query(`CREATE INDEX claim_view_v1_search_idx ON claim_view_v1 USING gin (search)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX claim_view_v1_search_idx`);
    await q.query(`ALTER TABLE claim_view_v1 DROP COLUMN search`);
    await q.query(`DROP FUNCTION tracker_unaccent(text)`);
  }
}
