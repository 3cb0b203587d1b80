import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AgreementEvent } from '../../agreements/domain/agreement';
import { agreementInForceAt, type AgreementPeriod } from '../../agreements/domain/agreement-in-force';
import { CLAIM_EVENT_TYPES, type ClaimEvent } from '../../claims/domain/claim';
import type { ConflictRegistered } from '../../conflicts/domain/conflict';
import type { ProjectedEvent } from '../../event-store/event-store.types';
import type { ApplyMode, Projector, TableName } from '../../projections/projector';
import {
  type ClaimContext,
  type ClaimRow,
  type Counts,
  evolveClaimRow,
  newClaimRow,
  responseWeight,
  type ScoreCounts,
  scorecardContribution,
  timelineContributions,
  NO_AGREEMENT,
} from './claim-row';
import { upsertArrays } from '../sql';

type Agreement = AgreementPeriod & { conflictId: string; recordedPosition: number };

/** claim_view_v1's columns and their types, in the order of `toColumns`. */
const CLAIM_COLUMNS = {
  claim_id: 'uuid', conflict_id: 'uuid', claimant: 'uuid', subject: 'uuid', assertion: 'text', stance: 'text',
  responds_to: 'uuid', category: 'text', occurred_from: 'timestamptz', occurred_day: 'date', stated_at: 'timestamptz',
  stated_day: 'date', agreement_id: 'uuid', status: 'text', retracted: 'boolean', voided: 'boolean', duplicate_of: 'uuid',
  killed_min: 'integer', killed_max: 'integer', wounded_min: 'integer', wounded_max: 'integer', denials: 'integer',
  counter_accusations: 'integer', summary: 'text', doc: 'jsonb', version: 'integer', recorded_at: 'timestamptz',
  updated_at: 'timestamptz', last_position: 'bigint', provision_id: 'uuid',
  civilian_killed_min: 'integer', civilian_killed_max: 'integer', civilian_wounded_min: 'integer', civilian_wounded_max: 'integer',
} as const;
const CLAIM_COLUMN_NAMES = Object.keys(CLAIM_COLUMNS);
const TIMELINE_KEY = { conflict_id: 'uuid', basis: 'text', day: 'date', claimant: 'uuid', subject: 'uuid', assertion: 'text', agreement_key: 'uuid' } as const;
const SCORECARD_KEY = { agreement_id: 'uuid', claimant: 'uuid', subject: 'uuid' } as const;
const SCORECARD_COLUMNS = {
  ...SCORECARD_KEY, violations_alleged: 'integer', compliance_asserted: 'integer', denied: 'integer', counter_accused: 'integer',
  retracted: 'integer', corroborated: 'integer', contested: 'integer', refuted: 'integer',
} as const;
const TIMELINE_COLUMNS = {
  ...TIMELINE_KEY, claims: 'integer', retracted: 'integer', corroborated: 'integer', contested: 'integer', refuted: 'integer',
  killed_min: 'integer', killed_max: 'integer', wounded_min: 'integer', wounded_max: 'integer',
  civilian_killed_min: 'integer', civilian_killed_max: 'integer', civilian_wounded_min: 'integer', civilian_wounded_max: 'integer',
} as const;

/**
 * The claim view, the allegation timeline and the agreement scorecard (DESIGN §5), written
 * together: the timeline and the scorecard are sums over claim rows, kept by adding each changed
 * claim's new contribution and taking away its old one.
 */
@Injectable()
export class ClaimsProjector implements Projector {
  readonly name = 'claims';
  // 2: the civilian part of the casualty sums (migration CivilianCasualties), filled by a rebuild.
  readonly version = 2;
  readonly defersIndexes = true;
  readonly handles = ['ConflictRegistered', 'AgreementRecorded', 'AgreementCorrected', 'AgreementEnded', ...CLAIM_EVENT_TYPES];
  readonly tables = ['rm_conflicts_v1', 'rm_agreements_v1', 'claim_view_v1', 'allegation_timeline_v1', 'agreement_scorecard_v1'];
  readonly readModels = ['claim_view_v1', 'allegation_timeline_v1', 'agreement_scorecard_v1'];

