import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConflictDirectory } from '../conflicts/conflict-directory.service';
import { Gazetteer } from '../places/gazetteer.service';
import { CLOCK, type Clock } from '../shared/clock';
import type { DraftsReading, ReportInput } from './domain/draft';
import { extractDrafts } from './domain/extract-drafts';
import { type LinkedDraft, linkToRecorded, type RecordedClaim } from './domain/link-recorded';

/** How far back recorded accusations are read for the denials of a report (link-recorded.ts looks a week back). */
const ANSWER_LOOKBACK_MS = 8 * 24 * 3_600_000;

interface ClaimRow {
  claim_id: string;
  claimant: string;
  subject: string;
  assertion: string;
  stance: string | null;
  stated_at: Date;
  summary: string;
  place_id: string | null;
}

/**
 * Reads a report against a conflict: its parties and gazetteer, and its claims for the ones
 * the drafts answer or repeat. Reads only; nothing is stored.
 */
@Injectable()
export class DraftsService {
  constructor(
    private readonly directory: ConflictDirectory,
    private readonly gazetteer: Gazetteer,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async read(conflictId: string, input: Omit<ReportInput, 'now'>): Promise<Omit<DraftsReading, 'drafts'> & { drafts: LinkedDraft[] }> {
    const conflict = await this.directory.get(conflictId);
    const places = await this.gazetteer.placesOf(conflictId);
    const reading = extractDrafts(
      { ...input, now: this.clock.now() },
      {
        conflictId,
        timeZone: conflict.timeZone,
        parties: conflict.parties,
        places: places.map((p) => ({ placeId: p.placeId, names: p.names.map((n) => n.name) })),
      },
    );
    const claims = reading.drafts.filter((d) => d.kind === 'claim');
    if (claims.length === 0) return { ...reading, drafts: linkToRecorded(reading.drafts, []) };
    const stated = claims.map((d) => Date.parse(String(d.body.statedAt)));
    const quotes = reading.drafts.map((d) => (d.body.attributions as { quote?: string }[] | undefined)?.[0]?.quote).filter((q): q is string => q !== undefined);
    const recorded = await this.recordedClaims(conflictId, new Date(Math.min(...stated) - ANSWER_LOOKBACK_MS), new Date(Math.max(...stated)), quotes);
    return { ...reading, drafts: linkToRecorded(reading.drafts, recorded) };
  }

  /** The conflict's claims that these drafts may answer (recent accusations) or repeat (same quote). */
  private async recordedClaims(conflictId: string, from: Date, to: Date, quotes: string[]): Promise<RecordedClaim[]> {
    // Quotes live in the claims' events (the read model keeps no sources): the claims of this
    // conflict that were recorded quoting one of these sentences.
    const quoted: { claim_id: string; quote: string }[] = quotes.length
      ? await this.dataSource.query(
          `SELECT DISTINCT e.data->>'claimId' AS claim_id, a->>'quote' AS quote
             FROM (SELECT data FROM events WHERE type = 'ClaimRecorded' AND data->>'conflictId' = $1) e
             CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.data->'attributions') = 'array' THEN e.data->'attributions' ELSE '[]'::jsonb END) a
            WHERE a->>'quote' = ANY($2::text[])`,
          [conflictId, quotes],
        )
      : [];
    const quotedIds = [...new Set(quoted.map((q) => q.claim_id))];
    const rows: ClaimRow[] = await this.dataSource.query(
      `SELECT claim_id, claimant, subject, assertion, stance, stated_at, summary, doc->'location'->>'placeId' AS place_id
         FROM claim_view_v1
        WHERE conflict_id = $1 AND NOT voided AND duplicate_of IS NULL AND (stated_at BETWEEN $2 AND $3 OR claim_id = ANY($4::uuid[]))
        ORDER BY stated_at DESC
        LIMIT 2000`,
      [conflictId, from.toISOString(), to.toISOString(), quotedIds],
    );
    return rows.map((r) => ({
      id: r.claim_id,
      claimant: r.claimant,
      subject: r.subject,
      assertion: r.assertion,
      stance: r.stance,
      statedAt: new Date(r.stated_at).toISOString(),
      placeId: r.place_id,
      summary: r.summary,
      quotes: quoted.filter((q) => q.claim_id === r.claim_id).map((q) => q.quote),
    }));
  }
}
