import { tzOffset } from '@date-fns/tz';
import * as chrono from 'chrono-node';
import type { Span } from './draft';

export type TimePrecision = 'minute' | 'hour' | 'part-of-day' | 'day';

/** A time read from the text: the same shape as a claim's `occurred`, with where it was found. */
export interface TimeMention {
  from: string;
  to?: string;
  precision: TimePrecision;
  /** The words as written ("around 2 a.m.", "overnight", "12:00 local time of October 10"). */
  raw: string;
  span: Span;
  /** The instant it starts at (for ordering and agreements). */
  at: Date;
  /** Whether the text named the zone ("local time", "Moscow time", "GMT"). */
  zoneStated: boolean;
  timeZone: string;
}

export interface TimeReference {
  /** Relative words ("on Sunday", "overnight") count back from here. */
  instant: Date;
  /** The conflict's IANA zone: times without a zone are local to it. */
  timeZone: string;
}

const HOUR = 3_600_000;

/** Named zones wire copy gives times in, besides the conflict's own ("local time"). */
const NAMED_ZONES: [RegExp, string][] = [
  [/\bMoscow time\b/i, 'Europe/Moscow'],
  [/\bBaku time\b/i, 'Asia/Baku'],
  [/\bYerevan time\b/i, 'Asia/Yerevan'],
];
/** Zone words right after a time ("12:00 Moscow time", "12:00 (local time)"). */
const leading = (re: RegExp) => new RegExp(`^\\s*\\(?\\s*${re.source.replace(/^\\b/, '')}`, 'i');
const LOCAL_TIME = leading(/\blocal time\b/);
const APPROXIMATE = /\b(around|about|approximately|roughly|some time|sometime|shortly (?:before|after))\s*$/i;

/** Parts of the day as wire copy names them, with their local hours (night runs past midnight). */
const PARTS_OF_DAY: { re: RegExp; from: number; to: number; dayBefore?: boolean }[] = [
  { re: /\b(?:overnight|during the night|last night|at night|in the night)\b/i, from: 22, to: 30, dayBefore: true },
  { re: /\b(?:early (?:on )?\w+ )?morning\b/i, from: 6, to: 12 },
  { re: /\bafternoon\b/i, from: 12, to: 18 },
  { re: /\bevening\b/i, from: 18, to: 23 },
  { re: /\b(?:night of|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day night)\b/i, from: 22, to: 30 },
];

