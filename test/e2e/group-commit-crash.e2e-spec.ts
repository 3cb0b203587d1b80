import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { EventStore } from '../../src/event-store/event-store.service';
import { ADMIN_TOKEN } from '../support/api';
import { createServerDatabase, postgresAvailable } from '../support/database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * kill -9 while many appends share group commits: every write the server acknowledged is in the
 * log at the position it was told, and the log stays gap-free and chained. (A real server only:
 * the embedded database lives inside the killed process.)
 */
(postgresAvailable() ? describe : describe.skip)('a server killed during group commits', () => {
  let database: { url: string; drop(): Promise<void> };
  let server: ChildProcess | null = null;

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/ensure-build.cjs'], { stdio: 'ignore' });
    database = await createServerDatabase();
  });
  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    await database?.drop();
  });

  it('loses no acknowledged write', async () => {
    const port = await freePort();
    server = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN, DEMO: 'false', LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000; // a loaded machine starts slowly
    while (!(await fetch(`${base}/health`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error('the server did not start');
      await sleep(50);
    }
    const post = async (token: string, path: string, body: object) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { id: string; position: number; token?: string } };
    };
    const journalist = (await post(ADMIN_TOKEN, '/api/admin/tokens', { name: 'night desk', role: 'journalist' })).body.token!;
    const conflictId = (await post(ADMIN_TOKEN, '/api/conflicts', { name: 'Crash test', timeZone: 'Asia/Baku' })).body.id;
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

    const acknowledged: { id: string; position: number }[] = [];
    let killed = false;
    const writers = Array.from({ length: 48 }, async (_, w) => {
      for (let i = 0; !killed; i++) {
        try {
          const res = await post(journalist, '/api/claims', claim(w * 10_000 + i));
          if (res.status === 201) acknowledged.push(res.body);
        } catch {
          return; // the connection died with the server
        }
      }
    });
    while (acknowledged.length < 300) await sleep(5);
    server.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);

    const dataSource = new DataSource(dataSourceOptions(database.url, { embedded: false }));
    await dataSource.initialize();
    try {
      const store = new EventStore(dataSource);
      const verification = await store.verifyChain();
      expect(verification).toMatchObject({ ok: true, firstMismatch: null });
      expect(verification.checked).toBe(verification.headPosition);
      for (const { id, position } of acknowledged) {
        const [row] = await dataSource.query('SELECT stream_id, type FROM events WHERE position = $1', [position]);
        expect(row).toEqual({ stream_id: `claim-${id}`, type: 'ClaimRecorded' });
      }
      // Appends did share commits: events of one batch are recorded at one instant.
      const [shared] = await dataSource.query(`SELECT count(*)::int AS n FROM (SELECT recorded_at FROM events GROUP BY recorded_at HAVING count(*) > 1) t`);
      expect(shared.n).toBeGreaterThan(0);
    } finally {
      await dataSource.destroy();
    }
  }, 240_000);
});
