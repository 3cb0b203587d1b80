import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { agreementDecider, type AgreementEvent, type AgreementState } from '../agreements/domain/agreement';
import { EventStore, type ReadStreamOptions } from '../event-store/event-store.service';
import type { RecordedEvent } from '../event-store/event-store.types';
import { fold } from '../shared/decider';
import { NotFoundError } from '../shared/domain-error';
import { isUuid } from '../shared/text';
import { conflictDecider, type ConflictEvent, type ConflictState, conflictStreamId } from './domain/conflict';

export type RecordedAgreement = Extract<AgreementState, { recorded: true }> & { version: number };
export type RegisteredConflict = ConflictState & { conflictId: string; version: number };

const asDomain = <E>(events: RecordedEvent[]) => events.map((e) => ({ type: e.type, data: e.data }) as unknown as E);

/**
 * Conflicts, their parties and their agreements, folded from the log. Commands look things up
 * here before deciding, and the conflict routes read them here, always current.
 */
@Injectable()
export class ConflictDirectory {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async find(conflictId: string): Promise<RegisteredConflict | null> {
    if (!isUuid(conflictId)) return null;
    const events = await this.store.readStream(conflictStreamId(conflictId));
    const state = fold(conflictDecider, asDomain<ConflictEvent>(events));
    return state.conflictId === null ? null : { ...state, conflictId: state.conflictId, version: events.length };
  }

  async get(conflictId: string): Promise<RegisteredConflict> {
    const conflict = await this.find(conflictId);
    if (!conflict) throw new NotFoundError('conflict.not_found', `No conflict ${conflictId}`);
    return conflict;
  }

  async list(): Promise<RegisteredConflict[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT data->>'conflictId' AS id FROM events WHERE type = 'ConflictRegistered' ORDER BY position`,
    );
    const conflicts = await Promise.all(rows.map((row) => this.find(row.id)));
    return conflicts.filter((c): c is RegisteredConflict => c !== null);
  }

  async findAgreement(agreementId: string, asOf: ReadStreamOptions = {}): Promise<RecordedAgreement | null> {
    if (!isUuid(agreementId)) return null;
    const events = await this.store.readStream(`agreement-${agreementId}`, asOf);
    const state = fold(agreementDecider, asDomain<AgreementEvent>(events));
    return state.recorded ? { ...state, version: events.length } : null;
  }

  /** The ids of every provision of the conflict's agreements, which claims may name. */
  async provisionIdsOf(conflictId: string): Promise<Set<string>> {
    const agreements = await this.agreementsOf(conflictId);
    return new Set(agreements.flatMap((a) => a.provisions.map((p) => p.provisionId)));
  }

  /** The conflict's agreements in the order they were recorded (as they stood at `asOf`). */
  async agreementsOf(conflictId: string, asOf: ReadStreamOptions = {}): Promise<RecordedAgreement[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT data->>'agreementId' AS id FROM events
        WHERE type = 'AgreementRecorded' AND data->>'conflictId' = $1
          AND ($2::bigint IS NULL OR position <= $2) AND ($3::timestamptz IS NULL OR recorded_at <= $3)
        ORDER BY position`,
      [conflictId, asOf.toPosition ?? null, asOf.toRecordedAt ?? null],
    );
    const agreements = await Promise.all(rows.map((row) => this.findAgreement(row.id, asOf)));
    return agreements.filter((a): a is RecordedAgreement => a !== null);
  }
}
