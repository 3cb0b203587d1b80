import { TZDate } from '@date-fns/tz';
import { foldName, nameSkeleton } from '../../places/domain/place-names';
import { EXPORT_COLUMNS } from '../../exports/claim-export-row';
import { isInstant, isLocalDate, isLocalMonth, isUuid } from '../../shared/text';

/** How the export names a confidential source (src/sources/source-protection.service.ts). */
const CONFIDENTIAL_SOURCE = 'confidential source';

/**
 * The claims import template (docs/claims-import.md): one CSV column per field of a
 * `POST /api/claims` body, sources as numbered column groups, casualties as min/max columns.
 * A row becomes that body here; the single-claim route's own validator and decider then judge
 * it. Pure: no I/O.
 */

export const CLAIM_COLUMNS = [
  'claimant',
  'subject',
  'assertion',
  'category',
  'occurred_from',
  'occurred_to',
  'occurred_precision',
  'occurred_raw',
  'stated_at',
  'location',
  'location_alt_names',
  'latitude',
  'longitude',
  'geo_precision',
  'place',
  'civilian_killed_min',
  'civilian_killed_max',
  'civilian_wounded_min',
  'civilian_wounded_max',
  'military_killed_min',
  'military_killed_max',
  'military_wounded_min',
  'military_wounded_max',
  'summary',
  'provision_id',
] as const;

export const SOURCE_FIELDS = ['outlet', 'speaker', 'url', 'published_at', 'quote', 'language', 'reliability', 'credibility', 'confidential'] as const;
type SourceField = (typeof SOURCE_FIELDS)[number];

/** Numbered source groups the template allows (the single-claim route takes up to 50 sources). */
export const MAX_SOURCES = 50;

const SOURCE_COLUMN = /^source([1-9]\d?)_([a-z_]+)$/;

/** The template's header with `sources` source groups: what GET /api/imports/template.csv serves. */
export function templateHeader(sources = 2): string[] {
  return [...CLAIM_COLUMNS, ...Array.from({ length: sources }, (_, i) => SOURCE_FIELDS.map((f) => `source${i + 1}_${f}`)).flat()];
}

export interface RowProblem {
  /** The file's row: 1 is the header of a CSV file, the first line of a JSON Lines file. */
  row: number;
  /** The CSV column, or the field's path in a JSON Lines body. */
  column: string;
  message: string;
}

/** Which layout a file is in: the import template, or the claims export (GET /api/exports/claims.csv). */
export type Layout = 'template' | 'export';

/** A header's columns checked against the template (or the export): names in lower case, unknown or repeated ones refused. */
export function checkHeader(header: readonly string[]): { columns: string[]; problems: RowProblem[]; layout: Layout } {
  const columns = header.map((h) => h.trim().toLowerCase());
  const problems: RowProblem[] = [];
  if (['claim_id', 'notes', 'source_grades', 'event_date'].every((c) => columns.includes(c))) {
    for (const column of columns) {
      if (!(EXPORT_COLUMNS as readonly string[]).includes(column)) problems.push({ row: 1, column, message: `unknown column "${column}" in a claims export: see docs/claims-export.md` });
    }
    return { columns, problems, layout: 'export' };
  }
  const seen = new Set<string>();
  for (const column of columns) {
    const source = SOURCE_COLUMN.exec(column);
    const known = (CLAIM_COLUMNS as readonly string[]).includes(column) || (source && Number(source[1]) <= MAX_SOURCES && (SOURCE_FIELDS as readonly string[]).includes(source[2]!));
    if (!known) problems.push({ row: 1, column: column || '(empty)', message: `unknown column "${column}": see the template's columns in docs/claims-import.md` });
    else if (seen.has(column)) problems.push({ row: 1, column, message: `column "${column}" appears twice` });
    seen.add(column);
  }
  for (const required of ['claimant', 'subject', 'assertion', 'category', 'occurred_from', 'occurred_precision', 'stated_at', 'summary', 'source1_outlet']) {
    if (!seen.has(required)) problems.push({ row: 1, column: required, message: `the header has no column "${required}"` });
  }
  return { columns, problems, layout: 'template' };
}

