/**
 * Audit benchmark (`npm run bench:audit`, see docs/benchmarks.md): the rate of `verify` (the
 * hash chain recomputed over the whole log), of `export` (the log written as NDJSON) and of
 * `import` (that file verified and loaded into an empty store), in events per second, and the
 * peak memory of each, at a small and a large size of the log.
 *
 * Each measured operation runs in a child process of its own (`node dist/bench/audit.bench.js
 * <phase> <json>`), whose peak resident set size (`process.resourceUsage().maxRSS`) is its
 * peak memory: the same figure at 100,000 and 1,000,000 events shows that it does not grow with
 * the log. Peak RSS also counts garbage V8 has not collected yet, so each child forces a full GC
 * at each tenth of its work and reports the heap still live then, and (BENCH_HEAP_CAP_MIB) each
 * operation runs a second time with V8's old space capped far below that peak: it completes.
 * This process only creates the databases, loads the events straight into the event store
 * (`EventStore.appendMany`, not HTTP), starts the children and reports.
 *
 * Environment:
 *   BENCH_DATABASE_URL  server to use (default postgresql://postgres@127.0.0.1:5432/postgres); its
 *                       database, if any, is the maintenance database the bench databases are made from
 *   BENCH_EVENTS        the large size, in events (default 1,000,000)
 *   BENCH_SMALL_EVENTS  the small size, in events (default 100,000)
 *   BENCH_BATCH         events per transaction while loading (default 10,000)
 *   BENCH_HEAP_CAP_MIB  run each operation a second time with `--max-old-space-size` at this many MiB
 *                       (default 96; 0: not at all): it completes, so what it holds does not grow
 *   BENCH_KEEP=1        keep the databases and the export files at the end instead of dropping them
 *   BENCH_SEED          seed of the data generator (default 20201010)
 */
import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getHeapStatistics } from 'node:v8';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { bakuIso, HOUR, intSetting, prng } from './support';
import { LogTransfer } from '../src/audit/log-transfer.service';
import { EventStore } from '../src/event-store/event-store.service';
import type { JsonObject, NewEvent, RecordedEvent } from '../src/event-store/event-store.types';
import { canonicalEventJson, chainHash, GENESIS_HASH } from '../src/event-store/hash-chain';

// ---------------------------------------------------------------------------------------------
// Settings

const env = process.env;


const settings = {
  large: intSetting('BENCH_EVENTS', 1_000_000, 100),
  small: intSetting('BENCH_SMALL_EVENTS', 100_000, 100),
  batch: Math.min(intSetting('BENCH_BATCH', 10_000), 100_000),
  keep: ['1', 'true', 'yes'].includes((env.BENCH_KEEP ?? '').toLowerCase()),
  heapCapMiB: intSetting('BENCH_HEAP_CAP_MIB', 96, 0),
  seed: intSetting('BENCH_SEED', 20201010),
  server: env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
};

const MIB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

// ---------------------------------------------------------------------------------------------
// Realistic events: one conflict, four parties, five agreements, then claims (a sixth of them
// counterclaims) with one to three attributions each, and follow-ups on some of them —
// assessments, added attributions, casualty revisions, corrections, retractions.


const START = Date.parse('2020-10-01T00:00:00+04:00');

const PARTIES = [
  { name: 'Republic of Azerbaijan', shortName: 'Azerbaijan', kind: 'state', aliases: [], speakers: ['Ministry of Defence of Azerbaijan', 'Ministry of Foreign Affairs of Azerbaijan'], outlets: ['APA', 'Azertac', 'Trend', 'Report.az'] },
  { name: 'Republic of Armenia', shortName: 'Armenia', kind: 'state', aliases: [], speakers: ['Ministry of Defence of Armenia', 'Office of the Prime Minister of Armenia'], outlets: ['Armenpress', 'news.am', 'Azatutyun'] },
  { name: 'Nagorno-Karabakh authorities', shortName: 'Nagorno-Karabakh', kind: 'de-facto-authority', aliases: ['Artsakh'], speakers: ['Defence Army of Nagorno-Karabakh', 'Human Rights Defender of Nagorno-Karabakh'], outlets: ['Artsakhpress', 'news.am'] },
  { name: 'Russian Federation', shortName: 'Russia', kind: 'mediator', aliases: ['Russian peacekeeping contingent'], speakers: ['Ministry of Defence of Russia', 'Russian peacekeeping contingent'], outlets: ['TASS', 'Interfax'] },
] as const;
const WIRE = ['Reuters', 'AFP', 'BBC', 'Eurasianet', 'OC Media', 'JAMnews'];
const PLACES = [
  { name: 'Tartar', altNames: ['Terter'], lat: 40.342, lon: 46.93, precision: 'settlement' },
  { name: 'Stepanakert', altNames: ['Khankendi'], lat: 39.815, lon: 46.752, precision: 'settlement' },
  { name: 'Shusha', altNames: ['Shushi'], lat: 39.758, lon: 46.749, precision: 'settlement' },
  { name: 'Fuzuli', altNames: ['Varanda'], lat: 39.6, lon: 47.145, precision: 'district' },
  { name: 'Lachin', altNames: ['Berdzor'], lat: 39.639, lon: 46.546, precision: 'settlement' },
  { name: 'Sotk', altNames: ['Zod'], lat: 40.212, lon: 45.98, precision: 'settlement' },
  { name: 'the line of contact', altNames: [], precision: 'region' },
];
const CATEGORIES = ['shelling', 'shelling', 'small-arms', 'small-arms', 'drone-strike', 'incursion', 'ground-assault', 'missile-strike', 'other'];
const PRECISIONS = ['hour', 'hour', 'minute', 'part-of-day', 'day', 'approximate'];

