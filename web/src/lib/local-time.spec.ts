import { describe, expect, it } from '@jest/globals';
import { gmtLabel, instantToLocalInput, localToInstant, offsetMinutes, parseTimeInput, showInstant, zoneLabel } from './local-time';

describe('local time ↔ instant', () => {
  it('reads a wall-clock time in the conflict zone as an instant with that offset', () => {
    expect(localToInstant('2020-10-11 02:00', 'Asia/Baku')).toBe('2020-10-11T02:00:00+04:00');
    expect(localToInstant('2020-10-11T02:00', 'Asia/Baku')).toBe('2020-10-11T02:00:00+04:00');
    expect(instantToLocalInput('2020-10-10T22:00:00Z', 'Asia/Baku')).toBe('2020-10-11 02:00');
  });

  it('follows daylight saving: the same zone has two offsets a season apart', () => {
    expect(localToInstant('2021-01-15 12:00', 'Europe/Kyiv')).toBe('2021-01-15T12:00:00+02:00');
    expect(localToInstant('2021-07-15 12:00', 'Europe/Kyiv')).toBe('2021-07-15T12:00:00+03:00');
  });

  it('takes the earlier of an ambiguous time and moves a missing one forward across the gap', () => {
    // Clocks went back from 04:00 to 03:00 on 25 October 2020 in Kyiv: 03:30 happened twice.
    expect(localToInstant('2020-10-25 03:30', 'Europe/Kyiv')).toBe('2020-10-25T03:30:00+03:00');
    // Clocks went forward from 03:00 to 04:00 on 29 March 2020: 03:30 never happened.
    expect(localToInstant('2020-03-29 03:30', 'Europe/Kyiv')).toBe('2020-03-29T04:30:00+03:00');
  });

  it('uses historic offsets: Baku kept summer time until 2015, Moscow was GMT+4 in 2011–2014', () => {
    expect(localToInstant('2010-07-01 12:00', 'Asia/Baku')).toBe('2010-07-01T12:00:00+05:00');
    expect(localToInstant('2016-07-01 12:00', 'Asia/Baku')).toBe('2016-07-01T12:00:00+04:00');
    expect(localToInstant('2013-01-10 12:00', 'Europe/Moscow')).toBe('2013-01-10T12:00:00+04:00');
    expect(localToInstant('2020-10-10 12:00', 'Europe/Moscow')).toBe('2020-10-10T12:00:00+03:00');
  });

  it('round-trips every hour of a year with a clock change', () => {
    for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2021, 0, 1); t += 3_600_000) {
      const local = instantToLocalInput(new Date(t).toISOString(), 'Europe/Kyiv');
      const back = Date.parse(localToInstant(local, 'Europe/Kyiv')!);
      // Only the repeated hour of the autumn change reads back as its first occurrence.
      expect(t - back === 0 || t - back === 3_600_000).toBe(true);
    }
  });

  it('names the zone with its offset, as the form does', () => {
    expect(zoneLabel('Asia/Baku', Date.UTC(2020, 9, 11))).toBe('Asia/Baku, GMT+4');
    expect(gmtLabel(330)).toBe('GMT+5:30');
    expect(gmtLabel(-180)).toBe('GMT-3');
    expect(offsetMinutes('UTC', Date.UTC(2020, 0, 1))).toBe(0);
  });

  it('takes a plain date only at day precision or coarser, and refuses dates that do not exist', () => {
    expect(parseTimeInput('2020-10-11', 'Asia/Baku', { allowDate: true })).toEqual({ ok: true, value: '2020-10-11' });
    expect(parseTimeInput('2020-10-11', 'Asia/Baku', { allowDate: false }).ok).toBe(false);
    expect(parseTimeInput('2020-02-30 10:00', 'Asia/Baku', { allowDate: false }).ok).toBe(false);
    expect(parseTimeInput('yesterday', 'Asia/Baku', { allowDate: true }).ok).toBe(false);
    expect(parseTimeInput('2020-10-11T09:30:00+03:00', 'Asia/Baku', { allowDate: false })).toEqual({ ok: true, value: '2020-10-11T09:30:00+03:00' });
  });

  it('shows an instant in the zone with its offset', () => {
    expect(showInstant('2020-10-10T22:00:00Z', 'Asia/Baku')).toBe('11 Oct 2020, 02:00 (GMT+4)');
    expect(showInstant('2020-10-10T22:00:00Z', 'Asia/Baku', { time: false })).toBe('11 Oct 2020');
  });
});
