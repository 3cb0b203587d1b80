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

const MAX_CACHED_STREAMS = 2000;

/**
 * Folded states of short, often-read streams, each with the version it has seen: a look-up reads
 * only the events after that version (none, usually) and folds them on. Events never change, so
 * a state folded up to version N stays right for version N.
 */
class FoldCache<S> {
  private readonly folded = new Map<string, { state: S; version: number }>();

  constructor(
    private readonly store: EventStore,
    private readonly initial: (events: RecordedEvent[]) => S,
    private readonly more: (state: S, events: RecordedEvent[]) => S,
  ) {}

  async current(streamId: string): Promise<{ state: S; version: number }> {
    const known = this.folded.get(streamId);
    const events = await this.store.readStream(streamId, known ? { afterVersion: known.version } : {});
    if (known && events.length === 0) return known;
    const next = { state: known ? this.more(known.state, events) : this.initial(events), version: (known?.version ?? 0) + events.length };
    // A stream with no events is not cached: most such look-ups are mistyped ids.
    if (next.version === 0) return next;
    this.folded.delete(streamId);
    if (this.folded.size >= MAX_CACHED_STREAMS) this.folded.delete(this.folded.keys().next().value!);
    this.folded.set(streamId, next);
    return next;
  }
}

/**
 * Conflicts, their parties and their agreements, folded from the log. Commands look things up
 * here before deciding, and the conflict routes read them here, always current.
 */
@Injectable()
export class ConflictDirectory {
  private readonly conflicts: FoldCache<ConflictState>;
  private readonly agreements: FoldCache<AgreementState>;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {
    this.conflicts = new FoldCache(store, (events) => fold(conflictDecider, asDomain<ConflictEvent>(events)), (state, events) =>
      asDomain<ConflictEvent>(events).reduce(conflictDecider.evolve, state),
    );
    this.agreements = new FoldCache(store, (events) => fold(agreementDecider, asDomain<AgreementEvent>(events)), (state, events) =>
      asDomain<AgreementEvent>(events).reduce(agreementDecider.evolve, state),
    );
  }

  async find(conflictId: string): Promise<RegisteredConflict | null> {
    if (!isUuid(conflictId)) return null;
    const { state, version } = await this.conflicts.current(conflictStreamId(conflictId));
    return state.conflictId === null ? null : { ...state, conflictId: state.conflictId, version };
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
    const streamId = `agreement-${agreementId}`;
    let folded: { state: AgreementState; version: number };
    if (asOf.toPosition === undefined && asOf.toRecordedAt === undefined) folded = await this.agreements.current(streamId);
    else {
      const events = await this.store.readStream(streamId, asOf);
      folded = { state: fold(agreementDecider, asDomain<AgreementEvent>(events)), version: events.length };
    }
    return folded.state.recorded ? { ...folded.state, version: folded.version } : null;
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
