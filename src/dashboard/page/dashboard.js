/* global document, location, history, EventSource, Node */
// The dashboard page (DESIGN §8). It reads only the public JSON API and, since claims carry free
// text, puts API data into the page only as text nodes and attribute values, never as markup.

const TOKEN_KEY = 'ceasefire-tracker.token';
const SVG = 'http://www.w3.org/2000/svg';
const PAGE_SIZE = 20;
const DEBOUNCE_MS = 500;
/** Under a steady stream of events, refresh at least this often. */
const MAX_WAIT_MS = 2000;

const $ = (id) => document.getElementById(id);

const state = {
  conflicts: [],
  /** GET /api/conflicts/:id of the selected conflict: its parties and agreements. */
  conflict: null,
  parties: new Map(),
  claims: [],
  nextCursor: null,
  /** The highest log position /api/live has announced; reads wait for it (minPosition). */
  position: 0,
  conflictsStale: false,
};

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ? `${problem.title ?? status}: ${problem.detail}` : `The API answered ${status}`);
    this.status = status;
  }
}

// --- DOM helpers: text only --------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

function svg(tag, attributes = {}, ...children) {
  return fill(document.createElementNS(SVG, tag), attributes, children);
}

function fill(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : text(child));
  }
  return node;
}

/** A text node: whatever the API sent is shown as written, never parsed as markup. */
function text(value) {
  return document.createTextNode(String(value));
}

function setText(id, value) {
  $(id).textContent = value;
}

// --- API ---------------------------------------------------------------------------------------

let tokenWanted = null;

/** A JSON read; on 401 it asks for a token, keeps it for this tab and tries again. */
async function api(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(url, { headers });
    const body = await response.json().catch(() => null);
    if (response.status === 401) {
      if (token) sessionStorage.removeItem(TOKEN_KEY);
      await askForToken(token ? `That token was refused: ${body?.detail ?? 'unknown or revoked'}.` : 'This tracker only lets readers with a token see its data.');
      continue;
    }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }
}

function askForToken(reason) {
  setText('token-reason', reason);
  $('token-prompt').hidden = false;
  $('forget-token').hidden = true;
  $('token-input').focus();
  tokenWanted ??= new Promise((resolve) => {
    $('token-form').addEventListener(
      'submit',
      (event) => {
        event.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
        $('token-input').value = '';
        $('token-prompt').hidden = true;
        $('forget-token').hidden = false;
        tokenWanted = null;
        connectLive();
        resolve();
      },
      { once: true },
    );
  });
  return tokenWanted;
}

// --- Live feed ---------------------------------------------------------------------------------

let live = null;
let liveRetry = null;

/**
 * GET /api/live. EventSource cannot send a header, so with a token the same stream is read
 * through fetch. Either way a lost connection resumes after the last position seen.
 */
function connectLive() {
  live?.close();
  clearTimeout(liveRetry);
  const token = sessionStorage.getItem(TOKEN_KEY);
  live = token ? liveWithToken(token) : liveWithEventSource();
}

function liveWithEventSource() {
  const source = new EventSource('/api/live');
  source.addEventListener('open', () => {
    setText('live-state', 'live');
    // Whatever changed before the feed was up (the first read may have been earlier) shows too.
    scheduleRefresh();
  });
  source.addEventListener('appended', (event) => announce(JSON.parse(event.data)));
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) return setText('live-state', 'live feed reconnecting…');
    // Closed for good (for instance 401 when reads need a token): try again later.
    setText('live-state', 'live feed unavailable, retrying…');
    liveRetry = setTimeout(connectLive, 5000);
  });
  return { close: () => source.close() };
}

function liveWithToken(token) {
  const stop = new AbortController();
  let lastId = null;
  void (async () => {
    while (!stop.signal.aborted) {
      try {
        const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const response = await fetch('/api/live', { headers, signal: stop.signal });
        if (!response.ok || !response.body) throw new Error(`live feed answered ${response.status}`);
        setText('live-state', 'live');
        scheduleRefresh();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const fields = parseServerSentEvent(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (fields.id) lastId = fields.id;
            if (fields.event === 'appended' && fields.data) announce(JSON.parse(fields.data));
          }
        }
      } catch {
        if (stop.signal.aborted) return;
      }
      setText('live-state', 'live feed reconnecting…');
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  })();
  return { close: () => stop.abort() };
}

