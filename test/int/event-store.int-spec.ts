import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConcurrencyError, EventIdConflictError, InvalidEventError } from '../../src/event-store/event-store.errors';
import { EventStore } from '../../src/event-store/event-store.service';
import type { NewEvent, RecordedEvent } from '../../src/event-store/event-store.types';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const randomDelay = () => sleep(Math.random() * 2);
const event = (type = 'ClaimRecorded', data: NewEvent['data'] = { n: 1 }): NewEvent => ({ type, data });

describe.each(databaseKinds())('event store on %s', (kind) => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db?.close());

  const headPosition = async () => (await store.head()).position;
  const readEverything = async (): Promise<RecordedEvent[]> => {
    const all: RecordedEvent[] = [];
    for (let batch = await store.readAll({ after: 0, limit: 500 }); batch.length > 0; ) {
      all.push(...batch);
      batch = await store.readAll({ after: batch[batch.length - 1]!.position, limit: 500 });
    }
    return all;
  };

  describe('when 32 writers append 50 events each, with delays inside their transactions', () => {
    it('assigns positions 1..1600 exactly, in one verifiable chain', async () => {
      const writers = Array.from({ length: 32 }, async (_, w) => {
        for (let i = 0; i < 50; i++) {
          await db.dataSource.transaction(async (tx) => {
            await randomDelay();
            await store.appendInTransaction(tx, {
              streamId: `writer-${w}-${i}`,
              expectedVersion: 'no-stream',
              events: [event('Written', { w, i })],
            });
            await randomDelay();
          });
        }
      });
      await Promise.all(writers);

      const all = await readEverything();
      expect(all.map((e) => e.position)).toEqual(Array.from({ length: 1600 }, (_, i) => i + 1));
      expect(new Set(all.map((e) => e.eventId)).size).toBe(1600);
      const verification = await store.verifyChain();
      expect(verification).toEqual({
        ok: true,
        checked: 1600,
        headPosition: 1600,
        headHash: all[1599]!.hash,
        firstMismatch: null,
      });
      // recorded_at never runs backwards along the log.
      const times = all.map((e) => e.recordedAt);
      expect([...times].sort()).toEqual(times);
    });
  });

  describe('when 20 appends race for one stream at the same expected version', () => {
    it('lets exactly one through and tells the 19 others the current version', async () => {
      const streamId = `claim-${randomUUID()}`;
      await store.append(streamId, 'no-stream', [event()]);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.append(streamId, 1, [event('ClaimCorrected', { i })])),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const r of lost) {
        expect(r.reason).toBeInstanceOf(ConcurrencyError);
        expect(r.reason).toMatchObject({ streamId, expectedVersion: 1, currentVersion: 2 });
      }
      expect((await store.readStream(streamId)).map((e) => e.streamVersion)).toEqual([1, 2]);
    });
  });

  describe('when a reader tails the log while writers append', () => {
    it('never sees position N+1 before N', async () => {
      const start = await headPosition();
      const total = 300;
      let writing = true;
      const polls: number[][] = [];
      const reader = (async () => {
        let after = start;
        while (writing || after < start + total) {
          const batch = await store.readAll({ after, limit: 37 });
          polls.push(batch.map((e) => e.position));
          if (batch.length > 0) after = batch[batch.length - 1]!.position;
          else await sleep(1);
        }
      })();
      await Promise.all(
        Array.from({ length: 6 }, async (_, w) => {
          for (let i = 0; i < total / 6; i++) {
            await db.dataSource.transaction(async (tx) => {
              await store.appendInTransaction(tx, { streamId: `tail-${w}`, expectedVersion: 'any', events: [event()] });
              await randomDelay();
            });
          }
        }),
      );
      writing = false;
      await reader;

      // Every poll continues exactly where the previous one stopped, with no hole inside it.
      let expectedNext = start + 1;
      for (const poll of polls) {
        for (const position of poll) expect(position).toBe(expectedNext++);
      }
      expect(expectedNext).toBe(start + total + 1);
    });
  });

  describe('when the transaction fails after the events were inserted', () => {
    it('leaves no trace and no gap', async () => {
      const before = await headPosition();
      const streamId = `claim-${randomUUID()}`;
      const eventId = randomUUID();
      await expect(
        db.dataSource.transaction(async (tx) => {
          const result = await store.appendInTransaction(tx, {
            streamId,
            expectedVersion: 'no-stream',
            events: [{ ...event(), eventId }],
          });
          expect(result.position).toBe(before + 1);
          throw new Error('failure after insert');
        }),
      ).rejects.toThrow('failure after insert');

      expect(await headPosition()).toBe(before);
      expect(await store.readStream(streamId)).toEqual([]);
      const next = await store.append(streamId, 'no-stream', [{ ...event(), eventId }]);
      expect(next).toMatchObject({ position: before + 1, streamVersion: 1, duplicate: false });
      expect((await store.verifyChain()).ok).toBe(true);
    });
  });

  describe('when an event id is appended again', () => {
    it('returns the original positions and appends nothing, whatever the expectation', async () => {
      const streamId = `claim-${randomUUID()}`;
      const events = [{ ...event(), eventId: randomUUID() }, { ...event('AttributionAdded'), eventId: randomUUID() }];
      const original = await store.append(streamId, 'no-stream', events);
      await store.append(streamId, 2, [event('ClaimAssessed')]);
      const head = await headPosition();

      const replay = await store.append(streamId, 'no-stream', events);
      expect(replay).toMatchObject({ duplicate: true, streamId, position: original.position, streamVersion: 2 });
      expect(replay.events.map((e) => e.hash)).toEqual(original.events.map((e) => e.hash));
      expect(await headPosition()).toBe(head);
    });

    it('refuses an append that reuses only some stored ids', async () => {
      const stored = await store.append(`claim-${randomUUID()}`, 'no-stream', [event()]);
      const head = await headPosition();
      const mixed = [{ ...event(), eventId: stored.events[0]!.eventId }, { ...event(), eventId: randomUUID() }];
      await expect(store.append(`claim-${randomUUID()}`, 'any', mixed)).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await headPosition()).toBe(head);
    });
  });

  describe('expected versions', () => {
    it('checks no-stream, stream-exists, any and exact versions', async () => {
      const streamId = `agreement-${randomUUID()}`;
      await expect(store.append(streamId, 'stream-exists', [event()])).rejects.toMatchObject({ currentVersion: 0 });
      await expect(store.append(streamId, 1, [event()])).rejects.toBeInstanceOf(ConcurrencyError);
      await store.append(streamId, 'no-stream', [event(), event()]);
      await expect(store.append(streamId, 'no-stream', [event()])).rejects.toMatchObject({ currentVersion: 2 });
      await expect(store.append(streamId, 1, [event()])).rejects.toMatchObject({ currentVersion: 2 });
      expect((await store.append(streamId, 2, [event()])).streamVersion).toBe(3);
      expect((await store.append(streamId, 'stream-exists', [event()])).streamVersion).toBe(4);
      expect((await store.append(streamId, 'any', [event()])).streamVersion).toBe(5);
    });

    it('appends a batch all or nothing, with consecutive positions and versions', async () => {
      const streamId = `claim-${randomUUID()}`;
      const result = await store.append(streamId, 'no-stream', [event('A'), event('B'), event('C')], { actor: 'tester' });
      expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      const [a, b, c] = result.events.map((e) => e.position);
      expect([b! - a!, c! - b!]).toEqual([1, 1]);
      expect(result.events.every((e) => e.metadata.actor === 'tester')).toBe(true);
      expect(result.events[1]!.prevHash).toBe(result.events[0]!.hash);
    });
  });

  describe('appending to many streams at once', () => {
    it('appends every request in order, versions counted per stream, with one chain and one range of positions', async () => {
      const a = `bulk-${randomUUID()}`;
      const b = `bulk-${randomUUID()}`;
      await store.append(a, 'no-stream', [event('Opened')]);
      const before = await headPosition();
      const results = await db.dataSource.transaction((tx) =>
        store.appendMany(tx, [
          { streamId: a, expectedVersion: 1, events: [event('A2'), event('A3')] },
          { streamId: b, expectedVersion: 'no-stream', events: [event('B1')] },
          // The version the request before left: requests see each other.
          { streamId: a, expectedVersion: 3, events: [event('A4')], metadata: { actor: 'loader' } },
        ]),
      );
      expect(results.map((r) => [r.streamId, r.streamVersion, r.position])).toEqual([
        [a, 3, before + 2],
        [b, 1, before + 3],
        [a, 4, before + 4],
      ]);
      expect((await store.readStream(a)).map((e) => [e.type, e.streamVersion])).toEqual([['Opened', 1], ['A2', 2], ['A3', 3], ['A4', 4]]);
      expect((await store.readStream(a))[3]!.metadata).toEqual({ actor: 'loader' });
      expect(await store.verifyChain()).toMatchObject({ ok: true, headPosition: before + 4 });
      // Appended by appendMany or one by one, events read the same.
      expect(results.flatMap((r) => r.events)).toEqual((await readEverything()).slice(before));
    });

    it('appends nothing when one request misses its expected version or reuses a stored id', async () => {
      const a = `bulk-${randomUUID()}`;
      const stored = await store.append(a, 'no-stream', [event('Opened')]);
      const before = await headPosition();
      const attempt = (requests: Parameters<EventStore['appendMany']>[1]) => db.dataSource.transaction((tx) => store.appendMany(tx, requests));
      await expect(
        attempt([
          { streamId: `bulk-${randomUUID()}`, expectedVersion: 'no-stream', events: [event()] },
          { streamId: a, expectedVersion: 'no-stream', events: [event()] },
        ]),
      ).rejects.toMatchObject({ constructor: ConcurrencyError, streamId: a, currentVersion: 1 });
      await expect(
        attempt([
          { streamId: `bulk-${randomUUID()}`, expectedVersion: 'any', events: [event()] },
          { streamId: a, expectedVersion: 'any', events: [{ ...event(), eventId: stored.events[0]!.eventId }] },
        ]),
      ).rejects.toBeInstanceOf(EventIdConflictError);
      const id = randomUUID();
      await expect(
        attempt([
          { streamId: a, expectedVersion: 'any', events: [{ ...event(), eventId: id }] },
          { streamId: a, expectedVersion: 'any', events: [{ ...event(), eventId: id }] },
        ]),
      ).rejects.toBeInstanceOf(InvalidEventError);
      expect(await headPosition()).toBe(before);
    });
  });

  describe('reading', () => {
    it('reads a stream up to a position or an instant', async () => {
      const streamId = `claim-${randomUUID()}`;
      const first = await store.append(streamId, 'no-stream', [event('ClaimRecorded')]);
      await sleep(5);
      const second = await store.append(streamId, 1, [event('ClaimCorrected')]);
      expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['ClaimRecorded', 'ClaimCorrected']);
      expect((await store.readStream(streamId, { toPosition: first.position })).map((e) => e.type)).toEqual(['ClaimRecorded']);
      const firstRecordedAt = new Date(first.events[0]!.recordedAt);
      expect((await store.readStream(streamId, { toRecordedAt: firstRecordedAt })).map((e) => e.position)).toEqual([first.position]);
      expect((await store.readStream(streamId, { toRecordedAt: new Date(second.events[0]!.recordedAt) })).length).toBe(2);
    });

    it('gives back data exactly as hashed', async () => {
      const data = { text: 'Степанакерт / Xankəndi 🕊', n: 0.1 + 0.2, big: 1e21, nested: { list: [1, 'two', null, false] } };
      const result = await store.append(`claim-${randomUUID()}`, 'no-stream', [event('ClaimRecorded', data)]);
      const [stored] = await store.readStream(result.streamId);
      expect(stored!.data).toEqual(data);
      expect(stored!.hash).toBe(result.events[0]!.hash);
    });
  });

  describe('bad input', () => {
    it.each([
      ['a NUL character', { text: 'a\u0000b' }],
      ['an unpaired surrogate', { text: 'a\ud800b' }],
      ['a non-finite number', { n: Number.POSITIVE_INFINITY }],
    ])('refuses %s and appends nothing', async (_, data) => {
      const head = await headPosition();
      await expect(store.append(`claim-${randomUUID()}`, 'any', [event('X', data as NewEvent['data'])])).rejects.toBeInstanceOf(
        InvalidEventError,
      );
      expect(await headPosition()).toBe(head);
    });

    it('refuses an event id that is not a UUID', async () => {
      await expect(store.append('s', 'any', [{ ...event(), eventId: 'not-a-uuid' }])).rejects.toMatchObject({
        field: 'events[0].eventId',
      });
    });
  });

  describe('immutability in the database', () => {
    it.each([
      ['UPDATE', `UPDATE events SET type = 'Changed' WHERE position = 1`],
      ['DELETE', `DELETE FROM events WHERE position = 1`],
      ['DELETE of no row', `DELETE FROM events WHERE false`],
      ['TRUNCATE', `TRUNCATE events`],
    ])('rejects %s', async (_, sql) => {
      const head = await headPosition();
      const [first] = await store.readAll({ after: 0, limit: 1 });
      await expect(db.dataSource.query(sql)).rejects.toThrow(/append-only/);
      expect(await headPosition()).toBe(head);
      expect((await store.readAll({ after: 0, limit: 1 }))[0]).toEqual(first);
    });

    it('rejects a row that does not extend the head by one, or does not link to it', async () => {
      const { position, hash } = await store.head();
      const insert = (pos: number, prev: string) =>
        db.dataSource.query(
          `INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata,
                               recorded_at, prev_hash, hash)
           VALUES ($1, $2, 'rogue', 1, 'Rogue', 1, '{}', '{}', now(), decode($3, 'hex'), decode(repeat('ab', 32), 'hex'))`,
          [pos, randomUUID(), prev],
        );
      await expect(insert(position + 2, hash!)).rejects.toThrow(/does not follow the head/);
      await expect(insert(position + 1, 'cd'.repeat(32))).rejects.toThrow(/prev_hash/);
      expect(await headPosition()).toBe(position);
    });
  });

  describe('when a superuser alters one byte of one event behind the triggers', () => {
    it('verifyChain names exactly that position, and verifies the range before it', async () => {
      const head = await store.head();
      const target = Math.floor(head.position / 2);
      const [row] = await db.dataSource.query(`SELECT data::text AS data FROM events WHERE position = $1`, [target]);
      const tampered = (row.data as string).replace(/\d/, (d) => String((Number(d) + 1) % 10));
      expect(tampered).not.toBe(row.data);

      await db.dataSource.transaction(async (tx) => {
        await tx.query('ALTER TABLE events DISABLE TRIGGER USER');
        await tx.query('UPDATE events SET data = $1::jsonb WHERE position = $2', [tampered, target]);
        await tx.query('ALTER TABLE events ENABLE TRIGGER USER');
      });

      const verification = await store.verifyChain();
      expect(verification.ok).toBe(false);
      expect(verification.checked).toBe(target - 1);
      expect(verification.headPosition).toBe(head.position);
      expect(verification.firstMismatch?.position).toBe(target);
      expect(verification.firstMismatch?.actualHash).not.toBe(verification.firstMismatch?.expectedHash);
      expect(await store.verifyChain({ to: target - 1 })).toMatchObject({ ok: true, checked: target - 1 });
      expect(await store.verifyChain({ from: target + 1 })).toMatchObject({ ok: true, checked: head.position - target });
      // The triggers are back on.
      await expect(db.dataSource.query('DELETE FROM events')).rejects.toThrow(/append-only/);
    });
  });
});
