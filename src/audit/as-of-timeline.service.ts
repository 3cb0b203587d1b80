import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore, type ReadStreamOptions } from '../event-store/event-store.service';
import { ClaimsProjector } from '../read-models/claims/claims.projector';
import { DashboardQueries } from '../read-models/dashboard-queries.service';
import type { TimelineQuery } from '../read-models/dashboard.requests';
import { NotFoundError } from '../shared/domain-error';
import { isUuid } from '../shared/text';

const REPLAY_BATCH = 5000;

/**
 * The timeline as the record stood at a position or an instant: the log up to then is replayed
 * through the claims projector into temporary tables of this transaction only, so the live read
 * models are never touched. The cost grows with the log up to that point.
 */
@Injectable()
export class AsOfTimeline {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly projector: ClaimsProjector,
    private readonly queries: DashboardQueries,
  ) {}

  private queue: Promise<unknown> = Promise.resolve();

  /** One replay at a time: each reads the log from the start. */
  timeline(conflictId: string, query: TimelineQuery, asOf: ReadStreamOptions) {
    const run = this.queue.then(() => this.replay(conflictId, query, asOf));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async replay(conflictId: string, query: TimelineQuery, asOf: ReadStreamOptions) {
    const table = (name: string) => `asof_${name}`;
    // Before the transaction: the embedded database has a single connection, which it will hold.
    const upTo = await this.positionAsOf(asOf);
    return this.dataSource.transaction(async (tx) => {
      for (const name of this.projector.tables) {
        await tx.query(`CREATE TEMPORARY TABLE ${table(name)} (LIKE ${name} INCLUDING ALL) ON COMMIT DROP`);
      }
      for (let after = 0; after < upTo; after += REPLAY_BATCH) {
        const events = await this.store.readRange(tx, { after, upTo: Math.min(upTo, after + REPLAY_BATCH), types: this.projector.handles });
        if (events.length > 0) await this.projector.apply(events, tx, table, 'bulk');
      }
      await this.projector.finishBulk(tx, table);
      const timeline = await this.queries.timeline(conflictId, query, tx, table).catch(async (error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
        // Registered after then: the record had nothing of the conflict yet, which is an answer
        // (an empty timeline), not a 404 — unless there is no such conflict now either.
        const [conflict] = isUuid(conflictId) ? await tx.query('SELECT time_zone FROM rm_conflicts_v1 WHERE conflict_id = $1', [conflictId]) : [];
        if (!conflict) throw error;
        return { conflictId, timeZone: conflict.time_zone as string, bucket: query.bucket ?? 'day', by: query.by ?? 'occurred', series: [] };
      });
      return { ...timeline, asOf: { position: upTo, ...(asOf.toRecordedAt ? { time: asOf.toRecordedAt.toISOString() } : {}), firstClaimRecordedAt: await this.firstClaimRecordedAt(tx, conflictId) } };
    });
  }

  /**
   * When the tracker recorded the conflict's first claim (whatever is in the log now): a timeline
   * as of an earlier time is empty, and the reader is told why rather than shown nothing.
   */
  private async firstClaimRecordedAt(tx: { query: DataSource['query'] }, conflictId: string): Promise<string | null> {
    const [row] = await tx.query(`SELECT min(recorded_at) AS first FROM events WHERE data->>'conflictId' = $1 AND type = 'ClaimRecorded'`, [conflictId]);
    return row?.first ? new Date(row.first).toISOString() : null;
  }

  /** The last position at or before `asOf`: recorded_at never runs backwards along the log. */
  private async positionAsOf(asOf: ReadStreamOptions): Promise<number> {
    const head = await this.store.headPosition();
    if (asOf.toPosition !== undefined) return Math.min(asOf.toPosition, head);
    if (asOf.toRecordedAt === undefined) return head;
    const [row] = await this.dataSource.query('SELECT coalesce(max(position), 0) AS position FROM events WHERE recorded_at <= $1', [asOf.toRecordedAt]);
    return Number(row.position);
  }
}