function parseServerSentEvent(block) {
  const fields = {};
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    fields[name] = name === 'data' && fields.data !== undefined ? `${fields.data}\n${value}` : value;
  }
  return fields;
}

let refreshTimer = null;
let firstPendingAt = 0;

function announce({ position, type }) {
  if (!Number.isSafeInteger(position)) return;
  state.position = Math.max(state.position, position);
  if (type === 'ConflictRegistered') state.conflictsStale = true;
  scheduleRefresh();
}

function scheduleRefresh() {
  firstPendingAt ||= Date.now();
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh(), Math.max(0, Math.min(DEBOUNCE_MS, firstPendingAt + MAX_WAIT_MS - Date.now())));
}

// --- Loading -----------------------------------------------------------------------------------

function selection() {
  return { conflictId: $('conflict').value, agreementId: $('agreement').value, bucket: $('bucket').value, by: $('by').value };
}

const sameSelection = (a, b) => a.conflictId === b.conflictId && a.agreementId === b.agreementId && a.bucket === b.bucket && a.by === b.by;

let running = null;
let again = false;

/** Reloads everything shown; refreshes never overlap, and one asked for meanwhile runs after. */
async function refresh() {
  clearTimeout(refreshTimer);
  firstPendingAt = 0;
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        const position = state.position;
        try {
          await load(position);
          showError(null);
          setText('updated', position > 0 ? `updated at position ${position} (${clock()})` : `loaded at ${clock()}`);
        } catch (error) {
          showError(error);
          // 503: the read models had not reached the position yet; try again shortly.
          if (error instanceof ApiError && error.status === 503) refreshTimer = setTimeout(() => void refresh(), 2000);
        }
      } while (again);
    } finally {
      // In the same tick as the last check of `again`: no request can fall in between.
      running = null;
    }
  })();
  return running;
}

async function load(minPosition) {
  if (state.conflictsStale || state.conflicts.length === 0) await loadConflicts();
  const wanted = selection();
  saveSelection(wanted);
  if (!wanted.conflictId) return showNothing();
  const conflict = await api(`/api/conflicts/${encodeURIComponent(wanted.conflictId)}`);
  const reads = { minPosition: minPosition || undefined };
  const [timeline, scorecard, claims] = await Promise.all([
    api(`/api/conflicts/${encodeURIComponent(wanted.conflictId)}/timeline`, { ...reads, bucket: wanted.bucket, by: wanted.by, agreementId: wanted.agreementId }),
    wanted.agreementId ? api(`/api/agreements/${encodeURIComponent(wanted.agreementId)}/scorecard`, reads) : null,
    // A refresh keeps as many claims on screen as were loaded ("more" included).
    api('/api/claims', { ...reads, conflictId: wanted.conflictId, limit: Math.min(200, Math.max(PAGE_SIZE, state.claims.length)) }),
  ]);
  // The user picked something else meanwhile: that choice has its own refresh queued.
  if (!sameSelection(wanted, selection())) return;
  state.conflict = conflict;
  state.parties = new Map(conflict.parties.map((p) => [p.id, p.shortName ?? p.name]));
  state.claims = claims.items;
  state.nextCursor = claims.nextCursor;
  renderConflict(conflict, wanted);
  renderTimeline(timeline);
  renderScorecard(scorecard, conflict);
  renderClaims();
  // An agreement from the address that this conflict does not have: show it unfiltered.
  if ($('agreement').value !== wanted.agreementId) again = true;
}

async function loadConflicts() {
  const { items } = await api('/api/conflicts');
  state.conflicts = items;
  state.conflictsStale = false;
  const select = $('conflict');
  const current = select.value || new URLSearchParams(location.search).get('conflict') || '';
  const options = items.map((c) => el('option', { value: c.id }, c.region ? `${c.name} (${c.region})` : c.name));
  // With one conflict there is nothing to choose; with several, the reader chooses.
  if (items.length !== 1) options.unshift(el('option', { value: '' }, items.length ? 'Choose a conflict…' : 'No conflicts recorded yet'));
  select.replaceChildren(...options);
  if (items.some((c) => c.id === current)) select.value = current;
}

