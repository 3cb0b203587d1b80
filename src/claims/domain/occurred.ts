import { TZDate } from '@date-fns/tz';
import { ValidationError } from '../../shared/domain-error';
import { isInstant, isLocalDate, isLocalMonth } from '../../shared/text';
import type { Occurred } from './claim';

/** Precisions at which a plain date (or month) says enough: "on 12 October", "in the week of…". */
const DATE_PRECISIONS: ReadonlySet<Occurred['precision']> = new Set(['day', 'week', 'month', 'approximate']);
const MONTH_PRECISIONS: ReadonlySet<Occurred['precision']> = new Set(['month', 'approximate']);

/**
 * `occurred` with its bounds as instants. A plain date is read in the conflict's time zone: as
 * `from`, the start of that day (a month: of its first day); as `to`, the end of that day (a
 * month: of its last). The text as sent is kept in `raw` when the client gave no `raw` of its own.
 */
export function resolveOccurred(occurred: Occurred, timeZone: string, field = 'occurred'): Occurred {
  const from = resolveBound(occurred.from, 'start', occurred.precision, timeZone, `${field}.from`);
  const to = occurred.to === undefined ? undefined : resolveBound(occurred.to, 'end', occurred.precision, timeZone, `${field}.to`);
  if (from === occurred.from && to === occurred.to) return occurred;
  const raw = occurred.raw ?? (occurred.to === undefined ? occurred.from : `${occurred.from}/${occurred.to}`);
  return { ...occurred, from, ...(to === undefined ? {} : { to }), raw };
}

function resolveBound(value: string, edge: 'start' | 'end', precision: Occurred['precision'], timeZone: string, field: string): string {
  // (Checked through `unknown`: the type guards would narrow a string that fails them to never.)
  const text: unknown = value;
  if (isInstant(text)) return value;
  const month = isLocalMonth(text);
  if (!(month ? MONTH_PRECISIONS : DATE_PRECISIONS).has(precision) || !(month || isLocalDate(text))) {
    const needs = month ? 'month or approximate' : 'day, week, month or approximate';
    throw new ValidationError('The request has invalid fields', [
      { field, message: `${field.split('.').pop()} must be a date and time with an offset at ${precision} precision (a plain ${month ? 'month' : 'date'} needs precision ${needs})` },
    ]);
  }
  const [year, monthNumber, day] = value.split('-').map(Number) as [number, number, number | undefined];
  if (edge === 'start') return new TZDate(year, monthNumber - 1, day ?? 1, 0, 0, 0, 0, timeZone).toISOString();
  // The last millisecond of the day, or of the month (day 0 of the next month is its last day).
  const lastDay = day ?? new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return new TZDate(year, monthNumber - 1, lastDay, 23, 59, 59, 999, timeZone).toISOString();
}