const PRECISION_OF_ACLED: Record<string, string> = { '1': 'day', '2': 'week', '3': 'month' };
const SPOKEN = /^(.*) \(([^()]*)\)$/;

/**
 * A row of the claims export as template cells: `notes` is the summary, `sources` with
 * `source_grades` the source groups (outlet, speaker, grades). What is the tracker's own (ids,
 * status, times of recording) is left behind; a counterclaim is reported, not imported.
 */
export function exportRowToCells(cells: Readonly<Record<string, string>>): { cells: Record<string, string>; problems: { column: string; message: string }[] } {
  const cell = (column: string) => (cells[column] ?? '').trim();
  const problems: { column: string; message: string }[] = [];
  if (cell('stance')) problems.push({ column: 'stance', message: 'a counterclaim is not imported from an export: record it as a response to the claim it answers' });
  const out: Record<string, string> = {};
  for (const column of ['claimant', 'subject', 'assertion', 'category', 'occurred_to', 'stated_at', 'location', 'latitude', 'longitude', 'geo_precision', ...CLAIM_COLUMNS.filter((c) => /_(min|max)$/.test(c))]) {
    out[column] = cell(column);
  }
  out.occurred_from = cell('occurred_from') || cell('event_date');
  out.occurred_precision = cell('occurred_precision') || (PRECISION_OF_ACLED[cell('time_precision')] ?? '');
  out.summary = cell('notes');
  const sources = cell('sources') ? cell('sources').split('; ') : [];
  const grades = cell('source_grades') ? cell('source_grades').split('; ') : [];
  if (grades.length !== sources.length) problems.push({ column: 'source_grades', message: `${sources.length} sources but ${grades.length} grades: give one grade (such as B3) per source` });
  sources.forEach((source, i) => {
    const spoken = SPOKEN.exec(source);
    const n = i + 1;
    out[`source${n}_outlet`] = spoken ? spoken[1]! : source;
    out[`source${n}_speaker`] = spoken ? spoken[2]! : '';
    out[`source${n}_reliability`] = grades[i]?.slice(0, 1) ?? '';
    out[`source${n}_credibility`] = grades[i]?.slice(1) ?? '';
    if (source === CONFIDENTIAL_SOURCE) out[`source${n}_confidential`] = 'true';
  });
  return { cells: out, problems };
}

/** Where the claims' conflict stands: its zone, and the names its parties and places go by. */
export interface ImportContext {
  conflictId: string;
  timeZone: string;
  parties: readonly { partyId: string; name: string; shortName?: string; aliases: readonly string[] }[];
  places: readonly { placeId: string; names: readonly { name: string }[] }[];
}

/** Names folded as the gazetteer folds them (accents, case, spaces and punctuation gone), each to the ids it names. */
export interface NameIndex {
  parties: Map<string, Set<string>>;
  places: Map<string, Set<string>>;
  /** Places by the consonant skeleton of their names: another transliteration (gence, Gəncə) finds them too. */
  placeSkeletons: Map<string, Set<string>>;
}

export function nameIndex(ctx: ImportContext): NameIndex {
  const add = (index: Map<string, Set<string>>, name: string, id: string, key = foldName(name)) => {
    if (key) index.set(key, (index.get(key) ?? new Set()).add(id));
  };
  const parties = new Map<string, Set<string>>();
  for (const p of ctx.parties) for (const name of [p.name, p.shortName, ...p.aliases]) if (name) add(parties, name, p.partyId);
  const places = new Map<string, Set<string>>();
  const placeSkeletons = new Map<string, Set<string>>();
  for (const place of ctx.places) {
    for (const { name } of place.names) {
      add(places, name, place.placeId);
      add(placeSkeletons, name, place.placeId, nameSkeleton(foldName(name)));
    }
  }
  return { parties, places, placeSkeletons };
}

