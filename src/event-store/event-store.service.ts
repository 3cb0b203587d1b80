import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EventIdConflictError, InvalidEventError } from './event-store.errors';
import type {
  AppendResult,
  ChainVerification,
  ExpectedVersion,
  JsonObject,
  NewEvent,
  ProjectedEvent,
  RecordedEvent,
} from './event-store.types';
import { isStorableText, isUuid } from '../shared/text';
import { type AppendHead, type ChainStart, planAppends, type PreparedAppend, type PreparedEvent } from './append-plan';
import { verifyChain, type VerifyOptions } from './chain-verifier';
import { CommitQueue, type CommitQueueOptions, type Settled } from './commit-queue';
import { GENESIS_HASH } from './hash-chain';

/** Channel on which every committed append is announced with `{"position": N}`. */
export const EVENTS_CHANNEL = 'ceasefire_events';

// One transaction-scoped advisory lock serialises appends, so positions follow commit order
// (DESIGN §3). The key is arbitrary but fixed: "ceasefire" in ASCII, truncated to 8 bytes.
const APPEND_LOCK_KEY = '7161964405855102578';

const MAX_BATCH = 1000;

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: JsonObject;
  metadata: JsonObject;
  recorded_at: Date;
  prev_hash: Buffer;
  hash: Buffer;
}

const COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, prev_hash, hash';

export interface AppendRequest {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
  /** Metadata shared by every event of the batch (actor, request id…). */
  metadata?: JsonObject;
}

/** Work that commits with an append, in its transaction (source keys, the token table…). */
export type AfterAppend = (tx: EntityManager, appended: AppendResult) => Promise<void>;

interface QueuedAppend {
  prepared: PreparedAppend;
  /** The caller chose some event ids, so they may be stored already (idempotent replays). */
  knownIds: boolean;
  afterAppend?: AfterAppend;
}

/** Group commit settings; the defaults suit both PostgreSQL and the embedded database. */
export const GROUP_COMMIT_OPTIONS = Symbol('GROUP_COMMIT_OPTIONS');
export const DEFAULT_GROUP_COMMIT: CommitQueueOptions = { maxBatch: 64, maxWaitMs: 0 };

export interface ReadStreamOptions {
  /** Only events after this stream version (what a cached fold has not seen yet). */
  afterVersion?: number;
  /** Only events at or below this global position. */
  toPosition?: number;
  /** Only events recorded at or before this instant. */
  toRecordedAt?: Date;
}

/**
 * The append-only, hash-chained event log (DESIGN §3). This is the only code that writes to
 * `events`.
 */
@Injectable()
export class EventStore {
  private readonly appended = new EventEmitter().setMaxListeners(0);

