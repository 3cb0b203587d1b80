import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ReadReplicas } from '../database/read-replicas.service';
import type { TableName } from '../projections/projector';
import { NotFoundError, ValidationError } from '../shared/domain-error';
import { isInstant, isUuid } from '../shared/text';
import type { Assertion, AssessmentStatus, Category, Stance } from '../claims/domain/claim';
import type { Provision } from '../agreements/domain/agreement';
import { arrayLiteral } from './array-literal';
import { locate } from '../places/domain/place-location';
import { Gazetteer, type RegisteredPlace } from '../places/gazetteer.service';
import type { ClaimListItemResponse, ClaimListResponse } from '../claims/responses/claim.response';
import type { ClaimListQuery, TimelineQuery } from './dashboard.requests';
import type { ClaimPlacesResponse, ScorecardResponse, ScorecardRowResponse, SourceListResponse, TimelineResponse } from './responses/dashboard.response';

interface ScorecardRow {
  claimant: string;
  subject: string;
  violations_alleged: number;
  compliance_asserted: number;
  denied: number;
  counter_accused: number;
  retracted: number;
  corroborated: number;
  contested: number;
  refuted: number;
  first_violation_alleged_at: Date | null;
}

/** A row of claim_view_v1 as the list queries read it. */
export interface ClaimViewRow {
  claim_id: string;
  conflict_id: string;
  claimant: string;
  subject: string;
  assertion: Assertion;
  stance: Stance | null;
  responds_to: string | null;
  category: Category;
  doc: Pick<ClaimListItemResponse, 'occurred' | 'statedAt'> & { location?: ClaimListItemResponse['location']; casualties?: ClaimListItemResponse['casualties'] };
  summary: string;
  agreement_id: string | null;
  provision_id: string | null;
  status: AssessmentStatus;
  retracted: boolean;
  voided: boolean;
  duplicate_of: string | null;
  version: number;
  occurred_key: string;
}

interface SourceRow {
  outlet: string;
  claims: number;
  claimants: Record<string, number>;
  first_seen: Date;
  last_seen: Date;
}


interface Cursor {
  occurredFrom: string;
  claimId: string;
  /** Only in a search's cursor: the last row's rank. */
  rank?: number;
}

/** The dashboard reads (DESIGN §6), from read-model tables only (STYLE C8): on a read replica where the request has one. */
@Injectable()
export class DashboardQueries {
  constructor(
    private readonly gazetteer: Gazetteer,
    private readonly replicas: ReadReplicas,
  ) {}

  /** The timeline from the live tables, or from other copies of them (`table`, read through `manager`). */
  async timeline(conflictId: string, q: TimelineQuery, manager: EntityManager = this.replicas.manager(), table: TableName = (t) => t): Promise<TimelineResponse> {
    return JSON.parse(await this.timelineJson(conflictId, q, manager, table)) as TimelineResponse;
  }

