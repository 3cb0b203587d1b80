import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, useRouteError } from 'react-router';
import { ProblemPage } from '../components/problem-page';
import { ApiProblem } from '../api/client';
import { AppShell } from './app-shell';
import { routePrefetch } from './prefetch';

function RouteError() {
  return <ProblemPage error={useRouteError()} />;
}

const lazyPage = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) => async () => ({ Component: (await load())[name] });

export function createRouter(queryClient: QueryClient) {
  const prefetch = routePrefetch(queryClient);
  return createBrowserRouter([
    // Embeds: outside the app shell (no navigation), for iframes in news articles.
    { path: 'embed/conflicts/:conflictId/timeline', errorElement: <RouteError />, lazy: lazyPage(() => import('../features/dashboard/embed-pages'), 'TimelineEmbedPage') },
    { path: 'embed/agreements/:agreementId/scorecard', errorElement: <RouteError />, lazy: lazyPage(() => import('../features/dashboard/embed-pages'), 'ScorecardEmbedPage') },
    {
      element: <AppShell />,
      loader: prefetch.shell,
      errorElement: <RouteError />,
      hydrateFallbackElement: <p className="loading">Loading…</p>,
      children: [
        { errorElement: <RouteError />, children: [
          { index: true, lazy: lazyPage(() => import('../features/dashboard/dashboard-page'), 'DashboardPage') },
          { path: 'sign-in', lazy: lazyPage(() => import('../features/auth/sign-in-page'), 'SignInPage') },
          { path: 'claims', lazy: lazyPage(() => import('../features/claims/claims-list-page'), 'ClaimsListPage') },
          { path: 'claims/import', lazy: lazyPage(() => import('../features/imports/import-claims-page'), 'ImportClaimsPage') },
          { path: 'reports/new', lazy: lazyPage(() => import('../features/drafts/paste-report-page'), 'PasteReportPage') },
          { path: 'claims/new', loader: prefetch.recordClaim, lazy: lazyPage(() => import('../features/desk/record-claim-page'), 'RecordClaimPage') },
          { path: 'claims/:claimId', loader: prefetch.claim, lazy: lazyPage(() => import('../features/claims/claim-page'), 'ClaimPage') },
          { path: 'claims/:claimId/:action', lazy: lazyPage(() => import('../features/claims/actions/claim-action-page'), 'ClaimActionPage') },
          { path: 'audit/claims/:claimId', lazy: lazyPage(() => import('../features/audit/claim-history-page'), 'ClaimHistoryPage') },
          { path: 'conflicts', lazy: lazyPage(() => import('../features/conflicts/registry-pages'), 'ConflictsPage') },
          { path: 'conflicts/:conflictId', lazy: lazyPage(() => import('../features/conflicts/registry-pages'), 'ConflictPage') },
          { path: 'conflicts/:conflictId/places', lazy: lazyPage(() => import('../features/places/place-pages'), 'PlacesPage') },
          { path: 'places/:placeId', lazy: lazyPage(() => import('../features/places/place-pages'), 'PlacePage') },
          { path: 'conflicts/:conflictId/incidents', lazy: lazyPage(() => import('../features/incidents/incident-pages'), 'IncidentsPage') },
          { path: 'incidents/:incidentId', lazy: lazyPage(() => import('../features/incidents/incident-pages'), 'IncidentPage') },
          { path: 'agreements/:agreementId', lazy: lazyPage(() => import('../features/agreements/agreement-pages'), 'AgreementPage') },
          { path: 'agreements/:agreementId/correct', lazy: lazyPage(() => import('../features/agreements/agreement-pages'), 'CorrectAgreementPage') },
          { path: '*', element: <ProblemPage error={new ApiProblem(404, null)} /> },
        ] },
      ],
    },
  ]);
}