  /** Bulk batches write the claim rows only: `finishBulk` sums the timeline and the scorecard from them once. */
  async apply(events: ProjectedEvent[], tx: EntityManager, table: TableName, mode: ApplyMode = 'live'): Promise<void> {
    const batch = new Batch(tx, table);
    await batch.load(events);
    for (const event of events) batch.apply(event);
    await batch.relink();
    await batch.save(mode);
  }

  /**
   * The timeline and the scorecard as sums over the claim rows, in SQL: the same counts as
   * `timelineContributions` and `scorecardContribution` add up batch by batch (a rebuild's
   * digest equals the live tables' digest, which the tests check).
   */
  async finishBulk(tx: EntityManager, table: TableName): Promise<void> {
    const claims = table('claim_view_v1');
    await tx.query(
      `INSERT INTO ${table('allegation_timeline_v1')} (${Object.keys(TIMELINE_KEY).join(', ')}, claims, retracted, corroborated, contested, refuted,
              killed_min, killed_max, wounded_min, wounded_max,
              civilian_killed_min, civilian_killed_max, civilian_wounded_min, civilian_wounded_max)
       SELECT c.conflict_id, b.basis, CASE b.basis WHEN 'occurred' THEN c.occurred_day ELSE c.stated_day END,
              c.claimant, c.subject, c.assertion, coalesce(c.agreement_id, $1::uuid),
              count(*), count(*) FILTER (WHERE c.retracted), count(*) FILTER (WHERE c.status = 'corroborated'),
              count(*) FILTER (WHERE c.status = 'contested'), count(*) FILTER (WHERE c.status = 'refuted'),
              sum(c.killed_min), sum(c.killed_max), sum(c.wounded_min), sum(c.wounded_max),
              sum(c.civilian_killed_min), sum(c.civilian_killed_max), sum(c.civilian_wounded_min), sum(c.civilian_wounded_max)
         FROM ${claims} c CROSS JOIN (VALUES ('occurred'), ('stated')) AS b(basis)
        WHERE NOT c.voided AND c.duplicate_of IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      [NO_AGREEMENT],
    );
    await tx.query(
      `INSERT INTO ${table('agreement_scorecard_v1')} (${Object.keys(SCORECARD_KEY).join(', ')}, violations_alleged, compliance_asserted, denied,
              counter_accused, retracted, corroborated, contested, refuted, first_violation_alleged_at)
       SELECT agreement_id, claimant, subject, count(*) FILTER (WHERE violation), count(*) FILTER (WHERE assertion = 'complied'),
              count(*) FILTER (WHERE violation AND denials > 0), count(*) FILTER (WHERE violation AND counter_accusations > 0),
              count(*) FILTER (WHERE retracted), count(*) FILTER (WHERE status = 'corroborated'),
              count(*) FILTER (WHERE status = 'contested'), count(*) FILTER (WHERE status = 'refuted'),
              min(occurred_from) FILTER (WHERE violation)
         FROM (SELECT *, assertion = 'violated' AS violation FROM ${claims}
                WHERE NOT voided AND duplicate_of IS NULL AND agreement_id IS NOT NULL) c
        GROUP BY 1, 2, 3
       HAVING count(*) FILTER (WHERE violation OR assertion = 'complied') > 0`,
    );
  }
}

/** One batch's working set: the rows it touches, before and after. */
class Batch {
  private readonly timeZones = new Map<string, string>();
  private readonly agreements = new Map<string, Agreement>();
  private readonly rows = new Map<string, ClaimRow>();
  /** Each touched claim's row as it was before the batch (null for a new claim). */
  private readonly before = new Map<string, ClaimRow | null>();
  private readonly newConflicts: { conflictId: string; name: string; timeZone: string }[] = [];
  private readonly changedAgreements = new Set<string>();
  private readonly relinkConflicts = new Set<string>();

  constructor(
    private readonly tx: EntityManager,
    private readonly table: TableName,
  ) {}

  async load(events: ProjectedEvent[]): Promise<void> {
    for (const row of await this.tx.query(`SELECT conflict_id, time_zone FROM ${this.table('rm_conflicts_v1')}`)) {
      this.timeZones.set(row.conflict_id, row.time_zone);
    }
    for (const row of await this.tx.query(
      `SELECT agreement_id, conflict_id, effective_from, ended_at, recorded_position FROM ${this.table('rm_agreements_v1')}`,
    )) {
      this.agreements.set(row.agreement_id, {
        agreementId: row.agreement_id,
        conflictId: row.conflict_id,
        effectiveFrom: { at: (row.effective_from as Date).toISOString() },
        ended: row.ended_at ? { endedAt: (row.ended_at as Date).toISOString() } : null,
        recordedPosition: Number(row.recorded_position),
      });
    }
    const ids = new Set<string>();
    for (const e of events) {
      if (!CLAIM_EVENT_TYPES.includes(e.type as ClaimEvent['type'])) continue;
      const data = e.data as { claimId: string; respondsTo?: string };
      ids.add(data.claimId);
      if (data.respondsTo) ids.add(data.respondsTo);
    }
    await this.loadRows([...ids]);
    // Responses change the counts of the claims they answer.
    await this.loadRows([...this.rows.values()].map((r) => r.respondsTo).filter((id): id is string => id !== null));
  }

  apply(event: ProjectedEvent): void {
    const ctx = (conflictId: string): ClaimContext => ({
      timeZone: this.timeZones.get(conflictId) ?? 'UTC',
      agreements: this.agreementsOf(conflictId),
      position: event.position,
      recordedAt: event.recordedAt,
    });
    switch (event.type) {
      case 'ConflictRegistered': {
        const { conflictId, name, timeZone } = (event as unknown as ConflictRegistered).data;
        // A projector never throws on a recorded fact: a registration the write side could not
        // have made (appended straight into the store without its fields) is skipped.
        if (![conflictId, name, timeZone].every((field) => typeof field === 'string')) return;
        this.timeZones.set(conflictId, timeZone);
        this.newConflicts.push({ conflictId, name, timeZone });
        return;
      }
      case 'AgreementRecorded':
      case 'AgreementCorrected':
      case 'AgreementEnded':
        return this.applyAgreement({ type: event.type, data: event.data } as unknown as AgreementEvent, event.position);
    }
    const claimEvent = { type: event.type, data: event.data } as unknown as ClaimEvent;
    const claimId = claimEvent.data.claimId;
    if (claimEvent.type === 'ClaimRecorded') {
      this.put(newClaimRow(claimEvent, ctx(claimEvent.data.conflictId)));
      return;
    }
    const row = this.rows.get(claimId);
    // A projector never throws on a recorded fact: an event for an unknown claim is skipped.
    if (row) this.put(evolveClaimRow(row, claimEvent, ctx(row.conflictId)));
  }

  /** Claims whose agreement may have changed with an agreement's dates get their link recomputed. */
  async relink(): Promise<void> {
    for (const conflictId of this.relinkConflicts) {
      const agreements = this.agreementsOf(conflictId);
      const stored: { claim_id: string; occurred_from: Date; agreement_id: string | null }[] = await this.tx.query(
        `SELECT claim_id, occurred_from, agreement_id FROM ${this.table('claim_view_v1')} WHERE conflict_id = $1`,
        [conflictId],
      );
      const stale = stored
        .filter((r) => !this.rows.has(r.claim_id))
        .filter((r) => agreementInForceAt(agreements, r.occurred_from.toISOString()) !== r.agreement_id)
        .map((r) => r.claim_id);
      await this.loadRows(stale);
      for (const row of [...this.rows.values()].filter((r) => r.conflictId === conflictId)) {
        const agreementId = agreementInForceAt(agreements, row.occurredFrom);
        if (agreementId !== row.agreementId) this.put({ ...row, agreementId });
      }
    }
  }

  async save(mode: ApplyMode): Promise<void> {
    await upsertArrays(
      this.tx,
      this.table('rm_conflicts_v1'),
      { conflict_id: 'uuid', name: 'text', time_zone: 'text' },
      this.newConflicts.map((c) => [c.conflictId, c.name, c.timeZone]),
      'ON CONFLICT (conflict_id) DO NOTHING',
    );
    const agreements = [...this.changedAgreements].map((id) => this.agreements.get(id)!);
    await upsertArrays(
      this.tx,
      this.table('rm_agreements_v1'),
      { agreement_id: 'uuid', conflict_id: 'uuid', effective_from: 'timestamptz', ended_at: 'timestamptz', recorded_position: 'bigint' },
      agreements.map((a) => [a.agreementId, a.conflictId, a.effectiveFrom.at, a.ended?.endedAt ?? null, a.recordedPosition]),
      'ON CONFLICT (agreement_id) DO UPDATE SET effective_from = EXCLUDED.effective_from, ended_at = EXCLUDED.ended_at',
    );
    const touched = [...this.before.keys()].map((id) => this.rows.get(id)!);
    await upsertArrays(
      this.tx,
      this.table('claim_view_v1'),
      CLAIM_COLUMNS,
      touched.map(toColumns),
      `ON CONFLICT (claim_id) DO UPDATE SET ${CLAIM_COLUMN_NAMES.slice(1).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
    );
    if (mode === 'bulk') return;
    await this.saveTimeline();
    await this.saveScorecard();
  }

  private async saveTimeline(): Promise<void> {
    const deltas = new Map<string, Counts>();
    for (const [id, old] of this.before) {
      for (const { key, counts } of old ? timelineContributions(old) : []) addInto(deltas, key, counts, -1);
      for (const { key, counts } of timelineContributions(this.rows.get(id)!)) addInto(deltas, key, counts, +1);
    }
    const changed = [...deltas].filter(([, c]) => Object.values(c).some((v) => v !== 0));
    if (changed.length === 0) return;
    const t = this.table('allegation_timeline_v1');
    await upsertArrays(
      this.tx,
      t,
      TIMELINE_COLUMNS,
      changed.map(([key, c]) => [
        ...key.split('|'), c.claims, c.retracted, c.corroborated, c.contested, c.refuted, c.killedMin, c.killedMax, c.woundedMin, c.woundedMax,
        c.civilianKilledMin, c.civilianKilledMax, c.civilianWoundedMin, c.civilianWoundedMax,
      ]),
      `ON CONFLICT (conflict_id, basis, day, claimant, subject, assertion, agreement_key) DO UPDATE SET
         claims = ${t}.claims + EXCLUDED.claims, retracted = ${t}.retracted + EXCLUDED.retracted,
         corroborated = ${t}.corroborated + EXCLUDED.corroborated, contested = ${t}.contested + EXCLUDED.contested,
         refuted = ${t}.refuted + EXCLUDED.refuted, killed_min = ${t}.killed_min + EXCLUDED.killed_min,
         killed_max = ${t}.killed_max + EXCLUDED.killed_max, wounded_min = ${t}.wounded_min + EXCLUDED.wounded_min,
         wounded_max = ${t}.wounded_max + EXCLUDED.wounded_max,
         civilian_killed_min = ${t}.civilian_killed_min + EXCLUDED.civilian_killed_min,
         civilian_killed_max = ${t}.civilian_killed_max + EXCLUDED.civilian_killed_max,
         civilian_wounded_min = ${t}.civilian_wounded_min + EXCLUDED.civilian_wounded_min,
         civilian_wounded_max = ${t}.civilian_wounded_max + EXCLUDED.civilian_wounded_max`,
    );
    await deleteEmptied(this.tx, t, TIMELINE_KEY, changed.map(([key]) => key.split('|')), 'claims = 0');
  }

  private async saveScorecard(): Promise<void> {
    const deltas = new Map<string, ScoreCounts>();
    for (const [id, old] of this.before) {
      const was = old ? scorecardContribution(old) : null;
      const now = scorecardContribution(this.rows.get(id)!);
      if (was) addInto(deltas, was.key, was.counts, -1);
      if (now) addInto(deltas, now.key, now.counts, +1);
      // The earliest alleged violation can move without any count moving.
      if (now && now.counts.violationsAlleged && !deltas.has(now.key)) deltas.set(now.key, zeroScore());
    }
    if (deltas.size === 0) return;
    const t = this.table('agreement_scorecard_v1');
    await upsertArrays(
      this.tx,
      t,
      SCORECARD_COLUMNS,
      [...deltas].map(([key, c]) => [...key.split('|'), c.violationsAlleged, c.complianceAsserted, c.denied, c.counterAccused, c.retracted, c.corroborated, c.contested, c.refuted]),
      `ON CONFLICT (agreement_id, claimant, subject) DO UPDATE SET
         violations_alleged = ${t}.violations_alleged + EXCLUDED.violations_alleged,
         compliance_asserted = ${t}.compliance_asserted + EXCLUDED.compliance_asserted,
         denied = ${t}.denied + EXCLUDED.denied, counter_accused = ${t}.counter_accused + EXCLUDED.counter_accused,
         retracted = ${t}.retracted + EXCLUDED.retracted, corroborated = ${t}.corroborated + EXCLUDED.corroborated,
         contested = ${t}.contested + EXCLUDED.contested, refuted = ${t}.refuted + EXCLUDED.refuted`,
    );
    const keys = [...deltas.keys()].map((k) => k.split('|'));
    await this.tx.query(
      `UPDATE ${t} s SET first_violation_alleged_at = (
          SELECT min(c.occurred_from) FROM ${this.table('claim_view_v1')} c
           WHERE c.agreement_id = s.agreement_id AND c.claimant = s.claimant AND c.subject = s.subject
             AND c.assertion = 'violated' AND NOT c.voided AND c.duplicate_of IS NULL)
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS k(agreement_id, claimant, subject)
       WHERE s.agreement_id = k.agreement_id AND s.claimant = k.claimant AND s.subject = k.subject`,
      [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
    );
    await deleteEmptied(this.tx, t, SCORECARD_KEY, keys, 'violations_alleged = 0 AND compliance_asserted = 0');
  }

  private applyAgreement(event: AgreementEvent, position: number): void {
    const id = event.data.agreementId;
    const current = this.agreements.get(id);
    switch (event.type) {
      case 'AgreementRecorded':
        this.agreements.set(id, {
          agreementId: id,
          conflictId: event.data.conflictId,
          effectiveFrom: { at: event.data.effectiveFrom.at },
          ended: null,
          recordedPosition: position,
        });
        break;
      case 'AgreementCorrected':
        if (!current || !event.data.changes.effectiveFrom) return;
        this.agreements.set(id, { ...current, effectiveFrom: { at: event.data.changes.effectiveFrom.at } });
        break;
      case 'AgreementEnded':
        if (!current) return;
        this.agreements.set(id, { ...current, ended: { endedAt: event.data.endedAt } });
        break;
    }
    this.changedAgreements.add(id);
    this.relinkConflicts.add(this.agreements.get(id)!.conflictId);
  }

  /** The conflict's agreements, in the order they were recorded. */
  private agreementsOf(conflictId: string): Agreement[] {
    return [...this.agreements.values()].filter((a) => a.conflictId === conflictId).sort((a, b) => a.recordedPosition - b.recordedPosition);
  }

  /** Stores a claim's new row and carries a response's change of weight over to the claim it answers. */
  private put(row: ClaimRow): void {
    const previous = this.rows.get(row.claimId) ?? null;
    if (!this.before.has(row.claimId)) this.before.set(row.claimId, previous);
    this.rows.set(row.claimId, row);
    if (!row.respondsTo) return;
    const was = responseWeight(previous);
    const now = responseWeight(row);
    const parent = this.rows.get(row.respondsTo);
    if (!parent || (was.denials === now.denials && was.counterAccusations === now.counterAccusations)) return;
    this.put({
      ...parent,
      denials: parent.denials + now.denials - was.denials,
      counterAccusations: parent.counterAccusations + now.counterAccusations - was.counterAccusations,
    });
  }

  private async loadRows(ids: string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.rows.has(id));
    if (missing.length === 0) return;
    const rows = await this.tx.query(`SELECT ${CLAIM_COLUMN_NAMES.join(', ')} FROM ${this.table('claim_view_v1')} WHERE claim_id = ANY($1::uuid[])`, [missing]);
    for (const row of rows) this.rows.set(row.claim_id, fromColumns(row));
  }
}

/** Deletes the rows among those just changed (by key) that count nothing any more. */
async function deleteEmptied(tx: EntityManager, table: string, key: Record<string, string>, keys: string[][], empty: string): Promise<void> {
  const columns = Object.entries(key);
  await tx.query(
    `DELETE FROM ${table} t USING unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS k(${columns.map(([c]) => c).join(', ')})
      WHERE ${columns.map(([c]) => `t.${c} = k.${c}`).join(' AND ')} AND ${empty}`,
    columns.map((_, i) => keys.map((k) => k[i])),
  );
}

function addInto<T extends object>(sums: Map<string, T>, key: string, counts: T, sign: 1 | -1): void {
  const sum = (sums.get(key) ?? Object.fromEntries(Object.keys(counts).map((k) => [k, 0]))) as Record<string, number>;
  for (const [k, v] of Object.entries(counts)) sum[k] = (sum[k] ?? 0) + sign * (v as number);
  sums.set(key, sum as T);
}

const zeroScore = (): ScoreCounts => ({
  violationsAlleged: 0, complianceAsserted: 0, denied: 0, counterAccused: 0, retracted: 0, corroborated: 0, contested: 0, refuted: 0,
});

const iso = (value: Date | string) => (value instanceof Date ? value.toISOString() : value);
const day = (value: Date | string) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

function toColumns(r: ClaimRow): unknown[] {
  return [
    r.claimId, r.conflictId, r.claimant, r.subject, r.assertion, r.stance, r.respondsTo, r.category,
    r.occurredFrom, r.occurredDay, r.statedAt, r.statedDay, r.agreementId, r.status, r.retracted, r.voided,
    r.duplicateOf, r.killedMin, r.killedMax, r.woundedMin, r.woundedMax, r.denials, r.counterAccusations,
    r.summary, JSON.stringify(r.doc), r.version, r.recordedAt, r.updatedAt, r.lastPosition, r.provisionId,
    r.civilianKilledMin, r.civilianKilledMax, r.civilianWoundedMin, r.civilianWoundedMax,
  ];
}

function fromColumns(c: Record<string, unknown>): ClaimRow {
  return {
    claimId: c.claim_id as string,
    conflictId: c.conflict_id as string,
    claimant: c.claimant as string,
    subject: c.subject as string,
    assertion: c.assertion as string,
    stance: c.stance as string | null,
    respondsTo: c.responds_to as string | null,
    category: c.category as string,
    occurredFrom: iso(c.occurred_from as Date),
    occurredDay: day(c.occurred_day as string),
    statedAt: iso(c.stated_at as Date),
    statedDay: day(c.stated_day as string),
    agreementId: c.agreement_id as string | null,
    status: c.status as ClaimRow['status'],
    retracted: c.retracted as boolean,
    voided: c.voided as boolean,
    duplicateOf: c.duplicate_of as string | null,
    killedMin: c.killed_min as number,
    killedMax: c.killed_max as number,
    woundedMin: c.wounded_min as number,
    woundedMax: c.wounded_max as number,
    civilianKilledMin: c.civilian_killed_min as number,
    civilianKilledMax: c.civilian_killed_max as number,
    civilianWoundedMin: c.civilian_wounded_min as number,
    civilianWoundedMax: c.civilian_wounded_max as number,
    denials: c.denials as number,
    counterAccusations: c.counter_accusations as number,
    summary: c.summary as string,
    doc: c.doc as ClaimRow['doc'],
    version: c.version as number,
    recordedAt: iso(c.recorded_at as Date),
    updatedAt: iso(c.updated_at as Date),
    lastPosition: Number(c.last_position),
    provisionId: c.provision_id as string | null,
  };
}
