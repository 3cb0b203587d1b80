// The dashboard: the parties compared over time, casualties on the same axis, the agreement's
// scorecard, the latest claims and the sources, all for the view the URL holds. Every number
// links to the claims it counts.
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, dataOf } from '../../api/client';
import { PageTitle } from '../../components/page-title';
import { instantToLocalIso, localToInstant, showInstant } from '../../lib/local-time';
import { partyColours } from '../../lib/party-colours';
import { useSession } from '../auth/session';
import { ClaimTable } from '../claims/claim-table';
import { claimQueries } from '../claims/queries';
import { conflictQueries, partyNames } from '../conflicts/queries';
import { type DashboardState, dashboardSearch, parseDashboardState } from './dashboard-state';
import { MapPanel } from './map-panel';
import { ScorecardPanel } from './scorecard-panel';
import { SourcesPanel } from './sources-panel';
import { expandCompact } from './timeline-data';
import { TimelinePanels } from './timeline-panel';

/** Query keys start with the prefixes the live feed and writes invalidate (api/query-client.ts). */
export const dashboardQueries = {
  timeline: (s: DashboardState) => ({
    queryKey: ['timeline', s.conflictId, { bucket: s.bucket, by: s.by, agreementId: s.agreementId, from: s.from, to: s.to, recordedBy: s.recordedBy }],
    // The compact answer: the same numbers in columns, a fraction of the size (docs/benchmarks.md).
    queryFn: async ({ signal }: { signal: AbortSignal }) =>
      expandCompact(
        dataOf(
          await api.GET('/api/conflicts/{conflictId}/timeline/compact', {
          params: {
            path: { conflictId: s.conflictId },
            query: {
              bucket: s.bucket,
              by: s.by,
              ...(s.agreementId ? { agreementId: s.agreementId } : {}),
              ...(s.from ? { from: s.from } : {}),
              ...(s.to ? { to: s.to } : {}),
              // Recorded at (auditors): a replay of the log up to then.
              ...(s.recordedBy ? { asOf: s.recordedBy } : {}),
            },
          },
          signal,
        }),
        ),
      ),
    // What had been recorded by a past time never changes; live updates leave it alone.
    ...(s.recordedBy && Date.parse(s.recordedBy) < Date.now() ? { staleTime: 'static' as const } : {}),
  }),
  scorecard: (agreementId: string) => ({
    queryKey: ['scorecard', agreementId],
    queryFn: async ({ signal }: { signal: AbortSignal }) => dataOf(await api.GET('/api/agreements/{agreementId}/scorecard', { params: { path: { agreementId } }, signal })),
  }),
  sources: () => ({
    queryKey: ['claims', 'sources'],
    queryFn: async ({ signal }: { signal: AbortSignal }) => dataOf(await api.GET('/api/sources', { signal })),
  }),
};