  private readonly queue: CommitQueue<QueuedAppend, AppendResult>;
  private readonly commits = { transactions: 0, requests: 0 };

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(GROUP_COMMIT_OPTIONS) groupCommit: Partial<CommitQueueOptions> | null = null,
  ) {
    this.queue = new CommitQueue((batch) => this.commitBatch(batch), { ...DEFAULT_GROUP_COMMIT, ...groupCommit });
  }

  /**
   * Appends `events` to `streamId`, all or nothing, sharing a transaction with the appends that
   * arrive while another commit is in flight (group commit). Answers only after COMMIT.
   * @throws ConcurrencyError when the stream is not at `expectedVersion`; nothing is appended.
   * @throws EventIdConflictError when only some of the event ids are already stored.
   */
  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: NewEvent[],
    metadata: JsonObject = {},
  ): Promise<AppendResult> {
    return this.submit({ streamId, expectedVersion, events, metadata });
  }

  /**
   * Queues an append for the next group commit. `afterAppend` runs inside that commit's
   * transaction when the request appended (not on a replay); if it throws, the request fails
   * with its error, nothing of it is stored, and the rest of the batch commits without it.
   */
  submit(request: AppendRequest, afterAppend?: AfterAppend): Promise<AppendResult> {
    let prepared: PreparedAppend;
    try {
      prepared = { streamId: request.streamId, expectedVersion: request.expectedVersion, events: prepareEvents(request) };
    } catch (error) {
      return Promise.reject(error);
    }
    return this.queue.submit({ prepared, knownIds: request.events.some((e) => e.eventId !== undefined), afterAppend });
  }

  /** Group commits so far in this process: transactions committed and the requests they carried. */
  groupCommitStats(): { transactions: number; requests: number } {
    return { ...this.commits };
  }

  /**
   * Appends inside the caller's transaction, so that other writes (a token table, an
   * idempotency record) commit or roll back with the events, and so that several appends can
   * share one transaction. The append lock is held until that transaction ends: keep it short.
   */
  async appendInTransaction(tx: EntityManager, request: AppendRequest): Promise<AppendResult> {
    const prepared: PreparedAppend = { streamId: request.streamId, expectedVersion: request.expectedVersion, events: prepareEvents(request) };
    await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
    const plan = planAppends(await this.readHead(tx, [prepared], true), [prepared]);
    const outcome = plan.outcomes[0]!;
    if (outcome.kind === 'rejected') throw outcome.error;
    await this.insertAndNotify(tx, plan.recorded);
    return outcome.result;
  }

  /**
   * Appends to many streams in the caller's transaction at once, in the order given (loads and
   * bulk tools): one lock, one look-up of ids and of versions, one insert per thousand events,
   * one notification. Every event must be new: a stored id fails the whole call, with no replay
   * answer; an unmet expected version fails it whole too.
   */
  async appendMany(tx: EntityManager, requests: AppendRequest[]): Promise<AppendResult[]> {
    if (requests.length === 0) return [];
    const prepared = requests.map((r): PreparedAppend => ({ streamId: r.streamId, expectedVersion: r.expectedVersion, events: prepareEvents(r) }));
    const ids = prepared.flatMap((p) => p.events.map((e) => e.eventId));
    if (new Set(ids).size !== ids.length) throw new InvalidEventError('event id repeated within one append', 'events');
    await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
    const head = await this.readHead(tx, prepared, true);
    if (head.stored.size > 0) throw new EventIdConflictError([...head.stored.keys()]);
    const plan = planAppends(head, prepared);
    const results = plan.outcomes.map((o) => {
      if (o.kind !== 'appended') throw o.kind === 'rejected' ? o.error : new EventIdConflictError(o.result.events.map((e) => e.eventId));
      return o.result;
    });
    await this.insertAndNotify(tx, plan.recorded);
    return results;
  }

  /**
   * One group commit: lock once, read the heads once, plan every request against them and
   * against each other, insert all rows with one statement, run each request's afterAppend,
   * commit once. A failing afterAppend rolls the transaction back and the batch runs again
   * without that request, so that nothing of it is stored and the others still commit.
   */
  private async commitBatch(batch: QueuedAppend[]): Promise<Settled<AppendResult>[]> {
    const settled: (Settled<AppendResult> | undefined)[] = batch.map(() => undefined);
    let live = batch.map((_, i) => i);
    while (live.length > 0) {
      const requests = live.map((i) => batch[i]!.prepared);
      const failing: { index: number; error: unknown }[] = [];
      try {
        const plan = await this.dataSource.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
          const head = await this.readHead(tx, requests, live.some((i) => batch[i]!.knownIds));
          const planned = planAppends(head, requests);
          await this.insertAndNotify(tx, planned.recorded);
          for (const [k, outcome] of planned.outcomes.entries()) {
            const afterAppend = batch[live[k]!]!.afterAppend;
            if (outcome.kind !== 'appended' || !afterAppend) continue;
            try {
              await afterAppend(tx, outcome.result);
            } catch (error) {
              failing.push({ index: live[k]!, error });
              throw error;
            }
          }
          return planned;
        });
        plan.outcomes.forEach((outcome, k) => {
          settled[live[k]!] = outcome.kind === 'rejected' ? { ok: false, error: outcome.error } : { ok: true, value: outcome.result };
        });
        this.commits.transactions += 1;
        this.commits.requests += live.length;
        if (plan.recorded.length > 0) this.announce(plan.recorded[plan.recorded.length - 1]!.position);
        break;
      } catch (error) {
        const failed = failing[0];
        if (failed === undefined) {
          for (const i of live) settled[i] = { ok: false, error };
          break;
        }
        settled[failed.index] = { ok: false, error: failed.error };
        live = live.filter((i) => i !== failed.index);
      }
    }
    return settled.map((s) => s ?? { ok: false, error: new Error('append was not committed') });
  }

  /**
   * Read under the append lock: the last position and hash, the time to record appends at, each
   * named stream's current version, and (when `withIds`) the stored events that already carry
   * one of the requests' event ids. recorded_at never moves backwards, so recorded_at order is
   * position order and "as of a time" is a prefix of the log.
   */
  private async readHead(tx: EntityManager, requests: readonly PreparedAppend[], withIds: boolean): Promise<AppendHead> {
    const streamIds = [...new Set(requests.map((r) => r.streamId))];
    const ids = withIds ? requests.flatMap((r) => r.events.map((e) => e.eventId)) : [];
    const storedRows: Promise<EventRow[]> =
      ids.length > 0 ? tx.query(`SELECT ${COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY position`, [ids]) : Promise.resolve([]);
    const { start, versions } = await this.appendHead(tx, streamIds);
    const stored = (await storedRows).map(toRecordedEvent);
    return {
      start,
      versions: new Map(streamIds.map((id, i) => [id, versions[i]!])),
      stored: new Map(stored.map((e) => [e.eventId, e])),
    };
  }

  /** The last position and hash, the time to record appends at, and each stream's version (0: no stream). */
  private async appendHead(tx: EntityManager, streamIds: string[]): Promise<{ start: ChainStart; versions: number[] }> {
    const [head] = await tx.query(
      `SELECT last.position, last.hash, greatest(date_trunc('milliseconds', clock_timestamp()), last.recorded_at) AS now,
              ARRAY(SELECT (SELECT coalesce(max(stream_version), 0)::int FROM events e WHERE e.stream_id = s.id)
                      FROM unnest($1::text[]) WITH ORDINALITY AS s(id, n) ORDER BY n) AS versions
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1) AS last ON true`,
      [streamIds],
    );
    return {
      start: { position: Number(head.position ?? 0), hash: head.hash ?? GENESIS_HASH, recordedAt: (head.now as Date).toISOString() },
      versions: head.versions as number[],
    };
  }

  /** Inserts chained events, a thousand rows per statement; PostgreSQL notifies listeners only if the transaction commits. */
  private async insertAndNotify(tx: EntityManager, recorded: RecordedEvent[]): Promise<void> {
    for (let start = 0; start < recorded.length; start += MAX_BATCH) {
      const chunk = recorded.slice(start, start + MAX_BATCH);
      const { values, params } = rowValues(chunk);
      if (start + MAX_BATCH < recorded.length) {
        await tx.query(`INSERT INTO events (${COLUMNS}) VALUES ${values}`, params);
        continue;
      }
      params.push(EVENTS_CHANNEL, JSON.stringify({ position: recorded[recorded.length - 1]!.position }));
      await tx.query(
        `WITH appended AS (INSERT INTO events (${COLUMNS}) VALUES ${values})
         SELECT pg_notify($${params.length - 1}, $${params.length})`,
        params,
      );
    }
  }

  /** The stream's events in version order, optionally only those up to a position or an instant. */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    // No stream can have a name PostgreSQL cannot store.
    if (!isStorableText(streamId)) return [];
    const params: unknown[] = [streamId];
    let where = 'stream_id = $1';
    if (options.afterVersion !== undefined) {
      params.push(options.afterVersion);
      where += ` AND stream_version > $${params.length}`;
    }
    if (options.toPosition !== undefined) {
      params.push(options.toPosition);
      where += ` AND position <= $${params.length}`;
    }
    if (options.toRecordedAt !== undefined) {
      params.push(options.toRecordedAt);
      where += ` AND recorded_at <= $${params.length}`;
    }
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM events WHERE ${where} ORDER BY stream_version`,
      params,
    );
    return rows.map(toRecordedEvent);
  }

  /** Up to `limit` events after global position `after`, in position order; `actor`: only those one token recorded. */
  async readAll({ after = 0, limit = 1000, actor }: { after?: number; limit?: number; actor?: string } = {}): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM events
        WHERE position > $1 AND ($3::text IS NULL OR metadata->'actor'->>'tokenId' = $3)
        ORDER BY position LIMIT $2`,
      [after, Math.max(1, Math.min(limit, 10_000)), actor ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  /**
   * Up to `limit` events after `after`, each with the conflict its stream belongs to (from the
   * event, else from its stream's first event), or null: what the NATS subjects are named by.
   */
  async readWithConflicts(after: number, limit: number): Promise<{ event: RecordedEvent; conflictId: string | null }[]> {
    const rows: (EventRow & { conflict_id: string | null })[] = await this.dataSource.query(
      `SELECT ${COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')},
              CASE WHEN e.stream_id LIKE 'conflict-%' THEN substr(e.stream_id, 10)
                   ELSE coalesce(e.data->>'conflictId',
                                 (SELECT f.data->>'conflictId' FROM events f WHERE f.stream_id = e.stream_id AND f.stream_version = 1)) END AS conflict_id
         FROM events e WHERE e.position > $1 ORDER BY e.position LIMIT $2`,
      [after, limit],
    );
    return rows.map((row) => ({ event: toRecordedEvent(row), conflictId: row.conflict_id }));
  }

  /**
   * Events in (after, upTo] in position order, optionally of some types only, read through
   * `manager` (a projector's transaction), with only what projectors use. Positions have no
   * gaps, so a caller bounds the work by the range alone: no plan has to sort the rest of the log.
   */
  async readRange(
    manager: EntityManager,
    { after, upTo, types }: { after: number; upTo: number; types?: readonly string[] },
  ): Promise<ProjectedEvent[]> {
    const rows: Pick<EventRow, 'position' | 'stream_id' | 'type' | 'data' | 'recorded_at'>[] = await manager.query(
      `SELECT position, stream_id, type, data, recorded_at FROM events
        WHERE position > $1 AND position <= $2 AND ($3::text[] IS NULL OR type = ANY($3)) ORDER BY position`,
      [after, upTo, types ?? null],
    );
    return rows.map((row) => ({
      position: Number(row.position),
      streamId: row.stream_id,
      type: row.type,
      data: row.data,
      recordedAt: row.recorded_at.toISOString(),
    }));
  }

  /** The head position as `manager` sees it. */
  async headPosition(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query('SELECT position FROM events ORDER BY position DESC LIMIT 1');
    return row ? Number(row.position) : 0;
  }

  /** Tells in-process listeners (projectors, live feeds) that appends up to `position` committed. */
  announce(position: number): void {
    this.appended.emit('appended', position);
  }

  /** Calls `listener` with the head position after each committed append: this process's, and others' as RemoteAppends hears them. */
  onAppended(listener: (position: number) => void): () => void {
    this.appended.on('appended', listener);
    return () => this.appended.off('appended', listener);
  }

  /**
   * Every event from position 1 (or after `after`), in order, read in batches: constant memory.
   * The next batch is read while the consumer takes the one before, so at most two are held.
   */
  async *streamAll(after = 0, batchSize = 1000): AsyncGenerator<RecordedEvent> {
    const read = (from: number) => {
      const batch = this.readAll({ after: from, limit: batchSize });
      batch.catch(() => undefined); // awaited in the loop; not an unhandled rejection meanwhile
      return batch;
    };
    let next = read(after);
    for (;;) {
      const batch = await next;
      if (batch.length === 0) return;
      next = read(batch[batch.length - 1]!.position);
      yield* batch;
    }
  }

  /**
   * Inserts events exactly as given — positions, times and hashes — for an import whose chain
   * the caller has verified. The database still refuses any row that does not extend the head
   * by one and link to its hash.
   */
  async insertVerified(tx: EntityManager, events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
    const { values, params } = rowValues(events);
    await tx.query(`INSERT INTO events (${COLUMNS}) VALUES ${values}`, params);
  }

  /** One event by its id, or null. */
  async readEvent(eventId: string): Promise<RecordedEvent | null> {
    if (!isUuid(eventId)) return null;
    const rows: EventRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM events WHERE event_id = $1`, [eventId]);
    return rows[0] ? toRecordedEvent(rows[0]) : null;
  }

  /** Of the given event ids, those in the log, with each one's request hash (its metadata's `requestHash`): one query for many. */
  async storedRequestHashes(eventIds: readonly string[]): Promise<Map<string, string | null>> {
    const ids = eventIds.filter(isUuid);
    if (ids.length === 0) return new Map();
    const rows: { event_id: string; request_hash: string | null }[] = await this.dataSource.query(
      `SELECT event_id, metadata->>'requestHash' AS request_hash FROM events WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.event_id, r.request_hash]));
  }

  /** The last position and its hash (hex); 0 and null on an empty log. */
  async head(): Promise<{ position: number; hash: string | null }> {
    const [row] = await this.dataSource.query('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1');
    return row ? { position: Number(row.position), hash: (row.hash as Buffer).toString('hex') } : { position: 0, hash: null };
  }

  /**
   * Recomputes the hash chain over positions `from`..`to` (default: the whole log as it is now)
   * and names the first position whose stored hash or link does not match.
   */
  async verifyChain(
    { from = 1, to, ...parallel }: VerifyOptions = {},
    onProgress: (checked: number, total: number) => void = () => {},
  ): Promise<ChainVerification> {
    const end = to ?? (await this.head()).position;
    const result = await verifyChain(this.dataSource.manager, end, { from, ...parallel }, onProgress);
    return result.ok ? result : { ...result, headHash: await this.hashAt(end) };
  }

  private async hashAt(position: number): Promise<string | null> {
    const [row] = await this.dataSource.query('SELECT hash FROM events WHERE position = $1', [position]);
    return row ? (row.hash as Buffer).toString('hex') : null;
  }


}

