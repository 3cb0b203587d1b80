import { queryOptions, useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { onTokenChange, readToken } from './token-store';

export type Role = components['schemas']['Role'];

export const useToken = () => useSyncExternalStore(onTokenChange, readToken, () => null);

export const sessionQuery = (token: string | null) =>
  queryOptions({
    queryKey: ['session', token],
    queryFn: async ({ signal }) => dataOf(await api.GET('/api/session', { signal })),
    staleTime: 60_000,
  });

export interface Session {
  role: Role | null;
  name: string | null;
  publicReads: boolean;
  /** The map's tile source (TILE_URL) and its attribution; null: no tile server. */
  tiles: { url: string; attribution: string | null } | null;
  loading: boolean;
  /** Record claims and their changes. */
  canWrite: boolean;
  /** Assess, void, mark duplicates, registry. */
  isEditor: boolean;
  /** Sees protected identities of confidential sources. */
  seesConfidential: boolean;
}

export function useSession(): Session {
  const token = useToken();
  const { data, isPending } = useQuery(sessionQuery(token));
  const role = data?.role ?? null;
  return {
    role,
    name: data?.name ?? null,
    publicReads: data?.publicReads ?? true,
    tiles: data?.tileUrl ? { url: data.tileUrl, attribution: data.tileAttribution } : null,
    loading: isPending,
    canWrite: role === 'journalist' || role === 'editor' || role === 'admin',
    isEditor: role === 'editor' || role === 'admin',
    seesConfidential: role === 'editor' || role === 'admin',
  };
}
