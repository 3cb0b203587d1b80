import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { EventStore } from '../../src/event-store/event-store.service';
import { startTestApp } from '../support/app';

describe('the embedded database (no DATABASE_URL)', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'ceasefire-')), 'data');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on an empty DATA_DIR, answers /health, and keeps its data across a restart', async () => {
    const first = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir });
    let appended;
    try {
      await request(first.server).get('/health').expect(200);
      expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);
      appended = await first.app.get(EventStore).append('conflict-1', 'no-stream', [
        { type: 'ConflictRegistered', data: { name: 'Nagorno-Karabakh', timeZone: 'Asia/Baku' } },
      ]);
    } finally {
      await first.close();
    }

    const second = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir });
    try {
      await request(second.server).get('/health').expect(200);
      const store = second.app.get(EventStore);
      const [event] = await store.readStream('conflict-1');
      expect(event).toEqual(appended.events[0]);
      expect(await store.verifyChain()).toMatchObject({ ok: true, checked: 1, headHash: appended.events[0]!.hash });
    } finally {
      await second.close();
    }
  });

  it('refuses to open a DATA_DIR that a running instance holds', async () => {
    const running = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir });
    try {
      await expect(startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir })).rejects.toThrow(/DATA_DIR .* is already open/);
    } finally {
      await running.close();
    }
  });
});

describe('the demo scenario', () => {
  const root = mkdtempSync(join(tmpdir(), 'ceasefire-demo-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const conflictNames = async (server: Parameters<typeof request>[0]) =>
    (await request(server).get('/api/conflicts').expect(200)).body.items.map((c: { name: string }) => c.name);

  it('is loaded into a new embedded database, once', async () => {
    const dataDir = join(root, 'new');
    const first = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir, DEMO: 'true' });
    let head: number;
    try {
      expect(await conflictNames(first.server)).toEqual(['Nagorno-Karabakh war (2020)']);
      const conflictId = (await request(first.server).get('/api/conflicts')).body.items[0].id;
      const agreements = (await request(first.server).get(`/api/conflicts/${conflictId}/agreements`).expect(200)).body.items;
      expect(agreements.map((a: { title: string }) => a.title)).toEqual([
        'Moscow humanitarian ceasefire',
        'Humanitarian truce of 17 October',
        'Washington humanitarian ceasefire',
      ]);
      head = (await first.app.get(EventStore).head()).position;
      // The Moscow truce's humanitarian provisions, and a claim about obstructing the exchange of bodies.
      const provisions = (await request(first.server).get(`/api/agreements/${agreements[0].id}/scorecard?minPosition=${head}`).expect(200)).body.provisions;
      expect(provisions.map((p: { kind: string; rows: { violationsAlleged: number }[] }) => [p.kind, p.rows.map((r) => r.violationsAlleged)])).toEqual([
        ['exchange-of-prisoners', []],
        ['exchange-of-bodies', [1]],
      ]);
      // Its gazetteer: Stepanakert found by the name the other side uses, and claims placed on it.
      const places = (await request(first.server).get(`/api/conflicts/${conflictId}/places?q=Khankendi`).expect(200)).body.items;
      expect(places.map((p: { names: { name: string }[] }) => p.names[0]!.name)).toEqual(['Stepanakert']);
      const located = (await request(first.server).get(`/api/claims?conflictId=${conflictId}&limit=200&minPosition=${head}`).expect(200)).body.items.filter(
        (c: { location: { coordinatesFrom?: string } | null }) => c.location?.coordinatesFrom === 'place',
      );
      expect(located.length).toBeGreaterThan(0);
      // The incident of the strike on Ganja, with each side's account.
      const [incident] = (await request(first.server).get(`/api/conflicts/${conflictId}/incidents`).expect(200)).body.items;
      const ganja = (await request(first.server).get(`/api/incidents/${incident.id}`).expect(200)).body;
      expect(ganja.title).toBe('Missile strike on Ganja, night of 11 October');
      expect(ganja.parties).toHaveLength(2);
      expect(head).toBeGreaterThan(20);
    } finally {
      await first.close();
    }
    const again = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: dataDir, DEMO: 'true' });
    try {
      expect(await conflictNames(again.server)).toEqual(['Nagorno-Karabakh war (2020)']);
      expect((await again.app.get(EventStore).head()).position).toBe(head);
    } finally {
      await again.close();
    }
  });

  it('is not loaded with DEMO=false', async () => {
    const app = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: join(root, 'no-demo'), DEMO: 'false' });
    try {
      expect(await conflictNames(app.server)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
