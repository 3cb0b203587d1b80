/**
 * What the HTTP hardening costs: claim writes, two reads (a cached fold, the timeline) and a
 * database-free route over real HTTP, with security headers (helmet) and rate limits on
 * (counting every request, never reaching the limit) against both off.
 *
 * Two API processes run side by side on one database, started as `npm start` starts the
 * tracker (`dist/src/main.js`, ROLE=api), one with the hardening off and one with it on; a
 * third (ROLE=worker) runs the projectors for both. The load generator runs in this process,
 * apart from both. Short slices alternate off/on/on/off, so that drift and the machine's other
 * work hit both alike; besides throughput, each slice reads the server process's CPU time
 * (/proc), so the cost shows as CPU per request too, which load elsewhere disturbs far less.
 *
 *   npm run bench:http
 *   BENCH_SECONDS     seconds per slice (default 5)
 *   BENCH_ROUNDS      off/on pairs per route (default 4)
 *   BENCH_CONNECTIONS concurrent connections (default 10)
 *   BENCH_DATABASE_URL  server to use (default postgresql://postgres@127.0.0.1:5432/postgres)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { freePort } from './local-engines';
import { intSetting } from './support';

const seconds = intSetting('BENCH_SECONDS', 5);
const rounds = intSetting('BENCH_ROUNDS', 4);
const connections = intSetting('BENCH_CONNECTIONS', 10);
const server = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const ADMIN = `bench-admin-${randomUUID()}`;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

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

type Mode = 'off' | 'on';
interface Tracker {
  base: string;
  proc: ChildProcess;
}

async function startTracker(database: string, env: Record<string, string>): Promise<Tracker> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, DATABASE_URL: urlFor(database), PORT: String(port), HOST: '127.0.0.1', ADMIN_TOKEN: ADMIN, DEMO: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '1000000000', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (proc.exitCode !== null) throw new Error(`the tracker exited with ${proc.exitCode}`);
    if (await fetch(`${base}/health/live`).then((r) => r.ok, () => false)) return { base, proc };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the tracker did not answer /health/live');
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await exited;
}

/** User + system CPU time of a process in ms, or null where /proc is not there. */
function cpuMs(pid: number | undefined): number | null {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return null;
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const stat = readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

async function call(base: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

interface Slice {
  route: string;
  mode: Mode;
  round: number;
  perSecond: number;
  p99Ms: number;
  /** Server CPU per 2xx answer, in microseconds. */
  cpuPerRequestUs: number | null;
  non2xx: number;
  load: number;
}

async function main(): Promise<void> {
  const database = `ceasefire_bench_http_${Math.random().toString(36).slice(2, 10)}`;
  await admin(`CREATE DATABASE ${database}`);
  const procs: ChildProcess[] = [];
  const slices: Slice[] = [];
  try {
    // The worker migrates the database first; the API processes start on a ready schema.
    const worker = await startTracker(database, { ROLE: 'worker' });
    procs.push(worker.proc);
    const trackers: Record<Mode, Tracker> = {
      off: await startTracker(database, { ROLE: 'api', RATE_LIMITS: 'false', SECURITY_HEADERS: 'false' }),
      on: await startTracker(database, { ROLE: 'api', RATE_LIMITS: 'true', SECURITY_HEADERS: 'true' }),
    };
    procs.push(trackers.off.proc, trackers.on.proc);

    const conflictId = (await call(trackers.off.base, '/api/conflicts', { name: 'Bench conflict', timeZone: 'Asia/Baku' })).id as string;
    const party = async (name: string) => (await call(trackers.off.base, `/api/conflicts/${conflictId}/parties`, { name, kind: 'state' })).id as string;
    const [a, b] = [await party('Azerbaijan'), await party('Armenia')];
    const claim = JSON.stringify({
      conflictId,
      claimant: a,
      subject: b,
      assertion: 'violated',
      category: 'shelling',
      occurred: { from: '2020-10-11T01:00:00+04:00', precision: 'hour' },
      statedAt: '2020-10-11T09:30:00+04:00',
      summary: 'Shelling reported near Tartar overnight.',
      attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 3 }],
    });
    const auth = { authorization: `Bearer ${ADMIN}` };
    const routes = [
      { route: 'claim writes (POST /api/claims)', path: '/api/claims', method: 'POST' as const, headers: { ...auth, 'content-type': 'application/json' }, body: claim },
      { route: 'conflict reads (GET /api/conflicts/:id)', path: `/api/conflicts/${conflictId}`, method: 'GET' as const, headers: auth },
      { route: 'timeline reads (GET /api/conflicts/:id/timeline)', path: `/api/conflicts/${conflictId}/timeline?bucket=day`, method: 'GET' as const, headers: auth },
      { route: 'without the database (GET /health/live)', path: '/health/live', method: 'GET' as const, headers: {} },
    ];

    for (const route of routes) {
      for (let round = 1; round <= rounds; round++) {
        // off, on in odd rounds; on, off in even ones.
        for (const mode of (round % 2 === 1 ? ['off', 'on'] : ['on', 'off']) as Mode[]) {
          const tracker = trackers[mode];
          const cpuBefore = cpuMs(tracker.proc.pid);
          const result = await autocannon({ url: `${tracker.base}${route.path}`, method: route.method, headers: route.headers, body: route.body, connections, duration: seconds });
          const cpuAfter = cpuMs(tracker.proc.pid);
          const ok = result['2xx'];
          const slice: Slice = {
            route: route.route,
            mode,
            round,
            perSecond: ok / seconds,
            p99Ms: result.latency.p99,
            cpuPerRequestUs: cpuBefore === null || cpuAfter === null || ok === 0 ? null : ((cpuAfter - cpuBefore) * 1000) / ok,
            non2xx: result.non2xx + result.errors,
            load: loadavg()[0]!,
          };
          slices.push(slice);
          console.log(
            `${route.route}, round ${round}, ${mode}: ${slice.perSecond.toFixed(0)}/s, p99 ${slice.p99Ms} ms, ${slice.cpuPerRequestUs?.toFixed(0) ?? '?'} µs CPU per answer, non-2xx ${slice.non2xx}, load ${slice.load.toFixed(1)}`,
          );
        }
      }
    }
  } finally {
    for (const proc of procs.reverse()) await stop(proc);
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }

  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const rows = [...new Set(slices.map((s) => s.route))].map((route) => {
    const of = (mode: Mode) => slices.filter((s) => s.route === route && s.mode === mode);
    const rate = (mode: Mode) => mean(of(mode).map((s) => s.perSecond));
    const cpu = (mode: Mode) => (of(mode).some((s) => s.cpuPerRequestUs === null) ? NaN : mean(of(mode).map((s) => s.cpuPerRequestUs!)));
    const change = (off: number, on: number) => `${(((on - off) / off) * 100).toFixed(1)} %`;
    return `| ${route} | ${rate('off').toFixed(0)} | ${rate('on').toFixed(0)} | ${change(rate('off'), rate('on'))} | ${cpu('off').toFixed(0)} | ${cpu('on').toFixed(0)} | ${change(cpu('off'), cpu('on'))} |`;
  });
  const loads = slices.map((s) => s.load);
  console.log(
    [
      '',
      `${connections} connections, ${seconds} s slices, ${rounds} off/on pairs per route, load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
      '',
      '| route | off /s | on /s | change | off µs CPU/answer | on µs CPU/answer | change |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n'),
  );
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/http-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`;
  writeFileSync(file, JSON.stringify({ seconds, rounds, connections, slices }, null, 2));
  console.log(`Wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
