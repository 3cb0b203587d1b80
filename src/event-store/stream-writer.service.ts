import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { CommandMeta, WriteResult } from '../shared/command';
import { type Decider, fold } from '../shared/decider';
import { IdempotencyMismatchError, NotFoundError } from '../shared/domain-error';
import { ConcurrencyError } from './event-store.errors';
import { EventStore } from './event-store.service';
import type { AppendResult, JsonObject, RecordedEvent } from './event-store.types';
import { nameBasedUuid } from './name-based-uuid';

/** A domain event as deciders produce it. */
export interface DomainEvent {
  type: string;
  data: object;
}

export interface StreamWrite<C, S, E extends DomainEvent> {
  streamId: string;
  decider: Decider<C, S, E>;
  command: C;
  /** The version the client expects the stream to be at; omitted, the write retries on a race. */
  expectedVersion?: number;
  meta: CommandMeta;
  /** The id the answer names: the claim, party, attribution… the write is about. */
  resultId: string;
  /** The stream id is new (a fresh random id): skip reading it; the append still checks. */
  newStream?: boolean;
  /**
   * The caller has looked the idempotency key's events up already (a bulk import checks a chunk
   * of rows in one query) and found none: skip that look-up. A copy racing in meanwhile is still
   * caught, by the append's check of the chosen event ids.
   */
  replayChecked?: boolean;
  /** Runs inside the append's transaction, only when events were appended. */
  afterAppend?: (tx: EntityManager, appended: AppendResult) => Promise<void>;
}

export interface WriteOutcome extends WriteResult {
  /** False when the outcome already held (nothing appended) or when this was a replay. */
  appended: boolean;
}

const MAX_ATTEMPTS = 5;

/**
 * Read a stream, fold it, decide, append (STYLE C5) — with optimistic concurrency and
 * idempotency keys. Event ids are derived from the client's token and Idempotency-Key, so a
 * replayed request meets its own events in the store and appends nothing, even when two copies
 * race.
 */
@Injectable()
export class StreamWriter {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async write<C, S, E extends DomainEvent>(w: StreamWrite<C, S, E>): Promise<WriteOutcome> {
    const replay = w.replayChecked ? null : await this.findReplay(w.meta);
    if (replay) return replay;
    for (let attempt = 1; ; attempt++) {
      // A stream named by a fresh random id cannot exist yet: no need to read it.
      const history = w.newStream && attempt === 1 ? [] : await this.store.readStream(w.streamId);
      const currentVersion = history.length;
      const state = fold(w.decider, history.map((e) => ({ type: e.type, data: e.data }) as unknown as E));
      if (w.expectedVersion !== undefined && w.expectedVersion !== currentVersion) {
        throwIfNotFound(() => w.decider.decide(w.command, state));
        // A copy of this very request may have moved the stream since we last looked.
        const replayed = await this.findReplay(w.meta);
        if (replayed) return replayed;
        throw new ConcurrencyError(w.streamId, w.expectedVersion, currentVersion);
      }
      const events = w.decider.decide(w.command, state);
      if (events.length === 0) {
        const held = { id: w.resultId, streamVersion: currentVersion, position: history.at(-1)?.position ?? 0, appended: false };
        return this.rememberOutcome(w.meta, held);
      }
      const metadata = { ...w.meta, resultId: w.resultId } as unknown as JsonObject;
      const newEvents = events.map((e, index) => ({
        eventId: w.meta.idempotencyKey ? idempotentEventId(w.meta, index) : undefined,
        type: e.type,
        data: e.data as JsonObject,
      }));
      try {
        // Group commit: this append shares a transaction with those queued beside it, and its
        // afterAppend runs in that transaction; the answer comes after COMMIT.
        const appended = await this.store.submit(
          { streamId: w.streamId, expectedVersion: currentVersion, events: newEvents, metadata },
          w.afterAppend,
        );
        if (appended.duplicate) return this.answerReplay(appended.events[0]!, w.meta);
        return { id: w.resultId, streamVersion: appended.streamVersion, position: appended.position, appended: true };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        const replayed = await this.findReplay(w.meta);
        if (replayed) return replayed;
        if (w.expectedVersion !== undefined || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async findReplay(meta: CommandMeta): Promise<WriteOutcome | null> {
    if (!meta.idempotencyKey) return null;
    const first = await this.store.readEvent(idempotentEventId(meta, 0));
    if (first) return this.answerReplay(first, meta);
    const [held] = await this.dataSource.query('SELECT request_hash, result FROM idempotency_outcomes WHERE token_id = $1 AND key = $2', [
      meta.actor.tokenId,
      meta.idempotencyKey,
    ]);
    if (!held) return null;
    if (held.request_hash !== meta.requestHash) throw new IdempotencyMismatchError();
    return { ...(held.result as WriteResult), appended: false };
  }

  /** A keyed request that changed nothing keeps its answer, so that its replay gets the same one. */
  private async rememberOutcome(meta: CommandMeta, outcome: WriteOutcome): Promise<WriteOutcome> {
    if (!meta.idempotencyKey) return outcome;
    const { appended: _, ...result } = outcome;
    await this.dataSource.query(
      `INSERT INTO idempotency_outcomes (token_id, key, request_hash, result) VALUES ($1, $2, $3, $4) ON CONFLICT (token_id, key) DO NOTHING`,
      [meta.actor.tokenId, meta.idempotencyKey, meta.requestHash, JSON.stringify(result)],
    );
    // A copy of this request may have been remembered first, or may have appended meanwhile.
    return (await this.findReplay(meta)) ?? outcome;
  }

  /** The answer the original request got, rebuilt from the events it appended. */
  private async answerReplay(first: RecordedEvent, meta: CommandMeta): Promise<WriteOutcome> {
    if (first.metadata.requestHash !== meta.requestHash) throw new IdempotencyMismatchError();
    const sameRequest = (await this.store.readStream(first.streamId)).filter(
      (e) => e.position >= first.position && e.metadata.idempotencyKey === meta.idempotencyKey && e.metadata.requestId === first.metadata.requestId,
    );
    const last = sameRequest.at(-1) ?? first;
    return { id: String(first.metadata.resultId), streamVersion: last.streamVersion, position: last.position, appended: false };
  }
}

/** An unknown id is 404 whatever version the client expected; any other objection waits for 409. */
function throwIfNotFound(decide: () => unknown): void {
  try {
    decide();
  } catch (error) {
    if (error instanceof NotFoundError) throw error;
  }
}

/** The index-th event of an idempotent request gets an id named by the token and the key. */
export function idempotentEventId(meta: Pick<CommandMeta, 'actor' | 'idempotencyKey' | 'idempotencyScope'>, index: number): string {
  return nameBasedUuid(`${meta.idempotencyScope ?? meta.actor.tokenId}\n${meta.idempotencyKey}\n${index}`);
}