/** A party or place named by its id, or by a name, short name or alias that names exactly one; never invented. */
export function resolveName(
  value: string,
  index: Map<string, Set<string>>,
  what: 'party' | 'place',
  skeletons?: Map<string, Set<string>>,
): { id: string } | { message: string } {
  const known = new Set([...index.values()].flatMap((ids) => [...ids]));
  if (isUuid(value) && known.has(value.toLowerCase())) return { id: value.toLowerCase() };
  const ids = index.get(foldName(value)) ?? skeletons?.get(nameSkeleton(foldName(value)));
  if (!ids || ids.size === 0) {
    return { message: `no ${what} of this conflict is called "${value}" (names, short names and aliases are looked up; ${what === 'party' ? 'an editor adds parties and aliases' : 'add it to the gazetteer first'})` };
  }
  if (ids.size > 1) return { message: `"${value}" names ${ids.size} ${what === 'party' ? 'parties' : 'places'} of this conflict: use a more precise name or the id` };
  return { id: [...ids][0]! };
}

/** Days from Excel's day 0 (1899-12-30, so as to match its 1900 leap-year bug) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25569;
const EXCEL_SERIAL = /^\d{5}(\.\d+)?$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A time as a spreadsheet writes it, as the API reads it: an instant with an offset stays; a
 * local date and time without one ("2020-10-11 02:00") is read in the conflict's zone; an Excel
 * serial date (44115.0833, what a date cell becomes when saved without its format) is read as
 * the local date and time it shows. Anything else is left for the validator to refuse.
 */
export function spreadsheetTime(value: string, timeZone: string, allowDate: boolean): string {
  if (isInstant(value) || (allowDate && (isLocalDate(value) || isLocalMonth(value)))) return value;
  if (EXCEL_SERIAL.test(value)) {
    const serial = Number(value);
    const utc = new Date(Math.round((serial - EXCEL_EPOCH_DAYS) * 86_400_000));
    const wholeDay = Number.isInteger(serial);
    if (wholeDay && allowDate) return utc.toISOString().slice(0, 10);
    return wholeSeconds(new TZDate(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds(), 0, timeZone).toISOString());
  }
  const local = LOCAL_DATE_TIME.exec(value);
  if (local) {
    const [, y, mo, d, h, mi, s] = local.map(Number) as number[];
    const at = new TZDate(y!, mo! - 1, d!, h!, mi!, s || 0, 0, timeZone);
    // A wall time that does not exist in the zone (a clock change) or a 31 February is left to be refused.
    if (at.getDate() === d && at.getHours() === h && at.getMinutes() === mi) return wholeSeconds(at.toISOString());
  }
  return value;
}

const wholeSeconds = (iso: string) => iso.replace('.000', '');

const NUMBER = /^-?\d+(\.\d+)?$/;
/** A number cell as a number; anything else as typed, so that the validator names the field. */
const numeric = (value: string): number | string => (NUMBER.test(value) ? Number(value) : value);
const TRUE = new Set(['true', 'yes', 'y', '1', 'x']);
const FALSE = new Set(['false', 'no', 'n', '0', '']);
const bool = (value: string): boolean | string => (TRUE.has(value.toLowerCase()) ? true : FALSE.has(value.toLowerCase()) ? false : value);

/** Fields set only when the cell is not empty, so that an empty optional cell means "not given". */
function given<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

/**
 * A template row as the body of `POST /api/claims` (conflictId aside), names not yet resolved.
 * Empty cells are absent fields; a group with no cell filled is no object at all.
 */