  /**
   * The timeline as the JSON text of the answer, built by PostgreSQL: the same bytes as
   * `JSON.stringify` of the `TimelineResponse` (same key order, no spaces), without a row object
   * or a point object in Node. At 1,000,000 claims a month's day view is ~600 cells, and turning
   * them into row objects, then points, then text allocated about half a megabyte per request:
   * the young-generation collections that made the p99 (issue 13, docs/benchmarks.md).
   */
  async timelineJson(conflictId: string, q: TimelineQuery, manager: EntityManager = this.replicas.manager(), table: TableName = (t) => t): Promise<string> {
    if (!isUuid(conflictId)) throw new NotFoundError('conflict.not_found', `No conflict ${conflictId}`);
    const bucket = q.bucket ?? 'day';
    const by = q.by ?? 'occurred';
    // One round trip: the conflict's row with its answer (no conflict: no row). Weeks and months
    // are rolled up from local days (date_trunc starts weeks on Monday; the planner folds the
    // CASE away, since $3 is known), grouped by date and formatted only once aggregated. Series
    // in (claimant, subject, assertion) order, points by ISO date bytewise (COLLATE "C"). Every
    // value written here is a uuid, a fixed word, an ISO date or an integer, none of which JSON
    // escapes (and none of them is null: the columns are NOT NULL); the echoed request values and
    // the zone go through JSON.stringify and to_json. concat() is the cheapest of the ways tried
    // (||, format(), row_to_json): about 0.6 ms for a month's ~600 cells.
    const rows: { answer: string }[] = await manager.query(
      `SELECT $7::text || to_json(c.time_zone)::text || $8::text || coalesce(s.series, '') || ']}' AS answer
         FROM ${table('rm_conflicts_v1')} c
         LEFT JOIN LATERAL (
           SELECT string_agg(concat('{"claimant":"', claimant, '","subject":"', subject, '","assertion":"', assertion, '","points":[', points, ']}'),
                             ',' ORDER BY claimant, subject, assertion) AS series
             FROM (SELECT claimant, subject, assertion,
                          string_agg(concat('{"period":"', period, '","claims":', claims, ',"retracted":', retracted,
                                            ',"corroborated":', corroborated, ',"contested":', contested, ',"refuted":', refuted,
                                            ',"killed":{"min":', killed_min, ',"max":', killed_max,
                                            '},"wounded":{"min":', wounded_min, ',"max":', wounded_max, '}',
                                            -- The civilian part and the rest, only where casualties were claimed.
                                            CASE WHEN killed_max > 0 OR wounded_max > 0 THEN concat(
                                              ',"civilian":{"killed":{"min":', civilian_killed_min, ',"max":', civilian_killed_max,
                                              '},"wounded":{"min":', civilian_wounded_min, ',"max":', civilian_wounded_max,
                                              '}},"military":{"killed":{"min":', killed_min - civilian_killed_min, ',"max":', killed_max - civilian_killed_max,
                                              '},"wounded":{"min":', wounded_min - civilian_wounded_min, ',"max":', wounded_max - civilian_wounded_max, '}}') END,
                                            '}'),
                                     ',' ORDER BY period COLLATE "C") AS points
                     FROM (SELECT claimant, subject, assertion, to_char(period, 'YYYY-MM-DD') AS period, claims, retracted, corroborated,
                                  contested, refuted, killed_min, killed_max, wounded_min, wounded_max,
                                  civilian_killed_min, civilian_killed_max, civilian_wounded_min, civilian_wounded_max
                             FROM (SELECT claimant, subject, assertion, CASE $3 WHEN 'day' THEN day ELSE date_trunc($3, day::timestamp)::date END AS period,
                                          sum(claims)::int AS claims, sum(retracted)::int AS retracted, sum(corroborated)::int AS corroborated,
                                          sum(contested)::int AS contested, sum(refuted)::int AS refuted,
                                          sum(killed_min) AS killed_min, sum(killed_max) AS killed_max,
                                          sum(wounded_min) AS wounded_min, sum(wounded_max) AS wounded_max,
                                          sum(civilian_killed_min) AS civilian_killed_min, sum(civilian_killed_max) AS civilian_killed_max,
                                          sum(civilian_wounded_min) AS civilian_wounded_min, sum(civilian_wounded_max) AS civilian_wounded_max
                                     FROM ${table('allegation_timeline_v1')}
                                    WHERE conflict_id = c.conflict_id AND basis = $2
                                      AND ($4::date IS NULL OR day >= $4::date) AND ($5::date IS NULL OR day <= $5::date)
                                      AND ($6::uuid IS NULL OR agreement_key = $6::uuid)
                                    GROUP BY claimant, subject, assertion, period) sums) cells
                    GROUP BY claimant, subject, assertion) directions) s ON true
        WHERE c.conflict_id = $1`,
      [
        conflictId, by, bucket, q.from ?? null, q.to ?? null, q.agreementId ?? null,
        `{"conflictId":${JSON.stringify(conflictId)},"timeZone":`,
        `,"bucket":${JSON.stringify(bucket)},"by":${JSON.stringify(by)},"series":[`,
      ],
    );
    if (rows.length === 0) throw new NotFoundError('conflict.not_found', `No conflict ${conflictId}`);
    return rows[0]!.answer;
  }

  /** The agreement's scorecard, with one more for each of its provisions (the claims naming it). */
  async scorecard(agreementId: string, provisions: readonly Provision[] = []): Promise<ScorecardResponse> {
    const [agreement] = isUuid(agreementId)
      ? await this.replicas.manager().query('SELECT effective_from, ended_at FROM rm_agreements_v1 WHERE agreement_id = $1', [agreementId])
      : [];
    if (!agreement) throw new NotFoundError('agreement.not_found', `No agreement ${agreementId}`);
    const rows: ScorecardRow[] = await this.replicas.manager().query(
      `SELECT * FROM agreement_scorecard_v1 WHERE agreement_id = $1 ORDER BY claimant, subject`,
      [agreementId],
    );
    const byProvision = await this.provisionRows(provisions.map((p) => p.provisionId));
    return {
      agreementId,
      effectiveFrom: (agreement.effective_from as Date).toISOString(),
      endedAt: agreement.ended_at ? (agreement.ended_at as Date).toISOString() : null,
      rows: rows.map(scorecardRow),
      provisions: provisions.map(({ provisionId, kind, text }) => ({
        provisionId,
        kind,
        text,
        rows: (byProvision.get(provisionId) ?? []).map(scorecardRow),
      })),
    };
  }

