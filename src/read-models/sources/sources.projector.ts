import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Attribution } from '../../claims/domain/attribution';
import type { ClaimEvent } from '../../claims/domain/claim';
import type { RecordedEvent } from '../../event-store/event-store.types';
import type { Projector, TableName } from '../../projections/projector';
import { CONFIDENTIAL_SOURCE } from '../../sources/source-protection.service';
import { insertRows, updateReturning } from '../sql';


/**
 * The source ledger (DESIGN §5): per outlet, how many claims cite it, for which claimants, first
 * and last seen. Built from one citation row per attribution; a duplicate's citations count for
 * its original, a voided claim's for nothing.
 */
@Injectable()
export class SourcesProjector implements Projector {
  readonly name = 'sources';
  readonly version = 1;
  readonly handles: ClaimEvent['type'][] = [
    'ClaimRecorded',
    'AttributionAdded',
    'AttributionWithdrawn',
    'CasualtiesRevised',
    'ClaimCorrected',
    'ClaimRetracted',
    'ClaimVoided',
    'ClaimMarkedDuplicate',
  ];
  readonly tables = ['source_citations_v1', 'source_ledger_v1'];
  readonly readModels = ['source_ledger_v1'];

  async apply(events: RecordedEvent[], tx: EntityManager, table: TableName): Promise<void> {
    const citations = table('source_citations_v1');
    const outlets = new Set<string>();
    const touch = (rows: { outlet: string }[]) => rows.forEach((row) => outlets.add(row.outlet));
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as unknown as ClaimEvent;
      const claimId = event.data.claimId;
      // When the outlet was seen citing the claim: its publication time, else when the statement was made.
      const cite = async (attributions: Attribution[], listed: boolean, seenAt: string, claimant?: string, conflictId?: string) => {
        if (attributions.length === 0) return;
        const known = claimant && conflictId ? { claimant, conflict_id: conflictId, counts_for: claimId } : await this.claimOf(tx, citations, claimId);
        if (!known) return;
        const rows = attributions.map((a) => {
          const outlet = a.confidential ? CONFIDENTIAL_SOURCE : a.outlet;
          outlets.add(outlet);
          return [claimId, a.attributionId, outlet, known.claimant, known.conflict_id, a.publishedAt ?? seenAt, true, listed, known.counts_for];
        });
        await insertRows(
          tx,
          citations,
          ['claim_id', 'attribution_id', 'outlet', 'claimant', 'conflict_id', 'seen_at', 'active', 'listed', 'counts_for'],
          rows,
          'ON CONFLICT (claim_id, attribution_id) DO NOTHING',
        );
      };
      switch (event.type) {
        case 'ClaimRecorded':
          await cite(event.data.attributions, true, event.data.statedAt, event.data.claimant, event.data.conflictId);
          break;
        case 'AttributionAdded':
          await cite([event.data.attribution], true, recorded.recordedAt);
          break;
        case 'CasualtiesRevised':
          await cite(event.data.attributions, false, event.data.asOf);
          break;
        case 'ClaimRetracted':
          await cite(event.data.attributions, false, event.data.statedAt);
          break;
        case 'AttributionWithdrawn':
          touch(await updateReturning(tx, `UPDATE ${citations} SET active = false WHERE claim_id = $1 AND attribution_id = $2 RETURNING outlet`, [claimId, event.data.attributionId]));
          break;
        case 'ClaimCorrected': {
          const { attributions, claimant } = event.data.changes;
          if (claimant) touch(await updateReturning(tx, `UPDATE ${citations} SET claimant = $2 WHERE claim_id = $1 RETURNING outlet`, [claimId, claimant]));
          if (attributions) {
            // The corrected list replaces the old one whole.
            touch(await updateReturning(tx, `UPDATE ${citations} SET active = false WHERE claim_id = $1 AND listed RETURNING outlet`, [claimId]));
            await cite(attributions, true, recorded.recordedAt);
          }
          break;
        }
        case 'ClaimVoided':
          // The claim's own citations, and those of its duplicates, which counted for it.
          touch(await updateReturning(tx, `UPDATE ${citations} SET counts_for = NULL WHERE claim_id = $1 OR counts_for = $1 RETURNING outlet`, [claimId]));
          break;
        case 'ClaimMarkedDuplicate':
          // They count for the original, unless it was voided (its own citations count for nothing).
          touch(
            await updateReturning(
              tx,
              `UPDATE ${citations}
                  SET counts_for = CASE WHEN EXISTS (SELECT 1 FROM ${citations} o WHERE o.claim_id = $2 AND o.counts_for IS NULL) THEN NULL ELSE $2::uuid END
                WHERE claim_id = $1 AND counts_for IS NOT NULL
            RETURNING outlet`,
              [claimId, event.data.duplicateOf],
            ),
          );
          break;
      }
    }
    if (outlets.size === 0) return;
    const ledger = table('source_ledger_v1');
    await tx.query(`DELETE FROM ${ledger} WHERE outlet = ANY($1)`, [[...outlets]]);
    // A claim counts once per outlet, whoever its duplicates' claimants were.
    await tx.query(
      `INSERT INTO ${ledger} (outlet, claims, claimants, first_seen, last_seen)
       SELECT c.outlet, count(DISTINCT c.counts_for)::int,
              (SELECT jsonb_object_agg(claimant, n)
                 FROM (SELECT claimant, count(DISTINCT counts_for) AS n FROM ${citations} p
                        WHERE p.outlet = c.outlet AND p.active AND p.counts_for IS NOT NULL
                        GROUP BY claimant) per_claimant),
              min(c.seen_at), max(c.seen_at)
         FROM ${citations} c
        WHERE c.outlet = ANY($1) AND c.active AND c.counts_for IS NOT NULL
        GROUP BY c.outlet`,
      [[...outlets]],
    );
  }

  private async claimOf(tx: EntityManager, citations: string, claimId: string) {
    const [row] = await tx.query(`SELECT claimant, conflict_id, counts_for FROM ${citations} WHERE claim_id = $1 LIMIT 1`, [claimId]);
    return row as { claimant: string; conflict_id: string; counts_for: string | null } | undefined;
  }
}
