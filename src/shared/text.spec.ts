import { describe, expect, it } from '@jest/globals';
import { isInstant } from './text';

describe('instants', () => {
  it.each(['2020-10-10T12:00:00+04:00', '2020-10-10T12:00Z', '2020-02-29T00:00:00.123456Z', '0001-01-01T00:00:00Z', '2020-10-10T12:00:00-14:00'])(
    'accepts %s',
    (value) => expect(isInstant(value)).toBe(true),
  );

  it.each([
    '2021-02-29T00:00:00Z',
    '2020-02-30T00:00:00Z',
    '2020-13-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2020-10-10T24:00:00Z',
    '2020-10-10T12:60:00Z',
    '2020-10-10T12:00:00+23:00',
    '2020-10-10T12:00:00',
    '2020-10-10',
  ])('refuses %s, which PostgreSQL could not store or which names no moment', (value) => expect(isInstant(value)).toBe(false));
});