  /**
   * The scorecard's counts over the counted claims naming each provision, summed from the claim
   * view as the projector sums the agreement's rows (few claims name a provision: a partial
   * index finds them).
   */
  private async provisionRows(provisionIds: string[]): Promise<Map<string, ScorecardRow[]>> {
    const byProvision = new Map<string, ScorecardRow[]>();
    if (provisionIds.length === 0) return byProvision;
    const rows: (ScorecardRow & { provision_id: string })[] = await this.replicas.manager().query(
      `SELECT provision_id, claimant, subject, count(*) FILTER (WHERE violation)::int AS violations_alleged,
              count(*) FILTER (WHERE assertion = 'complied')::int AS compliance_asserted,
              count(*) FILTER (WHERE violation AND denials > 0)::int AS denied,
              count(*) FILTER (WHERE violation AND counter_accusations > 0)::int AS counter_accused,
              count(*) FILTER (WHERE retracted)::int AS retracted, count(*) FILTER (WHERE status = 'corroborated')::int AS corroborated,
              count(*) FILTER (WHERE status = 'contested')::int AS contested, count(*) FILTER (WHERE status = 'refuted')::int AS refuted,
              min(occurred_from) FILTER (WHERE violation) AS first_violation_alleged_at
         FROM (SELECT *, assertion = 'violated' AS violation FROM claim_view_v1
                WHERE provision_id = ANY($1::uuid[]) AND NOT voided AND duplicate_of IS NULL) c
        GROUP BY provision_id, claimant, subject
        ORDER BY claimant, subject`,
      [arrayLiteral(provisionIds)],
    );
    for (const row of rows) byProvision.set(row.provision_id, [...(byProvision.get(row.provision_id) ?? []), row]);
    return byProvision;
  }

