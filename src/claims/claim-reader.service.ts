import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore, type ReadStreamOptions } from '../event-store/event-store.service';
import type { RecordedEvent } from '../event-store/event-store.types';
import { fold } from '../shared/decider';
import { NotFoundError } from '../shared/domain-error';
import { isUuid } from '../shared/text';
import { claimDecider, type ClaimEvent, type ClaimState, claimStreamId } from './domain/claim';

export type RecordedClaimState = Extract<ClaimState, { recorded: true }>;

export interface LoadedClaim {
  state: RecordedClaimState;
  events: RecordedEvent[];
}


/** Claims folded from their streams, for lookups before deciding and for the claim route. */
@Injectable()
export class ClaimReader {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  /** The claim folded from its stream, or as it stood at a position or instant (`asOf`). */
  async find(claimId: string, asOf: ReadStreamOptions = {}): Promise<LoadedClaim | null> {
    if (!isUuid(claimId)) return null;
    const events = await this.store.readStream(claimStreamId(claimId), asOf);
    const state = fold(claimDecider, events.map((e) => ({ type: e.type, data: e.data }) as unknown as ClaimEvent));
    return state.recorded ? { state, events } : null;
  }

  async get(claimId: string, asOf: ReadStreamOptions = {}): Promise<LoadedClaim> {
    const claim = await this.find(claimId, asOf);
    if (!claim) throw new NotFoundError('claim.not_found', `No claim ${claimId}`);
    return claim;
  }

  /** The claims that answer `claimId`, in the order they were recorded. */
  async responsesTo(claimId: string, asOf: ReadStreamOptions = {}): Promise<LoadedClaim[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT data->>'claimId' AS id FROM events
        WHERE type = 'ClaimRecorded' AND data->>'respondsTo' = $1
          AND ($2::bigint IS NULL OR position <= $2) AND ($3::timestamptz IS NULL OR recorded_at <= $3)
        ORDER BY position`,
      [claimId, asOf.toPosition ?? null, asOf.toRecordedAt ?? null],
    );
    const responses = await Promise.all(rows.map((row) => this.find(row.id, asOf)));
    return responses.filter((r): r is LoadedClaim => r !== null);
  }
}
