// The whole view of the dashboard lives in the URL, under the API's own query names, so a link
// reproduces what a reader sees; drill-down links to the claims list are built from it here.

export type Bucket = 'day' | 'week' | 'month';
export type Basis = 'occurred' | 'stated';
export type Layout = 'stacked' | 'side-by-side';

export interface DashboardState {
  conflictId: string;
  agreementId: string;
  bucket: Bucket;
  by: Basis;
  from: string;
  to: string;
  layout: Layout;
  /**
   * Auditors: the timeline as the tracker had recorded it by this instant (recorded at, with its
   * offset), not what happened by then; empty: the record now.
   */
  recordedBy: string;
}

// Weeks by default: two years of days is 730 bars per direction (and a 1.3 MB answer at 100,000 claims).
const DEFAULTS: DashboardState = { conflictId: '', agreementId: '', bucket: 'week', by: 'occurred', from: '', to: '', layout: 'stacked', recordedBy: '' };
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** An instant as the API's asOf takes it: date, time and offset. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);

export function parseDashboardState(params: URLSearchParams): DashboardState {
  const date = (name: string) => {
    const value = params.get(name) ?? '';
    return LOCAL_DATE.test(value) ? value : '';
  };
  return {
    // `conflict` and `agreement`: the names links of the first dashboard used.
    conflictId: params.get('conflictId') ?? params.get('conflict') ?? '',
    agreementId: params.get('agreementId') ?? params.get('agreement') ?? '',
    bucket: pick(params.get('bucket'), ['day', 'week', 'month'], DEFAULTS.bucket),
    by: pick(params.get('by'), ['occurred', 'stated'], 'occurred'),
    from: date('from'),
    to: date('to'),
    layout: pick(params.get('layout'), ['stacked', 'side-by-side'], 'stacked'),
    recordedBy: INSTANT.test(params.get('recordedBy') ?? '') && !Number.isNaN(Date.parse(params.get('recordedBy')!)) ? params.get('recordedBy')! : '',
  };
}

/** Only what differs from the defaults, in a stable order. */
export function dashboardSearch(state: DashboardState): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of Object.keys(DEFAULTS) as (keyof DashboardState)[]) {
    if (state[name] !== DEFAULTS[name]) params.set(name, state[name]);
  }
  return params;
}

/** The last local date of the period that starts on `period`. */
export function periodEnd(period: string, bucket: Bucket): string {
  const date = new Date(`${period}T00:00:00Z`);
  if (bucket === 'month') date.setUTCMonth(date.getUTCMonth() + 1, 0);
  else if (bucket === 'week') date.setUTCDate(date.getUTCDate() + 6);
  return date.toISOString().slice(0, 10);
}

export function nextPeriod(period: string, bucket: Bucket): string {
  const date = new Date(`${periodEnd(period, bucket)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** What a number on the dashboard counts, as the claims list's filters. */
export interface CellFilter {
  claimant?: string;
  subject?: string;
  assertion?: 'violated' | 'complied';
  /** A period of the timeline (its first local date). */
  period?: string;
  status?: 'corroborated' | 'contested' | 'refuted';
  retracted?: true;
  answered?: 'denied' | 'counter-accused';
  /** A scorecard counts the claims under its agreement whatever the dashboard's agreement. */
  agreementId?: string;
}

/**
 * The claims list URL listing exactly the claims a number counts: the dashboard's conflict,
 * agreement, basis and dates, the cell's own filters, and only counted claims (voided claims and
 * duplicates leave every count).
 */
export function drillDownHref(state: Pick<DashboardState, 'conflictId' | 'agreementId' | 'bucket' | 'by' | 'from' | 'to'>, cell: CellFilter): string {
  const params = new URLSearchParams();
  params.set('conflictId', state.conflictId);
  if (cell.claimant) params.set('claimant', cell.claimant);
  if (cell.subject) params.set('subject', cell.subject);
  if (cell.assertion) params.set('assertion', cell.assertion);
  if (cell.status) params.set('status', cell.status);
  const agreementId = cell.agreementId ?? state.agreementId;
  if (agreementId) params.set('agreementId', agreementId);
  let from = state.from;
  let to = state.to;
  if (cell.period) {
    const end = periodEnd(cell.period, state.bucket);
    from = from && from > cell.period ? from : cell.period;
    to = to && to < end ? to : end;
  }
  if (cell.agreementId === undefined || cell.period) {
    if (from) params.set('from', from);
    if (to) params.set('to', to);
    if ((from || to) && state.by === 'stated') params.set('by', 'stated');
  }
  if (cell.retracted) params.set('retracted', 'true');
  if (cell.answered) params.set('answered', cell.answered);
  params.set('counted', 'true');
  return `/claims?${params.toString()}`;
}

/** "2 h 10 min", "3 d 4 h", "45 min": how long after `start` the instant `at` came. */
export function delayWords(start: string, at: string): string {
  const minutes = Math.round((Date.parse(at) - Date.parse(start)) / 60_000);
  if (Number.isNaN(minutes)) return '';
  const sign = minutes < 0 ? 'before' : 'after';
  const total = Math.abs(minutes);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  const parts = days > 0 ? [`${days} d`, hours ? `${hours} h` : ''] : hours > 0 ? [`${hours} h`, mins ? `${mins} min` : ''] : [`${mins} min`];
  return `${parts.filter(Boolean).join(' ')} ${sign}`;
}