interface Append {
  streamId: string;
  expectedVersion: number | 'no-stream';
  events: NewEvent[];
  metadata: JsonObject;
}

interface Recent {
  claimId: string;
  claimant: number;
  subject: number;
  statedAt: number;
  occurredFrom: string;
}

class EventGenerator {
  private readonly rnd: ReturnType<typeof prng>;
  readonly conflictId = randomUUID();
  readonly partyIds = PARTIES.map(() => randomUUID());
  private readonly recent: Recent[] = [];
  private request = 0;
  events = 0;
  claims = 0;

  constructor(seed: number) {
    this.rnd = prng(seed);
  }

  private metadata(resultId: string, role = 'journalist'): JsonObject {
    this.request += 1;
    return {
      actor: { tokenId: 'bench', name: 'audit benchmark loader' },
      role, requestId: `bench-${this.request}`, correlationId: `bench-${this.request}`,
      causationId: null, idempotencyKey: null, requestHash: 'bench', resultId,
    };
  }

  /** The conflict, its parties and its agreements (16 events). */
  setup(): Append[] {
    const conflictId = this.conflictId;
    const appends: Append[] = [{
      streamId: `conflict-${conflictId}`, expectedVersion: 'no-stream', metadata: this.metadata(conflictId, 'editor'),
      events: [
        { type: 'ConflictRegistered', data: { conflictId, name: 'Nagorno-Karabakh (benchmark)', region: 'South Caucasus', timeZone: 'Asia/Baku', description: 'Generated data for the audit benchmark.' } },
        ...PARTIES.map((p, i) => ({ type: 'PartyAdded', data: { conflictId, partyId: this.partyIds[i]!, name: p.name, shortName: p.shortName, kind: p.kind, aliases: [...p.aliases] } })),
      ],
    }];
    const titles = ['Moscow humanitarian ceasefire', 'Humanitarian truce of 17 October', 'Washington humanitarian ceasefire', 'Trilateral statement of 10 November', 'Ceasefire of 13 September 2022'];
    const ids = titles.map(() => randomUUID());
    titles.forEach((title, i) => {
      const from = START + (10 + i * 8) * 24 * HOUR;
      const events: NewEvent[] = [{
        type: 'AgreementRecorded',
        data: {
          agreementId: ids[i]!, conflictId, title, kind: i < 3 ? 'humanitarian-truce' : 'ceasefire',
          signatories: [this.partyIds[0]!, this.partyIds[1]!], mediators: [this.partyIds[3]!], agreedAt: bakuIso(from - 10 * HOUR),
          effectiveFrom: { at: bakuIso(from), raw: `from 00:00 on day ${10 + i * 8}`, timeZone: 'Asia/Baku', basis: 'stated' },
          terms: `${title}: the parties cease fire and keep their positions.`, reaffirms: i > 0 ? [ids[i - 1]!] : [],
          attributions: [{ attributionId: randomUUID(), outlet: 'TASS', speaker: 'Ministry of Foreign Affairs of Russia', reliability: 'B', credibility: 2, confidential: false }],
        },
      }];
      if (i < 3) {
        events.push({ type: 'AgreementEnded', data: { agreementId: ids[i]!, endedAt: bakuIso(from + 8 * 24 * HOUR), reason: 'Superseded by the next truce.', supersededBy: ids[i + 1]! } });
      }
      appends.push({ streamId: `agreement-${ids[i]}`, expectedVersion: 'no-stream', events, metadata: this.metadata(ids[i]!, 'editor') });
    });
    for (const a of appends) this.events += a.events.length;
    return appends;
  }

  /** Appends of exactly `count` events in all, one event each: new claims and follow-ups. */
  batch(count: number): Append[] {
    const appends: Append[] = [];
    for (let i = 0; i < count; i++) {
      const followUp = this.recent.length > 200 && this.rnd.chance(0.08) ? this.followUp() : null;
      appends.push(followUp ?? this.claim());
    }
    this.events += count;
    return appends;
  }

