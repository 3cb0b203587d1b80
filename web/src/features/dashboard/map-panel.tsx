import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { Link } from 'react-router';
import { api, dataOf } from '../../api/client';
import type { PartyColours } from '../../lib/party-colours';
import { partyLabel, type Party } from '../conflicts/queries';
import type { DashboardState } from './dashboard-state';
import type { MapClaim } from './claims-map';

// Leaflet and the world outline load only with the map.
const ClaimsMap = lazy(async () => ({ default: (await import('./claims-map')).ClaimsMap }));

interface Feature {
  geometry: { coordinates: [number, number] };
  properties: { claim_id: string; location: string | null; claimant: string; subject: string; assertion: string; status: string; event_date: string };
}

/** The counted claims with coordinates under the dashboard's conflict and agreement (the GeoJSON export). */
export function MapPanel({ state, parties, colours }: { state: DashboardState; parties: Party[]; colours: PartyColours }) {
  const query = { conflictId: state.conflictId, counted: 'true' as const, ...(state.agreementId ? { agreementId: state.agreementId } : {}) };
  const geo = useQuery({
    queryKey: ['claims', 'map', query],
    queryFn: async ({ signal }) => dataOf(await api.GET('/api/exports/claims.geojson', { params: { query }, signal, parseAs: 'json' })) as unknown as { features: Feature[] },
  });
  const byLabel = useMemo(() => new Map(parties.map((p) => [partyLabel(p), p.id])), [parties]);
  const claims: MapClaim[] = useMemo(
    () =>
      (geo.data?.features ?? []).map((f) => ({
        claimId: f.properties.claim_id,
        lon: f.geometry.coordinates[0],
        lat: f.geometry.coordinates[1],
        place: f.properties.location ?? 'unnamed place',
        claimant: f.properties.claimant,
        subject: f.properties.subject,
        assertion: f.properties.assertion,
        status: f.properties.status,
        date: f.properties.event_date,
        colour: colours.colour(byLabel.get(f.properties.claimant) ?? ''),
      })),
    [geo.data, byLabel, colours],
  );
  const places = useMemo(() => {
    const counts = new Map<string, number>();
    for (const c of claims) counts.set(c.place, (counts.get(c.place) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }, [claims]);
  if (geo.isPending) return <p className="loading">Loading the map…</p>;
  if (geo.isError) return <p className="error-text">The map could not be loaded: {geo.error.message}</p>;
  return (
    <>
      <p className="hint">
        {claims.length} claim{claims.length === 1 ? '' : 's'} with coordinates. Filled: an accusation; hollow: a claim of compliance; the claimant&rsquo;s colour. Numbers are
        clusters: zoom in or click them.
      </p>
      <Suspense fallback={<p className="loading">Loading the map…</p>}>
        <ClaimsMap claims={claims} label="Map of the claims with coordinates; the table below lists the same places" />
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
            {places.map(([place, n]) => (
              <tr key={place}>
                <th scope="row">{place}</th>
                <td>
                  <Link to={`/claims?${new URLSearchParams({ ...query, q: place }).toString()}`} aria-label={`${n}: claims at ${place}`}>
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
