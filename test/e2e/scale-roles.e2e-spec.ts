import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { ADMIN_TOKEN, claimBody, type Scenario } from '../support/api';
import { createServerDatabase, postgresAvailable } from '../support/database';
import { ensureBuild, type ServerProcess, startServerProcess } from '../support/processes';

const CLAIMS = 2000;
const PER_API_IN_FLIGHT = 6;
const LOCKS = ['projector:claims', 'projector:sources', 'checkpoint-signer'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

async function post(base: string, path: string, body: object): Promise<{ id: string; position: number }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; position: number };
}

async function getJson<T>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: admin });
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

type Digests = Record<string, string>;
interface ProjectionList {
  items: { name: string; checkpoint: number; head: number; readModels: { name: string; digest: string }[] }[];
}

// Several processes against one database: the embedded database serves one process only.
(postgresAvailable() ? describe : describe.skip)('two API and two worker processes against one PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let apis: ServerProcess[] = [];
  let workers: ServerProcess[] = [];
  let watcher: Client;
  let scenario: Scenario;

  /** Who holds each single-runner lock now: the node pid of each holder, by lock. */
  async function holders(): Promise<Record<string, number[]>> {
    const { rows } = await watcher.query<{ name: string; app: string }>(
      `SELECT n.name, a.application_name AS app
         FROM unnest($1::text[]) AS n(name)
         JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                        AND l.objid = ((hashtext(n.name)::bigint & 4294967295)::text)::oid
         JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [LOCKS],
    );
    const byLock: Record<string, number[]> = Object.fromEntries(LOCKS.map((name) => [name, []]));
    for (const row of rows) byLock[row.name]!.push(Number(row.app.replace(/^ceasefire /, '')));
    return byLock;
  }

  async function digests(base: string): Promise<{ digests: Digests; caughtUp: boolean }> {
    const list = await getJson<ProjectionList>(base, '/api/admin/projections');
    const digests: Digests = {};
    for (const p of list.items) for (const m of p.readModels) digests[m.name] = m.digest;
    return { digests, caughtUp: list.items.every((p) => p.checkpoint === p.head) };
  }

  async function caughtUpDigests(base: string): Promise<Digests> {
    for (let i = 0; ; i++) {
      const { digests: d, caughtUp } = await digests(base);
      // Caught up and nothing moved since (a signed checkpoint may have just been appended).
      if (caughtUp && JSON.stringify((await digests(base)).digests) === JSON.stringify(d)) return d;
      if (i > 600) throw new Error('the projectors did not catch up within a minute');
      await sleep(100);
    }
  }

  /** Writes `count` claims, half through each API, PER_API_IN_FLIGHT at a time on each. */
  async function writeClaims(count: number): Promise<void> {
    let next = 0;
    const writer = async (api: ServerProcess, lane: number) => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const body = claimBody(scenario, { summary: `Claim ${i} through API ${lane}: shelling reported near Tartar.` });
        await post(api.url, '/api/claims', i % 3 === 0 ? { ...body, claimant: scenario.armenia, subject: scenario.azerbaijan } : body);
      }
    };
    await Promise.all(apis.flatMap((api, lane) => Array.from({ length: PER_API_IN_FLIGHT }, () => writer(api, lane))));
  }

  beforeAll(async () => {
    ensureBuild();
    database = await createServerDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'ceasefire-scale-'));
    // One signing key for the deployment: every worker reads the same DATA_DIR.
    const env = { DATABASE_URL: database.url, ADMIN_TOKEN, DATA_DIR: dataDir, CHECKPOINT_EVERY: '500', RATE_LIMITS: 'false' };
    apis = await Promise.all([startServerProcess({ ...env, ROLE: 'api' }), startServerProcess({ ...env, ROLE: 'api' })]);
    workers = await Promise.all([startServerProcess({ ...env, ROLE: 'worker' }), startServerProcess({ ...env, ROLE: 'worker' })]);
    watcher = new Client({ connectionString: database.url });
    await watcher.connect();
    const [a, b] = apis as [ServerProcess, ServerProcess];
    const conflictId = (await post(a.url, '/api/conflicts', { name: 'Nagorno-Karabakh (2020)', timeZone: 'Asia/Baku' })).id;
    const party = async (name: string, kind: string) => (await post(b.url, `/api/conflicts/${conflictId}/parties`, { name, kind })).id;
    const azerbaijan = await party('Azerbaijan', 'state');
    const armenia = await party('Armenia', 'state');
    const artsakh = await party('Nagorno-Karabakh authorities', 'de-facto-authority');
    const russia = await party('Russia', 'mediator');
    const agreementId = (
      await post(a.url, `/api/conflicts/${conflictId}/agreements`, {
        title: 'Moscow humanitarian ceasefire',
        kind: 'humanitarian-truce',
        signatories: [azerbaijan, armenia],
        mediators: [russia],
        effectiveFrom: { at: '2020-10-10T12:00:00+04:00', raw: '12:00 on 10 October', timeZone: 'Asia/Baku', basis: 'inferred' },
      })
    ).id;
    scenario = { conflictId, azerbaijan, armenia, artsakh, russia, agreementId };
  }, 180_000);

  afterAll(async () => {
    await watcher?.end();
    await Promise.all([...apis, ...workers].map((p) => p.stop('SIGKILL')));
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('an API instance runs no projector, signer or publisher; a worker serves /health only', async () => {
    const apiPids = apis.map((p) => p.child.pid);
    for (;;) {
      const held = await holders();
      // The workers take their locks once their loops run.
      if (LOCKS.every((name) => held[name]!.length === 1 || name === 'checkpoint-signer')) {
        for (const name of LOCKS) for (const pid of held[name]!) expect(apiPids).not.toContain(pid);
        break;
      }
      await sleep(100);
    }
    const worker = workers[0]!;
    expect((await fetch(`${worker.url}/health/ready`)).status).toBe(200);
    const refused = await fetch(`${worker.url}/api/conflicts`);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/worker/);
  });

  it('/api/live on one API instance announces what the other wrote', async () => {
    const [a, b] = apis as [ServerProcess, ServerProcess];
    const controller = new AbortController();
    const feed = await fetch(`${b.url}/api/live`, { signal: controller.signal, headers: { Accept: 'text/event-stream' } });
    const reader = feed.body!.getReader();
    const written = await post(a.url, `/api/conflicts/${scenario.conflictId}/parties`, { name: 'Turkey', kind: 'observer' });
    let text = '';
    while (!text.includes(`"position":${written.position}`)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    controller.abort();
    expect(text).toContain(`"position":${written.position}`);
  });

  it(`${CLAIMS} claims through both APIs at once, the claims worker killed mid-batch: one holder per lock at every sample, a takeover, read models equal to a single-process rebuild`, async () => {
    const samples: Record<string, number[]>[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await holders());
        await sleep(50);
      }
    })();

    await writeClaims(CLAIMS / 2);
    // Kill the worker holding the claims projector while it has a batch open.
    const holderPid = (await holders())['projector:claims']![0]!;
    const victim = workers.find((w) => w.child.pid === holderPid)!;
    const survivor = workers.find((w) => w !== victim)!;
    const secondHalf = writeClaims(CLAIMS / 2);
    for (let i = 0; i < 400; i++) {
      const { rows } = await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND xact_start IS NOT NULL AND query LIKE '%claim%'`, [
        `ceasefire ${holderPid}`,
      ]);
      if (rows.length > 0) break;
      await sleep(5);
    }
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    let tookOver: number | null = null;
    while (tookOver === null && Date.now() - killedAt < 5000) {
      if ((await holders())['projector:claims']!.includes(survivor.child.pid!)) tookOver = Date.now();
      else await sleep(50);
    }
    expect(tookOver).not.toBeNull(); // the other worker took the claims projector over within 5 s
    await secondHalf;

    const [a, b] = apis as [ServerProcess, ServerProcess];
    const live = await caughtUpDigests(a.url);
    sampling = false;
    await sampler;
    expect(await caughtUpDigests(b.url)).toEqual(live);
    const { rows } = await watcher.query(`SELECT count(*)::int AS n FROM events WHERE type = 'ClaimRecorded'`);
    expect(rows[0].n).toBe(CLAIMS);

    // One holder at most per lock at every sample, and the projectors' locks never unheld for long.
    for (const sample of samples) for (const name of LOCKS) expect(sample[name]!.length).toBeLessThanOrEqual(1);
    const claimsHeld = samples.filter((s) => s['projector:claims']!.length === 1).length;
    expect(claimsHeld).toBeGreaterThan(samples.length / 2);
    // Every holder was a worker.
    const workerPids = workers.map((w) => w.child.pid);
    for (const sample of samples) for (const name of LOCKS) for (const pid of sample[name]!) expect(workerPids).toContain(pid);

    // Signed checkpoints: one series, from one signer at a time, none twice for a position.
    const signed = await watcher.query(`SELECT (data->>'position')::bigint AS p FROM events WHERE type = 'CheckpointSigned' ORDER BY position`);
    const positions = signed.rows.map((r) => Number(r.p));
    expect(positions.length).toBeGreaterThan(0);
    expect(new Set(positions).size).toBe(positions.length);

    // A single process rebuilds each projection from position 0: the same digests.
    for (const name of ['claims', 'sources']) {
      const res = await fetch(`${a.url}/api/admin/projections/${name}/rebuild`, { method: 'POST', headers: { Authorization: admin.Authorization } });
      expect(res.status).toBe(200);
    }
    expect(await caughtUpDigests(b.url)).toEqual(live);
  });
});
