import { queryOptions } from '@tanstack/react-query';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';

export type Place = components['schemas']['PlaceResponse'];
export const PLACE_READS = [['places'], ['incidents']] as const;

export const placeQueries = {
  /** The conflict's gazetteer, or the places one of whose names matches `q` (any script or spelling). */
  search: (conflictId: string, q: string) =>
    queryOptions({
      queryKey: ['places', 'search', conflictId, q],
      queryFn: async ({ signal }) =>
        dataOf(await api.GET('/api/conflicts/{conflictId}/places', { params: { path: { conflictId }, query: { limit: 200, ...(q.trim() ? { q: q.trim() } : {}) } }, signal })).items,
      enabled: conflictId !== '',
    }),
  detail: (placeId: string) =>
    queryOptions({
      queryKey: ['places', 'detail', placeId],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/places/{placeId}', { params: { path: { placeId } }, signal })),
      enabled: placeId !== '',
    }),
};
