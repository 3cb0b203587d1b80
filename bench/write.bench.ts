/**
 * Write throughput: HTTP claim appends against PostgreSQL's own single-row INSERT of the same
 * JSON, measured in one run on one machine (`npm run bench:write`).
 *
 * Starts the tracker as `npm start` does (node dist/src/main.js) on a fresh database, records a
 * conflict and a journalist token, then for each concurrency: `POST /api/claims` with autocannon
 * (only 2xx count as claims; errors and other statuses are counted), and pgbench inserting the
 * same request body into a one-column jsonb table with a bigserial key, at the same concurrency
 * and for as long. Then the bulk path (EventStore.appendMany, in this process), a mixed load
 * (writers and dashboard readers at once) and the timeline's 304 answers against full ones.
 *
 * Settings (environment):
 *   BENCH_SECONDS        seconds per measurement (default 10)
 *   BENCH_CONNECTIONS    concurrencies, comma-separated (default 1,4,16,64)
 *   BENCH_BULK_CLAIMS    claims appended through appendMany (default 20000)
 *   BENCH_DATABASE_URL   server to use (default postgresql://postgres@127.0.0.1:5432/postgres); a
 *                        database bench_write_<time> is created there and dropped at the end
 *   BENCH_KEEP=1         keep that database
 *   BENCH_CPU_PROF=DIR   start the tracker under --cpu-prof (profile written to DIR when it stops),
 *                        and measure only the HTTP appends, so that the profile is of the write path
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { EventStore, type AppendRequest } from '../src/event-store/event-store.service';
import { freePort } from './local-engines';
import { intSetting } from './support';

const env = process.env;
const settings = {
  seconds: intSetting('BENCH_SECONDS', 10),
  connections: (env.BENCH_CONNECTIONS || '1,4,16,64').split(',').map((c) => Number(c.trim())),
  bulkClaims: intSetting('BENCH_BULK_CLAIMS', 20_000),
  keep: ['1', 'true', 'yes'].includes((env.BENCH_KEEP ?? '').toLowerCase()),
  server: env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
  cpuProfileDir: env.BENCH_CPU_PROF || null,
};
const ADMIN_TOKEN = `bench-admin-${randomUUID()}`;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => `${n.toFixed(1)} ms`;

const databaseUrl = (name: string) => {
  const url = new URL(settings.server);
  url.pathname = `/${name}`;
  return url.toString();
};

async function onServer<T>(work: (client: Client) => Promise<T>, url = settings.server): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function startTracker(database: string): Promise<{ base: string; proc: ChildProcess }> {
  const port = await freePort();
  // --cpu-prof writes its profile only on a normal exit: the tracker answers SIGTERM by closing
  // and raising the signal again, so this exits first (the profile is of the load, not the close).
  const profiling = settings.cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', settings.cpuProfileDir, '--import', 'data:text/javascript,process.once("SIGTERM",()=>process.exit(0))']
    : [];
  const proc = spawn(process.execPath, [...profiling, 'dist/src/main.js'], {
    env: { ...env, DATABASE_URL: databaseUrl(database), PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN, DEMO: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (proc.exitCode !== null) throw new Error(`the tracker exited with ${proc.exitCode}`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) return { base, proc };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the tracker did not answer /health');
}

async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function cannon(options: autocannon.Options): Promise<Measured & { non2xx: number }> {
  const result = await autocannon({ duration: settings.seconds, ...options });
  return {
    perSecond: result['2xx'] / settings.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** pgbench inserting `json` at `clients` concurrency, with per-transaction latencies from its log. */
