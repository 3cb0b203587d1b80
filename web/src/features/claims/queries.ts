import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, dataOf } from '../../api/client';
import type { components, paths } from '../../api/schema';

export type Claim = components['schemas']['ClaimResponse'];
export type ClaimListItem = components['schemas']['ClaimListItemResponse'];
export type ThreadItem = components['schemas']['ClaimThreadItemResponse'];
export type ClaimFilters = NonNullable<paths['/api/claims']['get']['parameters']['query']>;

export const claimQueries = {
  detail: (claimId: string) =>
    queryOptions({
      queryKey: ['claims', 'detail', claimId],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/claims/{claimId}', { params: { path: { claimId } }, signal })),
    }),
  thread: (claimId: string) =>
    queryOptions({
      queryKey: ['claims', 'thread', claimId],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/claims/{claimId}/thread', { params: { path: { claimId } }, signal })),
    }),
  /** Our own cursor paging: the first page sends no cursor. */
  list: (filters: ClaimFilters) =>
    infiniteQueryOptions({
      queryKey: ['claims', 'list', filters],
      initialPageParam: null as string | null,
      queryFn: async ({ pageParam, signal }) =>
        dataOf(await api.GET('/api/claims', { params: { query: { ...filters, limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
      getNextPageParam: (page) => page.nextCursor,
    }),
};
