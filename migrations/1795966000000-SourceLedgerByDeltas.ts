import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sources projector, version 2, keeps the ledger by deltas and works a batch at a time
 * (src/read-models/sources/sources.projector.ts). What its queries need of `source_citations_v1`:
 *
 * - the counted citations of an outlet in time order, for first and last seen (two probes of a
 *   partial index instead of aggregating every citation of the outlet);
 * - the citations counting for a claim other than their own (a duplicate's): those counting for
 *   their own claim are found by the primary key, so only duplicates' citations are indexed.
 *
 * The indexes on `outlet` alone (the old re-aggregation) and on `claim_id` (a prefix of the
 * primary key) go. A rebuild renames a table's indexes, so they are found by what they index.
 */
export class SourceLedgerByDeltas1795966000000 implements MigrationInterface {
  name = 'SourceLedgerByDeltas1795966000000';

  async up(q: QueryRunner): Promise<void> {
    await this.dropIndexes(q, (indexed) => indexed === '(outlet)' || indexed === '(claim_id)');
    await q.query(
      `CREATE INDEX source_citations_v1_counted_idx ON source_citations_v1 (outlet, seen_at) WHERE active AND counts_for IS NOT NULL`,
    );
    // Unique because it holds the primary key: a rebuild that defers secondary indexes to its end
    // builds unique ones at its start, and the projector's batches look duplicates up through it.
    await q.query(
      `CREATE UNIQUE INDEX source_citations_v1_duplicates_idx ON source_citations_v1 (counts_for, claim_id, attribution_id) WHERE counts_for <> claim_id`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await this.dropIndexes(q, (indexed) => indexed.startsWith('(outlet, seen_at) WHERE') || indexed.startsWith('(counts_for, claim_id, attribution_id) WHERE'));
    await q.query(`CREATE INDEX source_citations_v1_outlet_idx ON source_citations_v1 (outlet)`);
    await q.query(`CREATE INDEX source_citations_v1_claim_idx ON source_citations_v1 (claim_id)`);
  }

  /** Drops the secondary indexes of source_citations_v1 whose definition after `USING btree ` matches. */
  private async dropIndexes(q: QueryRunner, matches: (indexed: string) => boolean): Promise<void> {
    const indexes: { name: string; definition: string }[] = await q.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i
        WHERE i.indrelid = 'source_citations_v1'::regclass AND NOT i.indisprimary`,
    );
    for (const { name, definition } of indexes) {
      const using = ' USING btree ';
      const at = definition.indexOf(using);
      if (at >= 0 && matches(definition.slice(at + using.length))) await q.query(`DROP INDEX ${name}`);
    }
  }
}