async function pgbench(database: string, json: string, clients: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-write-'));
  try {
    const script = join(dir, 'insert.sql');
    writeFileSync(script, `INSERT INTO raw_claims (body) VALUES ('${json.replace(/'/g, "''")}'::jsonb);\n`);
    const url = new URL(databaseUrl(database));
    const args = ['-n', '-f', script, '-c', String(clients), '-j', String(Math.min(clients, 4)), '-T', String(settings.seconds), '-l', '--log-prefix', join(dir, 'log')];
    args.push('-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), url.pathname.slice(1));
    const { stdout } = await promisify(execFile)('pgbench', args, { env: { ...env, PGPASSWORD: decodeURIComponent(url.password) } });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    const latencies: number[] = [];
    for (const file of readdirSync(dir).filter((f) => f.startsWith('log'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        const micros = Number(line.split(' ')[2]);
        if (Number.isFinite(micros) && line) latencies.push(micros / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return { perSecond: tps, p50: at(0.5), p99: at(0.99), errors: failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The largest projector lag (events) seen while `work` ran, and how long the projectors took to catch up after it. */
async function watchingProjectors<T>(base: string, work: Promise<T>): Promise<T & { maxLagEvents: number; catchUpSeconds: number }> {
  const lag = async () => {
    const text = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    return Math.max(0, ...[...text.matchAll(/^ceasefire_projection_lag_events\{[^}]*\} (\d+)/gm)].map((m) => Number(m[1])));
  };
  let done = false;
  let maxLagEvents = 0;
  const sampling = (async () => {
    while (!done) {
      maxLagEvents = Math.max(maxLagEvents, await lag());
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  const result = await work.finally(() => (done = true));
  await sampling;
  const ended = performance.now();
  while ((await lag()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  return { ...result, maxLagEvents, catchUpSeconds: (performance.now() - ended) / 1000 };
}

async function main(): Promise<void> {
  const database = `bench_write_${Date.now()}`;
  await onServer((c) => c.query(`CREATE DATABASE ${database}`));
  let tracker: { base: string; proc: ChildProcess } | null = null;
  try {
    tracker = await startTracker(database);
    const { base } = tracker;
    await onServer((c) => c.query('CREATE TABLE raw_claims (id bigserial PRIMARY KEY, body jsonb NOT NULL)'), databaseUrl(database));

    const journalist = String((await call(base, ADMIN_TOKEN, 'POST', '/api/admin/tokens', { name: 'bench desk', role: 'journalist' })).token);
    const editor = String((await call(base, ADMIN_TOKEN, 'POST', '/api/admin/tokens', { name: 'bench editors', role: 'editor' })).token);
    const conflictId = String((await call(base, editor, 'POST', '/api/conflicts', { name: 'Bench conflict', timeZone: 'Asia/Baku' })).id);
    const claimant = String((await call(base, editor, 'POST', `/api/conflicts/${conflictId}/parties`, { name: 'Republic of Azerbaijan', kind: 'state' })).id);
    const subject = String((await call(base, editor, 'POST', `/api/conflicts/${conflictId}/parties`, { name: 'Republic of Armenia', kind: 'state' })).id);
    const body = JSON.stringify({
      conflictId,
      claimant,
      subject,
      assertion: 'violated',
      category: 'shelling',
      occurred: { from: '2020-10-11T02:00:00+04:00', precision: 'hour', raw: 'at night' },
      statedAt: '2020-10-11T09:00:00+04:00',
      location: { name: 'Ganja', precision: 'settlement' },
      casualties: { civilian: { killed: { min: 9, max: 10 } } },
      summary: 'Ganja was shelled at night; residential buildings were hit.',
      attributions: [{ outlet: 'APA', speaker: 'Ministry of Defence of Azerbaijan', reliability: 'B', credibility: 2 }],
    });
    const post = { url: `${base}/api/claims`, method: 'POST' as const, headers: { Authorization: `Bearer ${journalist}`, 'Content-Type': 'application/json' }, body };

    console.log(`Write benchmark: ${settings.seconds} s per measurement, database ${database}\n`);
    const rows: { connections: number; http: Measured & { non2xx: number; maxLagEvents: number; catchUpSeconds: number }; raw: Measured; ratio: number }[] = [];
    console.log('connections | claims/s | p50 | p99 | errors | raw INSERT/s | raw p50 | raw p99 | ratio | projector lag (max events; catch-up s)');
    for (const connections of settings.connections) {
      const http = await watchingProjectors(base, cannon({ ...post, connections }));
      const raw = await pgbench(database, body, connections);
      const row = { connections, http, raw, ratio: http.perSecond / raw.perSecond };
      rows.push(row);
      console.log(
        `${connections} | ${fmt(http.perSecond)} | ${ms(http.p50)} | ${ms(http.p99)} | ${http.errors + http.non2xx} | ${fmt(raw.perSecond)} | ${ms(raw.p50)} | ${ms(raw.p99)} | ${row.ratio.toFixed(3)} | ${http.maxLagEvents}; ${http.catchUpSeconds.toFixed(1)}`,
      );
    }

    if (settings.cpuProfileDir) {
      console.log(`\nBENCH_CPU_PROF: only the appends were measured; the tracker's profile goes to ${settings.cpuProfileDir}`);
      return;
    }

    // The timeline as dashboards read it: full answers, then 304s for the ETag they hold.
    const timeline = `${base}/api/conflicts/${conflictId}/timeline`;
    const etag = (await fetch(timeline)).headers.get('etag') ?? '';
    const full = await cannon({ url: timeline, connections: 16 });
    const notModified = await autocannon({ url: timeline, connections: 16, duration: settings.seconds, headers: { 'If-None-Match': etag } });
    const revalidated = { perSecond: notModified['3xx'] / settings.seconds, p50: notModified.latency.p50, p99: notModified.latency.p99 };
    console.log(`\ntimeline at 16 connections: full ${fmt(full.perSecond)}/s (p99 ${ms(full.p99)}), 304 ${fmt(revalidated.perSecond)}/s (p99 ${ms(revalidated.p99)}), ×${(revalidated.perSecond / full.perSecond).toFixed(1)}`);

    // Mixed: 8 writers and 32 dashboard readers at once.
    const [writers, readers] = await Promise.all([cannon({ ...post, connections: 8 }), cannon({ url: timeline, connections: 32 })]);
    console.log(`mixed load: 8 writers ${fmt(writers.perSecond)} claims/s (p99 ${ms(writers.p99)}), 32 readers ${fmt(readers.perSecond)} timelines/s (p99 ${ms(readers.p99)})`);

    // The bulk path, in this process, on the same database (the tracker still runs beside it).
    const dataSource = new DataSource(dataSourceOptions(databaseUrl(database), { embedded: false }));
    await dataSource.initialize();
    let bulk: { eventsPerSecond: number };
    try {
      const store = new EventStore(dataSource);
      const data = JSON.parse(body) as Record<string, never>;
      const started = performance.now();
      for (let done = 0; done < settings.bulkClaims; done += 1000) {
        const requests = Array.from({ length: Math.min(1000, settings.bulkClaims - done) }, (): AppendRequest => {
          const claimId = randomUUID();
          return { streamId: `claim-${claimId}`, expectedVersion: 'no-stream', events: [{ type: 'ClaimRecorded', data: { ...data, claimId } }], metadata: { actor: { tokenId: 'bench' } } };
        });
        await dataSource.transaction((tx) => store.appendMany(tx, requests));
      }
      bulk = { eventsPerSecond: settings.bulkClaims / ((performance.now() - started) / 1000) };
    } finally {
      await dataSource.destroy();
    }
    console.log(`bulk appendMany: ${fmt(bulk.eventsPerSecond)} events/s over ${fmt(settings.bulkClaims)} claims`);

    mkdirSync('bench/results', { recursive: true });
    const file = `bench/results/write-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 17)}Z.json`;
    writeFileSync(
      file,
      `${JSON.stringify({ settings: { ...settings, server: undefined }, node: process.version, appends: rows, timeline: { full, notModified: revalidated }, mixed: { writers, readers }, bulk }, null, 2)}\n`,
    );
    console.log(`\nWrote ${file}`);
  } finally {
    tracker?.proc.kill('SIGTERM');
    if (tracker && tracker.proc.exitCode === null) await new Promise((resolve) => tracker!.proc.once('exit', resolve));
    if (!settings.keep) await onServer((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