  private attribution(claimant: number, at: number): JsonObject {
    const r = this.rnd;
    const party = PARTIES[claimant]!;
    const outlet = r.chance(0.7) ? r.pick(party.outlets) : r.pick(WIRE);
    const a: JsonObject = {
      attributionId: randomUUID(), outlet, speaker: r.pick(party.speakers),
      url: `https://news.example/${outlet.toLowerCase().replace(/[^a-z]+/g, '-')}/${r.int(100000, 999999)}`,
      publishedAt: bakuIso(at), language: r.pick(['az', 'hy', 'ru', 'en']), reliability: r.pick(['A', 'B', 'B', 'C', 'C', 'D', 'E', 'F']),
      credibility: r.int(1, 6), confidential: r.chance(0.01),
    };
    if (r.chance(0.4)) a.quote = 'The statement as quoted by the outlet, paraphrased for the benchmark.';
    return a;
  }

  private claim(): Append {
    const r = this.rnd;
    const claimId = randomUUID();
    const answered = this.recent.length > 200 && r.chance(0.15) ? r.pick(this.recent) : null;
    const claimant = answered ? answered.subject : r.pick([0, 0, 0, 0, 1, 1, 1, 2, 2, 3]);
    const subject = answered ? answered.claimant : claimant === 0 ? r.pick([1, 2]) : claimant === 3 ? r.int(0, 2) : 0;
    const stance = answered ? r.pick(['denial', 'denial', 'counter-accusation', 'justification']) : null;
    const violation = stance !== 'denial' && r.chance(0.8);
    const day = r.chance(0.3) ? r.int(0, 44) : r.int(0, 729);
    const at = START + day * 24 * HOUR + r.int(0, 1439) * 60_000;
    const precision = r.pick(PRECISIONS);
    const occurred: JsonObject = precision === 'minute' || precision === 'hour'
      ? { from: bakuIso(at), precision, ...(precision === 'hour' ? { raw: 'around noon' } : {}) }
      : { from: bakuIso(at), to: bakuIso(at + 6 * HOUR), precision, raw: precision === 'day' ? 'during the day' : 'in the morning' };
    const statedAt = answered ? answered.statedAt + r.int(20, 720) * 60_000 : at + r.int(30, 1800) * 60_000;
    const place = r.pick(PLACES);
    const category = violation ? r.pick(CATEGORIES) : 'ceasefire-statement';
    const attributions = Array.from({ length: r.pick([1, 1, 1, 2, 2, 3]) }, (_, i) => this.attribution(claimant, statedAt + (i + 1) * r.int(5, 90) * 60_000));
    const data: JsonObject = {
      claimId, conflictId: this.conflictId,
      ...(answered ? { respondsTo: answered.claimId, stance: stance! } : {}),
      claimant: this.partyIds[claimant]!, subject: this.partyIds[subject]!,
      assertion: violation ? 'violated' : 'complied', category, occurred, statedAt: bakuIso(statedAt),
      location: { name: place.name, altNames: [...place.altNames], ...(place.lat !== undefined ? { lat: place.lat, lon: place.lon! } : {}), precision: place.precision },
      ...(violation && r.chance(0.25)
        ? { casualties: { civilian: { killed: { min: r.int(0, 3), max: r.int(3, 6) }, wounded: { min: r.int(0, 5), max: r.int(5, 12) } }, military: { wounded: { min: r.int(0, 4), max: r.int(4, 8) } } } }
        : {}),
      summary: `${PARTIES[claimant]!.shortName} says ${PARTIES[subject]!.shortName} ${violation ? `${category === 'shelling' ? 'shelled' : 'violated the ceasefire near'} ${place.name}` : 'observes the ceasefire'}`,
      attributions,
    };
    this.claims += 1;
    if (!answered) {
      this.recent.push({ claimId, claimant, subject, statedAt, occurredFrom: occurred.from as string });
      if (this.recent.length > 5_000) this.recent.splice(0, 1_000);
    }
    return { streamId: `claim-${claimId}`, expectedVersion: 'no-stream', events: [{ type: 'ClaimRecorded', data }], metadata: this.metadata(claimId) };
  }

  /** A later event on a recent claim; the claim leaves the pool, so its stream is at version 1. */
  private followUp(): Append {
    const r = this.rnd;
    const c = this.recent.splice(r.int(0, this.recent.length - 1), 1)[0]!;
    const later = c.statedAt + r.int(1, 72) * HOUR;
    const roll = r.next();
    let event: NewEvent;
    if (roll < 0.45) {
      event = { type: 'ClaimAssessed', data: { claimId: c.claimId, status: r.pick(['corroborated', 'contested', 'refuted', 'unverifiable']), rationale: 'Compared with imagery and other reports.', evidence: ['https://evidence.example/1'] } };
    } else if (roll < 0.65) {
      event = { type: 'AttributionAdded', data: { claimId: c.claimId, attribution: this.attribution(c.claimant, later) } };
    } else if (roll < 0.8) {
      event = { type: 'CasualtiesRevised', data: { claimId: c.claimId, casualties: { civilian: { killed: { min: r.int(1, 6), max: r.int(6, 10) } } }, asOf: bakuIso(later), attributions: [this.attribution(c.claimant, later)] } };
    } else if (roll < 0.92) {
      event = { type: 'ClaimRetracted', data: { claimId: c.claimId, statedAt: bakuIso(later), attributions: [this.attribution(c.claimant, later)] } };
    } else {
      event = { type: 'ClaimCorrected', data: { claimId: c.claimId, changes: { occurred: { from: c.occurredFrom, precision: 'day', raw: 'during the day' } }, reason: 'Data entry: the reported time was mistyped.' } };
    }
    return { streamId: `claim-${c.claimId}`, expectedVersion: 1, events: [event], metadata: this.metadata(c.claimId, 'editor') };
  }
}

