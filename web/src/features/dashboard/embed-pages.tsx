// Embeds for news articles: one chart or the scorecard, no navigation, public reads only, and a
// link back to the full dashboard (opened in the top window, outside the article's iframe).
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { api, dataOf } from '../../api/client';
import { PageTitle } from '../../components/page-title';
import { partyColours } from '../../lib/party-colours';
import { conflictQueries, partyNames } from '../conflicts/queries';
import { dashboardQueries } from './dashboard-page';
import { type DashboardState, dashboardSearch, parseDashboardState } from './dashboard-state';
import { LinkTargetContext } from './link-target';
import { ScorecardPanel } from './scorecard-panel';
import { TimelinePanels } from './timeline-panel';

function EmbedFrame({ title, fullView, children }: { title: string; fullView: string; children: React.ReactNode }) {
  return (
    <main id="main" className="embed">
      <PageTitle title={title} />
      <h1 className="embed-title">{title}</h1>
      <LinkTargetContext value="_top">{children}</LinkTargetContext>
      <p className="embed-source">
        Ceasefire tracker ·{' '}
        <a href={fullView} target="_top">
          View full data
        </a>
      </p>
    </main>
  );
}

export function TimelineEmbedPage() {
  const { conflictId = '' } = useParams();
  const [params] = useSearchParams();
  // Embeds read public answers only: never the auditors' replay.
  const state: DashboardState = { ...parseDashboardState(params), conflictId, recordedBy: '' };
  const conflict = useQuery(conflictQueries.detail(conflictId));
  const timeline = useQuery({ ...dashboardQueries.timeline(state), enabled: conflictId !== '' });
  const parties = useMemo(() => partyNames(conflict.data), [conflict.data]);
  const partyOrder = useMemo(() => (conflict.data?.parties ?? []).map((p) => p.id), [conflict.data]);
  const colours = useMemo(() => partyColours(conflict.data?.parties), [conflict.data]);
  const windows = useMemo(
    () => (conflict.data?.agreements ?? []).filter((a) => !state.agreementId || a.id === state.agreementId).map((a) => ({ id: a.id, title: a.title, effectiveFrom: a.effectiveFrom.at, endedAt: a.endedAt })),
    [conflict.data, state.agreementId],
  );
  return (
    <EmbedFrame title={conflict.data ? `${conflict.data.name}: who accused whom` : 'Who accused whom'} fullView={`/?${dashboardSearch(state).toString()}`}>
      {timeline.isError || conflict.isError ? (
        <p className="error-text">The chart could not be loaded.</p>
      ) : timeline.data && conflict.data ? (
        <TimelinePanels timeline={timeline.data} state={state} parties={parties} partyOrder={partyOrder} colours={colours} windows={windows} fileStem={[conflict.data.name]} embedded />
      ) : (
        <p className="loading" role="status">
          Loading the chart…
        </p>
      )}
    </EmbedFrame>
  );
}

export function ScorecardEmbedPage() {
  const { agreementId = '' } = useParams();
  const agreement = useQuery({
    queryKey: ['conflicts', 'agreement', agreementId],
    queryFn: async ({ signal }) => dataOf(await api.GET('/api/agreements/{agreementId}', { params: { path: { agreementId } }, signal })),
  });
  const conflictId = agreement.data?.conflictId ?? '';
  const conflict = useQuery(conflictQueries.detail(conflictId));
  const scorecard = useQuery(dashboardQueries.scorecard(agreementId));
  const parties = useMemo(() => partyNames(conflict.data), [conflict.data]);
  const partyOrder = useMemo(() => (conflict.data?.parties ?? []).map((p) => p.id), [conflict.data]);
  const colours = useMemo(() => partyColours(conflict.data?.parties), [conflict.data]);
  const state: DashboardState = { ...parseDashboardState(new URLSearchParams()), conflictId, agreementId };
  const title = agreement.data?.title ?? 'Agreement';
  return (
    <EmbedFrame title={`Scorecard: ${title}`} fullView={`/?${dashboardSearch(state).toString()}`}>
      {scorecard.isError || agreement.isError ? (
        <p className="error-text">The scorecard could not be loaded.</p>
      ) : scorecard.data && conflict.data ? (
        <ScorecardPanel scorecard={scorecard.data} title={title} state={state} parties={parties} partyOrder={partyOrder} colours={colours} zone={conflict.data.timeZone} fileStem={[conflict.data.name]} />
      ) : (
        <p className="loading" role="status">
          Loading the scorecard…
        </p>
      )}
    </EmbedFrame>
  );
}
