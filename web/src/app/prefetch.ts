// Route loaders that start a page's reads while its code chunk is still loading (WEB-STYLE W3):
// without them the page asks for its data only once its chunk has run, one read after another.
// They never wait: the page renders as soon as its chunk is in, and its queries find the
// requests already under way (or done) in the query cache.
import type { QueryClient } from '@tanstack/react-query';
import type { LoaderFunctionArgs } from 'react-router';
import { sessionQuery } from '../features/auth/session';
import { readToken } from '../features/auth/token-store';
import { claimQueries } from '../features/claims/queries';
import { conflictQueries } from '../features/conflicts/queries';

const ignore = () => undefined;

export function routePrefetch(client: QueryClient) {
  return {
    /** Every page shows who is signed in. */
    shell: () => {
      void client.prefetchQuery(sessionQuery(readToken()));
      return null;
    },
    /** The desk's form needs the conflicts, and with only one, that conflict's parties and zone. */
    recordClaim: () => {
      void client
        .fetchQuery(conflictQueries.list())
        .then((conflicts) => (conflicts.length === 1 ? client.prefetchQuery(conflictQueries.detail(conflicts[0]!.id)) : undefined))
        .catch(ignore);
      return null;
    },
    /** A claim's page: the claim, its thread, and its conflict (party names, time zone). */
    claim: ({ params }: LoaderFunctionArgs) => {
      const claimId = params.claimId ?? '';
      void client.prefetchQuery(claimQueries.thread(claimId));
      void client
        .fetchQuery(claimQueries.detail(claimId))
        .then((claim) => client.prefetchQuery(conflictQueries.detail(claim.conflictId)))
        .catch(ignore);
      return null;
    },
  };
}