// ---------------------------------------------------------------------------------------------
// Databases and the application

function serverUrl(database: string): string {
  const url = new URL(settings.server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function maintenance<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const given = new URL(settings.server).pathname.replace(/^\//, '');
  let lastError: unknown;
  for (const database of given ? [given] : ['postgres', 'test']) {
    const client = new Client({ connectionString: serverUrl(database) });
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      continue;
    }
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
  throw lastError;
}

const createDatabase = (name: string) => maintenance((c) => c.query(`CREATE DATABASE ${name}`));
const dropDatabase = (name: string) => maintenance((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

function startApp(database: string): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    AppModule.forRoot({ DATABASE_URL: serverUrl(database), DEMO: 'false', LOG_LEVEL: 'warn' }, { background: false }),
    { logger: ['error', 'warn'], abortOnError: false },
  );
}

/** CPU seconds used so far by each process named postgres, by pid (Linux; null elsewhere). */
function postgresCpuByPid(): Map<number, number> | null {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const seconds = new Map<number, number>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      seconds.set(Number(name), (Number(fields[11]) + Number(fields[12])) / 100); // utime and stime, in ticks of 1/100 s
    } catch {
      // the process ended meanwhile
    }
  }
  return seconds;
}

/**
 * CPU seconds PostgreSQL spent for `dataSource`'s database since `before`: its backends (every
 * connection to that database) and the server's own processes (WAL writer, checkpointer…), but
 * not the backends of other databases.
 */
async function postgresCpuSince(dataSource: DataSource, before: Map<number, number> | null): Promise<number | null> {
  const after = postgresCpuByPid();
  if (!before || !after) return null;
  const rows: { pid: number }[] = await dataSource.query(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR datname IS NULL',
  );
  let seconds = 0;
  for (const { pid } of rows) seconds += Math.max(0, (after.get(pid) ?? 0) - (before.get(pid) ?? 0));
  return seconds;
}

/**
 * Time spent awaiting SQL statements (all of them go through the query runner): the round trip,
 * PostgreSQL's work and the driver's parsing of the rows. Verify, export and import keep the next
 * statement in flight while Node works on the batch before, so this overlaps Node's CPU time.
 */
const sql = { ms: 0, calls: 0 };
// TypeORM's export map gives the query runner no type entry; it is reached at run time (CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner') as {
  PostgresQueryRunner: { prototype: { query: (...args: unknown[]) => Promise<unknown> } };
};
const query = PostgresQueryRunner.prototype.query;
PostgresQueryRunner.prototype.query = async function (this: unknown, ...rest: unknown[]) {
  const t0 = performance.now();
  try {
    return await (query as (...a: unknown[]) => Promise<unknown>).apply(this, rest);
  } finally {
    sql.ms += performance.now() - t0;
    sql.calls += 1;
  }
} as typeof query;

// ---------------------------------------------------------------------------------------------
// The child: one measured operation in a process of its own

type Phase = 'verify' | 'export' | 'import';
interface ChildArgs {
  database: string;
  file: string;
  /** Events in the log (for progress lines). */
  total: number;
}

interface ChildResult {
  phase: Phase;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Peak resident set size of the whole child process (KiB → MiB), start-up included. */
  peakRssMiB: number;
  /** RSS and peak RSS once the application had started, before the operation. */
  startupRssMiB: number;
  startupPeakRssMiB: number;
  /** Peak V8 heap in use (live objects and garbage not yet collected), sampled every 100 ms. */
  peakHeapUsedMiB: number;
  /** V8 heap still in use after a full garbage collection, before and after the operation. */
  liveHeapMiB: [number, number];
  /** RSS at each tenth of the operation: a sawtooth if V8 lets garbage pile up between collections. */
  rssByDecileMiB: number[];
  /**
   * V8 heap still in use after a full garbage collection forced every 5 s of the operation (a
   * fixed cadence, the same at every size of the log): what the operation really holds then.
   * Flat if nothing accumulates per event.
   */
  liveHeapSamplesMiB: number[];
  /** The largest of those: the most the operation was seen to hold. */
  maxLiveHeapMiB: number;
  /** V8's heap size limit in this child (`--max-old-space-size` lowers it). */
  heapLimitMiB: number;
  /** Extra V8 flags the child ran with. */
  nodeFlags: string[];
  /** The machine's 1-minute load average at the start and end of the operation, and its highest sample. */
  loadAverage: { start: number; end: number; max: number };
  /** CPU seconds of this process and of PostgreSQL during the operation, and the time spent awaiting SQL. */
  nodeCpuSeconds: number;
  postgresCpuSeconds: number | null;
  sqlSeconds: number;
  sqlCalls: number;
  detail: Record<string, unknown>;
}

