import type { TimelineCompactResponse, TimelineResponse } from './responses/dashboard.response';

/**
 * The timeline in columns, for charts: the periods once, each direction's counts as arrays at
 * indexes into them, and the casualties summed over the directions per period (what the
 * dashboard draws). The same numbers as the timeline, without a key name per number.
 */
export function compactTimeline(t: TimelineResponse): TimelineCompactResponse {
  const periods = [...new Set(t.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  const index = new Map(periods.map((p, i) => [p, i]));
  const casualties = new Map<number, number[]>();
  for (const s of t.series) {
    for (const p of s.points) {
      if (p.killed.max === 0 && p.wounded.max === 0) continue;
      const i = index.get(p.period)!;
      const sums = casualties.get(i) ?? new Array<number>(8).fill(0);
      const values = [p.killed.min, p.killed.max, p.wounded.min, p.wounded.max, p.civilian?.killed.min ?? 0, p.civilian?.killed.max ?? 0, p.civilian?.wounded.min ?? 0, p.civilian?.wounded.max ?? 0];
      casualties.set(i, sums.map((n, k) => n + values[k]!));
    }
  }
  const at = [...casualties.keys()].sort((a, b) => a - b);
  const column = (k: number) => at.map((i) => casualties.get(i)![k]!);
  return {
    conflictId: t.conflictId,
    timeZone: t.timeZone,
    bucket: t.bucket,
    by: t.by,
    periods,
    series: t.series.map((s) => ({
      claimant: s.claimant,
      subject: s.subject,
      assertion: s.assertion,
      at: s.points.map((p) => index.get(p.period)!),
      claims: s.points.map((p) => p.claims),
      retracted: s.points.map((p) => p.retracted),
      corroborated: s.points.map((p) => p.corroborated),
      contested: s.points.map((p) => p.contested),
      refuted: s.points.map((p) => p.refuted),
    })),
    casualties: {
      at,
      killedMin: column(0),
      killedMax: column(1),
      woundedMin: column(2),
      woundedMax: column(3),
      civilianKilledMin: column(4),
      civilianKilledMax: column(5),
      civilianWoundedMin: column(6),
      civilianWoundedMax: column(7),
    },
    ...(t.asOf ? { asOf: t.asOf } : {}),
  };
}
