import { useMemo } from 'react';
import { Link } from 'react-router';
import type { PartyNames } from '../claims/words';
import { showInstant } from '../../lib/local-time';
import type { PartyColours } from '../../lib/party-colours';
import { type DashboardState, drillDownHref } from './dashboard-state';
import { DownloadLinks } from './download-links';
import { useLinkTarget } from './link-target';
import { AllegationsChart, type AgreementWindow, CasualtiesChart } from './timeline-chart';
import { barRows, casualtyRows, cellLookup, directionsOf, downloadName, periodsOf, type Timeline } from './timeline-data';

const range = (min: number, max: number) => (min === max ? String(min) : `${min}–${max}`);

export function TimelinePanels(props: {
  timeline: Timeline;
  state: DashboardState;
  parties: PartyNames;
  partyOrder: string[];
  colours: PartyColours;
  windows: AgreementWindow[];
  fileStem: string[];
  /** An embed shows the one chart, with its legend and table. */
  embedded?: boolean;
}) {
  const { timeline, state, parties, partyOrder, colours, windows, fileStem, embedded = false } = props;
  const target = useLinkTarget();
  // As recorded by a past time, the numbers are not links: the claims list shows the record now.
  const linked = !state.recordedBy;
  const recordedBy = state.recordedBy ? `, as recorded by ${showInstant(state.recordedBy, timeline.timeZone)}` : '';
  const directions = useMemo(() => directionsOf(timeline, parties, partyOrder), [timeline, parties, partyOrder]);
  const periods = useMemo(() => periodsOf(timeline, state.bucket), [timeline, state.bucket]);
  const cell = useMemo(() => cellLookup(timeline), [timeline]);
  const bars = useMemo(() => barRows(directions, periods, state.bucket, cell, state.layout), [directions, periods, state.bucket, cell, state.layout]);
  const casualties = useMemo(() => casualtyRows(timeline, periods), [timeline, periods]);
  if (periods.length === 0) return <p className="empty">No claims in this selection.</p>;
  // The table lists the periods with claims: two years of days would otherwise be 730 rows of zeros.
  const busy = periods.filter((p) => directions.some((d) => cell(d.key, p).claims > 0));
  const per = state.bucket;
  const header = ['Period', ...directions.map((d) => d.label)];
  const tableRows = busy.map((p) => [p, ...directions.map((d) => cell(d.key, p).claims)]);
  const total = bars.reduce((sum, b) => sum + b.claims, 0);
  const casualtyHeader = [
    'Period',
    'Killed (lowest)', 'Killed (highest)', 'Killed civilians (lowest)', 'Killed civilians (highest)', 'Killed military (lowest)', 'Killed military (highest)',
    'Wounded (lowest)', 'Wounded (highest)', 'Wounded civilians (lowest)', 'Wounded civilians (highest)', 'Wounded military (lowest)', 'Wounded military (highest)',
  ];
  const casualtyBusy = casualties.filter((c) => c.killedMax > 0 || c.woundedMax > 0);
  return (
    <>
      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">
          Who accused whom, per {per}
          {recordedBy}
        </h2>
        <p className="hint">
          {total} claim{total === 1 ? '' : 's'}, dated by {state.by === 'occurred' ? 'when it allegedly happened' : 'when it was said'}, in local dates of the conflict. Accusations
          rise above the line; claims of compliance (denials among them) hang below it. Shaded: an agreement in force, its dashed line the moment it took effect.{' '}
          {linked
            ? 'Click a bar for its claims.'
            : 'Only the claims the tracker had recorded by then, as they then stood; the numbers are not links, because the claims list shows the record now.'}
        </p>
        <ul className="legend" aria-label="Directions">
          {directions.map((d, i) => (
            <li key={d.key}>
              <span className={`swatch ${colours.className(d.claimant)}${directions.slice(0, i).some((o) => o.claimant === d.claimant && o.assertion === d.assertion) ? ' pale' : ''}${d.assertion === 'complied' ? ' below' : ''}`} aria-hidden="true" />
              {d.label}
            </li>
          ))}
        </ul>
        <AllegationsChart
          rows={bars}
          directions={directions}
          periods={periods}
          state={state}
          windows={windows}
          timeZone={timeline.timeZone}
          colours={colours}
          label={`Claims per ${per} for each direction; the table below has the same numbers`}
        />
        <details className="data-table">
          <summary>Show the numbers as a table</summary>
          <div className="table-wrap">
            <table>
              <caption>Claims per {per}, by direction (each number lists its claims)</caption>
              <thead>
                <tr>
                  <th scope="col" className="text">
                    Period
                  </th>
                  {directions.map((d) => (
                    <th scope="col" key={d.key}>
                      {d.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {busy.map((p) => (
                  <tr key={p}>
                    <th scope="row">{p}</th>
                    {directions.map((d) => {
                      const n = cell(d.key, p).claims;
                      return (
                        <td key={d.key}>
                          {n === 0 || !linked ? (
                            String(n)
                          ) : (
                            <Link to={drillDownHref(state, { claimant: d.claimant, subject: d.subject, assertion: d.assertion, period: p })} target={target} aria-label={`${n}: ${d.label}, ${p}`}>
                              {n}
                            </Link>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
        <DownloadLinks what="claims per period" name={downloadName(['timeline', ...fileStem, per, state.by, state.recordedBy && `recorded-by-${state.recordedBy}`])} header={header} rows={tableRows} />
      </section>

      {embedded ? null : (
      <section className="panel" aria-labelledby="casualties-heading">
        <h2 id="casualties-heading">
          Casualties claimed, per {per}
          {recordedBy}
        </h2>
        <p className="hint">All directions together, on the same dates as above. Claims often give a range (“up to 4”): the band runs from the lowest to the highest figure claimed. In each period: killed civilians, killed military, wounded civilians, wounded military. Dark: killed; grey: wounded; paler with dashed ends: military.</p>
        {casualtyBusy.length === 0 ? (
          <p className="empty">No casualties claimed in this selection.</p>
        ) : (
          <>
            <CasualtiesChart rows={casualties} periods={periods} state={state} windows={windows} timeZone={timeline.timeZone} label={`Killed and wounded claimed per ${per}, civilians and military; the table below has the same numbers`} />
            <details className="data-table">
              <summary>Show the casualty figures as a table</summary>
              <div className="table-wrap">
                <table>
                  <caption>Casualties claimed per {per} (lowest–highest)</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="text">Period</th>
                      <th scope="col">Killed</th>
                      <th scope="col">Killed: civilians</th>
                      <th scope="col">Killed: military</th>
                      <th scope="col">Wounded</th>
                      <th scope="col">Wounded: civilians</th>
                      <th scope="col">Wounded: military</th>
                    </tr>
                  </thead>
                  <tbody>
                    {casualtyBusy.map((c) => (
                      <tr key={c.period}>
                        <th scope="row">
                          {linked ? (
                            <Link to={drillDownHref(state, { period: c.period })} target={target}>
                              {c.period}
                            </Link>
                          ) : (
                            c.period
                          )}
                        </th>
                        <td>{range(c.killedMin, c.killedMax)}</td>
                        <td>{range(c.civilianKilledMin, c.civilianKilledMax)}</td>
                        <td>{range(c.militaryKilledMin, c.militaryKilledMax)}</td>
                        <td>{range(c.woundedMin, c.woundedMax)}</td>
                        <td>{range(c.civilianWoundedMin, c.civilianWoundedMax)}</td>
                        <td>{range(c.militaryWoundedMin, c.militaryWoundedMax)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
            <DownloadLinks
              what="casualties per period"
              name={downloadName(['casualties', ...fileStem, per, state.by, state.recordedBy && `recorded-by-${state.recordedBy}`])}
              header={casualtyHeader}
              rows={casualtyBusy.map((c) => [
                c.period,
                c.killedMin, c.killedMax, c.civilianKilledMin, c.civilianKilledMax, c.militaryKilledMin, c.militaryKilledMax,
                c.woundedMin, c.woundedMax, c.civilianWoundedMin, c.civilianWoundedMax, c.militaryWoundedMin, c.militaryWoundedMax,
              ])}
            />
          </>
        )}
      </section>
      )}
    </>
  );
}