/**
 * Checks the request before any lock is taken and brings data and metadata to their JSON form,
 * so that what is hashed is exactly what PostgreSQL stores and gives back.
 */
function prepareEvents({ streamId, expectedVersion, events, metadata = {} }: AppendRequest): PreparedEvent[] {
  if (typeof streamId !== 'string' || streamId.length < 1 || streamId.length > 200) {
    throw new InvalidEventError('stream id must be 1 to 200 characters', 'streamId');
  }
  if (typeof expectedVersion === 'number' && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
    throw new InvalidEventError('expected version must be a non-negative integer', 'expectedVersion');
  }
  if (events.length === 0 || events.length > MAX_BATCH) {
    throw new InvalidEventError(`an append takes 1 to ${MAX_BATCH} events`, 'events');
  }
  const seen = new Set<string>();
  return events.map((e, i) => {
    const eventId = (e.eventId ?? randomUUID()).toLowerCase();
    if (!isUuid(eventId)) throw new InvalidEventError('event id must be a UUID', `events[${i}].eventId`);
    if (seen.has(eventId)) throw new InvalidEventError('event id repeated within one append', `events[${i}].eventId`);
    seen.add(eventId);
    if (typeof e.type !== 'string' || e.type.length < 1 || e.type.length > 200) {
      throw new InvalidEventError('event type must be 1 to 200 characters', `events[${i}].type`);
    }
    const schemaVersion = e.schemaVersion ?? 1;
    if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
      throw new InvalidEventError('schema version must be a positive integer', `events[${i}].schemaVersion`);
    }
    return {
      eventId,
      type: e.type,
      schemaVersion,
      data: toStorableJson(e.data, `events[${i}].data`),
      metadata: toStorableJson({ ...metadata, ...e.metadata }, `events[${i}].metadata`),
    };
  });
}

