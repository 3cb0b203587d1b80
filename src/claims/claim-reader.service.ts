import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '../event-store/event-store.service';
import type { RecordedEvent } from '../event-store/event-store.types';
import { fold } from '../shared/decider';
import { NotFoundError } from '../shared/domain-error';
import { claimDecider, type ClaimEvent, type ClaimState, claimStreamId } from './domain/claim';

export type RecordedClaimState = Extract<ClaimState, { recorded: true }>;

export interface LoadedClaim {
  state: RecordedClaimState;
  events: RecordedEvent[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Claims folded from their streams, for lookups before deciding and for the claim route. */
@Injectable()
export class ClaimReader {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async find(claimId: string): Promise<LoadedClaim | null> {
    if (!UUID.test(claimId)) return null;
    const events = await this.store.readStream(claimStreamId(claimId));
    const state = fold(claimDecider, events.map((e) => ({ type: e.type, data: e.data }) as unknown as ClaimEvent));
    return state.recorded ? { state, events } : null;
  }

  async get(claimId: string): Promise<LoadedClaim> {
    const claim = await this.find(claimId);
    if (!claim) throw new NotFoundError('claim.not_found', `No claim ${claimId}`);
    return claim;
  }

  /** The claims that answer `claimId`, in the order they were recorded. */
  async responsesTo(claimId: string): Promise<LoadedClaim[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT data->>'claimId' AS id FROM events WHERE type = 'ClaimRecorded' AND data->>'respondsTo' = $1 ORDER BY position`,
      [claimId],
    );
    const responses = await Promise.all(rows.map((row) => this.find(row.id)));
    return responses.filter((r): r is LoadedClaim => r !== null);
  }
}