async function loadMoreClaims() {
  const wanted = selection();
  if (!state.nextCursor || !wanted.conflictId) return;
  $('more').disabled = true;
  const shown = state.claims;
  try {
    const page = await api('/api/claims', { conflictId: wanted.conflictId, limit: PAGE_SIZE, cursor: state.nextCursor, minPosition: state.position || undefined });
    // A refresh replaced the list meanwhile (and kept its length): this page would repeat claims.
    if (!sameSelection(wanted, selection()) || state.claims !== shown) return;
    state.claims = [...state.claims, ...page.items];
    state.nextCursor = page.nextCursor;
    renderClaims();
  } catch (error) {
    showError(error);
  } finally {
    $('more').disabled = false;
  }
}

function saveSelection({ conflictId, agreementId, bucket, by }) {
  const params = new URLSearchParams();
  if (conflictId) params.set('conflict', conflictId);
  if (agreementId) params.set('agreement', agreementId);
  if (bucket !== 'day') params.set('bucket', bucket);
  if (by !== 'occurred') params.set('by', by);
  const search = params.toString() ? `?${params}` : '';
  if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}`);
}

function restoreSelection() {
  const params = new URLSearchParams(location.search);
  for (const id of ['bucket', 'by']) {
    const value = params.get(id);
    if (value && [...$(id).options].some((o) => o.value === value)) $(id).value = value;
  }
}

// --- Rendering ---------------------------------------------------------------------------------

const party = (id) => state.parties.get(id) ?? `unknown party ${String(id).slice(0, 8)}`;

function clock() {
  return new Date().toLocaleTimeString('en-GB');
}

function showError(error) {
  $('error').hidden = !error;
  setText('error', error ? (error instanceof Error ? error.message : String(error)) : '');
}

function showNothing() {
  state.conflict = null;
  state.claims = [];
  state.nextCursor = null;
  setText('time-zone', '–');
  setText('parties', '');
  $('agreement').replaceChildren(el('option', { value: '' }, 'All claims (any agreement or none)'));
  $('timeline').replaceChildren(el('p', { class: 'empty' }, 'Choose a conflict.'));
  $('scorecard').replaceChildren(el('p', { class: 'empty' }, 'Choose an agreement to see its scorecard.'));
  $('claims').replaceChildren(el('p', { class: 'empty' }, 'Choose a conflict.'));
  $('more').hidden = true;
}

function renderConflict(conflict, wanted) {
  setText('time-zone', conflict.timeZone);
  setText('parties', conflict.parties.length ? `· parties: ${conflict.parties.map((p) => p.name).join(', ')}` : '');
  const zone = conflict.timeZone;
  const options = conflict.agreements.map((a) => {
    const span = `from ${formatInstant(a.effectiveFrom.at, zone, 'minute')}${a.endedAt ? `, ended ${formatInstant(a.endedAt, zone, 'minute')}` : ''}`;
    return el('option', { value: a.id }, `${a.title} (${span})`);
  });
  $('agreement').replaceChildren(el('option', { value: '' }, 'All claims (any agreement or none)'), ...options);
  if (conflict.agreements.some((a) => a.id === wanted.agreementId)) $('agreement').value = wanted.agreementId;
}

function renderTimeline(timeline) {
  const box = $('timeline');
  if (timeline.series.length === 0) return box.replaceChildren(el('p', { class: 'empty' }, 'No claims in this selection.'));
  const periods = periodRange(timeline.series, timeline.bucket);
  const highest = Math.max(1, ...timeline.series.flatMap((s) => s.points.map((p) => p.claims)));
  box.replaceChildren(
    ...byPartyNames(timeline.series).map((series) => {
      const title = `${party(series.claimant)} → ${party(series.subject)} · ${series.assertion}`;
      return el(
        'figure',
        { class: `series ${series.assertion}` },
        el('figcaption', {}, title),
        chart(series, periods, highest, title, timeline.bucket),
        timelineTable(series, title, timeline.bucket),
      );
    }),
  );
}

/** Every period from the first to the last with claims, so gaps show as gaps. */
function periodRange(series, bucket) {
  const present = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  const all = [];
  for (let period = present[0]; period <= present.at(-1) && all.length <= 1000; period = nextPeriod(period, bucket)) all.push(period);
  return all.length > 1000 ? present : all;
}

function nextPeriod(period, bucket) {
  const date = new Date(`${period}T00:00:00Z`);
  if (bucket === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCDate(date.getUTCDate() + (bucket === 'week' ? 7 : 1));
  return date.toISOString().slice(0, 10);
}

/** Bars of claims per period on a shared scale; the table below carries the same numbers. */
function chart(series, periods, highest, title, bucket) {
  const width = 400;
  const height = 100;
  const top = 14;
  const bottom = 84;
  const slot = width / periods.length;
  const barWidth = Math.max(0.5, Math.min(24, slot * 0.8));
  const byPeriod = new Map(series.points.map((p) => [p.period, p]));
  const bars = periods.flatMap((period, i) => {
    const point = byPeriod.get(period);
    if (!point || point.claims === 0) return [];
    const barHeight = ((bottom - top) * point.claims) / highest;
    return [
      svg(
        'rect',
        { class: 'bar', x: (i * slot + (slot - barWidth) / 2).toFixed(2), y: (bottom - barHeight).toFixed(2), width: barWidth.toFixed(2), height: barHeight.toFixed(2) },
        svg('title', {}, `${period}: ${point.claims} claim${point.claims === 1 ? '' : 's'}`),
      ),
    ];
  });
  return svg(
    'svg',
    { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}: claims per ${bucket}, chart (the table below has the numbers)` },
    svg('line', { class: 'axis', x1: 0, y1: bottom, x2: width, y2: bottom }),
    svg('text', { x: 0, y: 10 }, `${highest} claim${highest === 1 ? '' : 's'}`),
    svg('text', { x: 0, y: height - 2 }, periods[0]),
    periods.length > 1 ? svg('text', { x: width, y: height - 2, 'text-anchor': 'end' }, periods.at(-1)) : null,
    ...bars,
  );
}

