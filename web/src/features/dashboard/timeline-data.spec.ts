import { describe, expect, it } from '@jest/globals';
import { barRows, casualtyRows, cellLookup, directionLabel, directionsOf, downloadName, periodsOf, type Timeline, toCsv } from './timeline-data';

const names: Record<string, string> = { az: 'Azerbaijan', am: 'Armenia' };
const parties = { name: (id: string) => names[id] ?? id };
const point = (period: string, claims: number, killed = 0) => ({ period, claims, retracted: 0, corroborated: 0, contested: 0, refuted: 0, killed: { min: killed, max: killed * 2 }, wounded: { min: 0, max: 0 } });
const timeline: Timeline = {
  conflictId: 'c', timeZone: 'Asia/Baku', bucket: 'day', by: 'occurred',
  series: [
    { claimant: 'am', subject: 'am', assertion: 'complied', points: [point('2020-10-11', 1)] },
    { claimant: 'az', subject: 'am', assertion: 'violated', points: [point('2020-10-10', 2, 1), point('2020-10-13', 1)] },
  ],
};

describe('timeline data', () => {
  it('names directions in plain words, accusations first', () => {
    expect(directionLabel({ claimant: 'az', subject: 'am', assertion: 'violated' }, parties)).toBe('Azerbaijan accuses Armenia');
    expect(directionLabel({ claimant: 'am', subject: 'am', assertion: 'complied' }, parties)).toBe('Armenia says it complied');
    expect(directionsOf(timeline, parties, ['az', 'am']).map((d) => d.label)).toEqual(['Azerbaijan accuses Armenia', 'Armenia says it complied']);
  });

  it('fills empty periods with zeros instead of bridging them', () => {
    const periods = periodsOf(timeline, 'day');
    expect(periods).toEqual(['2020-10-10', '2020-10-11', '2020-10-12', '2020-10-13']);
    expect(cellLookup(timeline)('az|am|violated', '2020-10-12').claims).toBe(0);
    expect(casualtyRows(timeline, periods)[0]).toMatchObject({ period: '2020-10-10', killedMin: 1, killedMax: 2, woundedMin: 0, woundedMax: 0 });
  });

  it('sums the civilian and military parts of the casualties over the directions', () => {
    const split = (killed: [number, number], wounded: [number, number]) => ({ killed: { min: killed[0], max: killed[1] }, wounded: { min: wounded[0], max: wounded[1] } });
    const withSplit: Timeline = {
      ...timeline,
      series: [
        { claimant: 'az', subject: 'am', assertion: 'violated', points: [{ ...point('2020-10-10', 1), killed: { min: 3, max: 5 }, wounded: { min: 1, max: 1 }, civilian: split([1, 2], [1, 1]), military: split([2, 3], [0, 0]) }] },
        { claimant: 'am', subject: 'az', assertion: 'violated', points: [{ ...point('2020-10-10', 1), killed: { min: 0, max: 4 }, civilian: split([0, 4], [0, 0]), military: split([0, 0], [0, 0]) }] },
      ],
    };
    expect(casualtyRows(withSplit, ['2020-10-10'])).toEqual([
      {
        period: '2020-10-10', killedMin: 3, killedMax: 9, woundedMin: 1, woundedMax: 1,
        civilianKilledMin: 1, civilianKilledMax: 6, militaryKilledMin: 2, militaryKilledMax: 3,
        civilianWoundedMin: 1, civilianWoundedMax: 1, militaryWoundedMin: 0, militaryWoundedMax: 0,
      },
    ]);
  });

  it('stacks bars over the whole period, or gives each direction its own slot', () => {
    const directions = directionsOf(timeline, parties, ['az', 'am']);
    const periods = periodsOf(timeline, 'day');
    const stacked = barRows(directions, periods, 'day', cellLookup(timeline), 'stacked');
    expect(stacked.map((r) => r.claims)).toEqual([2, 1, 1]);
    expect(stacked.map((r) => [r.y1, r.y2])).toEqual([[0, 2], [0, -1], [0, 1]]);
    const side = barRows(directions, periods, 'day', cellLookup(timeline), 'side-by-side');
    expect(side[0]!.x2).toBeLessThanOrEqual(side.find((r) => r.period === '2020-10-11')!.x1);
  });

  it('writes CSV and file names with the filters', () => {
    expect(toCsv(['Period', 'Note'], [['2020-10-10', 'a "b", c']])).toBe('Period,Note\r\n2020-10-10,"a ""b"", c"\r\n');
    expect(downloadName(['timeline', 'Nagorno-Karabakh (2020)', 'day', '', null, '2020-10-01'])).toBe('timeline_nagorno-karabakh-2020_day_2020-10-01');
  });
});
