import type { components } from '../../api/schema';
import { showInstant } from '../../lib/local-time';
import type { PartyNames } from '../claims/words';
import { DownloadLinks } from './download-links';
import { downloadName } from './timeline-data';

type Sources = components['schemas']['SourceListResponse'];

/** The source ledger: outlets named in counted claims (confidential sources are never listed by name). */
export function SourcesPanel({ sources, parties, zone, partyIds }: { sources: Sources; parties: PartyNames; zone: string; partyIds: string[] }) {
  // The ledger covers every conflict: keep the outlets cited by this conflict's parties.
  const items = sources.items
    .map((s) => ({ ...s, here: Object.entries(s.claimants).filter(([id]) => partyIds.includes(id)) }))
    .filter((s) => s.here.length > 0);
  if (items.length === 0) return <p className="empty">No outlet cited yet.</p>;
  const who = (here: [string, number][]) => here.map(([id, n]) => `${parties.name(id)} ${n}`).join(', ');
  const header = ['Outlet', 'Claims citing it', 'By claimant', 'First seen', 'Last seen'];
  return (
    <>
      {/* Focusable: a narrow screen scrolls this table sideways, by keyboard too. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Outlets (scrolls sideways)">
        <table>
          <caption>Outlets cited by this conflict&rsquo;s claimants (confidential sources are not named)</caption>
          <thead>
            <tr>
              {header.map((h, i) => (
                <th scope="col" className={i === 0 || i === 2 ? 'text' : undefined} key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.outlet}>
                <th scope="row">{s.outlet}</th>
                <td>{s.here.reduce((n, [, c]) => n + c, 0)}</td>
                <td className="text">{who(s.here)}</td>
                <td>{showInstant(s.firstSeen, zone)}</td>
                <td>{showInstant(s.lastSeen, zone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DownloadLinks what="the sources" name={downloadName(['sources'])} header={header} rows={items.map((s) => [s.outlet, s.here.reduce((n, [, c]) => n + c, 0), who(s.here), s.firstSeen, s.lastSeen])} />
    </>
  );
}