/** An instant written with the zone's offset at that instant: 2020-10-11T02:00:00+04:00. */
export function inZone(at: Date, timeZone: string): string {
  const offset = tzOffset(timeZone, at);
  const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The local calendar date of an instant in a zone: 2020-10-11. */
export const localDate = (at: Date, timeZone: string): string => inZone(at, timeZone).slice(0, 10);

/** The instant of a local wall-clock time in a zone (the offset taken at that moment). */
function atLocal(date: string, hour: number, minute: number, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`).getTime() + (hour * 60 + minute) * 60_000;
  const offset = tzOffset(timeZone, new Date(guess));
  return new Date(guess - offset * 60_000);
}

const addDays = (date: string, days: number) => new Date(new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);

interface Parsed {
  index: number;
  text: string;
  known: (c: chrono.Component) => boolean;
  get: (c: chrono.Component) => number | null;
}

const parsedOf = (r: chrono.ParsedResult): Parsed => ({
  index: r.index,
  text: r.text,
  known: (c) => r.start.isCertain(c),
  get: (c) => r.start.get(c),
});

const hasTime = (p: Parsed) => p.known('hour');
const hasDate = (p: Parsed) => p.known('day') || p.known('weekday');

/**
 * The times of a sentence, read relative to the reference in the conflict's zone: clock times
 * ("12:00 local time", "around 2 a.m."), dates and weekdays ("on October 10", "on Sunday"),
 * parts of the day ("overnight", "on Sunday morning"), each with its precision and raw words.
 * chrono-node reads dates and clock times; the parts of the day and the zone words are read here.
 */
export function readTimes(sentence: string, offset: number, ref: TimeReference): TimeMention[] {
  const zoneOffset = tzOffset(ref.timeZone, ref.instant);
  const results = chrono.en.parse(sentence, { instant: ref.instant, timezone: zoneOffset }, { forwardDate: false }).map(parsedOf);
  // A clock time and a date a few words apart ("12:00 local time of October 10") are one time.
  const merged: { time?: Parsed; date?: Parsed; start: number; end: number }[] = [];
  for (const p of results) {
    const last = merged.at(-1);
    const gap = last ? sentence.slice(last.end, p.index) : '';
    const joinable = last !== undefined && gap.length <= 30 && /^[\s,()\w+:.-]*$/.test(gap) && !/[.;]\s/.test(gap);
    if (joinable && last.time && !last.date && hasDate(p) && !hasTime(p)) {
      last.date = p;
      last.end = p.index + p.text.length;
      continue;
    }
    if (joinable && last.date && !last.time && hasTime(p) && !hasDate(p)) {
      last.time = p;
      last.end = p.index + p.text.length;
      continue;
    }
    merged.push({ ...(hasTime(p) ? { time: p } : {}), ...(hasDate(p) || !hasTime(p) ? { date: p } : {}), start: p.index, end: p.index + p.text.length });
  }

  const mentions: TimeMention[] = [];
  const refDate = localDate(ref.instant, ref.timeZone);
  for (const m of merged) {
    let start = m.start;
    let end = m.end;
    // A leading "from"/"at"/"on" belongs to the sentence, not to the time's raw wording.
    const lead = /^(?:from|at|on|since|starting)\s+/i.exec(sentence.slice(start, end));
    if (lead) start += lead[0].length;
    const after = sentence.slice(end);
    let timeZone = ref.timeZone;
    let zoneStated = false;
    const named = NAMED_ZONES.map(([re, zone]) => [leading(re), zone] as const).find(([re]) => re.test(after));
    const local = LOCAL_TIME.exec(after);
    if (named) {
      timeZone = named[1];
      zoneStated = true;
      end += named[0].exec(after)![0].length;
    } else if (local) {
      zoneStated = true;
      end += local[0].length;
      // "12:00 local time of October 10": the date after it is part of the wording.
      if (m.date && m.date.index >= end) end = m.date.index + m.date.text.length;
    } else if (m.time?.known('timezoneOffset')) zoneStated = true;
    const inside = sentence.slice(start, end);
    const namedInside = NAMED_ZONES.find(([re]) => re.test(inside));
    if (namedInside) {
      timeZone = namedInside[1];
      zoneStated = true;
    } else if (/\blocal time\b/i.test(inside)) zoneStated = true;
    const approx = APPROXIMATE.exec(sentence.slice(0, start));
    if (approx) start -= approx[0].length;

    const date = dateOf(m.date, refDate, ref);
    if (m.time) {
      const hour = m.time.get('hour') ?? 0;
      const minute = m.time.get('minute') ?? 0;
      const day = date ?? refDate;
      let at: Date;
      if (m.time.known('timezoneOffset') && !named) {
        const tz = m.time.get('timezoneOffset') ?? 0;
        at = new Date(new Date(`${day}T00:00:00Z`).getTime() + (hour * 60 + minute - tz) * 60_000);
      } else at = atLocal(day, hour, minute, timeZone);
      // A clock time without a date that would lie after the report is the day before.
      if (!date && at.getTime() > ref.instant.getTime() + HOUR) at = new Date(at.getTime() - 24 * HOUR);
      const precise = !approx && (m.time.known('minute') ? minute !== 0 || /:\d\d/.test(m.time.text) : false);
      const from = inZone(at, ref.timeZone);
      mentions.push({
        from,
        ...(precise ? {} : { to: inZone(new Date(at.getTime() + HOUR), ref.timeZone) }),
        precision: precise ? 'minute' : 'hour',
        raw: sentence.slice(start, end),
        span: [offset + start, offset + end],
        at,
        zoneStated,
        timeZone,
      });
      continue;
    }
    if (!date) continue;
    const part = partOfDay(sentence, start, end);
    if (part) {
      // "Overnight" next to a date is the night that ended on that date.
      const day = part.dayBefore ? addDays(date, -1) : date;
      const fromAt = atLocal(day, part.from, 0, ref.timeZone);
      const toAt = atLocal(day, part.to, 0, ref.timeZone);
      const s = Math.min(start, part.span[0]);
      const e = Math.max(end, part.span[1]);
      mentions.push({ from: inZone(fromAt, ref.timeZone), to: inZone(toAt, ref.timeZone), precision: 'part-of-day', raw: sentence.slice(s, e), span: [offset + s, offset + e], at: fromAt, zoneStated: false, timeZone });
      continue;
    }
    mentions.push({ from: date, precision: 'day', raw: sentence.slice(start, end), span: [offset + start, offset + end], at: atLocal(date, 0, 0, ref.timeZone), zoneStated: false, timeZone });
  }

  // Parts of the day with no date ("overnight", "in the morning") are those of the report's day.
  for (const part of PARTS_OF_DAY) {
    const m = part.re.exec(sentence);
    if (!m) continue;
    const s = m.index;
    const e = s + m[0].length;
    if (mentions.some((t) => t.span[0] - offset <= e + 12 && t.span[1] - offset >= s - 12)) continue;
    const night = part.dayBefore === true;
    // "Overnight" in a morning report is the night that just ended; in a later report too.
    const base = night ? addDays(refDate, -1) : refDate;
    const fromAt = atLocal(base, part.from, 0, ref.timeZone);
    if (fromAt.getTime() > ref.instant.getTime()) continue;
    const toAt = atLocal(base, part.to, 0, ref.timeZone);
    mentions.push({ from: inZone(fromAt, ref.timeZone), to: inZone(toAt, ref.timeZone), precision: 'part-of-day', raw: m[0], span: [offset + s, offset + e], at: fromAt, zoneStated: false, timeZone: ref.timeZone });
  }
  return mentions.sort((a, b) => a.span[0] - b.span[0]);
}

/** The local date a chrono date result names; a weekday after the report is the week before. */
function dateOf(p: Parsed | undefined, refDate: string, ref: TimeReference): string | null {
  if (!p) return null;
  if (p.known('day')) {
    const year = p.known('year') ? p.get('year')! : Number(refDate.slice(0, 4));
    let date = `${year}-${String(p.get('month')).padStart(2, '0')}-${String(p.get('day')).padStart(2, '0')}`;
    // A date without a year more than two months after the report is last year's ("on December 30" in January).
    if (!p.known('year') && date > addDays(refDate, 60)) date = `${year - 1}${date.slice(4)}`;
    return date;
  }
  if (p.known('weekday')) {
    const refWeekday = new Date(`${refDate}T00:00:00Z`).getUTCDay();
    const back = (refWeekday - p.get('weekday')! + 7) % 7;
    return addDays(refDate, -back);
  }
  // "yesterday", "today": chrono implies the day.
  const day = p.get('day');
  const month = p.get('month');
  const year = p.get('year');
  if (day !== null && month !== null && year !== null && /\b(yesterday|today)\b/i.test(p.text)) {
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  void ref;
  return null;
}

function partOfDay(sentence: string, start: number, end: number): { from: number; to: number; dayBefore?: boolean; span: Span; text: string } | null {
  const window = [Math.max(0, start - 20), Math.min(sentence.length, end + 20)] as const;
  const around = sentence.slice(window[0], window[1]);
  for (const part of PARTS_OF_DAY) {
    const m = part.re.exec(around);
    if (m) return { ...part, span: [window[0] + m.index, window[0] + m.index + m[0].length], text: m[0] };
  }
  return null;
}
