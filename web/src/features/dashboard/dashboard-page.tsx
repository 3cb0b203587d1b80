// The dashboard of the old page, moved as it was: timeline (bars + table per claimant → subject),
// agreement scorecard, latest claims. The next issue redesigns it.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { useSearchParams } from 'react-router';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { PageTitle } from '../../components/page-title';
import { showInstant } from '../../lib/local-time';
import { ClaimTable } from '../claims/claim-table';
import { claimQueries } from '../claims/queries';
import { conflictQueries, partyNames } from '../conflicts/queries';
import type { PartyNames } from '../claims/words';

type Timeline = components['schemas']['TimelineResponse'];
type Series = components['schemas']['TimelineSeriesResponse'];
type Scorecard = components['schemas']['ScorecardResponse'];

export function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const conflicts = useQuery(conflictQueries.list());
  const conflictId = params.get('conflict') ?? (conflicts.data?.length === 1 ? conflicts.data[0]!.id : '');
  const agreementId = params.get('agreement') ?? '';
  const bucket = (params.get('bucket') ?? 'day') as 'day' | 'week' | 'month';
  const by = (params.get('by') ?? 'occurred') as 'occurred' | 'stated';
  const conflict = useQuery(conflictQueries.detail(conflictId));
  const timeline = useQuery({
    queryKey: ['timeline', conflictId, { bucket, by, agreementId }],
    queryFn: async ({ signal }) =>
      dataOf(await api.GET('/api/conflicts/{conflictId}/timeline', { params: { path: { conflictId }, query: { bucket, by, ...(agreementId ? { agreementId } : {}) } }, signal })),
    enabled: conflictId !== '',
    placeholderData: (previous) => previous,
  });
  const scorecard = useQuery({
    queryKey: ['scorecard', agreementId],
    queryFn: async ({ signal }) => dataOf(await api.GET('/api/agreements/{agreementId}/scorecard', { params: { path: { agreementId } }, signal })),
    enabled: agreementId !== '',
  });
  const claims = useInfiniteQuery({ ...claimQueries.list({ conflictId }), enabled: conflictId !== '' });
  const set = (name: string, value: string, fallback = '') => {
    const next = new URLSearchParams(params);
    if (value === fallback) next.delete(name);
    else next.set(name, value);
    if (name === 'conflict') next.delete('agreement');
    setParams(next, { replace: true });
  };
  const parties = partyNames(conflict.data);
  const zone = conflict.data?.timeZone ?? 'UTC';
  return (
    <>
      <PageTitle title="Dashboard" />
      <h1>Dashboard</h1>
      <form className="panel controls" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="dash-conflict">Conflict</label>
          <select id="dash-conflict" value={conflictId} onChange={(e) => set('conflict', e.target.value)}>
            {conflicts.data?.length === 1 ? null : <option value="">{conflicts.isPending ? 'Loading conflicts…' : 'Choose a conflict…'}</option>}
            {(conflicts.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.region ? `${c.name} (${c.region})` : c.name}
              </option>
            ))}
          </select>
          {conflict.data ? (
            <p className="hint">
              Time zone: <strong>{zone}</strong> · parties: {conflict.data.parties.map((p) => p.name).join(', ')}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="dash-agreement">Agreement</label>
          <select id="dash-agreement" value={agreementId} onChange={(e) => set('agreement', e.target.value)}>
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
          <select id="dash-bucket" value={bucket} onChange={(e) => set('bucket', e.target.value, 'day')}>
            <option value="day">Day</option>
            <option value="week">Week (from Monday)</option>
            <option value="month">Month</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-by">Dated by</label>
          <select id="dash-by" value={by} onChange={(e) => set('by', e.target.value, 'occurred')}>
            <option value="occurred">When it allegedly happened</option>
            <option value="stated">When it was said</option>
          </select>
        </div>
      </form>

      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Allegation timeline</h2>
        <p className="hint">
          Claims per period, each claimant about each subject, in local dates of the conflict&rsquo;s time zone. Voided claims and duplicates are left out; retracted, contested and refuted ones still count, with those counts beside the total.
        </p>
        {!conflictId ? <p className="empty">Choose a conflict.</p> : timeline.data ? <TimelineView timeline={timeline.data} parties={parties} /> : <p className="loading">Loading…</p>}
      </section>

      <section className="panel" aria-labelledby="scorecard-heading">
        <h2 id="scorecard-heading">Agreement scorecard</h2>
        {!agreementId ? <p className="empty">Choose an agreement to see its scorecard.</p> : scorecard.data ? <ScorecardView scorecard={scorecard.data} parties={parties} zone={zone} title={conflict.data?.agreements.find((a) => a.id === agreementId)?.title ?? 'Agreement'} /> : <p className="loading">Loading…</p>}
      </section>

      <section className="panel" aria-labelledby="claims-heading">
        <h2 id="claims-heading">Latest claims</h2>
        {!conflictId ? (
          <p className="empty">Choose a conflict.</p>
        ) : (
          <ClaimTable pages={claims.data?.pages} parties={parties} zone={zone} loading={claims.isPending} />
        )}
        {claims.hasNextPage ? (
          <button type="button" className="secondary" disabled={claims.isFetchingNextPage} onClick={() => void claims.fetchNextPage()}>
            More claims
          </button>
        ) : null}
      </section>
    </>
  );
}

