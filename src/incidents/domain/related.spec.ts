import { describe, expect, it } from '@jest/globals';
import { distanceKm, occurredWindow, relation } from './related';

const ganja = { lat: 40.6828, lon: 46.3606 };
const night = { from: '2020-10-11T02:00:00+04:00', precision: 'hour' as const };

describe('related accounts', () => {
  it('gives an account at least its precision as a window', () => {
    const [start, end] = occurredWindow({ from: '2020-10-11', precision: 'day' } as never);
    expect(end - start).toBe(24 * 3_600_000);
    expect(occurredWindow({ from: '2020-10-11T02:00:00Z', to: '2020-10-11T05:00:00Z', precision: 'hour' })[1]).toBe(Date.parse('2020-10-11T05:00:00Z'));
  });

  it('measures great-circle distances', () => {
    // Ganja to Tartar: about 61 km as the crow flies.
    expect(distanceKm(ganja, { lat: 40.3447, lon: 46.9303 })).toBeGreaterThan(60);
    expect(distanceKm(ganja, { lat: 40.3447, lon: 46.9303 })).toBeLessThan(62);
  });

  it('relates the same place in an overlapping hour best', () => {
    const samePlace = relation({ occurred: night, placeId: 'ganja' }, { occurred: { ...night, from: '2020-10-11T02:30:00+04:00' }, placeId: 'ganja' }, 15);
    const nearby = relation({ occurred: night, ...ganja }, { occurred: night, lat: 40.7, lon: 46.4 }, 15);
    expect(samePlace).toMatchObject({ samePlace: true });
    expect(nearby).toMatchObject({ samePlace: false });
    expect(samePlace!.score).toBeGreaterThan(nearby!.score);
  });

  it('leaves out an account too far away, at another time, or with no place', () => {
    expect(relation({ occurred: night, ...ganja }, { occurred: night, lat: 40.3447, lon: 46.9303 }, 15)).toBeNull();
    expect(relation({ occurred: night, placeId: 'ganja' }, { occurred: { ...night, from: '2020-10-12T02:00:00+04:00' }, placeId: 'ganja' }, 15)).toBeNull();
    expect(relation({ occurred: night }, { occurred: night }, 15)).toBeNull();
  });

  it('relates a day-precision account to an hour inside that day', () => {
    expect(relation({ occurred: { from: '2020-10-11T00:00:00+04:00', precision: 'day' }, placeId: 'g' }, { occurred: night, placeId: 'g' }, 15)).toMatchObject({ score: 3 });
  });
});
