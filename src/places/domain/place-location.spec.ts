import { describe, expect, it } from '@jest/globals';
import { locate } from './place-location';

const ganja = { lat: 40.6828, lon: 46.3606, kind: 'settlement' as const };
const placeId = '6d1e2f3a-0001-4b00-8000-000000000001';

describe('a claim located at a place', () => {
  it("takes the place's coordinates and precision when it gives none, keeping the name as reported", () => {
    expect(locate({ name: 'Gandja', altNames: [], placeId }, ganja)).toEqual({
      name: 'Gandja',
      altNames: [],
      placeId,
      lat: 40.6828,
      lon: 46.3606,
      precision: 'settlement',
      coordinatesFrom: 'place',
    });
  });

  it('keeps its own coordinates and precision', () => {
    expect(locate({ name: 'Ganja', altNames: [], placeId, lat: 40.7, lon: 46.4, precision: 'exact' }, ganja)).toEqual({
      name: 'Ganja',
      altNames: [],
      placeId,
      lat: 40.7,
      lon: 46.4,
      precision: 'exact',
      coordinatesFrom: 'claim',
    });
  });

  it('is left as it is without a place', () => {
    expect(locate({ name: 'Ganja', altNames: [] }, undefined)).toEqual({ name: 'Ganja', altNames: [] });
  });
});
