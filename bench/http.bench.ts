/**
 * What the HTTP hardening costs: write and read throughput over real HTTP with security headers
 * (helmet) and rate limits on (counting every request, never reaching the limit), against both
 * off. Rounds alternate off/on so that drift (caches, the machine's other work) hits both alike.
 *
 *   npm run bench:http
 *   BENCH_SECONDS     seconds per measurement (default 10)
 *   BENCH_ROUNDS      off/on pairs (default 3)
 *   BENCH_CONNECTIONS concurrent connections (default 10)
 *   BENCH_DATABASE_URL  server to use (default postgresql://postgres@127.0.0.1:5432/postgres)
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { configureApp, createFastifyAdapter, NEST_APPLICATION_OPTIONS } from '../src/app.setup';
import { intSetting } from './support';

const seconds = intSetting('BENCH_SECONDS', 10);
const rounds = intSetting('BENCH_ROUNDS', 3);
const connections = intSetting('BENCH_CONNECTIONS', 10);
const server = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const ADMIN = 'bench-admin-token-0123456789abcdef';

const urlFor = (database: string) => Object.assign(new URL(server), { pathname: `/${database}` }).toString();

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Figures {
  mode: 'off' | 'on';
  round: number;
  writesPerSecond: number;
  writeP99Ms: number;
  readsPerSecond: number;
  readP99Ms: number;
  /** GET /health/live: no database, so the per-request cost of the HTTP layer alone. */
  livePerSecond: number;
  liveP99Ms: number;
  non2xx: number;
}

async function measure(database: string, mode: 'off' | 'on', round: number): Promise<Figures> {
  const env = {
    DATABASE_URL: urlFor(database),
    DEMO: 'false',
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: ADMIN,
    RATE_LIMITS: String(mode === 'on'),
    SECURITY_HEADERS: String(mode === 'on'),
    RATE_LIMIT_MAX: '1000000000',
  };
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), createFastifyAdapter(env), { ...NEST_APPLICATION_OPTIONS, logger: false });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  try {
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const seeded = await fetch(`${base}/api/conflicts`, { method: 'POST', headers, body: JSON.stringify({ name: 'Bench conflict', timeZone: 'Asia/Baku' }) });
    const { id } = (await seeded.json()) as { id: string };
    const write = await autocannon({
      url: `${base}/api/conflicts`,
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Ceasefire watch', region: 'South Caucasus', timeZone: 'Asia/Baku' }),
      connections,
      duration: seconds,
    });
    const read = await autocannon({ url: `${base}/api/conflicts/${id}`, headers: { authorization: `Bearer ${ADMIN}` }, connections, duration: seconds });
    const live = await autocannon({ url: `${base}/health/live`, connections, duration: seconds });
    return {
      mode,
      round,
      writesPerSecond: write.requests.average,
      writeP99Ms: write.latency.p99,
      readsPerSecond: read.requests.average,
      readP99Ms: read.latency.p99,
      livePerSecond: live.requests.average,
      liveP99Ms: live.latency.p99,
      non2xx: write.non2xx + read.non2xx + live.non2xx,
    };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const database = `ceasefire_bench_http_${Math.random().toString(36).slice(2, 10)}`;
  await admin(`CREATE DATABASE ${database}`);
  const figures: Figures[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const mode of ['off', 'on'] as const) {
        const f = await measure(database, mode, round);
        figures.push(f);
        console.log(`round ${round} ${mode}: ${f.writesPerSecond.toFixed(0)} writes/s (p99 ${f.writeP99Ms} ms), ${f.readsPerSecond.toFixed(0)} reads/s (p99 ${f.readP99Ms} ms), ${f.livePerSecond.toFixed(0)} /health/live/s (p99 ${f.liveP99Ms} ms), non-2xx ${f.non2xx}`);
      }
    }
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
  type Key = 'writesPerSecond' | 'readsPerSecond' | 'livePerSecond';
  const mean = (mode: 'off' | 'on', key: Key) => {
    const of = figures.filter((f) => f.mode === mode);
    return of.reduce((sum, f) => sum + f[key], 0) / of.length;
  };
  const labels: Record<Key, string> = {
    writesPerSecond: 'writes/s (POST /api/conflicts)',
    readsPerSecond: 'reads/s (GET /api/conflicts/:id)',
    livePerSecond: 'requests/s without the database (GET /health/live)',
  };
  const rows = (Object.keys(labels) as Key[]).map((key) => {
    const off = mean('off', key);
    const on = mean('on', key);
    return `| ${labels[key]} | ${off.toFixed(0)} | ${on.toFixed(0)} | ${(((on - off) / off) * 100).toFixed(1)} % |`;
  });
  console.log(['', `| ${connections} connections, ${seconds} s each, ${rounds} rounds | off | on | change |`, '| --- | ---: | ---: | ---: |', ...rows].join('\n'));
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/http-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`;
  writeFileSync(file, JSON.stringify({ seconds, rounds, connections, figures }, null, 2));
  console.log(`Wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
