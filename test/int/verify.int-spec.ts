import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AppendRequest, EventStore } from '../../src/event-store/event-store.service';
import type { ChainVerification } from '../../src/event-store/event-store.types';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../support/database';


describe.each(databaseKinds())('parallel verify on %s', (kind) => {
  // Several batches of 5,000 on the server; fewer on the embedded database, which is slower to load.
  const EVENTS = kind === 'postgres' ? 12_000 : 6_000;
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    store = new EventStore(db.dataSource);
    for (let start = 0; start < EVENTS; start += 2000) {
      await db.dataSource.transaction((tx) =>
        store.appendMany(
          tx,
          Array.from({ length: 1000 }, (_, i): AppendRequest => ({
            streamId: `claim-${randomUUID()}`,
            expectedVersion: 'no-stream',
            events: [
              { type: 'ClaimRecorded', data: { n: start + i, text: 'Ganja, «11 October»', nested: { b: [1, 2.5, null], a: 'ü' } } },
              { type: 'ClaimAssessed', data: { status: 'contested', score: 1e21, tiny: 1e-7 } },
            ],
            metadata: { actor: { tokenId: 'bulk' } },
          })),
        ),
      );
    }
  }, 180_000);
  afterAll(() => db?.close());

  const both = async (range: { from?: number; to?: number } = {}): Promise<ChainVerification> => {
    const serial = await store.verifyChain({ ...range, workers: 0 });
    const parallel = await store.verifyChain({ ...range, workers: 2, parallelFrom: 0 });
    expect(parallel).toEqual(serial);
    return parallel;
  };

  const behindTheTriggers = (sql: string, params: unknown[]) =>
    db.dataSource.transaction(async (tx) => {
      await tx.query('ALTER TABLE events DISABLE TRIGGER USER');
      await tx.query(sql, params);
      await tx.query('ALTER TABLE events ENABLE TRIGGER USER');
    });

  describe('when the log is intact', () => {
    it('gives the same answer on worker threads as on one thread, over the whole log and over ranges', async () => {
      const head = await store.head();
      expect(await both()).toEqual({ ok: true, checked: EVENTS, headPosition: EVENTS, headHash: head.hash, firstMismatch: null });
      expect(await both({ from: 1_999, to: 5_001 })).toMatchObject({ ok: true, checked: 3_003, headPosition: 5_001 });
    });
  });

  describe('when one byte of one event is altered', () => {
    it('names exactly that position on every thread count', async () => {
      const target = 4_778; // a ClaimAssessed event
      const [row] = await db.dataSource.query(`SELECT data::text AS data FROM events WHERE position = $1`, [target]);
      await behindTheTriggers('UPDATE events SET data = $1::jsonb WHERE position = $2', [(row.data as string).replace('contested', 'contestee'), target]);
      const result = await both();
      expect(result).toMatchObject({ ok: false, checked: target - 1, headPosition: EVENTS, firstMismatch: { position: target } });
      expect(result.firstMismatch!.expectedHash).not.toBe(result.firstMismatch!.actualHash);
      expect(await both({ to: target - 1 })).toMatchObject({ ok: true, checked: target - 1 });
      expect(await both({ from: target + 1 })).toMatchObject({ ok: true });
    });

    it('names a broken link before a later altered hash', async () => {
      await behindTheTriggers('UPDATE events SET prev_hash = decode(repeat(\'00\', 32), \'hex\') WHERE position = $1', [3_001]);
      expect(await both()).toMatchObject({ ok: false, checked: 3_000, firstMismatch: { position: 3_001 } });
      await behindTheTriggers('DELETE FROM events WHERE position = $1', [2_000]);
      expect(await both()).toMatchObject({ ok: false, checked: 1_999, firstMismatch: { position: 2_001 } });
    });
  });
});
