import { queryOptions } from '@tanstack/react-query';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import type { PartyNames } from '../claims/words';

export type Conflict = components['schemas']['ConflictDetailResponse'];
export type Party = components['schemas']['PartyResponse'];

export const conflictQueries = {
  list: () =>
    queryOptions({
      queryKey: ['conflicts', 'list'],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/conflicts', { signal })).items,
    }),
  detail: (conflictId: string) =>
    queryOptions({
      queryKey: ['conflicts', 'detail', conflictId],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/conflicts/{conflictId}', { params: { path: { conflictId } }, signal })),
      enabled: conflictId !== '',
    }),
};

export const partyLabel = (p: Party) => p.shortName ?? p.name;

export function partyNames(conflict: { parties: Party[] } | undefined): PartyNames {
  const byId = new Map((conflict?.parties ?? []).map((p) => [p.id, partyLabel(p)]));
  return { name: (id) => byId.get(id) ?? 'an unknown party' };
}
