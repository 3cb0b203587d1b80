import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '../event-store/event-store.service';
import { fold } from '../shared/decider';
import { NotFoundError } from '../shared/domain-error';
import { isUuid } from '../shared/text';
import { PLACE_EVENT_TYPES, placeDecider, type PlaceEvent, type PlaceState, placeStreamId } from './domain/place';
import { nameMatch } from './domain/place-names';

export type RegisteredPlace = Extract<PlaceState, { registered: true }> & { version: number };

/** A place found by a search, with the name that answered best. */
export interface PlaceMatch {
  place: RegisteredPlace;
  matchedName: string;
  score: number;
}

/**
 * The places of each conflict, folded from the log. A conflict's gazetteer is small (its towns,
 * districts and sites: hundreds, not millions), so it is read whole, always current, through the
 * index on the events' conflict id, rather than kept in a projection of its own.
 */
@Injectable()
export class Gazetteer {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async find(placeId: string): Promise<RegisteredPlace | null> {
    if (!isUuid(placeId)) return null;
    const events = await this.store.readStream(placeStreamId(placeId));
    const state = fold(placeDecider, events.map((e) => ({ type: e.type, data: e.data }) as unknown as PlaceEvent));
    return state.registered ? { ...state, version: events.length } : null;
  }

  async get(placeId: string): Promise<RegisteredPlace> {
    const place = await this.find(placeId);
    if (!place) throw new NotFoundError('place.not_found', `No place ${placeId}`);
    return place;
  }

  /** Every place of the conflict, in the order they were registered. */
  async placesOf(conflictId: string): Promise<RegisteredPlace[]> {
    return this.folded(
      await this.dataSource.query(
        `SELECT stream_id, type, data FROM events WHERE data->>'conflictId' = $1 AND type = ANY($2::text[]) ORDER BY position`,
        [conflictId, PLACE_EVENT_TYPES],
      ),
    );
  }

  /** The places with these ids that exist, in one read of their streams. */
  async findMany(placeIds: readonly string[]): Promise<RegisteredPlace[]> {
    const ids = placeIds.filter(isUuid);
    if (ids.length === 0) return [];
    return this.folded(
      await this.dataSource.query('SELECT stream_id, type, data FROM events WHERE stream_id = ANY($1::text[]) ORDER BY position', [ids.map(placeStreamId)]),
    );
  }

  private folded(rows: { stream_id: string; type: string; data: unknown }[]): RegisteredPlace[] {
    const streams = new Map<string, PlaceEvent[]>();
    for (const row of rows) {
      const events = streams.get(row.stream_id) ?? [];
      events.push({ type: row.type, data: row.data } as PlaceEvent);
      streams.set(row.stream_id, events);
    }
    const places: RegisteredPlace[] = [];
    for (const events of streams.values()) {
      const state = fold(placeDecider, events);
      if (state.registered) places.push({ ...state, version: events.length });
    }
    return places;
  }

  async placeIdsOf(conflictId: string): Promise<Set<string>> {
    return new Set((await this.placesOf(conflictId)).map((p) => p.placeId));
  }

  /** The conflict's places that a name or alias matches, best first (then in registration order). */
  async search(conflictId: string, query: string, limit: number): Promise<PlaceMatch[]> {
    const matches: PlaceMatch[] = [];
    for (const place of await this.placesOf(conflictId)) {
      let best: { name: string; score: number } = { name: '', score: 0 };
      for (const { name } of place.names) {
        const score = nameMatch(name, query);
        if (score > best.score) best = { name, score };
      }
      if (best.score > 0) matches.push({ place, matchedName: best.name, score: best.score });
    }
    // Array.prototype.sort is stable: equal scores keep the registration order.
    return matches.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}
