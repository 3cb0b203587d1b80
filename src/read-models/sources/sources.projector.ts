import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ProjectedEvent } from '../../event-store/event-store.types';
import type { ApplyMode, Projector, TableName } from '../../projections/projector';
import { CONFIDENTIAL_SOURCE } from '../../sources/source-protection.service';
import { arrayLiteral } from '../array-literal';
import {
  applyLedgerDelta,
  type Citation,
  CITATION_EVENT_TYPES,
  CitationSet,
  type LedgerCounts,
  mentionedClaims,
  type OutletDelta,
  originalsToLoad,
} from './citations';

const COLUMNS = 'claim_id, attribution_id, outlet, claimant, conflict_id, seen_at, stated_at, active, listed, counts_for';

interface CitationRow {
  claim_id: string;
  attribution_id: string;
  outlet: string;
  claimant: string;
  conflict_id: string;
  seen_at: Date;
  stated_at: Date;
  active: boolean;
  listed: boolean;
  counts_for: string | null;
}

/**
 * The source ledger (DESIGN §5): per outlet, how many claims cite it, for which claimants, first
 * and last seen. Built from one citation row per attribution; a duplicate's citations count for
 * its original, a voided claim's for nothing.
 *
 * Per batch, whatever its size: the citations of the claims it mentions are loaded (with those
 * of their duplicates and originals), the events applied to them in memory (`CitationSet`), the
 * changed rows written in one statement, and each touched outlet's counts moved by the batch's
 * deltas; first and last seen are read back from the counted citations' partial index. The bulk
 * batches of a rebuild leave the ledger to one aggregation at their end (`finishBulk`).
 */
@Injectable()
export class SourcesProjector implements Projector {
  readonly name = 'sources';
  /** 3: sources added later without a publication date are seen at the claim's statedAt, not when recorded. */
  readonly version = 3;
  readonly handles = [...CITATION_EVENT_TYPES];
  readonly tables = ['source_citations_v1', 'source_ledger_v1'];
  readonly readModels = ['source_ledger_v1'];
  /**
   * Bulk batches of a rebuild keep the citations only, which needs the primary key and the
   * duplicates' index (unique, so never deferred); the counted citations' index, which only the
   * ledger's first and last seen read, is built once at the end, and so is the ledger.
   */
  readonly defersIndexes = true;

  async apply(events: ProjectedEvent[], tx: EntityManager, table: TableName, mode: ApplyMode = 'live'): Promise<void> {
    const citations = table('source_citations_v1');
    const ledger = table('source_ledger_v1');

    // A table being rebuilt has no statistics: the planner would read every citation for each
    // batch's lookups by claim (and compile them), where the primary key and the duplicates'
    // index answer at once. For this transaction only: the batch and its checkpoint's move.
    await tx.query(`SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`);

    const mentioned = mentionedClaims(events);
    const loaded = await this.loadFamilies(tx, citations, mentioned);
    // The originals some of them count for, with all that counts for those: a change there moves their counts.
    loaded.push(...(await this.loadFamilies(tx, citations, originalsToLoad(loaded, mentioned))));

    const set = new CitationSet(loaded, CONFIDENTIAL_SOURCE);
    for (const event of events) set.apply(event);

    await this.saveCitations(tx, citations, set.changes());
    if (mode === 'live') await this.saveLedger(tx, ledger, citations, set.ledgerDeltas());
  }

  /**
   * After the bulk batches of a rebuild: the ledger aggregated from the citations in one pass, as
   * the deltas of live batches keep it (a claim counted once per outlet and once per claimant).
   */
  async finishBulk(tx: EntityManager, table: TableName): Promise<void> {
    const ledger = table('source_ledger_v1');
    await tx.query(`DELETE FROM ${ledger}`);
    await tx.query(
      `WITH counted AS MATERIALIZED (
         SELECT outlet, claimant, counts_for, min(seen_at) AS first_seen, max(seen_at) AS last_seen
           FROM ${table('source_citations_v1')}
          WHERE active AND counts_for IS NOT NULL
          GROUP BY outlet, claimant, counts_for
       ), per_outlet AS (
         SELECT outlet, count(DISTINCT counts_for)::int AS claims, min(first_seen) AS first_seen, max(last_seen) AS last_seen
           FROM counted GROUP BY outlet
       ), per_claimant AS (
         SELECT outlet, jsonb_object_agg(claimant, claims) AS claimants
           FROM (SELECT outlet, claimant, count(*) AS claims FROM counted GROUP BY outlet, claimant) c
          GROUP BY outlet
       )
       INSERT INTO ${ledger} (outlet, claims, claimants, first_seen, last_seen)
       SELECT o.outlet, o.claims, c.claimants, o.first_seen, o.last_seen FROM per_outlet o JOIN per_claimant c USING (outlet)`,
    );
  }

