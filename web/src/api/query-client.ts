import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiProblem, notePosition } from './client';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiProblem | Error;
    mutationMeta: { invalidates?: readonly (readonly unknown[])[] };
  }
}

/** Keys whose data a write can change: claims and their threads, lists and dashboards. */
export const CLAIM_READS = [['claims'], ['timeline'], ['scorecard']] as const;

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: {
        // Never retry what the server refused (4xx); once for a lost connection; 503 after its Retry-After.
        retry: (count, error) => error instanceof ApiProblem && (error.status === 0 || error.status === 503) && count < 2,
        retryDelay: (_count, error) => (error instanceof ApiProblem && error.retryAfter ? error.retryAfter * 1000 : 1000),
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onSuccess: async (data, _variables, _context, mutation) => {
        notePosition((data as { position?: number } | undefined)?.position);
        const keys = mutation.meta?.invalidates ?? CLAIM_READS;
        await Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
      },
    }),
  });
  return client;
}
