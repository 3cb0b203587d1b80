import type { Occurred } from '../../claims/domain/claim';

/**
 * Which recorded claims and incidents may be the same happening as another: same conflict (the
 * caller's query), occurred windows that overlap, and the same place or places near each other.
 * Pure: no I/O, no clock.
 */

/** Something that happened somewhere, as far as the record says. */
export interface Situated {
  occurred: Pick<Occurred, 'from' | 'to' | 'precision'>;
  placeId?: string | undefined;
  lat?: number | undefined;
  lon?: number | undefined;
}

export interface Relation {
  /**
   * 0–3: how near in place (2 for the same place, up to 1 for places near each other, so that the
   * same place always ranks first) plus how much the windows overlap (up to 1).
   */
  score: number;
  /** Null when the two name the same place without coordinates. */
  distanceKm: number | null;
  samePlace: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How long "at this precision" lasts when no end is given. */
const SPAN: Record<Occurred['precision'], number> = {
  minute: MINUTE,
  hour: HOUR,
  'part-of-day': 6 * HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 31 * DAY,
  approximate: 3 * DAY,
};

/** The instants an account allows, as [start, end] in ms: from..to, and at least its precision's span. */
export function occurredWindow({ from, to, precision }: Situated['occurred']): [number, number] {
  const start = Date.parse(from);
  const end = Math.max(to === undefined ? start : Date.parse(to), start + SPAN[precision]);
  return [start, end];
}

/** Great-circle distance (haversine) in km. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** How `b` relates to `a`, or null when it cannot be the same happening (no overlap, too far, nowhere). */
export function relation(a: Situated, b: Situated, maxKm: number): Relation | null {
  const [aStart, aEnd] = occurredWindow(a.occurred);
  const [bStart, bEnd] = occurredWindow(b.occurred);
  const overlap = Math.min(aEnd, bEnd) - Math.max(aStart, bStart);
  if (overlap < 0) return null;
  const timeScore = Math.min(1, overlap / Math.max(MINUTE, Math.min(aEnd - aStart, bEnd - bStart)));

  const samePlace = a.placeId !== undefined && a.placeId === b.placeId;
  const located = (s: Situated) => s.lat !== undefined && s.lon !== undefined;
  const km = located(a) && located(b) ? distanceKm(a as { lat: number; lon: number }, b as { lat: number; lon: number }) : null;
  if (!samePlace && (km === null || km > maxKm)) return null;
  const placeScore = samePlace ? 2 : 1 - km! / maxKm;
  return { score: placeScore + timeScore, distanceKm: km === null ? null : Math.round(km * 10) / 10, samePlace };
}