  /** Newest alleged first; paged by a cursor on (occurred, id), never by offset. */
  async claims(q: ClaimListQuery): Promise<ClaimListResponse> {
    const limit = q.limit ?? 50;
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    const params: unknown[] = [];
    const where: string[] = [];
    const filter = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.conflictId) filter('conflict_id = ?', q.conflictId);
    if (q.claimant) filter('claimant = ?', q.claimant);
    if (q.subject) filter('subject = ?', q.subject);
    if (q.assertion) filter('assertion = ?', q.assertion);
    if (q.status) filter('status = ?', q.status);
    if (q.agreementId) filter('agreement_id = ?', q.agreementId);
    if (q.provisionId) filter('provision_id = ?', q.provisionId);
    if (q.placeId) filter(`doc->'location'->>'placeId' = ?`, q.placeId);
    if (q.outlet) {
      filter(
        `EXISTS (SELECT 1 FROM source_citations_v1 s WHERE s.claim_id = claim_view_v1.claim_id AND s.active AND lower(tracker_unaccent(s.outlet)) = lower(tracker_unaccent(?)))`,
        q.outlet.trim(),
      );
    }
    const day = q.by === 'stated' ? 'stated_day' : 'occurred_day';
    if (q.from) filter(`${day} >= ?::date`, q.from);
    if (q.to) filter(`${day} <= ?::date`, q.to);
    // As isCounted: voided claims and duplicates leave every count.
    if (q.counted) where.push(q.counted === 'true' ? '(NOT voided AND duplicate_of IS NULL)' : '(voided OR duplicate_of IS NOT NULL)');
    if (q.retracted) where.push(q.retracted === 'true' ? 'retracted' : 'NOT retracted');
    if (q.answered) where.push(q.answered === 'denied' ? 'denials > 0' : 'counter_accusations > 0');
    // Full-text search (migration ClaimSearch): every word, as a prefix, in the summary, the
    // place's names or a listed outlet; best matches first, then newest alleged.
    const search = searchQuery(q.q);
    let rank: string | null = null;
    if (search) {
      params.push(search);
      const document = `(search || coalesce((SELECT to_tsvector('english'::regconfig, tracker_unaccent(string_agg(s.outlet, ' ')))
          FROM source_citations_v1 s WHERE s.claim_id = claim_view_v1.claim_id AND s.listed), ''::tsvector))`;
      const query = `to_tsquery('english'::regconfig, tracker_unaccent($${params.length}))`;
      where.push(`${document} @@ ${query}`);
      rank = `ts_rank(${document}, ${query})`;
    }
    if (cursor) {
      if ((cursor.rank !== undefined) !== Boolean(search)) throw invalidCursor();
      params.push(cursor.occurredFrom, cursor.claimId);
      const after = `(occurred_from, claim_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
      if (rank === null) where.push(after);
      else {
        params.push(cursor.rank);
        where.push(`(${rank} < $${params.length}::real OR (${rank} = $${params.length}::real AND ${after}))`);
      }
    }
    params.push(limit + 1);
    // The cursor keeps occurred_from to the microsecond, as stored: a JS Date would round it,
    // and the rank as PostgreSQL's own text of the real it compares.
    const rows: (ClaimViewRow & { rank_key?: string })[] = await this.replicas.manager().query(
      `SELECT *, to_char(occurred_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_key${rank ? `, (${rank})::text AS rank_key` : ''}
         FROM claim_view_v1 ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${rank ? `${rank} DESC, ` : ''}occurred_from DESC, claim_id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const places = await this.placesNamed(page);
    return {
      items: page.map((r) => claimItem(r, places)),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ occurredFrom: last.occurred_key, claimId: last.claim_id, ...(search ? { rank: Number(last.rank_key) } : {}) })
          : null,
    };
  }

  /** The gazetteer's places the listed claims' locations name. */
  private async placesNamed(rows: readonly ClaimViewRow[]): Promise<Map<string, RegisteredPlace>> {
    const ids = [...new Set(rows.flatMap((r) => (r.doc.location?.placeId ? [r.doc.location.placeId] : [])))];
    return new Map((await this.gazetteer.findMany(ids)).map((p) => [p.placeId, p]));
  }

  /**
   * The map's markers: counted claims with coordinates, grouped by place and direction, so the
   * map never loads claims. Coordinates as the claim gives them (the gazetteer issue adds more).
   */
  async places(conflictId: string, agreementId: string | undefined): Promise<ClaimPlacesResponse> {
    if (!isUuid(conflictId)) throw new NotFoundError('conflict.not_found', `No conflict ${conflictId}`);
    // Grouped by what the claim gives: its own coordinates, or a gazetteer place (whose
    // coordinates and other names come from the gazetteer, as on the claim's page).
    const rows: { name: string; alt_names: unknown; place_id: string | null; lat: number | null; lon: number | null; claimant: string; subject: string; assertion: Assertion; claims: number }[] =
      await this.replicas.manager().query(
        `SELECT coalesce(doc->'location'->>'name', '') AS name, doc->'location'->>'placeId' AS place_id,
                CASE WHEN jsonb_typeof(doc->'location'->'lat') = 'number' THEN (doc->'location'->>'lat')::float8 END AS lat,
                CASE WHEN jsonb_typeof(doc->'location'->'lon') = 'number' THEN (doc->'location'->>'lon')::float8 END AS lon,
                claimant, subject, assertion, count(*)::int AS claims, (array_agg(doc->'location'->'altNames'))[1] AS alt_names
           FROM claim_view_v1
          WHERE conflict_id = $1 AND NOT voided AND duplicate_of IS NULL AND ($2::uuid IS NULL OR agreement_id = $2::uuid)
            AND (jsonb_typeof(doc->'location'->'lat') = 'number' OR doc->'location' ? 'placeId')
          GROUP BY 1, 2, 3, 4, 5, 6, 7
          ORDER BY claims DESC, name
          LIMIT 5000`,
        [conflictId, agreementId ?? null],
      );
    const gazetteer = new Map((await this.gazetteer.findMany([...new Set(rows.flatMap((r) => (r.place_id && isUuid(r.place_id) ? [r.place_id] : [])))])).map((p) => [p.placeId, p]));
    const items = new Map<string, ClaimPlacesResponse['items'][number]>();
    for (const r of rows) {
      const place = r.place_id ? gazetteer.get(r.place_id) : undefined;
      const lat = r.lat ?? place?.lat;
      const lon = r.lon ?? place?.lon;
      if (lat === undefined || lon === undefined || lat === null || lon === null) continue;
      const own = Array.isArray(r.alt_names) ? r.alt_names.filter((n): n is string => typeof n === 'string') : [];
      const altNames = [...new Set([...own, ...(place?.names ?? []).map((n) => n.name)])].filter((n) => n !== r.name);
      // A gazetteer place is one item per direction whatever name each claim uses, so its count is
      // exactly what the claims list's placeId filter lists; other places go by name and position.
      const key = `${place ? `place:${place.placeId}` : `${r.name}|${lat}|${lon}`}|${r.claimant}|${r.subject}|${r.assertion}`;
      const item = items.get(key);
      if (item) {
        const names = [...new Set([...item.altNames, ...altNames, r.name])].filter((n) => n !== item.name);
        items.set(key, { ...item, claims: item.claims + r.claims, altNames: names });
      } else items.set(key, { name: r.name, altNames, placeId: place?.placeId ?? null, lat, lon, claimant: r.claimant, subject: r.subject, assertion: r.assertion, claims: r.claims });
    }
    return { items: [...items.values()].sort((a, b) => b.claims - a.claims || a.name.localeCompare(b.name)) };
  }

  async sources(): Promise<SourceListResponse> {
    const rows: SourceRow[] = await this.replicas.manager().query('SELECT * FROM source_ledger_v1 ORDER BY claims DESC, outlet');
    return {
      nextCursor: null,
      items: rows.map((r) => ({
        outlet: r.outlet,
        claims: r.claims,
        claimants: r.claimants,
        firstSeen: r.first_seen.toISOString(),
        lastSeen: r.last_seen.toISOString(),
      })),
    };
  }
}