  /** Every citation of the claims, and every citation counting for one of them (the others are a duplicate's). */
  private async loadFamilies(tx: EntityManager, citations: string, claimIds: string[]): Promise<Citation[]> {
    if (claimIds.length === 0) return [];
    const rows: CitationRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM ${citations} WHERE claim_id = ANY($1::uuid[]) OR (counts_for = ANY($1::uuid[]) AND counts_for <> claim_id)`,
      [arrayLiteral(claimIds)],
    );
    return rows.map((r) => ({
      claimId: r.claim_id,
      attributionId: r.attribution_id,
      outlet: r.outlet,
      claimant: r.claimant,
      conflictId: r.conflict_id,
      seenAt: r.seen_at,
      statedAt: r.stated_at,
      active: r.active,
      listed: r.listed,
      countsFor: r.counts_for,
    }));
  }

  /**
   * New citations in one plain INSERT (the batch holds every citation of the claims it cites, so
   * they cannot be there yet), and the changes to loaded ones in one UPDATE (their outlet, listing
   * and seen time never change).
   */
  private async saveCitations(tx: EntityManager, citations: string, { added, changed }: { added: Citation[]; changed: Citation[] }): Promise<void> {
    if (added.length > 0) {
      await tx.query(
        `INSERT INTO ${citations} (${COLUMNS})
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::timestamptz[], $7::timestamptz[], $8::boolean[], $9::boolean[], $10::uuid[])`,
        [
          added.map((r) => r.claimId),
          added.map((r) => r.attributionId),
          added.map((r) => r.outlet),
          added.map((r) => r.claimant),
          added.map((r) => r.conflictId),
          added.map((r) => r.seenAt),
          added.map((r) => r.statedAt),
          added.map((r) => r.active),
          added.map((r) => r.listed),
          added.map((r) => r.countsFor),
        ].map(arrayLiteral),
      );
    }
    if (changed.length > 0) {
      await tx.query(
        `UPDATE ${citations} c SET claimant = u.claimant, stated_at = u.stated_at, active = u.active, counts_for = u.counts_for
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::boolean[], $6::uuid[])
                AS u(claim_id, attribution_id, claimant, stated_at, active, counts_for)
          WHERE c.claim_id = u.claim_id AND c.attribution_id = u.attribution_id`,
        [
          changed.map((r) => r.claimId),
          changed.map((r) => r.attributionId),
          changed.map((r) => r.claimant),
          changed.map((r) => r.statedAt),
          changed.map((r) => r.active),
          changed.map((r) => r.countsFor),
        ].map(arrayLiteral),
      );
    }
  }

  /**
   * Moves each touched outlet's counts by the batch's deltas and reads its first and last seen
   * from the counted citations (two probes of their partial index); an outlet left with no
   * counted claim leaves the ledger.
   */
  private async saveLedger(tx: EntityManager, ledger: string, citations: string, deltas: Map<string, OutletDelta>): Promise<void> {
    const outlets = [...deltas.keys()];
    if (outlets.length === 0) return;
    const current: LedgerCounts[] = await tx.query(`SELECT outlet, claims, claimants FROM ${ledger} WHERE outlet = ANY($1::text[])`, [arrayLiteral(outlets)]);
    const rows = new Map(current.map((r) => [r.outlet, r]));
    const kept: LedgerCounts[] = [];
    const gone: string[] = [];
    for (const outlet of outlets) {
      const next = applyLedgerDelta(outlet, rows.get(outlet), deltas.get(outlet)!);
      if (next) kept.push(next);
      else if (rows.has(outlet)) gone.push(outlet);
    }
    if (gone.length > 0) await tx.query(`DELETE FROM ${ledger} WHERE outlet = ANY($1::text[])`, [arrayLiteral(gone)]);
    if (kept.length === 0) return;
    const counted = `FROM ${citations} c WHERE c.outlet = d.outlet AND c.active AND c.counts_for IS NOT NULL`;
    await tx.query(
      `INSERT INTO ${ledger} (outlet, claims, claimants, first_seen, last_seen)
       SELECT outlet, claims, claimants, first_seen, last_seen
         FROM (SELECT d.outlet, d.claims, d.claimants,
                      (SELECT min(c.seen_at) ${counted}) AS first_seen,
                      (SELECT max(c.seen_at) ${counted}) AS last_seen
                 FROM unnest($1::text[], $2::int[], $3::jsonb[]) AS d(outlet, claims, claimants)) s
        WHERE first_seen IS NOT NULL
       ON CONFLICT (outlet) DO UPDATE
          SET claims = excluded.claims, claimants = excluded.claimants, first_seen = excluded.first_seen, last_seen = excluded.last_seen`,
      [kept.map((r) => r.outlet), kept.map((r) => r.claims), kept.map((r) => JSON.stringify(r.claimants))].map(arrayLiteral),
    );
  }
}
