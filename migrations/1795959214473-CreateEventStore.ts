import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log (DESIGN §3). The application enforces the order under an advisory
 * lock; the database enforces it again, so that no writer, however buggy, can leave a gap,
 * break the chain's linkage or change the past.
 */
export class CreateEventStore1795959214473 implements MigrationInterface {
  name = 'CreateEventStore1795959214473';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        position        bigint      PRIMARY KEY CHECK (position > 0),
        event_id        uuid        NOT NULL,
        stream_id       text        NOT NULL CHECK (length(stream_id) BETWEEN 1 AND 200),
        stream_version  integer     NOT NULL CHECK (stream_version > 0),
        type            text        NOT NULL CHECK (length(type) BETWEEN 1 AND 200),
        schema_version  integer     NOT NULL CHECK (schema_version > 0),
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL,
        prev_hash       bytea       NOT NULL CHECK (length(prev_hash) = 32),
        hash            bytea       NOT NULL CHECK (length(hash) = 32),
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
      )`);
    await q.query(`CREATE INDEX events_recorded_at_idx ON events (recorded_at)`);

    // Each new row must extend the log by exactly one and link to the row before it. Rows
    // inserted earlier by the same statement are visible here, so multi-row inserts work.
    await q.query(`
      CREATE FUNCTION events_check_append() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        head_position bigint;
        head_hash bytea;
      BEGIN
        SELECT position, hash INTO head_position, head_hash FROM events ORDER BY position DESC LIMIT 1;
        IF NEW.position <> coalesce(head_position, 0) + 1 THEN
          RAISE EXCEPTION 'events: position % does not follow the head %', NEW.position, coalesce(head_position, 0)
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.prev_hash <> coalesce(head_hash, decode(repeat('00', 32), 'hex')) THEN
          RAISE EXCEPTION 'events: prev_hash of position % does not match the hash of the head', NEW.position
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER events_append_only_check BEFORE INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION events_check_append()`);

    // Statement-level, so that even a change matching no row is refused.
    await q.query(`
      CREATE FUNCTION events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change()`);
    await q.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE events`);
    await q.query(`DROP FUNCTION events_reject_change()`);
    await q.query(`DROP FUNCTION events_check_append()`);
  }
}
