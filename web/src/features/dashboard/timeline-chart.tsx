// The parties compared over time (Observable Plot: SVG with attributes, no runtime inline CSS
// beyond the <style> element PlotFigure strips), and the casualties claimed on the same axis.
import * as Plot from '@observablehq/plot';
import { useCallback } from 'react';
import { PlotFigure } from '../../components/plot-figure';
import type { PartyColours } from '../../lib/party-colours';
import { instantToLocalIso } from '../../lib/local-time';
import { type DashboardState, drillDownHref, nextPeriod } from './dashboard-state';
import { useLinkTarget } from './link-target';
import { type BarRow, type CasualtyRow, dayMs, type Direction } from './timeline-data';

export interface AgreementWindow {
  id: string;
  title: string;
  effectiveFrom: string;
  endedAt: string | null;
}

/** An instant on the chart's axis: its local wall clock in the conflict's zone, read as UTC. */
export const axisMs = (instant: string, timeZone: string) => Date.parse(`${instantToLocalIso(Date.parse(instant), timeZone).slice(0, 19)}Z`);

interface Axis {
  domain: [Date, Date];
}

export function timeAxis(periods: string[], bucket: DashboardState['bucket']): Axis {
  return { domain: [new Date(dayMs(periods[0]!)), new Date(dayMs(nextPeriod(periods.at(-1)!, bucket)))] };
}

/** Agreements in force: shaded bands (drawn under the bars) and the instant each took effect, titled (over them). */
function agreementMarks(windows: AgreementWindow[], axis: Axis, timeZone: string, withTitles: boolean): { under: Plot.Markish[]; over: Plot.Markish[] } {
  const [start, end] = axis.domain.map((d) => d.getTime()) as [number, number];
  const bands = windows
    .map((w) => ({ ...w, x1: axisMs(w.effectiveFrom, timeZone), x2: w.endedAt ? axisMs(w.endedAt, timeZone) : end }))
    .filter((w) => w.x2 > start && w.x1 < end)
    .map((w) => ({ ...w, x1: Math.max(w.x1, start), x2: Math.min(w.x2, end), starts: w.x1 >= start }));
  return {
    under: [Plot.rect(bands, { x1: (w) => new Date(w.x1), x2: (w) => new Date(w.x2), fill: 'currentColor', fillOpacity: 0.08 })],
    over: [
      Plot.ruleX(bands.filter((w) => w.starts), { x: (w) => new Date(w.x1), stroke: 'currentColor', strokeWidth: 1.5, strokeDasharray: '5 3', title: (w) => `${w.title} took effect ${w.effectiveFrom}` }),
      ...(withTitles ? [Plot.text(bands, { x: (w) => new Date(w.x1), text: (w) => w.title, frameAnchor: 'top', textAnchor: 'start', dx: 4, dy: -14, lineWidth: 30, fill: 'currentColor' })] : []),
    ],
  };
}

export function AllegationsChart(props: {
  rows: BarRow[];
  directions: Direction[];
  periods: string[];
  state: DashboardState;
  windows: AgreementWindow[];
  timeZone: string;
  colours: PartyColours;
  label: string;
}) {
  const { rows, directions, periods, state, windows, timeZone, colours, label } = props;
  const target = useLinkTarget();
  const render = useCallback(
    (width: number) => {
      const axis = timeAxis(periods, state.bucket);
      // Colour is the claimant's; a second subject of the same claimant is paler, and every bar
      // has its direction in its tooltip and the legend and table beside the chart.
      const subjectRank = new Map<string, number>();
      const seen = new Map<string, number>();
      for (const d of directions) {
        const n = seen.get(`${d.claimant}|${d.assertion}`) ?? 0;
        subjectRank.set(d.key, n);
        seen.set(`${d.claimant}|${d.assertion}`, n + 1);
      }
      const agreementsShown = agreementMarks(windows, axis, timeZone, width >= 520);
      return Plot.plot({
        className: 'cf-plot',
        width,
        height: 300,
        marginTop: 34,
        marginLeft: 44,
        ariaLabel: label,
        x: { type: 'utc', domain: axis.domain, label: null },
        y: { label: '↑ accusations · compliance asserted ↓', grid: true, tickFormat: (v: number) => (Number.isInteger(v) ? String(Math.abs(v)) : '') },
        marks: [
          ...agreementsShown.under,
          Plot.rect(rows, {
            x1: (r: BarRow) => new Date(r.x1),
            x2: (r: BarRow) => new Date(r.x2),
            y1: 'y1',
            y2: 'y2',
            fill: (r: BarRow) => colours.colour(r.direction.claimant),
            fillOpacity: (r: BarRow) => (subjectRank.get(r.direction.key) ? 0.55 : 1),
            stroke: '#1d2125',
            strokeWidth: 0.5,
            // As recorded by a past time the bars are not links (the claims list shows the record now).
            href: state.recordedBy ? undefined : (r: BarRow) => drillDownHref(state, { claimant: r.direction.claimant, subject: r.direction.subject, assertion: r.direction.assertion, period: r.period }),
            target,
            // A name belongs to the link; a bar without one keeps its title (and the table beside it).
            ariaLabel: state.recordedBy ? undefined : (r: BarRow) => `${r.direction.label}: ${r.claims} claim${r.claims === 1 ? '' : 's'}, ${r.period}`,
            title: (r: BarRow) => `${r.direction.label}\n${r.period}: ${r.claims} claim${r.claims === 1 ? '' : 's'}`,
            tip: true,
          }),
          Plot.ruleY([0]),
          ...agreementsShown.over,
        ],
      });
    },
    [rows, directions, periods, state, windows, timeZone, colours, label, target],
  );
  return <PlotFigure render={render} label={label} />;
}