/** The API orders by party id; readers look for names. */
function byPartyNames(rows) {
  const key = (r) => [party(r.claimant), party(r.subject), r.assertion ?? ''];
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]) || x[2].localeCompare(y[2]);
  });
}

const range = ({ min, max }) => (min === max ? String(min) : `${min}–${max}`);

function timelineTable(series, title, bucket) {
  const head = ['Period', 'Claims', 'Retracted', 'Corroborated', 'Contested', 'Refuted', 'Killed (min–max)', 'Wounded (min–max)'];
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      {},
      el('caption', {}, `${title}: claims per ${bucket}`),
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
      el(
        'tbody',
        {},
        ...series.points.map((p) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, p.period),
            ...[p.claims, p.retracted, p.corroborated, p.contested, p.refuted, range(p.killed), range(p.wounded)].map((v) => el('td', {}, v)),
          ),
        ),
      ),
    ),
  );
}

function renderScorecard(scorecard, conflict) {
  const box = $('scorecard');
  if (!scorecard) return box.replaceChildren(el('p', { class: 'empty' }, 'Choose an agreement to see its scorecard.'));
  const zone = conflict.timeZone;
  const agreement = conflict.agreements.find((a) => a.id === scorecard.agreementId);
  const span = `in force from ${formatInstant(scorecard.effectiveFrom, zone, 'minute')}${scorecard.endedAt ? ` until ${formatInstant(scorecard.endedAt, zone, 'minute')}` : ''}`;
  const caption = `${agreement?.title ?? 'Agreement'}, ${span}`;
  if (scorecard.rows.length === 0) return box.replaceChildren(el('p', { class: 'empty' }, `${caption}: no claims under it yet.`));
  const head = ['Claimant', 'Subject', 'Violations alleged', 'Compliance asserted', 'Denied', 'Counter-accused', 'Retracted', 'Corroborated', 'Contested', 'Refuted', 'First violation alleged'];
  box.replaceChildren(
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        {},
        el('caption', {}, caption),
        el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { scope: 'col', class: i < 2 ? 'text' : null }, h)))),
        el(
          'tbody',
          {},
          ...byPartyNames(scorecard.rows).map((r) =>
            el(
              'tr',
              {},
              el('th', { scope: 'row' }, party(r.claimant)),
              el('td', { class: 'text' }, party(r.subject)),
              ...[r.violationsAlleged, r.complianceAsserted, r.denied, r.counterAccused, r.retracted, r.corroborated, r.contested, r.refuted].map((v) => el('td', {}, v)),
              el('td', {}, r.firstViolationAllegedAt ? timeElement(r.firstViolationAllegedAt, zone, 'minute') : '–'),
            ),
          ),
        ),
      ),
    ),
  );
}