const sortByNames = <T extends { claimant: string | null; subject: string; assertion?: string }>(rows: T[], parties: PartyNames) =>
  [...rows].sort((a, b) => parties.name(a.claimant ?? '').localeCompare(parties.name(b.claimant ?? '')) || parties.name(a.subject).localeCompare(parties.name(b.subject)) || (a.assertion ?? '').localeCompare(b.assertion ?? ''));

/** Every period from the first to the last with claims, so gaps show as gaps. */
export function periodRange(series: Series[], bucket: string): string[] {
  const present = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  const all: string[] = [];
  for (let period = present[0]; period !== undefined && period <= present.at(-1)! && all.length <= 1000; period = nextPeriod(period, bucket)) all.push(period);
  return all.length > 1000 ? present : all;
}

function nextPeriod(period: string, bucket: string): string {
  const date = new Date(`${period}T00:00:00Z`);
  if (bucket === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCDate(date.getUTCDate() + (bucket === 'week' ? 7 : 1));
  return date.toISOString().slice(0, 10);
}

const range = ({ min, max }: { min: number; max: number }) => (min === max ? String(min) : `${min}–${max}`);

function TimelineView({ timeline, parties }: { timeline: Timeline; parties: PartyNames }) {
  if (timeline.series.length === 0) return <p className="empty">No claims in this selection.</p>;
  const periods = periodRange(timeline.series, timeline.bucket);
  const highest = Math.max(1, ...timeline.series.flatMap((s) => s.points.map((p) => p.claims)));
  return (
    <>
      {sortByNames(timeline.series, parties).map((series) => {
        const title = `${parties.name(series.claimant)} → ${parties.name(series.subject)} · ${series.assertion}`;
        return (
          <figure className={`series ${series.assertion}`} key={`${series.claimant}-${series.subject}-${series.assertion}`}>
            <figcaption>{title}</figcaption>
            <Bars series={series} periods={periods} highest={highest} title={title} bucket={timeline.bucket} />
            <div className="table-wrap">
              <table>
                <caption>
                  {title}: claims per {timeline.bucket}
                </caption>
                <thead>
                  <tr>
                    {['Period', 'Claims', 'Retracted', 'Corroborated', 'Contested', 'Refuted', 'Killed (min–max)', 'Wounded (min–max)'].map((h) => (
                      <th scope="col" key={h}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {series.points.map((p) => (
                    <tr key={p.period}>
                      <th scope="row">{p.period}</th>
                      {[p.claims, p.retracted, p.corroborated, p.contested, p.refuted, range(p.killed), range(p.wounded)].map((v, i) => (
                        <td key={i}>{v}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </figure>
        );
      })}
    </>
  );
}

function Bars({ series, periods, highest, title, bucket }: { series: Series; periods: string[]; highest: number; title: string; bucket: string }) {
  const width = 400;
  const height = 100;
  const top = 14;
  const bottom = 84;
  const slot = width / periods.length;
  const barWidth = Math.max(0.5, Math.min(24, slot * 0.8));
  const byPeriod = new Map(series.points.map((p) => [p.period, p]));
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: claims per ${bucket}, chart (the table below has the numbers)`}>
      <line className="axis" x1={0} y1={bottom} x2={width} y2={bottom} />
      <text x={0} y={10}>
        {highest} claim{highest === 1 ? '' : 's'}
      </text>
      <text x={0} y={height - 2}>
        {periods[0]}
      </text>
      {periods.length > 1 ? (
        <text x={width} y={height - 2} textAnchor="end">
          {periods.at(-1)}
        </text>
      ) : null}
      {periods.map((period, i) => {
        const point = byPeriod.get(period);
        if (!point || point.claims === 0) return null;
        const barHeight = ((bottom - top) * point.claims) / highest;
        return (
          <rect className="bar" key={period} x={(i * slot + (slot - barWidth) / 2).toFixed(2)} y={(bottom - barHeight).toFixed(2)} width={barWidth.toFixed(2)} height={barHeight.toFixed(2)}>
            <title>
              {period}: {point.claims} claim{point.claims === 1 ? '' : 's'}
            </title>
          </rect>
        );
      })}
    </svg>
  );
}

function ScorecardView({ scorecard, parties, zone, title }: { scorecard: Scorecard; parties: PartyNames; zone: string; title: string }) {
  const caption = `${title}, in force from ${showInstant(scorecard.effectiveFrom, zone)}${scorecard.endedAt ? ` until ${showInstant(scorecard.endedAt, zone)}` : ''}`;
  if (scorecard.rows.length === 0) return <p className="empty">{caption}: no claims under it yet.</p>;
  const head = ['Claimant', 'Subject', 'Violations alleged', 'Compliance asserted', 'Denied', 'Counter-accused', 'Retracted', 'Corroborated', 'Contested', 'Refuted', 'First violation alleged'];
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th scope="col" className={i < 2 ? 'text' : undefined} key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sortByNames(scorecard.rows, parties).map((r) => (
            <tr key={`${r.claimant}-${r.subject}`}>
              <th scope="row">{parties.name(r.claimant)}</th>
              <td className="text">{parties.name(r.subject)}</td>
              {[r.violationsAlleged, r.complianceAsserted, r.denied, r.counterAccused, r.retracted, r.corroborated, r.contested, r.refuted].map((v, i) => (
                <td key={i}>{v}</td>
              ))}
              <td>{r.firstViolationAllegedAt ? showInstant(r.firstViolationAllegedAt, zone) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
