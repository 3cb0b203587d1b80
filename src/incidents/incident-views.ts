import type { OpenedIncident } from './incident-directory.service';
import type { IncidentSummaryResponse } from './responses/incident.response';

export function incidentSummary(i: OpenedIncident): IncidentSummaryResponse {
  return {
    id: i.incidentId,
    conflictId: i.conflictId,
    title: i.title,
    occurred: i.occurred,
    placeId: i.placeId ?? null,
    status: i.assessment?.status ?? 'unverified',
    claims: i.claimIds.length,
    version: i.version,
  };
}