const RESULT_MARK = '@@audit-bench-result ';

async function child(phase: Phase, args: ChildArgs): Promise<void> {
  const app = await startApp(args.database);
  try {
    sql.ms = 0;
    sql.calls = 0;
    // The child runs with --expose-gc: the heap still live before and after the operation tells
    // what it keeps from what it merely has not collected yet.
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    gc();
    const liveHeapBefore = process.memoryUsage().heapUsed;
    const startupRss = process.memoryUsage().rss;
    const startupPeak = process.resourceUsage().maxRSS;
    let done = 0;
    let peakHeap = 0;
    const load0 = round1(loadavg()[0]!);
    let loadMax = load0;
    const byDecile: number[] = [];
    const liveSamples: number[] = [];
    let lastGc = performance.now();
    const sample = (final = false) => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      loadMax = Math.max(loadMax, round1(loadavg()[0]!));
      while (byDecile.length < 10 && done >= ((byDecile.length + 1) * args.total) / 10) byDecile.push(round1(m.rss / MIB));
      if (final || performance.now() - lastGc >= 5_000) {
        // A full GC (tens of ms, every 5 s) leaves only what the operation still holds.
        gc();
        lastGc = performance.now();
        liveSamples.push(round1(process.memoryUsage().heapUsed / MIB));
      }
    };
    const sampler = setInterval(sample, 100);
    const t0 = performance.now();
    let lastLine = t0;
    const progress = (label: string, n: number) => {
      done = n;
      const now = performance.now();
      if (now - lastLine < 15_000) return;
      lastLine = now;
      console.error(`  ${label} ${fmt(n)}/${fmt(args.total)} events, ${fmt(n / ((now - t0) / 1000))} events/s, rss ${round1(process.memoryUsage().rss / MIB)} MiB`);
    };
    const cpu0 = process.cpuUsage();
    const pg0 = postgresCpuByPid();
    let events = 0;
    const detail: Record<string, unknown> = {};

    if (phase === 'verify') {
      const result = await app.get(EventStore).verifyChain({}, (checked) => progress('verify', checked));
      if (!result.ok) throw new Error(`the chain does not verify: ${JSON.stringify(result.firstMismatch)}`);
      events = result.checked;
      detail.headHash = result.headHash;
    } else if (phase === 'export') {
      const transfer = app.get(LogTransfer);
      const lines = Readable.from(
        (async function* () {
          for await (const line of transfer.exportLines()) {
            if (++events % 1000 === 0) progress('export', events);
            yield line;
          }
        })(),
      );
      await pipeline(lines, createWriteStream(args.file, { flags: 'wx' }));
      detail.bytes = statSync(args.file).size;
    } else {
      let verified = performance.now();
      const result = await app.get(LogTransfer).importFile(args.file, (step, n) => {
        if (step === 'verify') verified = performance.now();
        // Both steps read the whole file: count each as half the work.
        progress(`import (${step})`, step === 'verify' ? n / 2 : args.total / 2 + n / 2);
      });
      const end = performance.now();
      events = result.imported;
      detail.headHash = result.head.hash;
      detail.verifyStep = { seconds: round1((verified - t0) / 1000), eventsPerSecond: Math.round(events / ((verified - t0) / 1000)) };
      detail.insertStep = { seconds: round1((end - verified) / 1000), eventsPerSecond: Math.round(events / ((end - verified) / 1000)) };
    }

    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    done = args.total;
    clearInterval(sampler);
    const peak = process.resourceUsage().maxRSS; // KiB, before the last forced GC
    sample(true); // the live heap at the end, before the application's references are dropped
    const pgCpu = await postgresCpuSince(app.get(DataSource), pg0);
    gc();
    const liveHeapAfter = process.memoryUsage().heapUsed;
    const result: ChildResult = {
      phase,
      events,
      seconds: round1(seconds),
      eventsPerSecond: Math.round(events / seconds),
      peakRssMiB: round1(peak / 1024),
      startupRssMiB: round1(startupRss / MIB),
      startupPeakRssMiB: round1(startupPeak / 1024),
      peakHeapUsedMiB: round1(peakHeap / MIB),
      liveHeapMiB: [round1(liveHeapBefore / MIB), round1(liveHeapAfter / MIB)],
      rssByDecileMiB: byDecile,
      liveHeapSamplesMiB: liveSamples,
      maxLiveHeapMiB: Math.max(...liveSamples),
      heapLimitMiB: round1(getHeapStatistics().heap_size_limit / MIB),
      nodeFlags: process.execArgv,
      loadAverage: { start: load0, end: round1(loadavg()[0]!), max: loadMax },
      nodeCpuSeconds: round1((cpu.user + cpu.system) / 1e6),
      postgresCpuSeconds: pgCpu === null ? null : round1(pgCpu),
      sqlSeconds: round1(sql.ms / 1000),
      sqlCalls: sql.calls,
      detail,
    };
    process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
  } finally {
    await app.close();
  }
}

