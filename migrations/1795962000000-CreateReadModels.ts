import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models (DESIGN §5): plain tables that projectors write, each with a version suffix so
 * that a changed projection is built beside the old one. The checkpoint table records how far
 * each projector has read the log.
 */
export class CreateReadModels1795962000000 implements MigrationInterface {
  name = 'CreateReadModels1795962000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projection_checkpoints (
        name        text        PRIMARY KEY,
        version     integer     NOT NULL,
        position    bigint      NOT NULL DEFAULT 0,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);

    // What the claims projector needs to know about conflicts and agreements.
    await q.query(`
      CREATE TABLE rm_conflicts_v1 (
        conflict_id uuid PRIMARY KEY,
        name        text NOT NULL,
        time_zone   text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE rm_agreements_v1 (
        agreement_id    uuid        PRIMARY KEY,
        conflict_id     uuid        NOT NULL,
        effective_from  timestamptz NOT NULL,
        ended_at        timestamptz,
        -- the position of AgreementRecorded: among agreements taking effect together, the last recorded wins
        recorded_position bigint    NOT NULL
      )`);
    await q.query(`CREATE INDEX rm_agreements_v1_conflict_idx ON rm_agreements_v1 (conflict_id)`);

    await q.query(`
      CREATE TABLE claim_view_v1 (
        claim_id        uuid        PRIMARY KEY,
        conflict_id     uuid        NOT NULL,
        claimant        uuid        NOT NULL,
        subject         uuid        NOT NULL,
        assertion       text        NOT NULL,
        stance          text,
        responds_to     uuid,
        category        text        NOT NULL,
        occurred_from   timestamptz NOT NULL,
        occurred_day    date        NOT NULL,
        stated_at       timestamptz NOT NULL,
        stated_day      date        NOT NULL,
        agreement_id    uuid,
        status          text        NOT NULL,
        retracted       boolean     NOT NULL,
        voided          boolean     NOT NULL,
        duplicate_of    uuid,
        killed_min      integer     NOT NULL,
        killed_max      integer     NOT NULL,
        wounded_min     integer     NOT NULL,
        wounded_max     integer     NOT NULL,
        denials         integer     NOT NULL,
        counter_accusations integer NOT NULL,
        summary         text        NOT NULL,
        doc             jsonb       NOT NULL,
        version         integer     NOT NULL,
        recorded_at     timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        last_position   bigint      NOT NULL
      )`);
    await q.query(`CREATE INDEX claim_view_v1_list_idx ON claim_view_v1 (conflict_id, occurred_from DESC, claim_id DESC)`);
    await q.query(`CREATE INDEX claim_view_v1_occurred_idx ON claim_view_v1 (occurred_from DESC, claim_id DESC)`);
    await q.query(`CREATE INDEX claim_view_v1_responds_idx ON claim_view_v1 (responds_to) WHERE responds_to IS NOT NULL`);
    await q.query(`CREATE INDEX claim_view_v1_agreement_idx ON claim_view_v1 (agreement_id, claimant, subject, occurred_from)`);

    await q.query(`
      CREATE TABLE allegation_timeline_v1 (
        conflict_id   uuid    NOT NULL,
        basis         text    NOT NULL CHECK (basis IN ('occurred', 'stated')),
        day           date    NOT NULL,
        claimant      uuid    NOT NULL,
        subject       uuid    NOT NULL,
        assertion     text    NOT NULL,
        -- the nil UUID stands for "no agreement in force"
        agreement_key uuid    NOT NULL,
        claims        integer NOT NULL,
        retracted     integer NOT NULL,
        corroborated  integer NOT NULL,
        contested     integer NOT NULL,
        refuted       integer NOT NULL,
        killed_min    bigint  NOT NULL,
        killed_max    bigint  NOT NULL,
        wounded_min   bigint  NOT NULL,
        wounded_max   bigint  NOT NULL,
        PRIMARY KEY (conflict_id, basis, day, claimant, subject, assertion, agreement_key)
      )`);
    await q.query(`CREATE INDEX allegation_timeline_v1_empty_idx ON allegation_timeline_v1 (conflict_id) WHERE claims = 0`);

    await q.query(`
      CREATE TABLE agreement_scorecard_v1 (
        agreement_id          uuid    NOT NULL,
        claimant              uuid    NOT NULL,
        subject               uuid    NOT NULL,
        violations_alleged    integer NOT NULL,
        compliance_asserted   integer NOT NULL,
        denied                integer NOT NULL,
        counter_accused       integer NOT NULL,
        retracted             integer NOT NULL,
        corroborated          integer NOT NULL,
        contested             integer NOT NULL,
        refuted               integer NOT NULL,
        first_violation_alleged_at timestamptz,
        PRIMARY KEY (agreement_id, claimant, subject)
      )`);
    await q.query(`CREATE INDEX agreement_scorecard_v1_empty_idx ON agreement_scorecard_v1 (agreement_id) WHERE violations_alleged = 0 AND compliance_asserted = 0`);

    await q.query(`
      CREATE TABLE source_citations_v1 (
        claim_id      uuid        NOT NULL,
        attribution_id uuid       NOT NULL,
        outlet        text        NOT NULL,
        claimant      uuid        NOT NULL,
        conflict_id   uuid        NOT NULL,
        seen_at       timestamptz NOT NULL,
        active        boolean     NOT NULL,
        -- true for the claim's own list of sources, false for those of a revision or retraction
        listed        boolean     NOT NULL,
        -- the claim this citation counts for: the claim itself, its original if it is a
        -- duplicate, or null once it is voided
        counts_for    uuid,
        PRIMARY KEY (claim_id, attribution_id)
      )`);
    await q.query(`CREATE INDEX source_citations_v1_outlet_idx ON source_citations_v1 (outlet)`);
    await q.query(`CREATE INDEX source_citations_v1_claim_idx ON source_citations_v1 (claim_id)`);
    await q.query(`
      CREATE TABLE source_ledger_v1 (
        outlet      text        PRIMARY KEY,
        claims      integer     NOT NULL,
        claimants   jsonb       NOT NULL,
        first_seen  timestamptz NOT NULL,
        last_seen   timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'source_ledger_v1',
      'source_citations_v1',
      'agreement_scorecard_v1',
      'allegation_timeline_v1',
      'claim_view_v1',
      'rm_agreements_v1',
      'rm_conflicts_v1',
      'projection_checkpoints',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