function toStorableJson(value: JsonObject, field: string): JsonObject {
  const normalised = JSON.parse(JSON.stringify(value, rejectUnstorable(field)));
  if (normalised === null || typeof normalised !== 'object' || Array.isArray(normalised)) {
    throw new InvalidEventError('must be a JSON object', field);
  }
  return normalised;
}

// jsonb refuses NUL characters and unpaired surrogates; JSON has no NaN or Infinity.
function rejectUnstorable(field: string) {
  const check = (text: string) => {
    if (text.includes('\u0000') || !text.isWellFormed()) {
      throw new InvalidEventError('text must not contain NUL characters or unpaired surrogates', field);
    }
  };
  return function (this: unknown, key: string, value: unknown): unknown {
    check(key);
    if (typeof value === 'string') check(value);
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new InvalidEventError('numbers must be finite', field);
    }
    if (typeof value === 'bigint') throw new InvalidEventError('numbers must be JSON numbers', field);
    return value;
  };
}

/** The VALUES list and parameters that insert `events` in COLUMNS order. */
function rowValues(events: RecordedEvent[]): { values: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows = events.map((e) => {
    const base = params.length;
    params.push(
      e.position, e.eventId, e.streamId, e.streamVersion, e.type, e.schemaVersion,
      JSON.stringify(e.data), JSON.stringify(e.metadata), e.recordedAt,
      Buffer.from(e.prevHash, 'hex'), Buffer.from(e.hash, 'hex'),
    );
    return `(${Array.from({ length: 11 }, (_, k) => `$${base + k + 1}`).join(', ')})`;
  });
  return { values: rows.join(', '), params };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: Number(row.position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
    prevHash: row.prev_hash.toString('hex'),
    hash: row.hash.toString('hex'),
  };
}
