import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConflictDirectory } from '../conflicts/conflict-directory.service';
import type { ClaimListQuery } from '../read-models/dashboard.requests';
import { DashboardQueries } from '../read-models/dashboard-queries.service';
import { arrayLiteral } from '../read-models/array-literal';
import { type ExportContext, exportRow, type ExportRow } from './claim-export-row';

/** Claims read per round trip: enough to keep the database busy, few enough to keep memory flat. */
const PAGE = 500;

interface Names {
  timeZone: string;
  parties: Map<string, string>;
  agreements: Map<string, string>;
  provisions: Map<string, string>;
}

/**
 * The counted claims a claims-list query selects, as export rows, newest alleged first: paged
 * through the claims list by its cursor, so memory stays flat however many there are.
 */
@Injectable()
export class ClaimsExport {
  constructor(
    private readonly queries: DashboardQueries,
    private readonly directory: ConflictDirectory,
    private readonly dataSource: DataSource,
  ) {}

  async *rows(query: ClaimListQuery): AsyncGenerator<ExportRow> {
    const names = new Map<string, Names>();
    let cursor: string | undefined;
    do {
      const page = await this.queries.claims({ ...query, limit: PAGE, ...(cursor ? { cursor } : {}) } as ClaimListQuery);
      const counted = page.items.filter((c) => c.counted);
      const extras = await this.extras(counted.map((c) => c.id));
      for (const claim of counted) {
        const n = names.get(claim.conflictId) ?? (await this.namesOf(claim.conflictId, names));
        const extra = extras.get(claim.id);
        const context: ExportContext = {
          timeZone: n.timeZone,
          partyName: (id) => n.parties.get(id) ?? id,
          agreementTitle: (id) => n.agreements.get(id) ?? id,
          provisionText: (id) => n.provisions.get(id) ?? id,
          outlets: extra?.outlets ?? [],
          grades: extra?.grades ?? [],
          recordedAt: extra?.recordedAt ?? '',
          updatedAt: extra?.updatedAt ?? '',
        };
        yield exportRow(claim, context);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /**
   * Per claim: its listed, active sources, in the order the claim lists them, as "outlet (speaker)" — the speaker read from the event
   * that cited the source, never for a confidential one — with its Admiralty grades (B3), and
   * when it was first and last written.
   */
  private async extras(claimIds: string[]): Promise<Map<string, { outlets: string[]; grades: string[]; recordedAt: string; updatedAt: string }>> {
    if (claimIds.length === 0) return new Map();
    const rows: { claim_id: string; outlets: string[]; grades: (string | null)[]; recorded_at: Date; updated_at: Date }[] = await this.dataSource.query(
      `WITH cited AS (
         -- The page's claim streams only (the index on stream_id), each source as last cited.
         SELECT DISTINCT ON (a.value->>'attributionId')
                a.value->>'attributionId' AS attribution_id,
                CASE WHEN coalesce((a.value->>'confidential')::boolean, false) THEN NULL ELSE nullif(a.value->>'speaker', '') END AS speaker,
                (a.value->>'reliability') || (a.value->>'credibility') AS grade,
                a.idx
           FROM events e
          CROSS JOIN LATERAL jsonb_array_elements(CASE e.type
                   WHEN 'AttributionAdded' THEN jsonb_build_array(e.data->'attribution')
                   WHEN 'ClaimCorrected' THEN coalesce(e.data->'changes'->'attributions', '[]'::jsonb)
                   ELSE coalesce(e.data->'attributions', '[]'::jsonb) END) WITH ORDINALITY AS a(value, idx)
          WHERE e.stream_id = ANY($2::text[]) AND e.type IN ('ClaimRecorded', 'AttributionAdded', 'ClaimCorrected')
          ORDER BY a.value->>'attributionId', e.position DESC
       )
       SELECT v.claim_id, v.recorded_at, v.updated_at,
              coalesce(array_agg(s.grade ORDER BY c.seen_at, s.idx, c.outlet) FILTER (WHERE c.outlet IS NOT NULL), '{}') AS grades,
              coalesce(array_agg(CASE WHEN s.speaker IS NULL THEN c.outlet ELSE c.outlet || ' (' || s.speaker || ')' END ORDER BY c.seen_at, s.idx, c.outlet)
                         FILTER (WHERE c.outlet IS NOT NULL), '{}') AS outlets
         FROM claim_view_v1 v
         LEFT JOIN source_citations_v1 c ON c.claim_id = v.claim_id AND c.active AND c.listed
         LEFT JOIN cited s ON s.attribution_id = c.attribution_id::text
        WHERE v.claim_id = ANY($1::uuid[])
        GROUP BY v.claim_id, v.recorded_at, v.updated_at`,
      [arrayLiteral(claimIds), arrayLiteral(claimIds.map((id) => `claim-${id}`))],
    );
    return new Map(
      rows.map((r) => [r.claim_id, { outlets: r.outlets, grades: r.grades.map((g) => g ?? ''), recordedAt: r.recorded_at.toISOString(), updatedAt: r.updated_at.toISOString() }]),
    );
  }

  private async namesOf(conflictId: string, cache: Map<string, Names>): Promise<Names> {
    const conflict = await this.directory.get(conflictId);
    const agreements = await this.directory.agreementsOf(conflictId);
    const names: Names = {
      timeZone: conflict.timeZone,
      parties: new Map(conflict.parties.map((p) => [p.partyId, p.shortName ?? p.name])),
      agreements: new Map(agreements.map((a) => [a.agreementId, a.title])),
      provisions: new Map(agreements.flatMap((a) => a.provisions.map((p) => [p.provisionId, `${p.kind}: ${p.text}`] as const))),
    };
    cache.set(conflictId, names);
    return names;
  }
}
