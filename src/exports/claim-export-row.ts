import type { Casualties, Occurred } from '../claims/domain/claim';
import type { ClaimListItemResponse } from '../claims/responses/claim.response';
import { localDate } from '../read-models/local-date';

/**
 * One counted claim as a row of the claims export: ACLED's layout where it fits (event date and
 * time precision, actors, location with coordinates and geo precision, fatalities as columns,
 * sources, notes), the tracker's own fields beside it. docs/claims-export.md is its data
 * dictionary. Pure: no I/O.
 */
export const EXPORT_COLUMNS = [
  'event_date',
  'time_precision',
  'occurred_from',
  'occurred_to',
  'occurred_precision',
  'claimant',
  'subject',
  'assertion',
  'stance',
  'category',
  'location',
  'place_id',
  'latitude',
  'longitude',
  'geo_precision',
  'agreement',
  'provision',
  'status',
  'retracted',
  'civilian_killed_min',
  'civilian_killed_max',
  'civilian_wounded_min',
  'civilian_wounded_max',
  'military_killed_min',
  'military_killed_max',
  'military_wounded_min',
  'military_wounded_max',
  'sources',
  'source_grades',
  'source_count',
  'notes',
  'claim_id',
  'conflict_id',
  'stated_at',
  'first_recorded_at',
  'last_changed_at',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export type ExportRow = Record<ExportColumn, string | number | boolean | null>;

/** What a row needs besides the claim: names for ids, its sources, its times. */
export interface ExportContext {
  timeZone: string;
  partyName(id: string): string;
  agreementTitle(id: string): string;
  provisionText(id: string): string;
  /** Its listed, active sources as "outlet (speaker)" ("confidential source" alone for a protected one). */
  outlets: readonly string[];
  /** Each source's Admiralty grades (reliability and credibility, as B3), in the order of `outlets`. */
  grades: readonly string[];
  recordedAt: string;
  updatedAt: string;
}

/** ACLED's time precision: 1 the day is known, 2 the week, 3 only the month (or less). */
export function timePrecision(precision: Occurred['precision']): 1 | 2 | 3 {
  if (precision === 'week') return 2;
  if (precision === 'month' || precision === 'approximate') return 3;
  return 1;
}

const count = (c: Casualties | null, group: 'civilian' | 'military', kind: 'killed' | 'wounded', end: 'min' | 'max') => c?.[group]?.[kind]?.[end] ?? null;

export function exportRow(claim: ClaimListItemResponse, ctx: ExportContext): ExportRow {
  const { location, casualties } = claim;
  return {
    event_date: localDate(claim.occurred.from, ctx.timeZone),
    time_precision: timePrecision(claim.occurred.precision),
    occurred_from: claim.occurred.from,
    occurred_to: claim.occurred.to ?? null,
    occurred_precision: claim.occurred.precision,
    claimant: ctx.partyName(claim.claimant),
    subject: ctx.partyName(claim.subject),
    assertion: claim.assertion,
    stance: claim.stance,
    category: claim.category,
    location: location?.name ?? null,
    place_id: location?.placeId ?? null,
    latitude: location?.lat ?? null,
    longitude: location?.lon ?? null,
    geo_precision: location?.lat !== undefined ? (location.precision ?? null) : null,
    agreement: claim.agreementId ? ctx.agreementTitle(claim.agreementId) : null,
    provision: claim.provisionId ? ctx.provisionText(claim.provisionId) : null,
    status: claim.status,
    retracted: claim.retracted,
    civilian_killed_min: count(casualties, 'civilian', 'killed', 'min'),
    civilian_killed_max: count(casualties, 'civilian', 'killed', 'max'),
    civilian_wounded_min: count(casualties, 'civilian', 'wounded', 'min'),
    civilian_wounded_max: count(casualties, 'civilian', 'wounded', 'max'),
    military_killed_min: count(casualties, 'military', 'killed', 'min'),
    military_killed_max: count(casualties, 'military', 'killed', 'max'),
    military_wounded_min: count(casualties, 'military', 'wounded', 'min'),
    military_wounded_max: count(casualties, 'military', 'wounded', 'max'),
    sources: ctx.outlets.join('; '),
    source_grades: ctx.grades.join('; '),
    source_count: ctx.outlets.length,
    notes: claim.summary,
    claim_id: claim.id,
    conflict_id: claim.conflictId,
    stated_at: claim.statedAt,
    first_recorded_at: ctx.recordedAt,
    last_changed_at: ctx.updatedAt,
  };
}

/** A row with coordinates as a GeoJSON Feature (RFC 7946: longitude first); null without them. */
export function exportFeature(row: ExportRow): object | null {
  if (typeof row.latitude !== 'number' || typeof row.longitude !== 'number') return null;
  return { type: 'Feature', id: row.claim_id, geometry: { type: 'Point', coordinates: [row.longitude, row.latitude] }, properties: row };
}