/** Runs one phase in a child process, with V8's old space capped at `capMiB` if given, and returns what it measured. */
function runChild(phase: Phase, args: ChildArgs, capMiB = 0): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const flags = ['--expose-gc', ...(capMiB > 0 ? [`--max-old-space-size=${capMiB}`] : [])];
    const proc = spawn(process.execPath, [...flags, __filename, phase, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
      for (const l of out.split('\n')) if (l && !l.startsWith(RESULT_MARK)) console.log(l);
      if (code !== 0 || !line) reject(new Error(`${phase} child failed (exit ${code ?? signal})`));
      else resolve(JSON.parse(line.slice(RESULT_MARK.length)) as ChildResult);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The parent

interface LoadFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  sqlSeconds: number;
  sqlCalls: number;
}

async function load(dataSource: DataSource, store: EventStore, generator: EventGenerator, upTo: number): Promise<LoadFigures> {
  const events0 = generator.events;
  sql.ms = 0;
  sql.calls = 0;
  const t0 = performance.now();
  let lastLine = t0;
  while (generator.events < upTo) {
    const appends = generator.batch(Math.min(settings.batch, upTo - generator.events));
    await dataSource.transaction((tx) => store.appendMany(tx, appends));
    const now = performance.now();
    if (now - lastLine > 15_000) {
      lastLine = now;
      console.error(`  load ${fmt(generator.events)}/${fmt(upTo)} events, ${fmt((generator.events - events0) / ((now - t0) / 1000))} events/s`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const sqlSeconds = round1(sql.ms / 1000);
  const sqlCalls = sql.calls;
  // As autovacuum would in time: hint bits set and statistics taken, so that neither the
  // verification nor the export (whichever comes first) pays for the load.
  await dataSource.query('VACUUM (ANALYZE) events');
  await dataSource.query('CHECKPOINT');
  const events = generator.events - events0;
  return { events, seconds: round1(seconds), eventsPerSecond: Math.round(events / seconds), sqlSeconds, sqlCalls };
}

/** Where the time of one event goes in Node, on events from the log: canonical JSON, SHA-256, JSON.parse of an export line. */
async function perEventCosts(store: EventStore) {
  const events: RecordedEvent[] = [...(await store.readAll({ limit: 10_000 })), ...(await store.readAll({ after: 10_000, limit: 10_000 }))];
  const lines = events.map((e) => JSON.stringify(e));
  const micro = (work: () => void) => {
    work(); // warm-up
    const t0 = performance.now();
    work();
    return Math.round(((performance.now() - t0) * 1000) / events.length * 100) / 100;
  };
  let sink = 0;
  const canonical = micro(() => {
    for (const e of events) sink += canonicalEventJson(e).length;
  });
  const hash = micro(() => {
    let prev = GENESIS_HASH;
    for (const e of events) prev = chainHash(prev, e);
    sink += prev[0]!;
  });
  const parse = micro(() => {
    for (const l of lines) sink += (JSON.parse(l) as RecordedEvent).position;
  });
  const stringify = micro(() => {
    for (const e of events) sink += JSON.stringify(e).length;
  });
  return {
    sampleEvents: events.length,
    checksum: sink % 1000,
    meanLineBytes: Math.round(lines.reduce((s, l) => s + Buffer.byteLength(l) + 1, 0) / lines.length),
    microsecondsPerEvent: { canonicalJson: canonical, chainHash: hash, jsonParseLine: parse, jsonStringify: stringify },
  };
}

async function machine(dataSource: DataSource) {
  let commit: string | null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    commit = null;
  }
  const setting = async (name: string) => (await dataSource.query('SELECT current_setting($1) AS v', [name]))[0].v as string;
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: await setting('server_version'),
    postgresSettings: Object.fromEntries(
      await Promise.all(['shared_buffers', 'work_mem', 'synchronous_commit', 'max_wal_size'].map(async (n) => [n, await setting(n)])),
    ),
    commit,
  };
}

interface SizeFigures {
  events: number;
  load: LoadFigures;
  verify: ChildResult;
  export: ChildResult;
  import: ChildResult;
  /** The same three again with V8's old space capped at `settings.heapCapMiB` (absent when 0). */
  capped?: { verify: ChildResult; export: ChildResult; import: ChildResult };
  perEvent: Awaited<ReturnType<typeof perEventCosts>>;
}

/** SHA-256 of a file, read as a stream. */
async function fileDigest(file: string): Promise<string> {
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(file)) digest.update(chunk as Buffer);
  return digest.digest('hex');
}

const databases = new Set<string>();
let workDir: string | null = null;

async function cleanUp(): Promise<void> {
  if (settings.keep) {
    console.log(`Kept: ${[...databases].map(serverUrl).join(', ')}${workDir ? `, ${workDir}` : ''}`);
    return;
  }
  for (const name of databases) await dropDatabase(name).catch((e: unknown) => console.error(`Could not drop ${name}: ${String(e)}`));
  databases.clear();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = null;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const sizes = [...new Set([Math.min(settings.small, settings.large), settings.large])];
  const suffix = randomBytes(4).toString('hex');
  const source = `ceasefire_bench_${suffix}`;
  console.log(`Audit benchmark: verify, export and import at ${sizes.map(fmt).join(' and ')} events; database ${source}`);
  workDir = mkdtempSync(join(tmpdir(), 'ceasefire-audit-bench-'));
  process.once('SIGINT', () => {
    console.error('\nInterrupted: dropping the databases and removing the files.');
    void cleanUp().finally(() => process.exit(130));
  });

  databases.add(source);
  await createDatabase(source);
  const app = await startApp(source);
  const figures: SizeFigures[] = [];
  try {
    const dataSource = app.get(DataSource);
    const store = app.get(EventStore);
    const host = await machine(dataSource);
    const generator = new EventGenerator(settings.seed);
    await dataSource.transaction(async (tx) => {
      for (const a of generator.setup()) await store.appendInTransaction(tx, a);
    });

    for (const size of sizes) {
      console.log(`\nLoading up to ${fmt(size)} events through the event store…`);
      const loaded = await load(dataSource, store, generator, size);
      console.log(`  ${fmt(loaded.events)} events in ${loaded.seconds} s (${fmt(loaded.eventsPerSecond)} events/s; ${loaded.sqlSeconds} s awaiting ${fmt(loaded.sqlCalls)} statements)`);
      const head = await store.head();
      const file = join(workDir, `export-${size}.ndjson`);
      const args = { database: source, file, total: head.position };

      console.log(`Verifying the chain of ${fmt(head.position)} events (child process)…`);
      const verify = await runChild('verify', args);
      if (verify.detail.headHash !== head.hash) throw new Error('verify ended on another head');
      console.log(`  ${fmt(verify.eventsPerSecond)} events/s, peak RSS ${verify.peakRssMiB} MiB`);

      console.log('Exporting (child process)…');
      const exported = await runChild('export', args);
      console.log(`  ${fmt(exported.eventsPerSecond)} events/s, ${round1(Number(exported.detail.bytes) / 1e6)} MB, peak RSS ${exported.peakRssMiB} MiB`);

      const importInto = async (target: string, capMiB = 0) => {
        databases.add(target);
        await createDatabase(target);
        const result = await runChild('import', { ...args, database: target }, capMiB);
        if (result.detail.headHash !== head.hash || result.events !== head.position) throw new Error('the import does not end on the exported head');
        await dropDatabase(target);
        databases.delete(target);
        return result;
      };
      const target = `ceasefire_bench_${suffix}_import_${size}`;
      console.log(`Importing into the empty database ${target} (child process)…`);
      const imported = await importInto(target);
      console.log(`  ${fmt(imported.eventsPerSecond)} events/s, peak RSS ${imported.peakRssMiB} MiB`);
      const line = (r: ChildResult) => `${fmt(r.eventsPerSecond)} events/s, peak RSS ${r.peakRssMiB} MiB, live heap after GC ≤ ${r.maxLiveHeapMiB} MiB`;

      let capped: SizeFigures['capped'];
      if (settings.heapCapMiB > 0) {
        const cap = settings.heapCapMiB;
        console.log(`Again with --max-old-space-size=${cap}: verify, export, import…`);
        const cVerify = await runChild('verify', args, cap);
        if (cVerify.detail.headHash !== head.hash) throw new Error('verify ended on another head');
        console.log(`  verify ${line(cVerify)}`);
        const cFile = join(workDir, `export-${size}-capped.ndjson`);
        const cExport = await runChild('export', { ...args, file: cFile }, cap);
        if ((await fileDigest(cFile)) !== (await fileDigest(file))) throw new Error('the capped export differs from the first');
        rmSync(cFile, { force: true });
        console.log(`  export ${line(cExport)}`);
        const cImport = await importInto(`${target}_capped`, cap);
        console.log(`  import ${line(cImport)}`);
        capped = { verify: cVerify, export: cExport, import: cImport };
      }
      rmSync(file, { force: true });

      figures.push({ events: head.position, load: loaded, verify, export: exported, import: imported, capped, perEvent: await perEventCosts(store) });
    }

    const results = {
      benchmark: 'audit',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: host,
      settings: { ...settings, server: undefined },
      sizes: figures,
    };
    console.log(`\n${table(figures)}`);
    const dir = join(__dirname, '..', '..', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const out = join(dir, `audit-${startedAt.toISOString().replace(/:/g, '').replace(/\.\d+Z$/, 'Z')}.json`);
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults written to ${out}`);
  } finally {
    await app.close();
    await cleanUp();
  }
}

/** The results as a Markdown table, one column per size. */
function table(sizes: SizeFigures[]): string {
  const row = (label: string, cell: (s: SizeFigures) => string) => `| ${label} | ${sizes.map(cell).join(' | ')} |`;
  const share = (r: ChildResult) =>
    `${Math.round((r.nodeCpuSeconds / r.seconds) * 100)}% / ${r.postgresCpuSeconds === null ? '?' : `${Math.round((r.postgresCpuSeconds / r.seconds) * 100)}%`} / ${Math.round((r.sqlSeconds / r.seconds) * 100)}%`;
  const liveRange = (r: ChildResult) => `${Math.min(...r.liveHeapSamplesMiB)}–${r.maxLiveHeapMiB}`;
  const step = (r: ChildResult, name: 'verifyStep' | 'insertStep') => {
    const s = r.detail[name] as { seconds: number; eventsPerSecond: number };
    return `${fmt(s.eventsPerSecond)} (${s.seconds} s)`;
  };
  return [
    `| | ${sizes.map((s) => `${fmt(s.events)} events`).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
    row('**verify**: events/s (s)', (s) => `${fmt(s.verify.eventsPerSecond)} (${s.verify.seconds} s)`),
    row('verify: peak RSS (MiB)', (s) => `${s.verify.peakRssMiB}`),
    row('**export**: events/s (s)', (s) => `${fmt(s.export.eventsPerSecond)} (${s.export.seconds} s)`),
    row('export: file size (MB; bytes/event)', (s) => `${round1(Number(s.export.detail.bytes) / 1e6)}; ${fmt(Number(s.export.detail.bytes) / s.events)}`),
    row('export: peak RSS (MiB)', (s) => `${s.export.peakRssMiB}`),
    row('**import**: events/s (s)', (s) => `${fmt(s.import.eventsPerSecond)} (${s.import.seconds} s)`),
    row('import, verify step: events/s (s)', (s) => step(s.import, 'verifyStep')),
    row('import, insert step: events/s (s)', (s) => step(s.import, 'insertStep')),
    row('import: peak RSS (MiB)', (s) => `${s.import.peakRssMiB}`),
    row('RSS after start-up, before the operation (MiB)', (s) => `${s.verify.startupRssMiB}`),
    row('peak V8 heap used: verify / export / import (MiB)', (s) => `${s.verify.peakHeapUsedMiB} / ${s.export.peakHeapUsedMiB} / ${s.import.peakHeapUsedMiB}`),
    row('live V8 heap after a full GC, before → after: verify / export / import (MiB)', (s) =>
      [s.verify, s.export, s.import].map((r) => `${r.liveHeapMiB[0]} → ${r.liveHeapMiB[1]}`).join(' / ')),
    row('live V8 heap after a full GC every 5 s, lowest–highest: verify / export / import (MiB)', (s) =>
      [s.verify, s.export, s.import].map(liveRange).join(' / ')),
    ...(sizes.every((s) => s.capped)
      ? [
          row(`old space capped at ${settings.heapCapMiB} MiB: verify / export / import events/s`, (s) =>
            [s.capped!.verify, s.capped!.export, s.capped!.import].map((r) => fmt(r.eventsPerSecond)).join(' / ')),
          row('… peak RSS: verify / export / import (MiB)', (s) => [s.capped!.verify, s.capped!.export, s.capped!.import].map((r) => r.peakRssMiB).join(' / ')),
          row('… live heap after a full GC every 5 s, lowest–highest (MiB)', (s) => [s.capped!.verify, s.capped!.export, s.capped!.import].map(liveRange).join(' / ')),
        ]
      : []),
    row('1-minute load average during verify / export / import (highest)', (s) =>
      [s.verify, s.export, s.import].map((r) => `${r.loadAverage.max}`).join(' / ')),
    row('verify: Node CPU / PostgreSQL CPU / a statement in flight (share of wall time)', (s) => share(s.verify)),
    row('export: Node CPU / PostgreSQL CPU / a statement in flight', (s) => share(s.export)),
    row('import: Node CPU / PostgreSQL CPU / a statement in flight', (s) => share(s.import)),
    row('per event in Node: canonical JSON / chainHash / JSON.parse (µs)', (s) =>
      `${s.perEvent.microsecondsPerEvent.canonicalJson} / ${s.perEvent.microsecondsPerEvent.chainHash} / ${s.perEvent.microsecondsPerEvent.jsonParseLine}`),
    row('load through appendMany (events/s)', (s) => fmt(s.load.eventsPerSecond)),
  ].join('\n');
}

const [phase, json] = process.argv.slice(2);
const run =
  phase === 'verify' || phase === 'export' || phase === 'import'
    ? child(phase, JSON.parse(json ?? '{}') as ChildArgs)
    : phase === undefined
      ? main()
      : Promise.reject(new Error(`unknown phase "${phase}": verify, export or import, or none for the whole benchmark`));
run.catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