function renderClaims() {
  const box = $('claims');
  $('more').hidden = !state.nextCursor;
  if (state.claims.length === 0) return box.replaceChildren(el('p', { class: 'empty' }, 'No claims recorded for this conflict yet.'));
  const zone = state.conflict.timeZone;
  const head = ['Occurred', 'Claimant → subject', 'Assertion', 'Summary', 'Status', 'Counts?'];
  // data-label: the column's name, which narrow screens show beside each value.
  const cell = (column, ...content) => el(column === 1 ? 'th' : 'td', { class: column === 3 ? 'text summary' : 'text', scope: column === 1 ? 'row' : null, 'data-label': head[column] }, ...content);
  box.replaceChildren(
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { class: 'claims' },
        el('caption', {}, 'Newest alleged first; voided claims and duplicates are listed but left out of every count.'),
        el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col', class: 'text' }, h)))),
        el(
          'tbody',
          {},
          ...state.claims.map((c) =>
            el(
              'tr',
              {},
              cell(0, timeElement(c.occurred.from, zone, c.occurred.precision), c.occurred.raw ? el('span', { class: 'raw' }, ` (“${c.occurred.raw}”)`) : null),
              cell(1, `${party(c.claimant)} → ${party(c.subject)}`),
              cell(2, c.stance ? `${c.assertion} (${c.stance})` : c.assertion),
              cell(3, c.summary),
              cell(4, c.retracted ? `${c.status}, retracted` : c.status),
              cell(5, countedFlag(c)),
            ),
          ),
        ),
      ),
    ),
  );
}

function countedFlag(claim) {
  if (claim.voided) return el('span', { class: 'flag uncounted' }, 'voided');
  if (claim.duplicateOf) return el('span', { class: 'flag uncounted' }, 'duplicate');
  return el('span', { class: 'flag' }, 'counted');
}

function timeElement(iso, zone, precision) {
  return el('time', { datetime: iso }, formatInstant(iso, zone, precision));
}

/** An instant as a local time of the conflict's zone, no finer than its precision. */
function formatInstant(iso, zone, precision) {
  const withTime = precision === 'minute' || precision === 'hour';
  const options = { year: 'numeric', month: 'short', day: 'numeric', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}) };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone }).format(new Date(iso));
  } catch {
    return iso;
  }
}

// --- Start -------------------------------------------------------------------------------------

function start() {
  restoreSelection();
  $('conflict').addEventListener('change', () => {
    // The other conflict's agreements and claims mean nothing here.
    $('agreement').replaceChildren(el('option', { value: '' }, 'All claims (any agreement or none)'));
    state.claims = [];
    void refresh();
  });
  for (const id of ['agreement', 'bucket', 'by']) $(id).addEventListener('change', () => void refresh());
  $('controls').addEventListener('submit', (event) => event.preventDefault());
  $('more').addEventListener('click', () => void loadMoreClaims());
  $('forget-token').hidden = !sessionStorage.getItem(TOKEN_KEY);
  $('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });
  // Subscribe before the first read, so no change made while it loads goes unseen.
  connectLive();
  const agreement = new URLSearchParams(location.search).get('agreement');
  if (agreement) $('agreement').replaceChildren(el('option', { value: agreement }, 'Loading agreements…'));
  void refresh();
}

start();
