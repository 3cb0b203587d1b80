import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { type AppendHead, planAppends, type PreparedAppend } from './append-plan';
import { ConcurrencyError, EventIdConflictError } from './event-store.errors';
import { chainHash, GENESIS_HASH } from './hash-chain';

const head = (versions: Record<string, number> = {}, position = 0): AppendHead => ({
  start: { position, hash: GENESIS_HASH, recordedAt: '2026-12-03T20:00:00.000Z' },
  versions: new Map(Object.entries(versions)),
  stored: new Map(),
});
const append = (streamId: string, expectedVersion: PreparedAppend['expectedVersion'], ids: string[] = [randomUUID()]): PreparedAppend => ({
  streamId,
  expectedVersion,
  events: ids.map((eventId) => ({ eventId, type: 'Written', schemaVersion: 1, data: { streamId }, metadata: {} })),
});

describe('append plan', () => {
  describe('when several requests expect the same version of one stream', () => {
    it('lets the first through and answers each later one with the version the earlier ones left', () => {
      const plan = planAppends(head({ a: 1 }), [append('a', 1), append('a', 1), append('a', 2), append('a', 'no-stream')]);
      expect(plan.outcomes.map((o) => o.kind)).toEqual(['appended', 'rejected', 'appended', 'rejected']);
      const rejected = plan.outcomes.filter((o) => o.kind === 'rejected').map((o) => o.error);
      expect(rejected[0]).toBeInstanceOf(ConcurrencyError);
      expect(rejected.map((e) => (e as ConcurrencyError).currentVersion)).toEqual([2, 3]);
      expect(plan.recorded.map((e) => [e.position, e.streamVersion])).toEqual([[1, 2], [2, 3]]);
    });
  });

  describe('when requests go to many streams', () => {
    it('places them in the order given, gap-free and chained from the head', () => {
      const start = { position: 41, hash: Buffer.alloc(32, 7), recordedAt: '2026-12-03T20:00:00.000Z' };
      const plan = planAppends({ ...head({ b: 3 }), start }, [append('a', 'no-stream', [randomUUID(), randomUUID()]), append('b', 3), append('c', 'any')]);
      expect(plan.recorded.map((e) => e.position)).toEqual([42, 43, 44, 45]);
      expect(plan.recorded.map((e) => `${e.streamId}@${e.streamVersion}`)).toEqual(['a@1', 'a@2', 'b@4', 'c@1']);
      let prev: Buffer = start.hash;
      for (const e of plan.recorded) {
        expect(e.prevHash).toBe(prev.toString('hex'));
        prev = chainHash(prev, e);
        expect(e.hash).toBe(prev.toString('hex'));
      }
      const results = plan.outcomes.map((o) => (o.kind === 'appended' ? o.result.position : null));
      expect(results).toEqual([43, 44, 45]);
    });
  });

  describe('when two copies of one request share the batch', () => {
    it('appends the first and answers the second with its events', () => {
      const ids = [randomUUID(), randomUUID()];
      const plan = planAppends(head(), [append('a', 'no-stream', ids), append('a2', 'no-stream', ids)]);
      expect(plan.recorded).toHaveLength(2);
      const [first, copy] = plan.outcomes;
      expect(first!.kind).toBe('appended');
      expect(copy).toMatchObject({ kind: 'duplicate', result: { duplicate: true, streamId: 'a', streamVersion: 2, position: 2 } });
    });

    it('refuses a request that reuses only some of the ids', () => {
      const id = randomUUID();
      const plan = planAppends(head(), [append('a', 'any', [id]), append('b', 'any', [id, randomUUID()])]);
      expect(plan.outcomes[1]).toMatchObject({ kind: 'rejected', error: expect.any(EventIdConflictError) });
      expect(plan.recorded).toHaveLength(1);
    });
  });

  describe('when an event id is stored already', () => {
    it('answers with the stored event whatever the expected version', () => {
      const first = planAppends(head(), [append('a', 'no-stream')]).recorded[0]!;
      const plan = planAppends({ ...head({ a: 1 }, 1), stored: new Map([[first.eventId, first]]) }, [append('a', 'no-stream', [first.eventId])]);
      expect(plan.outcomes[0]).toMatchObject({ kind: 'duplicate', result: { position: 1, events: [first] } });
      expect(plan.recorded).toEqual([]);
    });
  });
});
