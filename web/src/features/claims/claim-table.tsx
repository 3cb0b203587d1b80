import { Link } from 'react-router';
import { showInstant } from '../../lib/local-time';
import type { ClaimListItem } from './queries';
import type { PartyNames } from './words';

const HEAD = ['Occurred', 'Claimant → subject', 'Assertion', 'Summary', 'Status', 'Counts?'];

/**
 * Claims as a table (cards on narrow screens), each summary linking to its page. While the
 * rows are still those of the previous filters (`updating`), the table is dimmed and busy, so
 * nobody reads them as the answer to the new ones.
 */
export function ClaimTable({
  pages,
  parties,
  zone,
  loading,
  updating = false,
}: {
  pages: { items: ClaimListItem[] }[] | undefined;
  parties: PartyNames;
  zone: string;
  loading: boolean;
  updating?: boolean;
}) {
  const claims = pages?.flatMap((p) => p.items) ?? [];
  if (loading) return <p className="loading" role="status">Loading claims…</p>;
  if (claims.length === 0 && !updating) return <p className="empty">No claims match.</p>;
  return (
    <div className={updating ? 'table-wrap updating' : 'table-wrap'} aria-busy={updating}>
      {updating ? (
        <p className="loading" role="status">
          Updating the claims for the new filters…
        </p>
      ) : null}
      <table className="claims">
        <caption>Newest alleged first; voided claims and duplicates are listed but left out of every count.</caption>
        <thead>
          <tr>
            {HEAD.map((h) => (
              <th scope="col" className="text" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {claims.map((c) => (
            <tr key={c.id}>
              <th scope="row" className="text" data-label={HEAD[0]}>
                <time dateTime={c.occurred.from}>{showInstant(c.occurred.from, zone, { time: c.occurred.precision === 'minute' || c.occurred.precision === 'hour' })}</time>
                {c.occurred.raw ? <span className="raw"> (“{c.occurred.raw}”)</span> : null}
              </th>
              <td className="text" data-label={HEAD[1]}>
                {parties.name(c.claimant)} → {parties.name(c.subject)}
              </td>
              <td className="text" data-label={HEAD[2]}>
                {c.stance ? `${c.assertion} (${c.stance})` : c.assertion}
              </td>
              <td className="text summary" data-label={HEAD[3]}>
                <Link to={`/claims/${c.id}`}>{c.summary}</Link>
                {c.location ? <span className="raw"> · {c.location.name}</span> : null}
              </td>
              <td className="text" data-label={HEAD[4]}>
                {c.retracted ? `${c.status}, retracted` : c.status}
              </td>
              <td className="text" data-label={HEAD[5]}>
                {c.voided ? <span className="flag uncounted">voided</span> : c.duplicateOf ? <span className="flag uncounted">duplicate</span> : <span className="flag">counted</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
