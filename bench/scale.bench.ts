/**
 * Past one machine (`npm run bench:scale`): on a primary and a streaming replica of the bench's
 * own (initdb, pg_basebackup -R, pg_ctl, as the postgres user when run as root) and a nats-server
 * with JetStream of its own, starts one ROLE=api process reading from the replica and one
 * ROLE=worker process publishing to JetStream, then measures:
 *
 * 1. claims/s through the API at BENCH_CONNECTIONS (default 16) for BENCH_SECONDS (default 20),
 *    sampling every 200 ms the replica's replay lag (pg_stat_replication.replay_lag on the
 *    primary, and how many log positions the replica's read models are behind) and the
 *    publisher's lag behind the head (positions not yet acknowledged by JetStream);
 * 2. reads/s of one API instance: the timeline (full answers, no ETag sent) from the replica;
 * 3. the publisher's throughput with acknowledgements: BENCH_BACKLOG (default 20000) events
 *    appended in bulk while the worker is stopped, then the time a new worker takes to publish them.
 *
 * Writes a Markdown summary to the terminal and JSON to bench/results/scale-*.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { EventStore, type AppendRequest } from '../src/event-store/event-store.service';
import { freePort, natsServerBinary, startNatsServer, startPrimaryAndReplica } from './local-engines';
import { intSetting } from './support';

const settings = {
  seconds: intSetting('BENCH_SECONDS', 20),
  connections: intSetting('BENCH_CONNECTIONS', 16),
  backlog: intSetting('BENCH_BACKLOG', 20_000),
};
const ADMIN_TOKEN = `bench-admin-${randomUUID()}`;
const STREAM = 'CEASEFIRE_BENCH';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function startTracker(env: Record<string, string>): Promise<{ base: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN, DEMO: 'false', LOG_LEVEL: 'warn', RATE_LIMITS: 'false', CHECKPOINT_EVERY: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (proc.exitCode !== null) throw new Error(`the tracker exited with ${proc.exitCode}`);
    if (await fetch(`${base}/health/live`).then((r) => r.ok, () => false)) return { base, proc };
    await sleep(100);
  }
  throw new Error('the tracker did not answer /health/live');
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function stop(proc: ChildProcess): Promise<void> {
  // A process ended by a signal has no exit code, only a signal code.
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  if (!natsServerBinary()) throw new Error('bench:scale needs nats-server (apt-get install nats-server)');
  const cluster = await startPrimaryAndReplica();
  const nats = await startNatsServer();
  const primary = new Client({ connectionString: cluster.primaryUrl });
  const replica = new Client({ connectionString: cluster.replicaUrl });
  const procs: ChildProcess[] = [];
  try {
    const common = { DATABASE_URL: cluster.primaryUrl, NATS_URL: nats.url, NATS_STREAM: STREAM };
    const api = await startTracker({ ...common, ROLE: 'api', DATABASE_READ_URL: cluster.replicaUrl });
    procs.push(api.proc);
    let worker = await startTracker({ ...common, ROLE: 'worker' });
    procs.push(worker.proc);
    await primary.connect();
    await replica.connect();

    const conflictId = (await call(api.base, 'POST', '/api/conflicts', { name: 'Bench conflict', timeZone: 'Asia/Baku' })).id as string;
    const party = async (name: string) => (await call(api.base, 'POST', `/api/conflicts/${conflictId}/parties`, { name, kind: 'state' })).id as string;
    const [a, b] = [await party('Azerbaijan'), await party('Armenia')];
    const claim = {
      conflictId,
      claimant: a,
      subject: b,
      assertion: 'violated',
      category: 'shelling',
      occurred: { from: '2020-10-11T01:00:00+04:00', precision: 'hour' },
      statedAt: '2020-10-11T09:30:00+04:00',
      summary: 'Shelling reported near Tartar overnight.',
      attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 3 }],
    };

    // 1. Writes, with the replica's and the publisher's lag sampled meanwhile.
    const replayLagMs: number[] = [];
    const replicaBehind: number[] = [];
    const publisherBehind: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [lag] = (await primary.query(`SELECT coalesce(extract(epoch FROM replay_lag) * 1000, 0)::float AS ms FROM pg_stat_replication LIMIT 1`)).rows;
        const [head] = (await primary.query(`SELECT coalesce(max(position), 0)::bigint AS p FROM events`)).rows;
        const [published] = (await primary.query(`SELECT coalesce(max(position), 0)::bigint AS p FROM published_positions WHERE stream = $1`, [STREAM])).rows;
        const [replayed] = (await replica.query(`SELECT coalesce(min(position), 0)::bigint AS p FROM projection_checkpoints`)).rows;
        const [projected] = (await primary.query(`SELECT coalesce(min(position), 0)::bigint AS p FROM projection_checkpoints`)).rows;
        if (lag) replayLagMs.push(Number(lag.ms));
        replicaBehind.push(Math.max(0, Number(projected.p) - Number(replayed.p)));
        publisherBehind.push(Math.max(0, Number(head.p) - Number(published.p)));
        await sleep(200);
      }
    })();
    const writes = await autocannon({
      url: `${api.base}/api/claims`,
      method: 'POST',
      connections: settings.connections,
      duration: settings.seconds,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(claim),
    });
    sampling = false;
    await sampler;

    // 2. Reads of one API instance, from the replica.
    const reads = await autocannon({ url: `${api.base}/api/conflicts/${conflictId}/timeline`, connections: settings.connections, duration: settings.seconds });
    const servedBy = (await fetch(`${api.base}/api/conflicts/${conflictId}/timeline`)).headers.get('x-served-by');

    // 3. The publisher's throughput on a backlog, with JetStream's acknowledgements.
    await stop(worker.proc);
    const dataSource = new DataSource(dataSourceOptions(cluster.primaryUrl, { embedded: false }));
    await dataSource.initialize();
    const store = new EventStore(dataSource);
    for (let done = 0; done < settings.backlog; done += 1000) {
      const requests: AppendRequest[] = Array.from({ length: Math.min(1000, settings.backlog - done) }, () => ({
        streamId: `bench-${randomUUID()}`,
        expectedVersion: 'no-stream',
        events: [{ type: 'BenchEvent', data: { conflictId, note: 'a backlog event' } }],
      }));
      await dataSource.transaction((tx) => store.appendMany(tx, requests));
    }
    await dataSource.destroy();
    const head = Number((await primary.query('SELECT max(position) AS p FROM events')).rows[0].p);
    const published = async () => Number((await primary.query('SELECT position FROM published_positions WHERE stream = $1', [STREAM])).rows[0].position);
    const from = await published();
    const started = Date.now();
    worker = await startTracker({ ...common, ROLE: 'worker' });
    procs.push(worker.proc);
    while ((await published()) < head) await sleep(50);
    const publishSeconds = (Date.now() - started) / 1000;

    const result = {
      at: new Date().toISOString(),
      settings,
      writes: { claimsPerSecond: writes['2xx'] / settings.seconds, p50: writes.latency.p50, p99: writes.latency.p99, non2xx: writes.non2xx, errors: writes.errors },
      replica: {
        replayLagMs: { p50: percentile(replayLagMs, 50), p99: percentile(replayLagMs, 99), max: Math.max(0, ...replayLagMs), samples: replayLagMs.length },
        readModelsBehindEvents: { p50: percentile(replicaBehind, 50), p99: percentile(replicaBehind, 99), max: Math.max(0, ...replicaBehind) },
      },
      reads: { timelinePerSecond: reads['2xx'] / settings.seconds, p50: reads.latency.p50, p99: reads.latency.p99, servedBy },
      publisher: {
        behindHeadDuringWrites: { p50: percentile(publisherBehind, 50), p99: percentile(publisherBehind, 99), max: Math.max(0, ...publisherBehind) },
        backlog: head - from,
        seconds: publishSeconds,
        eventsPerSecond: (head - from) / publishSeconds,
      },
    };
    mkdirSync('bench/results', { recursive: true });
    const file = `bench/results/scale-${result.at.replace(/[:.]/g, '').slice(0, 17)}Z.json`;
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    const r = (n: number) => Math.round(n).toLocaleString('en');
    console.log(`
| measure | value |
| --- | --- |
| claims/s through one API instance (${settings.connections} connections) | ${r(result.writes.claimsPerSecond)} (p50 ${result.writes.p50} ms, p99 ${result.writes.p99} ms) |
| replica replay lag during the writes, p50 / p99 / max | ${result.replica.replayLagMs.p50.toFixed(1)} / ${result.replica.replayLagMs.p99.toFixed(1)} / ${result.replica.replayLagMs.max.toFixed(1)} ms |
| replica's read models behind the primary's, p50 / p99 / max | ${result.replica.readModelsBehindEvents.p50} / ${result.replica.readModelsBehindEvents.p99} / ${result.replica.readModelsBehindEvents.max} events |
| publisher behind the head during the writes, p50 / p99 / max | ${result.publisher.behindHeadDuringWrites.p50} / ${result.publisher.behindHeadDuringWrites.p99} / ${result.publisher.behindHeadDuringWrites.max} events |
| timeline reads/s of one API instance (served by ${servedBy}) | ${r(result.reads.timelinePerSecond)} (p50 ${result.reads.p50} ms, p99 ${result.reads.p99} ms) |
| publisher with acknowledgements, ${r(result.publisher.backlog)}-event backlog | ${r(result.publisher.eventsPerSecond)} events/s (${publishSeconds.toFixed(1)} s) |

JSON: ${file}`);
  } finally {
    await primary.end().catch(() => undefined);
    await replica.end().catch(() => undefined);
    for (const proc of procs) await stop(proc);
    await nats.destroy();
    cluster.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