export function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const conflicts = useQuery(conflictQueries.list());
  const parsed = parseDashboardState(params);
  const session = useSession();
  // The timeline as recorded by a past time is a replay of the log: auditors only (DESIGN §7).
  const auditor = session.role === 'auditor' || session.role === 'admin';
  const asked: DashboardState = { ...parsed, conflictId: parsed.conflictId || (conflicts.data?.length === 1 ? conflicts.data[0]!.id : '') };
  const state: DashboardState = auditor ? asked : { ...asked, recordedBy: '' };
  const conflict = useQuery(conflictQueries.detail(state.conflictId));
  const timeline = useQuery({
    ...dashboardQueries.timeline(state),
    enabled: state.conflictId !== '' && !(asked.recordedBy && session.loading),
    placeholderData: keepPreviousData,
  });
  const scorecard = useQuery({ ...dashboardQueries.scorecard(state.agreementId), enabled: state.agreementId !== '', placeholderData: keepPreviousData });
  const sources = useQuery({ ...dashboardQueries.sources(), enabled: state.conflictId !== '' });
  const latestFilters = { conflictId: state.conflictId, counted: 'true' as const, ...(state.agreementId ? { agreementId: state.agreementId } : {}) };
  const claims = useInfiniteQuery({ ...claimQueries.list(latestFilters), enabled: state.conflictId !== '', placeholderData: keepPreviousData });
  const set = (change: Partial<DashboardState>) => {
    const next = { ...state, ...change };
    if (change.conflictId !== undefined && change.conflictId !== state.conflictId) next.agreementId = '';
    // Keep any other parameters (none today) and replace the view's own.
    setParams(dashboardSearch({ ...next, recordedBy: change.recordedBy ?? asked.recordedBy }), { replace: true, preventScrollReset: true });
  };
  const parties = useMemo(() => partyNames(conflict.data), [conflict.data]);
  const partyOrder = useMemo(() => (conflict.data?.parties ?? []).map((p) => p.id), [conflict.data]);
  const colours = useMemo(() => partyColours(conflict.data?.parties), [conflict.data]);
  const zone = conflict.data?.timeZone ?? 'UTC';
  const agreement = conflict.data?.agreements.find((a) => a.id === state.agreementId);
  const windows = useMemo(
    () => (conflict.data?.agreements ?? []).filter((a) => !state.agreementId || a.id === state.agreementId).map((a) => ({ id: a.id, title: a.title, effectiveFrom: a.effectiveFrom.at, endedAt: a.endedAt })),
    [conflict.data, state.agreementId],
  );
  const fileStem = [conflict.data?.name ?? '', agreement?.title ?? '', state.from && `from-${state.from}`, state.to && `to-${state.to}`];
  return (
    <>
      <PageTitle title="Dashboard" />
      <h1>Dashboard</h1>
      <form className="panel controls" aria-label="View" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="dash-conflict">Conflict</label>
          <select id="dash-conflict" value={state.conflictId} onChange={(e) => set({ conflictId: e.target.value })}>
            {conflicts.data?.length === 1 ? null : <option value="">{conflicts.isPending ? 'Loading conflicts…' : 'Choose a conflict…'}</option>}
            {(conflicts.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.region ? `${c.name} (${c.region})` : c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-agreement">Agreement</label>
          <select id="dash-agreement" value={state.agreementId} onChange={(e) => set({ agreementId: e.target.value })}>
            <option value="">All claims (any agreement or none)</option>
            {(conflict.data?.agreements ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.title} (from {showInstant(a.effectiveFrom.at, zone)}
                {a.endedAt ? `, ended ${showInstant(a.endedAt, zone)}` : ''})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-bucket">Period</label>
          <select id="dash-bucket" value={state.bucket} onChange={(e) => set({ bucket: e.target.value as DashboardState['bucket'] })}>
            <option value="day">Day</option>
            <option value="week">Week (from Monday)</option>
            <option value="month">Month</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-by">Dated by</label>
          <select id="dash-by" value={state.by} onChange={(e) => set({ by: e.target.value as DashboardState['by'] })}>
            <option value="occurred">When it allegedly happened</option>
            <option value="stated">When it was said</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-from">From (optional)</label>
          <input id="dash-from" type="date" value={state.from} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="dash-to">To (optional)</label>
          <input id="dash-to" type="date" value={state.to} onChange={(e) => set({ to: e.target.value })} />
        </div>
        {auditor ? (
          <div className="field wide recorded-by">
            <label htmlFor="dash-recorded-by">Recorded by (auditors, optional)</label>
            <p className="hint" id="dash-recorded-by-hint">
              The timeline as the tracker had recorded it by this time in {zone} (<em>recorded at</em>: when the tracker learned of a claim), not what happened by then. For
              what allegedly happened up to a date, use <em>To</em>.
            </p>
            <input
              id="dash-recorded-by"
              type="datetime-local"
              aria-describedby="dash-recorded-by-hint"
              value={state.recordedBy ? instantToLocalIso(Date.parse(state.recordedBy), zone).slice(0, 16) : ''}
              onChange={(e) => set({ recordedBy: e.target.value ? (localToInstant(e.target.value, zone) ?? '') : '' })}
            />
          </div>
        ) : null}
        <fieldset className="field layout">
          <legend>Bars</legend>
          {(['stacked', 'side-by-side'] as const).map((layout) => (
            <label key={layout}>
              <input type="radio" name="layout" value={layout} checked={state.layout === layout} onChange={() => set({ layout })} /> {layout === 'stacked' ? 'Stacked' : 'Side by side'}
            </label>
          ))}
        </fieldset>
          {conflict.data ? (
          <p className="hint wide">
            Local dates in <strong>{zone}</strong>. Parties:{' '}
            {conflict.data.parties.map((p, i) => (
              <span key={p.id} className="party-badge">
                <span className={`swatch ${colours.className(p.id)}`} aria-hidden="true" />
                {p.name}
                {i < conflict.data.parties.length - 1 ? ', ' : ''}
              </span>
            ))}
          </p>
        ) : null}
      </form>

      {asked.recordedBy && !auditor && !session.loading ? (
        <p className="panel notice">
          This link asks for the timeline as recorded by {showInstant(asked.recordedBy, zone)}, which only auditors can see. Showing the record now.
        </p>
      ) : null}
      {state.recordedBy && timeline.data?.asOf ? <RecordedByNotice state={state} zone={zone} asOf={timeline.data.asOf} empty={timeline.data.series.length === 0} set={set} /> : null}
      {!state.conflictId ? (
        <p className="empty panel">Choose a conflict.</p>
      ) : state.recordedBy && timeline.data?.series.length === 0 ? null : timeline.isError ? (
        <p className="error-text panel">The timeline could not be loaded: {timeline.error.message}</p>
      ) : timeline.data && conflict.data ? (
        <TimelinePanels timeline={timeline.data} state={state} parties={parties} partyOrder={partyOrder} colours={colours} windows={windows} fileStem={fileStem} />
      ) : (
        <p className="loading panel" role="status">
          Loading the timeline…
        </p>
      )}

      <section className="panel" aria-labelledby="scorecard-heading" aria-busy={scorecard.isPlaceholderData}>
        <h2 id="scorecard-heading">{agreement ? `Scorecard: ${agreement.title}` : 'Agreement scorecard'}</h2>
        {!state.agreementId ? (
          <p className="empty">Choose an agreement above to see its scorecard.</p>
        ) : scorecard.isError ? (
          <p className="error-text">The scorecard could not be loaded: {scorecard.error.message}</p>
        ) : scorecard.data ? (
          <ScorecardPanel scorecard={scorecard.data} title={agreement?.title ?? 'Agreement'} state={state} parties={parties} partyOrder={partyOrder} colours={colours} zone={zone} fileStem={fileStem} />
        ) : (
          <p className="loading">Loading…</p>
        )}
      </section>

      <section className="panel" aria-labelledby="claims-heading">
        <h2 id="claims-heading">Latest claims{agreement ? ` under ${agreement.title}` : ''}</h2>
        {!state.conflictId ? (
          <p className="empty">Choose a conflict.</p>
        ) : (
          <>
            <ClaimTable pages={claims.data?.pages} parties={parties} zone={zone} loading={claims.isPending} updating={claims.isPlaceholderData} />
            <p>
              <Link to={`/claims?${new URLSearchParams(latestFilters).toString()}`}>All these claims, with filters</Link>
            </p>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="map-heading">
        <h2 id="map-heading">Where{agreement ? ` under ${agreement.title}` : ''}</h2>
        {conflict.data ? <MapPanel state={state} parties={conflict.data.parties} colours={colours} /> : null}
      </section>

      <section className="panel" aria-labelledby="sources-heading">
        <h2 id="sources-heading">Sources</h2>
        {!state.conflictId ? null : sources.data ? (
          <SourcesPanel sources={sources.data} parties={parties} zone={zone} partyIds={partyOrder} />
        ) : sources.isError ? (
          <p className="error-text">The sources could not be loaded: {sources.error.message}</p>
        ) : (
          <p className="loading">Loading…</p>
        )}
      </section>
    </>
  );
}

/**
 * The two clocks, said out loud: what "recorded by" means, what the tracker had by then (never a
 * silently empty chart), and the other question — what allegedly happened up to that date.
 */
function RecordedByNotice(props: {
  state: DashboardState;
  zone: string;
  asOf: { position: number; firstClaimRecordedAt: string | null };
  empty: boolean;
  set: (change: Partial<DashboardState>) => void;
}) {
  const { state, zone, asOf, empty, set } = props;
  const when = showInstant(state.recordedBy, zone);
  const localDate = instantToLocalIso(Date.parse(state.recordedBy), zone).slice(0, 10);
  return (
    <section className="panel notice" aria-labelledby="recorded-by-heading">
      <h2 id="recorded-by-heading">As recorded by {when}</h2>
      {empty ? (
        <p>
          Nothing had been recorded by then: the tracker had not yet learned of any claim in this selection.{' '}
          {asOf.firstClaimRecordedAt
            ? `The first claim of this conflict was recorded on ${showInstant(asOf.firstClaimRecordedAt, zone)}.`
            : 'No claim of this conflict has been recorded yet.'}
        </p>
      ) : (
        <p>
          The timeline counts the claims the tracker had recorded by then (log position {asOf.position}), as they then stood. The other panels show the record now.
        </p>
      )}
      <p>
        <em>Recorded at</em> is when the tracker learned of a claim; <em>occurred</em> is when the claim says it happened.{' '}
        <button type="button" className="link" onClick={() => set({ recordedBy: '', to: localDate, by: 'occurred' })}>
          Show what allegedly happened up to and including {showInstant(state.recordedBy, zone, { time: false })} instead
        </button>{' '}
        ·{' '}
        <button type="button" className="link" onClick={() => set({ recordedBy: '' })}>
          Show the record now
        </button>
      </p>
    </section>
  );
}