/** Civilian and military casualties of a timeline cell (military: the totals less the civilian part), when it has any. */
function scorecardRow(r: ScorecardRow): ScorecardRowResponse {
  return {
    claimant: r.claimant,
    subject: r.subject,
    violationsAlleged: r.violations_alleged,
    complianceAsserted: r.compliance_asserted,
    denied: r.denied,
    counterAccused: r.counter_accused,
    retracted: r.retracted,
    corroborated: r.corroborated,
    contested: r.contested,
    refuted: r.refuted,
    firstViolationAllegedAt: r.first_violation_alleged_at ? r.first_violation_alleged_at.toISOString() : null,
  };
}

export function claimItem(r: Omit<ClaimViewRow, 'occurred_key'>, places: ReadonlyMap<string, RegisteredPlace> = new Map()): ClaimListItemResponse {
  const doc = r.doc;
  const placeId = doc.location?.placeId;
  return {
    id: r.claim_id,
    conflictId: r.conflict_id,
    claimant: r.claimant,
    subject: r.subject,
    assertion: r.assertion,
    stance: r.stance,
    respondsTo: r.responds_to,
    category: r.category,
    occurred: doc.occurred,
    statedAt: doc.statedAt,
    location: doc.location ? locate(doc.location, placeId ? places.get(placeId) : undefined) : null,
    casualties: doc.casualties ?? null,
    summary: r.summary,
    agreementId: r.agreement_id,
    provisionId: r.provision_id,
    status: r.status,
    retracted: r.retracted,
    voided: r.voided,
    duplicateOf: r.duplicate_of,
    // As isCounted: voided claims and duplicates leave every count.
    counted: !r.voided && r.duplicate_of === null,
    version: r.version,
  };
}

function encodeCursor(cursor: Cursor): string {
  const key = [cursor.occurredFrom, cursor.claimId, ...(cursor.rank === undefined ? [] : [cursor.rank])];
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const [occurredFrom, claimId, rank, ...rest] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // Whole: the shape, and a real instant (a forged 2020-13-45 must not reach PostgreSQL as a 500).
    if (
      typeof occurredFrom === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(occurredFrom) && isInstant(occurredFrom) &&
      isUuid(claimId) && (rank === undefined || (typeof rank === 'number' && Number.isFinite(rank) && rank >= 0)) && rest.length === 0
    ) {
      return { occurredFrom, claimId, ...(rank === undefined ? {} : { rank }) };
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

function invalidCursor(): ValidationError {
  return new ValidationError('cursor is not one this API gave', [{ field: 'cursor', message: 'is not one this API gave' }], 'cursor.invalid');
}

/**
 * `q` as a tsquery: its words (letters and digits only, so nothing in it is tsquery syntax),
 * each as a prefix ("Stepan" finds "Stepanakert"), all required. Null when it has no word.
 */
export function searchQuery(q: string | undefined): string | null {
  const words = (q ?? '').normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 10);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}
