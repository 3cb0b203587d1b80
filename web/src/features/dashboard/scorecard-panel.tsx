import { Link } from 'react-router';
import type { components } from '../../api/schema';
import { showInstant } from '../../lib/local-time';
import type { PartyColours } from '../../lib/party-colours';
import type { PartyNames } from '../claims/words';
import { type CellFilter, type DashboardState, delayWords, drillDownHref } from './dashboard-state';
import { DownloadLinks } from './download-links';
import { useLinkTarget } from './link-target';
import { directionLabel, downloadName } from './timeline-data';

type Scorecard = components['schemas']['ScorecardResponse'];
type Row = components['schemas']['ScorecardRowResponse'];

/** The numbers of a row, each with what it counts: the label, the value and its claims list filter. */
const COLUMNS: { label: string; value: (r: Row) => number; filter: CellFilter }[] = [
  { label: 'Violations alleged', value: (r) => r.violationsAlleged, filter: { assertion: 'violated' } },
  { label: 'Compliance asserted', value: (r) => r.complianceAsserted, filter: { assertion: 'complied' } },
  { label: 'Denied', value: (r) => r.denied, filter: { assertion: 'violated', answered: 'denied' } },
  { label: 'Counter-accused', value: (r) => r.counterAccused, filter: { assertion: 'violated', answered: 'counter-accused' } },
  { label: 'Retracted', value: (r) => r.retracted, filter: { retracted: true } },
  { label: 'Corroborated', value: (r) => r.corroborated, filter: { status: 'corroborated' } },
  { label: 'Contested', value: (r) => r.contested, filter: { status: 'contested' } },
  { label: 'Refuted', value: (r) => r.refuted, filter: { status: 'refuted' } },
];

export function ScorecardPanel(props: { scorecard: Scorecard; title: string; state: DashboardState; parties: PartyNames; partyOrder: string[]; colours: PartyColours; zone: string; fileStem: string[] }) {
  const { scorecard, title, state, parties, partyOrder, colours, zone, fileStem } = props;
  const target = useLinkTarget();
  const rank = (id: string) => partyOrder.indexOf(id);
  const rows = [...scorecard.rows].sort((a, b) => rank(a.claimant) - rank(b.claimant) || rank(a.subject) - rank(b.subject));
  const words = (r: Row) => directionLabel({ ...r, assertion: 'violated' }, parties).replace(/ accuses /, ' about ').replace(/ admits a violation$/, ' about itself');
  const first = (r: Row) => {
    if (!r.firstViolationAllegedAt) return 'none alleged';
    const delay = delayWords(scorecard.effectiveFrom, r.firstViolationAllegedAt);
    return `${showInstant(r.firstViolationAllegedAt, zone)} (${delay === '0 min after' ? 'the minute' : delay} the truce took effect)`;
  };
  const header = ['Claimant', 'Subject', ...COLUMNS.map((c) => c.label), 'First violation alleged'];
  return (
    <>
      <p className="hint">
        In force from <strong>{showInstant(scorecard.effectiveFrom, zone)}</strong>
        {scorecard.endedAt ? <> until <strong>{showInstant(scorecard.endedAt, zone)}</strong></> : ' (still in force)'}. Counts the claims about events while it was in force; each number lists its claims.
      </p>
      {rows.length === 0 ? (
        <p className="empty">No claims under it yet.</p>
      ) : (
        <table className="scorecard">
          <caption>{title}: claims per claimant and subject</caption>
          <thead>
            <tr>
              <th scope="col" className="text">Who about whom</th>
              {COLUMNS.map((c) => (
                <th scope="col" key={c.label}>
                  {c.label}
                </th>
              ))}
              <th scope="col" className="text">First violation alleged</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.claimant}-${r.subject}`}>
                <th scope="row" className="text">
                  <span className={`swatch ${colours.className(r.claimant)}`} aria-hidden="true" />
                  {words(r)}
                </th>
                {COLUMNS.map((c) => {
                  const n = c.value(r);
                  return (
                    <td key={c.label} data-label={c.label}>
                      {n === 0 ? (
                        '0'
                      ) : (
                        <Link to={drillDownHref(state, { ...c.filter, claimant: r.claimant, subject: r.subject, agreementId: scorecard.agreementId })} target={target} aria-label={`${n}: ${c.label.toLowerCase()}, ${words(r)}`}>
                          {n}
                        </Link>
                      )}
                    </td>
                  );
                })}
                <td className="text" data-label="First violation alleged">
                  {first(r)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <DownloadLinks
        what="the scorecard"
        name={downloadName(['scorecard', ...fileStem, title])}
        header={header}
        rows={rows.map((r) => [parties.name(r.claimant), parties.name(r.subject), ...COLUMNS.map((c) => c.value(r)), r.firstViolationAllegedAt ?? ''])}
      />
    </>
  );
}
