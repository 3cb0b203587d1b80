// The timeline answer (already aggregated by the server) shaped for the chart, its table and its
// downloads. Pure: no React, no Plot.
import type { components } from '../../api/schema';
import type { PartyNames } from '../claims/words';
import { type Bucket, nextPeriod } from './dashboard-state';

export type Timeline = components['schemas']['TimelineResponse'] & {
  /** From the compact answer: casualties summed over the directions per period (the points then carry none). */
  casualtyTotals?: Map<string, Omit<CasualtyRow, 'period'>>;
};
export type CompactTimeline = components['schemas']['TimelineCompactResponse'];
type Series = components['schemas']['TimelineSeriesResponse'];
type Point = components['schemas']['TimelinePointResponse'];

/** One direction of claims: who says what about whom. */
export interface Direction {
  key: string;
  claimant: string;
  subject: string;
  assertion: 'violated' | 'complied';
  /** "Azerbaijan accuses Armenia", "Armenia says it complied". */
  label: string;
}

export function directionLabel(d: { claimant: string; subject: string; assertion: string }, parties: PartyNames): string {
  const claimant = parties.name(d.claimant);
  if (d.assertion === 'violated') return d.claimant === d.subject ? `${claimant} admits a violation` : `${claimant} accuses ${parties.name(d.subject)}`;
  return d.claimant === d.subject ? `${claimant} says it complied` : `${claimant} says ${parties.name(d.subject)} complied`;
}

/** Accusations first, then compliance assertions; within each, by the parties' order of registration. */
export function directionsOf(timeline: Timeline, parties: PartyNames, partyOrder: readonly string[]): Direction[] {
  const rank = (id: string) => {
    const i = partyOrder.indexOf(id);
    return i < 0 ? partyOrder.length : i;
  };
  return timeline.series
    .map((s: Series) => ({ key: `${s.claimant}|${s.subject}|${s.assertion}`, claimant: s.claimant, subject: s.subject, assertion: s.assertion as Direction['assertion'], label: directionLabel(s, parties) }))
    .sort((a, b) => (a.assertion === b.assertion ? 0 : a.assertion === 'violated' ? -1 : 1) || rank(a.claimant) - rank(b.claimant) || rank(a.subject) - rank(b.subject));
}