export function rowToBody(cells: Readonly<Record<string, string>>, timeZone: string): Record<string, unknown> {
  const cell = (column: string) => (cells[column] ?? '').trim();
  const time = (column: string, allowDate: boolean) => (cell(column) ? spreadsheetTime(cell(column), timeZone, allowDate) : undefined);
  const range = (group: string, kind: string) => {
    const [min, max] = [cell(`${group}_${kind}_min`), cell(`${group}_${kind}_max`)];
    if (!min && !max) return undefined;
    // One figure alone is an exact figure: min = max.
    return { min: numeric(min || max), max: numeric(max || min) };
  };
  const counts = (group: string) => {
    const c = given({ killed: range(group, 'killed'), wounded: range(group, 'wounded') });
    return Object.keys(c).length ? c : undefined;
  };
  const casualties = given({ civilian: counts('civilian'), military: counts('military') });
  const location = given({
    // A row that names only a gazetteer place reports it under that name.
    name: cell('location') || cell('place'),
    altNames: cell('location_alt_names') ? cell('location_alt_names').split(';').map((n) => n.trim()).filter(Boolean) : undefined,
    lat: cell('latitude') ? numeric(cell('latitude')) : undefined,
    lon: cell('longitude') ? numeric(cell('longitude')) : undefined,
    precision: cell('geo_precision'),
    placeId: cell('place'),
  });
  const attributions: Record<string, unknown>[] = [];
  for (let n = 1; n <= MAX_SOURCES; n++) {
    const source = (field: SourceField) => cell(`source${n}_${field}`);
    if (SOURCE_FIELDS.every((f) => !source(f))) continue;
    attributions.push(
      given({
        outlet: source('outlet'),
        speaker: source('speaker'),
        url: source('url'),
        publishedAt: source('published_at') ? spreadsheetTime(source('published_at'), timeZone, false) : undefined,
        quote: source('quote'),
        language: source('language'),
        reliability: source('reliability').toUpperCase(),
        credibility: source('credibility') ? numeric(source('credibility')) : undefined,
        confidential: source('confidential') ? bool(source('confidential')) : undefined,
      }),
    );
  }
  return given({
    claimant: cell('claimant'),
    subject: cell('subject'),
    assertion: cell('assertion'),
    category: cell('category'),
    occurred: given({ from: time('occurred_from', true), to: time('occurred_to', true), precision: cell('occurred_precision'), raw: cell('occurred_raw') }),
    statedAt: time('stated_at', false),
    location: Object.keys(location).length ? location : undefined,
    casualties: Object.keys(casualties).length ? casualties : undefined,
    summary: cell('summary'),
    attributions,
    provisionId: cell('provision_id'),
  });
}

const FIELD_COLUMNS: Record<string, string> = {
  statedAt: 'stated_at',
  provisionId: 'provision_id',
  'occurred.from': 'occurred_from',
  'occurred.to': 'occurred_to',
  'occurred.precision': 'occurred_precision',
  'occurred.raw': 'occurred_raw',
  occurred: 'occurred_from',
  location: 'location',
  'location.name': 'location',
  'location.altNames': 'location_alt_names',
  'location.lat': 'latitude',
  'location.lon': 'longitude',
  'location.precision': 'geo_precision',
  'location.placeId': 'place',
  attributions: 'source1_outlet',
};

const SOURCE_FIELD_COLUMNS: Record<string, SourceField> = { publishedAt: 'published_at' };

/** The template column a body field's error belongs to: attributions[1].reliability → source2_reliability. */
export function columnOf(field: string): string {
  if (FIELD_COLUMNS[field]) return FIELD_COLUMNS[field];
  const source = /^attributions\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (source) {
    const name = source[2] ?? 'outlet';
    return `source${Number(source[1]) + 1}_${SOURCE_FIELD_COLUMNS[name] ?? name}`;
  }
  const casualty = /^casualties(?:\.(civilian|military))?(?:\.(killed|wounded))?(?:\.(min|max|raw))?/.exec(field);
  if (casualty) {
    // A range's own error (min above max) is the max's cell.
    const [, group = 'civilian', kind = 'killed', end = 'max'] = casualty;
    return `${group}_${kind}_${end === 'raw' ? 'min' : end}`;
  }
  return field;
}
