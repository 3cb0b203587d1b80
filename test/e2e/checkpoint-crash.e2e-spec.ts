import { spawnSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkpointMessage } from '../../src/audit/checkpoint';
import { ADMIN_TOKEN } from '../support/api';
import { createServerDatabase, postgresAvailable } from '../support/database';
import { ensureBuild, type ServerProcess, startServerProcess } from '../support/processes';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Checkpoint {
  position: number;
  hash: string;
  keyId: string;
  signature: string;
  recordedPosition: number;
}

/**
 * kill -9 while the server signs checkpoints (one every two events, under concurrent writes):
 * each restart signs on where it stopped, with the same key, and every checkpoint in the log
 * verifies — in the app and offline against an export. (A real server only: the embedded
 * database lives inside the killed process.)
 */
(postgresAvailable() ? describe : describe.skip)('a server killed while signing checkpoints', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let server: ServerProcess | null = null;
  let base = '';

  const start = async () => {
    server = await startServerProcess({ DATABASE_URL: database.url, DATA_DIR: dataDir, CHECKPOINT_EVERY: '2', ADMIN_TOKEN, LOG_LEVEL: 'silent' });
    base = server.url;
  };
  const post = async (token: string, path: string, body: object) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { id: string; position: number; token?: string } };
  };
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return (await res.json()) as T;
  };
  /** The newest hundred checkpoints, newest first. */
  const checkpoints = async () => (await get<{ items: Checkpoint[] }>('/api/audit/checkpoints')).items;
  const head = async () => (await get<{ headPosition: number }>('/api/audit/verify')).headPosition;
  /** The whole log, page by page. */
  const allEvents = async () => {
    const events: { position: number; type: string; hash: string; data: Record<string, unknown> }[] = [];
    for (let after: number | null = 0; after !== null; ) {
      const page: { items: typeof events; nextAfter: number | null } = await get(`/api/audit/events?after=${after}&limit=1000`);
      events.push(...page.items);
      after = page.nextAfter;
    }
    return events;
  };

  beforeAll(async () => {
    ensureBuild();
    database = await createServerDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'ceasefire-signing-'));
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs on after each kill with the same key, and every checkpoint verifies', async () => {
    await start();
    const journalist = (await post(ADMIN_TOKEN, '/api/admin/tokens', { name: 'night desk', role: 'journalist' })).body.token!;
    const conflictId = (await post(ADMIN_TOKEN, '/api/conflicts', { name: 'Signing crash test', timeZone: 'Asia/Baku' })).body.id;
    const claimant = (await post(ADMIN_TOKEN, `/api/conflicts/${conflictId}/parties`, { name: 'Azerbaijan', kind: 'state' })).body.id;
    const subject = (await post(ADMIN_TOKEN, `/api/conflicts/${conflictId}/parties`, { name: 'Armenia', kind: 'state' })).body.id;
    const claim = (n: number) => ({
      conflictId,
      claimant,
      subject,
      assertion: 'violated',
      category: 'shelling',
      occurred: { from: '2020-10-11T02:00:00+04:00', precision: 'hour' },
      statedAt: '2020-10-11T09:00:00+04:00',
      summary: `Statement ${n}`,
      attributions: [{ outlet: 'APA', reliability: 'B', credibility: 2 }],
    });

    let written = 0;
    for (let round = 0; round < 3; round++) {
      if (round > 0) await start();
      const startHead = await head();
      let killed = false;
      const writers = Array.from({ length: 8 }, async () => {
        while (!killed) {
          try {
            if ((await post(journalist, '/api/claims', claim(written++))).status !== 201) return;
          } catch {
            return; // the connection died with the server
          }
        }
      });
      // Kill once this run has signed a few checkpoints, at a moment that varies from run to run.
      while ((await checkpoints()).filter((c) => c.recordedPosition > startHead).length < 3) await sleep(10);
      await sleep(round * 7);
      await server!.stop('SIGKILL');
      killed = true;
      await Promise.all(writers);
    }

    // The next start signs the head it finds, once it moves on: nothing is left unsigned for good.
    await start();
    const headPosition = await head();
    for (let i = 0; i < 4; i++) expect((await post(journalist, '/api/claims', claim(written++))).status).toBe(201);
    while (!(await checkpoints()).some((c) => c.position > headPosition)) await sleep(20);

    const verification = await get<{ ok: boolean; checked: number; headPosition: number }>('/api/audit/verify');
    expect(verification).toMatchObject({ ok: true });
    expect(verification.checked).toBe(verification.headPosition);

    const keys = await get<{ current: string; keys: { keyId: string; publicKey: string }[] }>('/api/audit/public-key');
    expect(keys.keys.map((k) => k.keyId)).toEqual([keys.current]); // the same key across every restart
    expect(readdirSync(dataDir).filter((f) => f.startsWith('signing-key'))).toEqual(['signing-key.pem']); // no draft left behind
    const publicKey = createPublicKey(keys.keys[0]!.publicKey);
    const events = await allEvents();
    const hashAt = new Map(events.map((e) => [e.position, e.hash]));
    const signed = events.filter((e) => e.type === 'CheckpointSigned').map((e) => e.data as unknown as Checkpoint);
    expect(signed.length).toBeGreaterThanOrEqual(10);
    expect(new Set(signed.map((c) => c.position)).size).toBe(signed.length); // one checkpoint per position
    for (const c of signed) {
      expect({ position: c.position, hash: c.hash }).toEqual({ position: c.position, hash: hashAt.get(c.position) });
      expect({ position: c.position, verifies: verify(null, Buffer.from(checkpointMessage(c.position, c.hash)), publicKey, Buffer.from(c.signature, 'base64')) }).toEqual({
        position: c.position,
        verifies: true,
      });
    }

    // And offline, as an auditor would: the export against the newest checkpoint.
    const exported = await fetch(`${base}/api/audit/export`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }).then((r) => r.text());
    writeFileSync(join(dataDir, 'events.ndjson'), exported);
    writeFileSync(join(dataDir, 'checkpoint.json'), JSON.stringify(signed[signed.length - 1]));
    writeFileSync(join(dataDir, 'key.pem'), keys.keys[0]!.publicKey);
    const offline = spawnSync(process.execPath, ['scripts/verify-export.mjs', join(dataDir, 'events.ndjson'), '--checkpoint', join(dataDir, 'checkpoint.json'), '--public-key', join(dataDir, 'key.pem')], { encoding: 'utf8' });
    expect({ status: offline.status, stderr: offline.stderr }).toEqual({ status: 0, stderr: '' });
  }, 300_000);
});
