import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConcurrencyError, EventIdConflictError } from '../../src/event-store/event-store.errors';
import { EventStore } from '../../src/event-store/event-store.service';
import type { AppendResult, NewEvent, RecordedEvent } from '../../src/event-store/event-store.types';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/database';

const event = (data: NewEvent['data'] = { n: 1 }, eventId?: string): NewEvent => ({ type: 'Written', data, ...(eventId ? { eventId } : {}) });

describe.each(databaseKinds())('group commit on %s', (kind) => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db?.close());

  const everything = async (): Promise<RecordedEvent[]> => {
    const all: RecordedEvent[] = [];
    for await (const e of store.streamAll()) all.push(e);
    return all;
  };

  /** Every position 1..head once, the chain verifying, and each answer's positions holding its own events. */
  const expectExactLog = async (answers: AppendResult[]) => {
    const all = await everything();
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(await store.verifyChain()).toMatchObject({ ok: true, checked: all.length });
    const byPosition = new Map(all.map((e) => [e.position, e]));
    for (const answer of answers) {
      for (const e of answer.events) expect(byPosition.get(e.position)).toEqual(e);
      expect(byPosition.get(answer.position)).toMatchObject({ streamId: answer.streamId, streamVersion: answer.streamVersion });
    }
  };

  describe('when 64 appends to 64 streams race 16 appends to one stream at one expected version', () => {
    it('shares transactions, lets exactly one of the 16 through, answers the others 409, and keeps the log exact', async () => {
      const contested = `claim-${randomUUID()}`;
      await store.append(contested, 'no-stream', [event()]);
      const before = store.groupCommitStats();
      const own = Array.from({ length: 64 }, (_, i) => store.append(`claim-${randomUUID()}`, 'no-stream', [event({ i }), event({ i, second: true })]));
      const racing = Array.from({ length: 16 }, (_, i) => store.append(contested, 1, [event({ racer: i })]));
      const ownAnswers = await Promise.all(own);
      const raced = await Promise.allSettled(racing);

      const won = raced.filter((r): r is PromiseFulfilledResult<AppendResult> => r.status === 'fulfilled');
      const lost = raced.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(15);
      for (const r of lost) {
        expect(r.reason).toBeInstanceOf(ConcurrencyError);
        expect(r.reason).toMatchObject({ streamId: contested, expectedVersion: 1, currentVersion: 2 });
      }
      expect(ownAnswers.every((a) => a.streamVersion === 2 && !a.duplicate)).toBe(true);
      const after = store.groupCommitStats();
      expect(after.requests - before.requests).toBe(80);
      expect(after.transactions - before.transactions).toBeLessThan(80);
      expect((await store.readStream(contested)).map((e) => e.streamVersion)).toEqual([1, 2]);
      await expectExactLog([...ownAnswers, won[0]!.value]);
    });
  });

  describe('when many writers append without pause', () => {
    it('keeps positions gap-free, commit-ordered and chained, and every answer exact', async () => {
      const answers = (
        await Promise.all(
          Array.from({ length: 24 }, async (_, w) => {
            const mine: AppendResult[] = [];
            const stream = `writer-${randomUUID()}`;
            for (let i = 0; i < 15; i++) mine.push(await store.append(stream, i, [event({ w, i })]));
            return mine;
          }),
        )
      ).flat();
      await expectExactLog(answers);
      const times = (await everything()).map((e) => e.recordedAt);
      expect([...times].sort()).toEqual(times);
    });
  });

  describe('when one request of a batch fails in its afterAppend', () => {
    it('fails only that request, stores nothing of it, and commits the others', async () => {
      const streams = Array.from({ length: 12 }, () => `claim-${randomUUID()}`);
      const outcomes = await Promise.allSettled(
        streams.map((streamId, i) =>
          store.submit({ streamId, expectedVersion: 'no-stream', events: [event({ i })] }, async (tx) => {
            if (i === 4) throw new Error('source key store failed');
            // A statement error aborts the transaction: the batch must still recover.
            if (i === 9) await tx.query('SELECT 1 / 0');
            await tx.query('SELECT 1');
          }),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(streams.map((_, i) => (i === 4 || i === 9 ? 'rejected' : 'fulfilled')));
      expect((outcomes[4] as PromiseRejectedResult).reason).toMatchObject({ message: 'source key store failed' });
      expect(await store.readStream(streams[4]!)).toEqual([]);
      expect(await store.readStream(streams[9]!)).toEqual([]);
      const answers = outcomes.filter((o): o is PromiseFulfilledResult<AppendResult> => o.status === 'fulfilled').map((o) => o.value);
      await expectExactLog(answers);
    });
  });

  describe('when copies of one idempotent request arrive in one batch', () => {
    it('appends once and answers every copy with the same events', async () => {
      const ids = [randomUUID(), randomUUID()];
      const copies = await Promise.all(
        Array.from({ length: 6 }, () => store.append(`claim-${randomUUID()}`, 'no-stream', ids.map((id, i) => event({ i }, id)))),
      );
      expect(copies.filter((c) => !c.duplicate)).toHaveLength(1);
      const original = copies.find((c) => !c.duplicate)!;
      for (const copy of copies) {
        expect(copy).toMatchObject({ streamId: original.streamId, position: original.position, streamVersion: 2 });
        expect(copy.events.map((e) => e.hash)).toEqual(original.events.map((e) => e.hash));
      }
      const partial = await Promise.allSettled([
        store.append(`claim-${randomUUID()}`, 'any', [event({}, ids[0]), event({}, randomUUID())]),
        store.append(`claim-${randomUUID()}`, 'any', [event({})]),
      ]);
      expect(partial[0]).toMatchObject({ status: 'rejected', reason: expect.any(EventIdConflictError) });
      expect(partial[1].status).toBe('fulfilled');
      await expectExactLog([original]);
    });
  });
});
