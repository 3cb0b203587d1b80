import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ClaimLocation, Occurred } from '../claims/domain/claim';
import { appConfig, type AppConfig } from '../config/env';
import { Gazetteer, type RegisteredPlace } from '../places/gazetteer.service';
import { NotFoundError } from '../shared/domain-error';
import { isUuid } from '../shared/text';
import { occurredWindow, relation, type Situated } from './domain/related';
import { IncidentDirectory, type OpenedIncident } from './incident-directory.service';
import type { RelatedClaimResponse, RelatedIncidentResponse, RelatedResponse } from './responses/incident.response';
import { incidentSummary } from './incident-views';

interface CandidateRow {
  claim_id: string;
  conflict_id: string;
  claimant: string;
  subject: string;
  assertion: RelatedClaimResponse['assertion'];
  stance: RelatedClaimResponse['stance'];
  summary: string;
  doc: { occurred: Occurred; location: ClaimLocation | null };
}

/** The most suggestions of each kind. */
const TOP = 20;
/** Candidates are read from this long before a window starts: no precision spans more (a month). */
const LONGEST_SPAN_MS = 32 * 24 * 3_600_000;

/**
 * "This may already be recorded": the claims and incidents of the same conflict whose windows
 * overlap a claim's (or a draft's) and whose place is the same or near (SUGGEST_DISTANCE_KM),
 * whoever the claimant, ranked by `relation`.
 */
@Injectable()
export class RelatedFinder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gazetteer: Gazetteer,
    private readonly incidents: IncidentDirectory,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  /** What may be the same happening as a recorded claim. */
  async forClaim(claimId: string): Promise<RelatedResponse> {
    const [row]: CandidateRow[] = isUuid(claimId) ? await this.dataSource.query('SELECT * FROM claim_view_v1 WHERE claim_id = $1', [claimId]) : [];
    if (!row) throw new NotFoundError('claim.not_found', `No claim ${claimId}`);
    const places = await this.placesOf(row.conflict_id);
    return this.find(row.conflict_id, situate(row.doc.occurred, row.doc.location, places), places, claimId);
  }

  /** The claims that may be accounts of an incident and are not linked to it yet, and the incidents it may duplicate. */
  async forIncident(incident: OpenedIncident): Promise<RelatedResponse> {
    const places = await this.placesOf(incident.conflictId);
    const place = incident.placeId ? places.get(incident.placeId) : undefined;
    const found = await this.find(incident.conflictId, { occurred: incident.occurred, placeId: incident.placeId, lat: place?.lat, lon: place?.lon }, places, null);
    return {
      claims: found.claims.filter((c) => !incident.claimIds.includes(c.id)),
      incidents: found.incidents.filter((i) => i.id !== incident.incidentId),
    };
  }

  /** What may be the same happening as a draft not yet saved. */
  async forDraft(conflictId: string, draft: Situated): Promise<RelatedResponse> {
    const places = await this.placesOf(conflictId);
    const place = draft.placeId ? places.get(draft.placeId) : undefined;
    const located = draft.lat !== undefined && draft.lon !== undefined ? draft : { ...draft, lat: place?.lat, lon: place?.lon };
    return this.find(conflictId, located, places, null);
  }

  private async find(conflictId: string, subject: Situated, places: ReadonlyMap<string, RegisteredPlace>, claimId: string | null): Promise<RelatedResponse> {
    const maxKm = this.config.SUGGEST_DISTANCE_KM;
    const [start, end] = occurredWindow(subject.occurred);
    const rows: CandidateRow[] = await this.dataSource.query(
      `SELECT claim_id, conflict_id, claimant, subject, assertion, stance, summary, doc FROM claim_view_v1
        WHERE conflict_id = $1 AND occurred_from BETWEEN $2 AND $3 AND NOT voided AND duplicate_of IS NULL AND claim_id IS DISTINCT FROM $4
        ORDER BY occurred_from LIMIT 2000`,
      [conflictId, new Date(start - LONGEST_SPAN_MS).toISOString(), new Date(end).toISOString(), claimId],
    );
    const claims = rows
      .flatMap((r): RelatedClaimResponse[] => {
        const related = relation(subject, situate(r.doc.occurred, r.doc.location, places), maxKm);
        return related
          ? [{ id: r.claim_id, claimant: r.claimant, subject: r.subject, assertion: r.assertion, stance: r.stance, occurred: r.doc.occurred, location: r.doc.location, summary: r.summary, ...related }]
          : [];
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, TOP);
    const incidents = (await this.incidents.incidentsOf(conflictId))
      .flatMap((incident): RelatedIncidentResponse[] => {
        const place = incident.placeId ? places.get(incident.placeId) : undefined;
        const related = relation(subject, { occurred: incident.occurred, placeId: incident.placeId, lat: place?.lat, lon: place?.lon }, maxKm);
        return related ? [{ ...incidentSummary(incident), ...related, linked: claimId !== null && incident.claimIds.includes(claimId) }] : [];
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, TOP);
    return { claims, incidents };
  }

  private async placesOf(conflictId: string): Promise<Map<string, RegisteredPlace>> {
    return new Map((await this.gazetteer.placesOf(conflictId)).map((p) => [p.placeId, p]));
  }
}

/** Where and when a claim says it happened: its own coordinates, else its place's. */
function situate(occurred: Occurred, location: ClaimLocation | null, places: ReadonlyMap<string, RegisteredPlace>): Situated {
  const place = location?.placeId ? places.get(location.placeId) : undefined;
  return { occurred, placeId: location?.placeId, lat: location?.lat ?? place?.lat, lon: location?.lon ?? place?.lon };
}