export function CasualtiesChart(props: { rows: CasualtyRow[]; periods: string[]; state: DashboardState; windows: AgreementWindow[]; timeZone: string; label: string }) {
  const { rows, periods, state, windows, timeZone, label } = props;
  const render = useCallback(
    (width: number) => {
      const axis = timeAxis(periods, state.bucket);
      // Four slots in each period: killed civilians, killed military, wounded civilians, wounded
      // military; each a band from the lowest to the highest figure claimed, with ticks at both
      // ends (a band of one figure is a line). Killed dark, wounded grey; military paler and dashed.
      const bars = rows.flatMap((r) => {
        const start = dayMs(r.period);
        const width = dayMs(nextPeriod(r.period, state.bucket)) - start;
        const slot = (i: number) => ({ x1: start + width * (0.1 + 0.2 * i), x2: start + width * (0.1 + 0.2 * (i + 1)), period: r.period });
        return [
          { what: 'killed', who: 'civilians', min: r.civilianKilledMin, max: r.civilianKilledMax, ...slot(0) },
          { what: 'killed', who: 'military', min: r.militaryKilledMin, max: r.militaryKilledMax, ...slot(1) },
          { what: 'wounded', who: 'civilians', min: r.civilianWoundedMin, max: r.civilianWoundedMax, ...slot(2) },
          { what: 'wounded', who: 'military', min: r.militaryWoundedMin, max: r.militaryWoundedMax, ...slot(3) },
        ].filter((b) => b.max > 0);
      });
      type Bar = (typeof bars)[number];
      const range = (b: Bar) => (b.min === b.max ? String(b.min) : `${b.min}–${b.max}`);
      const of = (who: string) => bars.filter((b) => b.who === who);
      const x1 = (b: Bar) => new Date(b.x1);
      const x2 = (b: Bar) => new Date(b.x2);
      return Plot.plot({
        className: 'cf-plot',
        width,
        height: 200,
        marginLeft: 44,
        ariaLabel: label,
        x: { type: 'utc', domain: axis.domain, label: null },
        y: { label: '↑ people (lowest–highest claimed)', grid: true },
        color: { domain: ['killed', 'wounded'], range: ['#1d2125', '#767676'], legend: false },
        marks: [
          ...agreementMarks(windows, axis, timeZone, false).under,
          Plot.rect(of('civilians'), { x1, x2, y1: 'min', y2: 'max', fill: 'what', fillOpacity: 0.45 }),
          Plot.rect(of('military'), { x1, x2, y1: 'min', y2: 'max', fill: 'what', fillOpacity: 0.15 }),
          Plot.ruleY(of('civilians'), { x1, x2, y: 'max', stroke: 'what', strokeWidth: 2 }),
          Plot.ruleY(of('civilians'), { x1, x2, y: 'min', stroke: 'what', strokeWidth: 2 }),
          Plot.ruleY(of('military'), { x1, x2, y: 'max', stroke: 'what', strokeWidth: 2, strokeDasharray: '4,2' }),
          Plot.ruleY(of('military'), { x1, x2, y: 'min', stroke: 'what', strokeWidth: 2, strokeDasharray: '4,2' }),
          Plot.rect(bars, {
            x1,
            x2,
            y1: 0,
            y2: 'max',
            fill: 'transparent',
            title: (b: Bar) => `${b.period}: ${range(b)} ${b.what}, ${b.who}`,
            tip: true,
          }),
          Plot.ruleY([0]),
          ...agreementMarks(windows, axis, timeZone, false).over,
        ],
      });
    },
    [rows, periods, state, windows, timeZone, label],
  );
  return <PlotFigure render={render} label={label} />;
}