/** Every period from the first to the last with claims (and the chosen dates), so gaps show as zeros. */
export function periodsOf(timeline: Timeline, bucket: Bucket, limit = 1200): string[] {
  const present = [...new Set(timeline.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  if (present.length === 0) return [];
  const all: string[] = [];
  for (let period = present[0]!; period <= present.at(-1)!; period = nextPeriod(period, bucket)) {
    all.push(period);
    if (all.length > limit) return present;
  }
  return all;
}

export const ZERO_POINT = (period: string): Point => ({
  period, claims: 0, retracted: 0, corroborated: 0, contested: 0, refuted: 0, killed: { min: 0, max: 0 }, wounded: { min: 0, max: 0 },
});

/** point(directionKey, period): the cell, zero where the server had none. */
export function cellLookup(timeline: Timeline): (key: string, period: string) => Point {
  const cells = new Map<string, Point>();
  for (const s of timeline.series) for (const p of s.points) cells.set(`${s.claimant}|${s.subject}|${s.assertion}#${p.period}`, p);
  return (key, period) => cells.get(`${key}#${period}`) ?? ZERO_POINT(period);
}

/** A row of the chart: one direction in one period, with its place on both axes. */
export interface BarRow {
  direction: Direction;
  period: string;
  claims: number;
  /** Start and end of the bar on the time axis, in ms of local dates read as UTC. */
  x1: number;
  x2: number;
  /** Accusations above zero, compliance assertions (denials among them) below. */
  y1: number;
  y2: number;
}

export const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * The bars: stacked, each direction fills the whole period, piled on the others of its sign;
 * side by side, each period is shared out among the directions in a fixed order, so the same
 * direction is always in the same slot.
 */
export function barRows(directions: Direction[], periods: string[], bucket: Bucket, cell: (key: string, period: string) => Point, layout: 'stacked' | 'side-by-side'): BarRow[] {
  const rows: BarRow[] = [];
  for (const period of periods) {
    const start = dayMs(period);
    const width = dayMs(nextPeriod(period, bucket)) - start;
    const inset = width * 0.08;
    const slot = (width - 2 * inset) / Math.max(1, directions.length);
    const piled = { up: 0, down: 0 };
    directions.forEach((direction, i) => {
      const claims = cell(direction.key, period).claims;
      if (claims === 0) return;
      const [x1, x2] = layout === 'stacked' ? [start + inset, start + width - inset] : [start + inset + i * slot, start + inset + (i + 1) * slot];
      const up = direction.assertion === 'violated';
      const base = layout === 'stacked' ? (up ? piled.up : piled.down) : 0;
      const top = up ? base + claims : base - claims;
      if (layout === 'stacked') piled[up ? 'up' : 'down'] = top;
      rows.push({ direction, period, claims, x1, x2, y1: base, y2: top });
    });
  }
  return rows;
}

/** Casualties claimed per period over all directions (a range: the lowest and highest figures claimed). */
export interface CasualtyRow {
  period: string;
  killedMin: number;
  killedMax: number;
  woundedMin: number;
  woundedMax: number;
  /** The totals' civilian and military parts (the server gives them where anything was claimed). */
  civilianKilledMin: number;
  civilianKilledMax: number;
  militaryKilledMin: number;
  militaryKilledMax: number;
  civilianWoundedMin: number;
  civilianWoundedMax: number;
  militaryWoundedMin: number;
  militaryWoundedMax: number;
}

const ZERO_CASUALTIES = {
  killedMin: 0, killedMax: 0, woundedMin: 0, woundedMax: 0,
  civilianKilledMin: 0, civilianKilledMax: 0, militaryKilledMin: 0, militaryKilledMax: 0,
  civilianWoundedMin: 0, civilianWoundedMax: 0, militaryWoundedMin: 0, militaryWoundedMax: 0,
};

export function casualtyRows(timeline: Timeline, periods: string[]): CasualtyRow[] {
  const totals = timeline.casualtyTotals;
  if (totals) return periods.map((period) => ({ period, ...(totals.get(period) ?? ZERO_CASUALTIES) }));
  const byPeriod = new Map<string, CasualtyRow>(periods.map((p) => [p, { period: p, ...ZERO_CASUALTIES }]));
  for (const s of timeline.series) {
    for (const p of s.points) {
      const row = byPeriod.get(p.period);
      if (!row) continue;
      row.killedMin += p.killed.min;
      row.killedMax += p.killed.max;
      row.woundedMin += p.wounded.min;
      row.woundedMax += p.wounded.max;
      row.civilianKilledMin += p.civilian?.killed.min ?? 0;
      row.civilianKilledMax += p.civilian?.killed.max ?? 0;
      row.militaryKilledMin += p.military?.killed.min ?? 0;
      row.militaryKilledMax += p.military?.killed.max ?? 0;
      row.civilianWoundedMin += p.civilian?.wounded.min ?? 0;
      row.civilianWoundedMax += p.civilian?.wounded.max ?? 0;
      row.militaryWoundedMin += p.military?.wounded.min ?? 0;
      row.militaryWoundedMax += p.military?.wounded.max ?? 0;
    }
  }
  return [...byPeriod.values()];
}

/** A plain table (header + rows) as CSV (RFC 4180 quoting). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const quote = (v: string | number) => {
    const text = String(v);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** "timeline_nk-2020_day_occurred_agreement-moscow_2020-10-01_2020-10-31": the filters in the file name. */
export function downloadName(parts: readonly (string | undefined | null | false)[]): string {
  return parts
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .map((p) => p.toLowerCase().normalize('NFKD').replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(Boolean)
    .join('_');
}

/**
 * The compact answer (GET …/timeline/compact: columns, casualties summed per period) as the chart
 * code reads the timeline: a point per direction and period with its counts, and the casualty
 * sums per period beside them.
 */
export function expandCompact(c: CompactTimeline): Timeline {
  const zero = { min: 0, max: 0 };
  const casualtyTotals = new Map<string, Omit<CasualtyRow, 'period'>>();
  c.casualties.at.forEach((i, k) => {
    const v = (column: number[]) => column[k] ?? 0;
    const x = c.casualties;
    casualtyTotals.set(c.periods[i]!, {
      killedMin: v(x.killedMin), killedMax: v(x.killedMax), woundedMin: v(x.woundedMin), woundedMax: v(x.woundedMax),
      civilianKilledMin: v(x.civilianKilledMin), civilianKilledMax: v(x.civilianKilledMax),
      militaryKilledMin: v(x.killedMin) - v(x.civilianKilledMin), militaryKilledMax: v(x.killedMax) - v(x.civilianKilledMax),
      civilianWoundedMin: v(x.civilianWoundedMin), civilianWoundedMax: v(x.civilianWoundedMax),
      militaryWoundedMin: v(x.woundedMin) - v(x.civilianWoundedMin), militaryWoundedMax: v(x.woundedMax) - v(x.civilianWoundedMax),
    });
  });
  return {
    conflictId: c.conflictId,
    timeZone: c.timeZone,
    bucket: c.bucket,
    by: c.by,
    ...(c.asOf ? { asOf: c.asOf } : {}),
    series: c.series.map((s) => ({
      claimant: s.claimant,
      subject: s.subject,
      assertion: s.assertion,
      points: s.at.map((i, k) => ({
        period: c.periods[i]!,
        claims: s.claims[k] ?? 0,
        retracted: s.retracted[k] ?? 0,
        corroborated: s.corroborated[k] ?? 0,
        contested: s.contested[k] ?? 0,
        refuted: s.refuted[k] ?? 0,
        killed: zero,
        wounded: zero,
      })),
    })),
    casualtyTotals,
  };
}
