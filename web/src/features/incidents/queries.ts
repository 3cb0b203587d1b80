import { queryOptions } from '@tanstack/react-query';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';

export type Incident = components['schemas']['IncidentResponse'];
export type IncidentSummary = components['schemas']['IncidentSummaryResponse'];
export type Related = components['schemas']['RelatedResponse'];

/** Reads a write on incidents can change: the incidents themselves and the claims' suggestions. */
export const INCIDENT_READS = [['incidents'], ['claims']] as const;

export const incidentQueries = {
  list: (conflictId: string) =>
    queryOptions({
      queryKey: ['incidents', 'list', conflictId],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/conflicts/{conflictId}/incidents', { params: { path: { conflictId } }, signal })).items,
      enabled: conflictId !== '',
    }),
  detail: (incidentId: string) =>
    queryOptions({
      queryKey: ['incidents', 'detail', incidentId],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/incidents/{incidentId}', { params: { path: { incidentId } }, signal })),
    }),
  related: (incidentId: string) =>
    queryOptions({
      queryKey: ['incidents', 'related', incidentId],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/incidents/{incidentId}/related', { params: { path: { incidentId } }, signal })),
    }),
  /** Incidents a claim is linked to or may belong to, and claims that may tell of the same happening. */
  relatedToClaim: (claimId: string) =>
    queryOptions({
      queryKey: ['claims', 'related', claimId],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/claims/{claimId}/related', { params: { path: { claimId } }, signal })),
    }),
};
