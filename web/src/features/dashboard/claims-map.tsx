// The claims that have coordinates, on the configured tiles (TILE_URL) or, with none, on a map
// that needs no tile server: a world outline (world-atlas, Natural Earth 1:110m) and a 10°
// graticule, drawn as vector layers by Leaflet (SVG, no WebGL, no inline style attributes). Markers are clustered; each opens a popup built
// from DOM nodes (API text never becomes markup) with a link to the claim.
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import L from 'leaflet';
import './leaflet-global';
import 'leaflet.markercluster';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries from 'world-atlas/countries-110m.json';
import { useEffect, useRef } from 'react';

/** Claims of one direction at one place. */
export interface MapClaim {
  lat: number;
  lon: number;
  place: string;
  altNames: string[];
  claimant: string;
  subject: string;
  assertion: string;
  claims: number;
  colour: string;
  href: string;
}

function graticule(): L.LayerGroup {
  const lines: L.LatLngExpression[][] = [];
  for (let lon = -180; lon <= 180; lon += 10) lines.push([[-85, lon], [85, lon]]);
  for (let lat = -80; lat <= 80; lat += 10) lines.push([[lat, -180], [lat, 180]]);
  return L.layerGroup(lines.map((line) => L.polyline(line, { color: '#9aa3ab', weight: 0.5, interactive: false })));
}

function popup(c: MapClaim): HTMLElement {
  const box = document.createElement('div');
  const title = document.createElement('strong');
  // Contested names both ways: the name the claims use, and every other.
  title.textContent = c.altNames.length ? `${c.place} (also ${c.altNames.join(', ')})` : c.place;
  const line = document.createElement('p');
  line.textContent = `${c.assertion === 'violated' ? `${c.claimant} accuses ${c.subject}` : `${c.claimant} says ${c.subject === c.claimant ? 'it' : c.subject} complied`}: ${c.claims} claim${c.claims === 1 ? '' : 's'}`;
  const link = document.createElement('a');
  link.href = c.href;
  link.textContent = 'List these claims';
  box.append(title, line, link);
  return box;
}

/** A tile source (TILE_URL, a Leaflet URL template) and its attribution, plain text. */
export interface Tiles {
  url: string;
  attribution: string | null;
}

/** Leaflet writes attributions as HTML: the setting's text is escaped so it stays text. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function ClaimsMap({ claims, label, tiles }: { claims: MapClaim[]; label: string; tiles: Tiles | null }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const map = L.map(element, { worldCopyJump: true, attributionControl: true, minZoom: 1, maxZoom: 12 });
    if (tiles) {
      L.tileLayer(tiles.url, {
        attribution: tiles.attribution ? escapeHtml(tiles.attribution) : undefined,
        // The page sends no Referer (Referrer-Policy: no-referrer); tile servers such as
        // OpenStreetMap's ask for one, so the tiles name this site's origin (never the path).
        referrerPolicy: 'strict-origin',
      }).addTo(map);
    } else {
      const topology = countries as unknown as Topology<{ countries: GeometryCollection }>;
      L.geoJSON(feature(topology, topology.objects.countries), { style: { color: '#6b747c', weight: 0.8, fillColor: '#e8ebee', fillOpacity: 1 }, interactive: false }).addTo(map);
      graticule().addTo(map);
      map.attributionControl.addAttribution('Outline: Natural Earth');
    }
    const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    for (const c of claims) {
      // Accusations filled, claims of compliance hollow; the claimant's colour.
      const marker = L.circleMarker([c.lat, c.lon], { radius: 8, color: '#1d2125', weight: 1.5, fillColor: c.colour, fillOpacity: c.assertion === 'violated' ? 0.95 : 0.2 });
      marker.bindPopup(popup(c));
      cluster.addLayer(marker as unknown as L.Marker);
    }
    map.addLayer(cluster);
    if (claims.length) map.fitBounds(L.latLngBounds(claims.map((c) => [c.lat, c.lon])).pad(0.5), { maxZoom: 7 });
    else map.setView([40, 45], 3);
    return () => {
      map.remove();
    };
  }, [claims, tiles]);
  return <div className="claims-map" ref={host} role="region" aria-label={label} />;
}
