import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AgreementEvent } from '../../agreements/domain/agreement';
import { agreementInForceAt, type AgreementPeriod } from '../../agreements/domain/agreement-in-force';
import { CLAIM_EVENT_TYPES, type ClaimEvent } from '../../claims/domain/claim';
import type { ConflictRegistered } from '../../conflicts/domain/conflict';
import type { RecordedEvent } from '../../event-store/event-store.types';
import type { Projector, TableName } from '../../projections/projector';
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
} from './claim-row';
import { insertRows } from '../sql';

type Agreement = AgreementPeriod & { conflictId: string; recordedPosition: number };

const CLAIM_COLUMNS = [
  'claim_id', 'conflict_id', 'claimant', 'subject', 'assertion', 'stance', 'responds_to', 'category',
  'occurred_from', 'occurred_day', 'stated_at', 'stated_day', 'agreement_id', 'status', 'retracted', 'voided',
  'duplicate_of', 'killed_min', 'killed_max', 'wounded_min', 'wounded_max', 'denials', 'counter_accusations',
  'summary', 'doc', 'version', 'recorded_at', 'updated_at', 'last_position',
] as const;

/**
 * The claim view, the allegation timeline and the agreement scorecard (DESIGN §5), written
 * together: the timeline and the scorecard are sums over claim rows, kept by adding each changed
 * claim's new contribution and taking away its old one.
 */
@Injectable()
export class ClaimsProjector implements Projector {
  readonly name = 'claims';
  readonly version = 1;
  readonly handles = ['ConflictRegistered', 'AgreementRecorded', 'AgreementCorrected', 'AgreementEnded', ...CLAIM_EVENT_TYPES];
  readonly tables = ['rm_conflicts_v1', 'rm_agreements_v1', 'claim_view_v1', 'allegation_timeline_v1', 'agreement_scorecard_v1'];
  readonly readModels = ['claim_view_v1', 'allegation_timeline_v1', 'agreement_scorecard_v1'];

  async apply(events: RecordedEvent[], tx: EntityManager, table: TableName): Promise<void> {
    const batch = new Batch(tx, table);
    await batch.load(events);
    for (const event of events) batch.apply(event);
    await batch.relink();
    await batch.save();
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

  async load(events: RecordedEvent[]): Promise<void> {
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

  apply(event: RecordedEvent): void {
    const ctx = (conflictId: string): ClaimContext => ({
      timeZone: this.timeZones.get(conflictId) ?? 'UTC',
      agreements: this.agreementsOf(conflictId),
      position: event.position,
      recordedAt: event.recordedAt,
    });
    switch (event.type) {
      case 'ConflictRegistered': {
        const { conflictId, name, timeZone } = (event as unknown as ConflictRegistered).data;
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

  async save(): Promise<void> {
    await insertRows(
      this.tx,
      this.table('rm_conflicts_v1'),
      ['conflict_id', 'name', 'time_zone'],
      this.newConflicts.map((c) => [c.conflictId, c.name, c.timeZone]),
      'ON CONFLICT (conflict_id) DO NOTHING',
    );
    const agreements = [...this.changedAgreements].map((id) => this.agreements.get(id)!);
    await insertRows(
      this.tx,
      this.table('rm_agreements_v1'),
      ['agreement_id', 'conflict_id', 'effective_from', 'ended_at', 'recorded_position'],
      agreements.map((a) => [a.agreementId, a.conflictId, a.effectiveFrom.at, a.ended?.endedAt ?? null, a.recordedPosition]),
      'ON CONFLICT (agreement_id) DO UPDATE SET effective_from = EXCLUDED.effective_from, ended_at = EXCLUDED.ended_at',
    );
    const touched = [...this.before.keys()].map((id) => this.rows.get(id)!);
    await insertRows(
      this.tx,
      this.table('claim_view_v1'),
      CLAIM_COLUMNS,
      touched.map(toColumns),
      `ON CONFLICT (claim_id) DO UPDATE SET ${CLAIM_COLUMNS.slice(1).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
    );
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
    await insertRows(
      this.tx,
      t,
      ['conflict_id', 'basis', 'day', 'claimant', 'subject', 'assertion', 'agreement_key', 'claims', 'retracted', 'corroborated', 'contested', 'refuted', 'killed_min', 'killed_max', 'wounded_min', 'wounded_max'],
      changed.map(([key, c]) => [...key.split('|'), c.claims, c.retracted, c.corroborated, c.contested, c.refuted, c.killedMin, c.killedMax, c.woundedMin, c.woundedMax]),
      `ON CONFLICT (conflict_id, basis, day, claimant, subject, assertion, agreement_key) DO UPDATE SET
         claims = ${t}.claims + EXCLUDED.claims, retracted = ${t}.retracted + EXCLUDED.retracted,
         corroborated = ${t}.corroborated + EXCLUDED.corroborated, contested = ${t}.contested + EXCLUDED.contested,
         refuted = ${t}.refuted + EXCLUDED.refuted, killed_min = ${t}.killed_min + EXCLUDED.killed_min,
         killed_max = ${t}.killed_max + EXCLUDED.killed_max, wounded_min = ${t}.wounded_min + EXCLUDED.wounded_min,
         wounded_max = ${t}.wounded_max + EXCLUDED.wounded_max`,
    );
    await this.tx.query(`DELETE FROM ${t} WHERE claims = 0`);
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
    await insertRows(
      this.tx,
      t,
      ['agreement_id', 'claimant', 'subject', 'violations_alleged', 'compliance_asserted', 'denied', 'counter_accused', 'retracted', 'corroborated', 'contested', 'refuted'],
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
    await this.tx.query(`DELETE FROM ${t} WHERE violations_alleged = 0 AND compliance_asserted = 0`);
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
    const rows = await this.tx.query(`SELECT ${CLAIM_COLUMNS.join(', ')} FROM ${this.table('claim_view_v1')} WHERE claim_id = ANY($1::uuid[])`, [missing]);
    for (const row of rows) this.rows.set(row.claim_id, fromColumns(row));
  }
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
    r.summary, JSON.stringify(r.doc), r.version, r.recordedAt, r.updatedAt, r.lastPosition,
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
    denials: c.denials as number,
    counterAccusations: c.counter_accusations as number,
    summary: c.summary as string,
    doc: c.doc as ClaimRow['doc'],
    version: c.version as number,
    recordedAt: iso(c.recorded_at as Date),
    updatedAt: iso(c.updated_at as Date),
    lastPosition: Number(c.last_position),
  };
}
