import { describe, expect, it } from '@jest/globals';
import { casualtyRows, expandCompact, periodsOf } from '../../web/src/features/dashboard/timeline-data';
import { compactTimeline } from './compact-timeline';
import type { TimelineResponse } from './responses/dashboard.response';

const range = (min: number, max: number) => ({ min, max });
const split = (killed: [number, number], wounded: [number, number]) => ({ killed: range(...killed), wounded: range(...wounded) });
const point = (period: string, claims: number, extra: object = {}) => ({
  period, claims, retracted: 0, corroborated: 0, contested: 0, refuted: 0, killed: range(0, 0), wounded: range(0, 0), ...extra,
});

const timeline: TimelineResponse = {
  conflictId: 'c1',
  timeZone: 'Asia/Baku',
  bucket: 'week',
  by: 'occurred',
  series: [
    {
      claimant: 'az', subject: 'am', assertion: 'violated',
      points: [
        point('2020-10-05', 2, { corroborated: 1, killed: range(3, 5), wounded: range(1, 1), civilian: split([1, 2], [1, 1]), military: split([2, 3], [0, 0]) }),
        point('2020-10-19', 1, { retracted: 1 }),
      ],
    },
    { claimant: 'am', subject: 'az', assertion: 'violated', points: [point('2020-10-05', 1, { refuted: 1, killed: range(0, 4), civilian: split([0, 4], [0, 0]), military: split([0, 0], [0, 0]) })] },
    { claimant: 'am', subject: 'am', assertion: 'complied', points: [point('2020-10-12', 3, { contested: 2 })] },
  ],
};

describe('the compact timeline', () => {
  it('gives the periods once and each direction\'s counts at indexes into them', () => {
    const c = compactTimeline(timeline);
    expect(c.periods).toEqual(['2020-10-05', '2020-10-12', '2020-10-19']);
    expect(c.series[0]).toEqual({ claimant: 'az', subject: 'am', assertion: 'violated', at: [0, 2], claims: [2, 1], retracted: [0, 1], corroborated: [1, 0], contested: [0, 0], refuted: [0, 0] });
    // Casualties summed over the directions, only where some were claimed.
    expect(c.casualties).toEqual({
      at: [0], killedMin: [3], killedMax: [9], woundedMin: [1], woundedMax: [1],
      civilianKilledMin: [1], civilianKilledMax: [6], civilianWoundedMin: [1], civilianWoundedMax: [1],
    });
  });

  it('reads back into the same counts and casualty rows the dashboard draws from the full answer', () => {
    const back = expandCompact(compactTimeline(timeline) as Parameters<typeof expandCompact>[0]);
    const counts = (t: { series: { claimant: string; points: { period: string; claims: number; retracted: number; corroborated: number; contested: number; refuted: number }[] }[] }) =>
      t.series.map((s) => ({ claimant: s.claimant, points: s.points.map(({ period, claims, retracted, corroborated, contested, refuted }) => ({ period, claims, retracted, corroborated, contested, refuted })) }));
    expect(counts(back)).toEqual(counts(timeline));
    const periods = periodsOf(timeline as Parameters<typeof periodsOf>[0], 'week');
    expect(casualtyRows(back, periods)).toEqual(casualtyRows(timeline as Parameters<typeof casualtyRows>[0], periods));
  });

  it('is smaller: no key name per number', () => {
    const big: TimelineResponse = {
      ...timeline,
      series: Array.from({ length: 12 }, (_, d) => ({
        claimant: `claimant-${d}`, subject: `subject-${d}`, assertion: 'violated' as const,
        points: Array.from({ length: 104 }, (_, w) => point(new Date(Date.UTC(2020, 0, 6 + 7 * w)).toISOString().slice(0, 10), 5 + w, w % 3 ? {} : { killed: range(1, 2), wounded: range(0, 3), civilian: split([1, 1], [0, 2]), military: split([0, 1], [0, 1]) })),
      })),
    };
    const full = JSON.stringify(big).length;
    const compact = JSON.stringify(compactTimeline(big)).length;
    expect(compact).toBeLessThan(full / 4);
  });
});
