import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { Link } from 'react-router';
import { api, dataOf } from '../../api/client';
import type { PartyColours } from '../../lib/party-colours';
import { useSession } from '../auth/session';
import { partyLabel, type Party } from '../conflicts/queries';
import type { DashboardState } from './dashboard-state';
import type { MapClaim } from './claims-map';

// Leaflet and the world outline load only with the map.
const ClaimsMap = lazy(async () => ({ default: (await import('./claims-map')).ClaimsMap }));

/**
 * The claims list filter for a place: a gazetteer place by its id (exactly the claims counted);
 * a place given only by name, by a search for that name.
 */
const where = (p: { placeId: string | null; name: string }): Record<string, string> => (p.placeId ? { placeId: p.placeId } : { q: p.name });

/** A marker, and the place it belongs to in the places table: a gazetteer place's id, or its name. */
type PlacedClaim = MapClaim & { placeKey: string; where: Record<string, string> };

/** Places and counts under the dashboard's conflict and agreement, grouped by the server (never the claims). */
export function MapPanel({ state, parties, colours }: { state: DashboardState; parties: Party[]; colours: PartyColours }) {
  const agreement: { agreementId?: string } = state.agreementId ? { agreementId: state.agreementId } : {};
  const query: Record<string, string> = { conflictId: state.conflictId, counted: 'true', ...agreement };
  const geo = useQuery({
    queryKey: ['claims', 'places', state.conflictId, agreement],
    queryFn: async ({ signal }) =>
      dataOf(await api.GET('/api/conflicts/{conflictId}/claim-places', { params: { path: { conflictId: state.conflictId }, query: agreement }, signal })),
  });
  const session = useSession();
  const tileUrl = session.tiles?.url;
  const tileAttribution = session.tiles?.attribution ?? null;
  // One object per setting, so the map is not rebuilt when the session is read again.
  const tiles = useMemo(() => (tileUrl ? { url: tileUrl, attribution: tileAttribution } : null), [tileUrl, tileAttribution]);
  const names = useMemo(() => new Map(parties.map((p) => [p.id, partyLabel(p)])), [parties]);
  const claims: PlacedClaim[] = useMemo(
    () =>
      (geo.data?.items ?? []).map((p) => ({
        lat: p.lat,
        lon: p.lon,
        place: p.name || 'unnamed place',
        altNames: p.altNames,
        claimant: names.get(p.claimant) ?? 'an unknown party',
        subject: names.get(p.subject) ?? 'an unknown party',
        assertion: p.assertion,
        claims: p.claims,
        colour: colours.colour(p.claimant),
        href: `/claims?${new URLSearchParams({ ...query, claimant: p.claimant, subject: p.subject, assertion: p.assertion, ...where(p) }).toString()}`,
        placeKey: p.placeId ?? `name:${p.name}`,
        where: where(p),
      })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [geo.data, names, colours],
  );
  // One row per gazetteer place (whatever name each claim uses) or, for the others, per name.
  const places = useMemo(() => {
    const rows = new Map<string, { place: string; claims: number; altNames: string[]; where: Record<string, string> }>();
    for (const c of claims) {
      const row = rows.get(c.placeKey);
      if (row) rows.set(c.placeKey, { ...row, claims: row.claims + c.claims, altNames: [...new Set([...row.altNames, ...c.altNames, c.place])].filter((n) => n !== row.place) });
      else rows.set(c.placeKey, { place: c.place, claims: c.claims, altNames: c.altNames, where: c.where });
    }
    return [...rows.entries()].sort(([, a], [, b]) => b.claims - a.claims || a.place.localeCompare(b.place));
  }, [claims]);
  const total = claims.reduce((n, c) => n + c.claims, 0);
  if (geo.isPending || session.loading) return <p className="loading">Loading the map…</p>;
  if (geo.isError) return <p className="error-text">The map could not be loaded: {geo.error.message}</p>;
  return (
    <>
      <p className="hint">
        {total} claim{total === 1 ? '' : 's'} with coordinates. Filled: an accusation; hollow: a claim of compliance; the claimant&rsquo;s colour. Numbers are
        clusters: zoom in or click them.
      </p>
      <Suspense fallback={<p className="loading">Loading the map…</p>}>
        <ClaimsMap claims={claims} tiles={tiles} label="Map of the claims with coordinates; the table below lists the same places" />
      </Suspense>
      <div className="table-wrap">
        <table>
          <caption>Places with claims (each opens its claims)</caption>
          <thead>
            <tr>
              <th scope="col" className="text">Place</th>
              <th scope="col">Claims</th>
            </tr>
          </thead>
          <tbody>
            {places.map(([key, { place, claims: n, altNames, where }]) => (
              <tr key={key}>
                <th scope="row">
                  {place}
                  {altNames.length ? <span className="raw"> (also {altNames.join(', ')})</span> : null}
                </th>
                <td>
                  <Link to={`/claims?${new URLSearchParams({ ...query, ...where }).toString()}`} aria-label={`${n}: claims at ${place}`}>
                    {n}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
