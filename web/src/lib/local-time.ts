// Times are entered and shown in the conflict's time zone and sent as instants with an offset.
// Everything here is pure, on the browser's own time-zone data (Intl), so historic offsets and
// daylight saving come from the same tables as everywhere else.

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallAt(timeZone: string, ms: number): Wall {
  const parts = Object.fromEntries(wallFormatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  return {
    year: parts.era === 'BC' || parts.era === 'B' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function utcOf(w: Wall): number {
  const d = new Date(Date.UTC(2000, w.month - 1, w.day, w.hour, w.minute, w.second));
  d.setUTCFullYear(w.year);
  return d.getTime();
}

/** The zone's offset from UTC at this instant, in whole minutes (local-mean-time seconds dropped). */
export function offsetMinutes(timeZone: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return Math.round((utcOf(wallAt(timeZone, whole)) - whole) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

export function formatOffset(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** "GMT+4", "GMT+5:30", "GMT": how the form names the zone's offset. */
export function gmtLabel(minutes: number): string {
  if (minutes === 0) return 'GMT';
  const h = Math.floor(Math.abs(minutes) / 60);
  const m = Math.abs(minutes) % 60;
  return `GMT${minutes < 0 ? '-' : '+'}${h}${m ? `:${pad(m)}` : ''}`;
}

/** "Asia/Baku, GMT+4" for the zone at that instant (now by default). */
export function zoneLabel(timeZone: string, at: number = Date.now()): string {
  return `${timeZone}, ${gmtLabel(offsetMinutes(timeZone, at))}`;
}

const LOCAL = /^(-?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A local wall-clock time in the zone → the instant, as ISO 8601 with the zone's offset then.
 * An ambiguous time (clocks turned back) is the earlier of the two; a time that does not exist
 * (clocks turned forward) moves forward by the gap, as a wall clock would.
 */
export function localToInstant(local: string, timeZone: string): string | null {
  const m = LOCAL.exec(local.trim());
  if (!m) return null;
  const w: Wall = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0) };
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 || w.hour > 23 || w.minute > 59 || w.second > 59) return null;
  const wall = utcOf(w);
  const check = new Date(wall);
  if (check.getUTCDate() !== w.day) return null; // 31 April and the like
  const offsets = new Set([offsetMinutes(timeZone, wall - DAY_MS), offsetMinutes(timeZone, wall), offsetMinutes(timeZone, wall + DAY_MS)]);
  const fits = [...offsets].map((o) => wall - o * 60_000).filter((t) => offsetMinutes(timeZone, t) * 60_000 === wall - t);
  const instant = fits.length ? Math.min(...fits) : wall - offsetMinutes(timeZone, wall - DAY_MS) * 60_000;
  return instantToLocalIso(instant, timeZone);
}

/** The instant as the zone's wall clock with its offset: 2020-10-11T02:00:00+04:00. */
export function instantToLocalIso(ms: number, timeZone: string): string {
  const offset = offsetMinutes(timeZone, ms);
  // The wall clock read back from the whole-minute offset (local mean time had seconds too).
  const local = new Date(ms + offset * 60_000);
  const year = local.getUTCFullYear();
  return `${year < 0 ? '-' : ''}${pad(year, 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${formatOffset(offset)}`;
}

/** An instant (any offset) → "2020-10-11 02:00" in the zone, as the form shows and takes it. */
export function instantToLocalInput(instant: string, timeZone: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const iso = instantToLocalIso(ms, timeZone);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export const DAY_OR_COARSER = new Set(['day', 'week', 'month', 'approximate']);

export type TimeInput = { ok: true; value: string } | { ok: false; message: string };

/**
 * What a journalist typed into a time field → what the API takes: a local "2020-10-11 02:00"
 * becomes an instant with the zone's offset; a plain date passes as a date where `allowDate`
 * (day precision or coarser), and an instant with its own offset passes as it is.
 */
export function parseTimeInput(text: string, timeZone: string, { allowDate }: { allowDate: boolean }): TimeInput {
  const value = text.trim();
  if (WITH_OFFSET.test(value)) return Number.isNaN(Date.parse(value)) ? { ok: false, message: 'a real date and time' } : { ok: true, value };
  if (DATE_ONLY.test(value) && allowDate) {
    return localToInstant(value, timeZone) === null ? { ok: false, message: 'a real date' } : { ok: true, value };
  }
  if (DATE_ONLY.test(value)) return { ok: false, message: 'a date and a time, like 2020-10-11 09:30' };
  const instant = localToInstant(value, timeZone);
  return instant ? { ok: true, value: instant } : { ok: false, message: allowDate ? 'a date, or a date and a time, like 2020-10-11 09:30' : 'a date and a time, like 2020-10-11 09:30' };
}

/** How the page shows an instant: "11 Oct 2020, 02:00 (GMT+4)" in the conflict's zone. */
export function showInstant(instant: string, timeZone: string, { time = true }: { time?: boolean } = {}): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const local = new Date(ms + offsetMinutes(timeZone, ms) * 60_000);
  const date = local.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
  if (!time) return date;
  return `${date}, ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} (${gmtLabel(offsetMinutes(timeZone, ms))})`;
}
