import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '../event-store/event-store.service';
import type { RecordedEvent } from '../event-store/event-store.types';
import { fold } from '../shared/decider';
import { NotFoundError } from '../shared/domain-error';
import { isUuid } from '../shared/text';
import { INCIDENT_EVENT_TYPES, incidentDecider, type IncidentEvent, type IncidentState, incidentStreamId } from './domain/incident';

export type OpenedIncident = Extract<IncidentState, { opened: true }> & { version: number };

const asDomain = (events: readonly Pick<RecordedEvent, 'type' | 'data'>[]) => events.map((e) => ({ type: e.type, data: e.data }) as unknown as IncidentEvent);

/**
 * Incidents, folded from the log, always current. A conflict has tens or hundreds of incidents,
 * each with a handful of events: read whole through the index on the events' conflict id.
 */
@Injectable()
export class IncidentDirectory {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  /** The incident and the events it was folded from (for its history of links). */
  async get(incidentId: string): Promise<{ incident: OpenedIncident; events: RecordedEvent[] }> {
    const events = isUuid(incidentId) ? await this.store.readStream(incidentStreamId(incidentId)) : [];
    const state = fold(incidentDecider, asDomain(events));
    if (!state.opened) throw new NotFoundError('incident.not_found', `No incident ${incidentId}`);
    return { incident: { ...state, version: events.length }, events };
  }

  /** Every incident of the conflict, in the order they were opened. */
  async incidentsOf(conflictId: string): Promise<OpenedIncident[]> {
    const rows: { stream_id: string; type: string; data: unknown }[] = await this.dataSource.query(
      `SELECT stream_id, type, data FROM events WHERE data->>'conflictId' = $1 AND type = ANY($2::text[]) ORDER BY position`,
      [conflictId, INCIDENT_EVENT_TYPES],
    );
    const streams = new Map<string, { type: string; data: unknown }[]>();
    for (const row of rows) streams.set(row.stream_id, [...(streams.get(row.stream_id) ?? []), row]);
    const incidents: OpenedIncident[] = [];
    for (const events of streams.values()) {
      const state = fold(incidentDecider, asDomain(events as Pick<RecordedEvent, 'type' | 'data'>[]));
      if (state.opened) incidents.push({ ...state, version: events.length });
    }
    return incidents;
  }
}
