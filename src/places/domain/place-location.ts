import type { ClaimLocation } from '../../claims/domain/claim';
import type { PlaceKind } from './place';

/** How precise a place's coordinates are, in the claims' terms. */
const PRECISION_OF: Record<PlaceKind, NonNullable<ClaimLocation['precision']>> = {
  settlement: 'settlement',
  district: 'district',
  region: 'region',
  site: 'exact',
};

export type LocatedClaim = ClaimLocation & { coordinatesFrom?: 'claim' | 'place' };

/**
 * A claim's location as shown: the name as reported, never rewritten; the claim's own
 * coordinates when it gave them, else its place's, with the place's precision. Pure.
 */
export function locate(location: ClaimLocation, place: { lat: number; lon: number; kind: PlaceKind } | undefined): LocatedClaim {
  if (location.placeId === undefined) return location;
  if (location.lat !== undefined && location.lon !== undefined) return { ...location, coordinatesFrom: 'claim' };
  if (!place) return location;
  return { ...location, lat: place.lat, lon: place.lon, precision: location.precision ?? PRECISION_OF[place.kind], coordinatesFrom: 'place' };
}
