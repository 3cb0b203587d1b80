/**
 * Read-side benchmark (`npm run bench:read`, see docs/benchmarks.md): loads claims straight
 * through the event store in large transactions (not HTTP), catches the projectors up, then
 * times the dashboard's timeline and scorecard queries at a small and a large size (in a fresh
 * process of their own, as a server would run them), and the rebuild of each projector. Runs on a database of its own, created here and dropped at the end.
 *
 * Environment:
 *   BENCH_DATABASE_URL  server to use (default postgresql://postgres@127.0.0.1:5432/postgres); its
 *                       database, if any, is the maintenance database the bench database is made from
 *   BENCH_CLAIMS        the large size (default 1,000,000)
 *   BENCH_SMALL         the small size (default 10,000)
 *   BENCH_QUICK=1       a trial run: 2,000 and 20,000 claims, 100 timed runs
 *   BENCH_RUNS, BENCH_WARMUP   timed runs and warm-up runs per query (default 500 and 50)
 *   BENCH_BATCH         claims per transaction while loading (default 1,000)
 *   BENCH_SEGMENT       while growing, catch the projectors up after every this many claims (default 100,000)
 *   BENCH_MAX_MINUTES   stop growing once growing has taken this long; measure at the size reached
 *   BENCH_KEEP_DB=1     keep the database at the end (for EXPLAIN and the like) instead of dropping it
 *   BENCH_REUSE_DB      the name of a database a BENCH_KEEP_DB=1 run kept: load nothing, only time
 *                       the queries on it (BENCH_ROUNDS times, default 3, each in a fresh process)
 *   BENCH_COMPARE_WITH  with BENCH_REUSE_DB: another build's dist/bench/read.bench.js (e.g. of main),
 *                       timed in turn with this one in every round, so before and after share the
 *                       machine's load
 *   BENCH_SEED          seed of the data generator (default 20201010)
 *   BENCH_VACUUM        auto (default): VACUUM (ANALYZE) after each catch-up and rebuild when the
 *                       server's autovacuum is off, as a normal server's autovacuum would have;
 *                       always; never (the raw behaviour of a server without autovacuum)
 */
import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MultiBar, Presets, SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { bakuIso, HOUR, intSetting, prng } from './support';
import { EventStore } from '../src/event-store/event-store.service';
import type { JsonObject, NewEvent } from '../src/event-store/event-store.types';
import { ProjectionRunner } from '../src/projections/projection-runner.service';
import { DashboardQueries } from '../src/read-models/dashboard-queries.service';
import type { TimelineResponse } from '../src/read-models/responses/dashboard.response';

// ---------------------------------------------------------------------------------------------
// Settings

const env = process.env;
const QUICK = ['1', 'true', 'yes'].includes((env.BENCH_QUICK ?? '').toLowerCase());


function choice<T extends string>(name: string, options: readonly T[]): T {
  const raw = (env[name] || options[0]!) as T;
  if (!options.includes(raw)) throw new Error(`${name} must be one of ${options.join(', ')}, not "${raw}"`);
  return raw;
}

const settings = {
  small: intSetting('BENCH_SMALL', QUICK ? 2_000 : 10_000),
  large: intSetting('BENCH_CLAIMS', QUICK ? 20_000 : 1_000_000),
  runs: intSetting('BENCH_RUNS', QUICK ? 100 : 500),
  warmup: intSetting('BENCH_WARMUP', QUICK ? 10 : 50, 0),
  batch: Math.min(intSetting('BENCH_BATCH', 1_000), 5_000),
  segment: intSetting('BENCH_SEGMENT', QUICK ? 10_000 : 100_000),
  maxMinutes: env.BENCH_MAX_MINUTES ? intSetting('BENCH_MAX_MINUTES', 0) : null,
  keepDb: ['1', 'true', 'yes'].includes((env.BENCH_KEEP_DB ?? '').toLowerCase()),
  reuseDb: env.BENCH_REUSE_DB || null,
  rounds: intSetting('BENCH_ROUNDS', 3),
  compareWith: env.BENCH_COMPARE_WITH || null,
  seed: intSetting('BENCH_SEED', 20201010),
  vacuum: choice('BENCH_VACUUM', ['auto', 'always', 'never'] as const),
  server: env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
};

// ---------------------------------------------------------------------------------------------
// The scenario: one conflict in Asia/Baku, four parties, five agreements, two years of claims.

const TIME_ZONE = 'Asia/Baku';
const DAY = 24 * HOUR;
/** Local midnight (UTC+4, Baku has no DST since 2016) of the first day of the period. */
const START = Date.parse('2020-10-01T00:00:00+04:00');
const DAYS = 730;

type Random = ReturnType<typeof prng>;


type PartyKey = 'az' | 'am' | 'nk' | 'ru';
interface BenchParty {
  key: PartyKey;
  partyId: string;
  name: string;
  shortName: string;
  kind: 'state' | 'de-facto-authority' | 'mediator';
  aliases: string[];
  speakers: string[];
  outlets: string[];
}

const PARTIES: Omit<BenchParty, 'partyId'>[] = [
  {
    key: 'az', name: 'Republic of Azerbaijan', shortName: 'Azerbaijan', kind: 'state', aliases: [],
    speakers: ['Ministry of Defence of Azerbaijan', 'Presidential Administration of Azerbaijan', 'Ministry of Foreign Affairs of Azerbaijan'],
    outlets: ['APA', 'Azertac', 'Trend', 'Report.az', 'Anadolu Agency'],
  },
  {
    key: 'am', name: 'Republic of Armenia', shortName: 'Armenia', kind: 'state', aliases: [],
    speakers: ['Ministry of Defence of Armenia', 'Office of the Prime Minister of Armenia', 'Ministry of Foreign Affairs of Armenia'],
    outlets: ['Armenpress', 'news.am', 'Azatutyun', 'Asbarez'],
  },
  {
    key: 'nk', name: 'Nagorno-Karabakh authorities', shortName: 'Nagorno-Karabakh', kind: 'de-facto-authority', aliases: ['Artsakh', 'Republic of Artsakh'],
    speakers: ['Defence Army of Nagorno-Karabakh', 'Human Rights Defender of Nagorno-Karabakh', 'Information Headquarters of Nagorno-Karabakh'],
    outlets: ['Artsakhpress', 'news.am', 'Armenpress'],
  },
  {
    key: 'ru', name: 'Russian Federation', shortName: 'Russia', kind: 'mediator', aliases: ['Russian peacekeeping contingent'],
    speakers: ['Ministry of Defence of Russia', 'Russian peacekeeping contingent', 'Ministry of Foreign Affairs of Russia'],
    outlets: ['TASS', 'Interfax', 'RIA Novosti'],
  },
];
const WIRE_OUTLETS = ['Reuters', 'AFP', 'BBC', 'Eurasianet', 'OC Media', 'JAMnews', 'RFE/RL', 'Al Jazeera'];

const PLACES = [
  { name: 'Tartar', altNames: ['Terter'], lat: 40.342, lon: 46.93, precision: 'settlement' },
  { name: 'Ganja', altNames: ['Gyandzha'], lat: 40.683, lon: 46.361, precision: 'settlement' },
  { name: 'Stepanakert', altNames: ['Khankendi'], lat: 39.815, lon: 46.752, precision: 'settlement' },
  { name: 'Shusha', altNames: ['Shushi'], lat: 39.758, lon: 46.749, precision: 'settlement' },
  { name: 'Martuni', altNames: ['Khojavend'], lat: 39.793, lon: 47.114, precision: 'settlement' },
  { name: 'Fuzuli', altNames: ['Varanda'], lat: 39.6, lon: 47.145, precision: 'district' },
  { name: 'Jabrayil', altNames: ['Jrakan'], lat: 39.399, lon: 47.028, precision: 'district' },
  { name: 'Aghdam', altNames: ['Akna'], lat: 39.993, lon: 46.93, precision: 'district' },
  { name: 'Lachin', altNames: ['Berdzor'], lat: 39.639, lon: 46.546, precision: 'settlement' },
  { name: 'Hadrut', altNames: [], lat: 39.52, lon: 47.031, precision: 'settlement' },
  { name: 'Kalbajar', altNames: ['Karvachar'], lat: 40.105, lon: 46.038, precision: 'district' },
  { name: 'Sotk', altNames: ['Zod'], lat: 40.212, lon: 45.98, precision: 'settlement' },
  { name: 'Jermuk', altNames: [], lat: 39.841, lon: 45.67, precision: 'settlement' },
  { name: 'Goris', altNames: [], lat: 39.508, lon: 46.338, precision: 'settlement' },
  { name: 'Tovuz', altNames: [], lat: 40.992, lon: 45.628, precision: 'district' },
  { name: 'the line of contact', altNames: [], precision: 'region' },
] as const;

const VIOLATION_CATEGORIES = [
  ['shelling', 30], ['small-arms', 30], ['drone-strike', 12], ['incursion', 8], ['ground-assault', 7],
  ['missile-strike', 5], ['air-strike', 3], ['other', 5],
] as const;
const VERBS: Record<string, string> = {
  shelling: 'shelled', 'small-arms': 'opened small-arms fire on', 'drone-strike': 'struck with drones',
  incursion: 'attempted an incursion near', 'ground-assault': 'attacked positions near', 'missile-strike': 'fired missiles at',
  'air-strike': 'carried out an air strike on', other: 'violated the ceasefire near',
};
const PRECISIONS = [['hour', 40], ['minute', 20], ['part-of-day', 20], ['day', 15], ['approximate', 5]] as const;

/** A claim the generator remembers for a while: to answer it, revise it or mark another its duplicate. */
interface Recent {
  claimId: string;
  claimant: PartyKey;
  subject: PartyKey;
  violation: boolean;
  occurred: JsonObject;
  occurredTo: number;
  statedAt: number;
  hasCasualties: boolean;
}

interface Append {
  streamId: string;
  expectedVersion: number | 'no-stream';
  events: NewEvent[];
  metadata: JsonObject;
}

class ClaimGenerator {
  private readonly rnd: Random;
  private readonly parties: Map<PartyKey, BenchParty>;
  /** Violation claims recently recorded: what responses answer (kept short, never the whole log). */
  private readonly recentViolations: Recent[] = [];
  /** The claims of the previous batch, which the next batch's follow-ups (assessments, retractions…) touch. */
  private previousBatch: Recent[] = [];
  private request = 0;
  claims = 0;
  events = 0;

  constructor(
    seed: number,
    parties: BenchParty[],
    private readonly conflictId: string,
  ) {
    this.rnd = prng(seed);
    this.parties = new Map(parties.map((p) => [p.key, p]));
  }

  /** The next `count` claims, plus follow-up events on some claims of the batch before. */
  batch(count: number): Append[] {
    const appends = this.followUps();
    const batch: Recent[] = [];
    for (let i = 0; i < count; i++) {
      const { append, recent } = this.claim();
      appends.push(append);
      batch.push(recent);
    }
    this.previousBatch = batch;
    this.claims += count;
    for (const a of appends) this.events += a.events.length;
    return appends;
  }

  private party(key: PartyKey) {
    return this.parties.get(key)!;
  }

  private metadata(claimId: string): JsonObject {
    this.request += 1;
    return {
      actor: { tokenId: 'bench', name: 'read benchmark loader' },
      role: 'journalist',
      requestId: `bench-${this.request}`,
      correlationId: `bench-${this.request}`,
      causationId: null,
      idempotencyKey: null,
      requestHash: 'bench',
      resultId: claimId,
    };
  }

  private attribution(claimant: PartyKey, publishedAt: number): JsonObject {
    const r = this.rnd;
    const own = this.party(claimant);
    const outlet = r.chance(0.7) ? r.pick(own.outlets) : r.pick(WIRE_OUTLETS);
    const confidential = r.chance(0.01);
    const a: JsonObject = {
      attributionId: randomUUID(),
      outlet,
      speaker: r.pick(own.speakers),
      url: `https://news.example/${outlet.toLowerCase().replace(/[^a-z]+/g, '-')}/${r.int(100000, 999999)}`,
      publishedAt: bakuIso(publishedAt),
      language: r.pick(['az', 'hy', 'ru', 'en']),
      reliability: r.weighted([['A', 5], ['B', 30], ['C', 40], ['D', 15], ['E', 5], ['F', 5]] as const),
      credibility: r.int(1, 6),
      confidential,
    };
    if (r.chance(0.4)) a.quote = 'The statement as quoted by the outlet, paraphrased for the benchmark.';
    return a;
  }

  private attributions(claimant: PartyKey, statedAt: number): JsonObject[] {
    const n = this.rnd.weighted([[1, 60], [2, 30], [3, 10]] as const);
    return Array.from({ length: n }, (_, i) => this.attribution(claimant, statedAt + (i + 1) * this.rnd.int(5, 90) * 60_000));
  }

  /** An occurrence time: a third of the claims fall in the first six weeks (the war), the rest anywhere. */
  private occurred(): { occurred: JsonObject; from: number; to: number } {
    const r = this.rnd;
    const day = r.chance(0.3) ? r.int(0, 44) : r.int(0, DAYS - 1);
    const at = START + day * DAY + r.int(0, DAY / 60_000 - 1) * 60_000;
    const precision = r.weighted(PRECISIONS);
    switch (precision) {
      case 'minute':
        return { occurred: { from: bakuIso(at), precision }, from: at, to: at };
      case 'hour': {
        const from = at - (at % HOUR);
        return { occurred: { from: bakuIso(from), precision, raw: `around ${new Date(from + 4 * HOUR).getUTCHours()}:00` }, from, to: from };
      }
      case 'part-of-day': {
        const dayStart = START + day * DAY;
        const part = Math.floor((at - dayStart) / (6 * HOUR));
        const from = dayStart + part * 6 * HOUR;
        const to = from + 6 * HOUR - 60_000;
        const raw = ['overnight', 'in the morning', 'in the afternoon', 'in the evening'][part]!;
        return { occurred: { from: bakuIso(from), to: bakuIso(to), precision, raw }, from, to };
      }
      case 'day': {
        const from = START + day * DAY;
        const to = from + DAY - 60_000;
        return { occurred: { from: bakuIso(from), to: bakuIso(to), precision, raw: 'during the day' }, from, to };
      }
      default: {
        const from = START + day * DAY;
        const to = from + 2 * DAY;
        return { occurred: { from: bakuIso(from), to: bakuIso(to), precision: 'approximate', raw: 'in recent days' }, from, to };
      }
    }
  }

  private casualties(): JsonObject | undefined {
    const r = this.rnd;
    if (!r.chance(0.25)) return undefined;
    const range = (max: number): JsonObject => {
      const min = r.int(0, max);
      const spread = r.chance(0.2) ? r.int(1, 10) : 0;
      return spread > 8 ? { min, max: min + spread, raw: 'dozens' } : { min, max: min + spread };
    };
    const c: JsonObject = {};
    if (r.chance(0.6)) c.civilian = r.chance(0.5) ? { killed: range(5), wounded: range(12) } : { wounded: range(8) };
    if (r.chance(0.5) || !c.civilian) c.military = r.chance(0.6) ? { killed: range(4), wounded: range(10) } : { wounded: range(6) };
    return c;
  }

  private claim(): { append: Append; recent: Recent } {
    const r = this.rnd;
    const claimId = randomUUID();
    const answered = this.recentViolations.length > 100 && r.chance(0.15) ? r.pick(this.recentViolations) : null;
    let claimant: PartyKey;
    let subject: PartyKey;
    let violation: boolean;
    let stance: string | undefined;
    let occurred: JsonObject;
    let occurredTo: number;
    let statedAt: number;
    let category: string;
    if (answered) {
      // A counterclaim about the same incident, by the party accused.
      claimant = answered.subject;
      stance = r.weighted([['denial', 55], ['counter-accusation', 35], ['justification', 7], ['acknowledgement', 3]] as const);
      violation = stance !== 'denial';
      subject = stance === 'denial' || stance === 'acknowledgement' ? claimant : answered.claimant;
      occurred = answered.occurred;
      occurredTo = answered.occurredTo;
      statedAt = answered.statedAt + r.int(20, 12 * 60) * 60_000;
      category = violation ? r.weighted(VIOLATION_CATEGORIES) : 'ceasefire-statement';
    } else {
      claimant = r.weighted([['az', 40], ['am', 30], ['nk', 22], ['ru', 8]] as const);
      const o = this.occurred();
      occurred = o.occurred;
      occurredTo = o.to;
      statedAt = o.to + r.int(30, 30 * 60) * 60_000;
      // Russia mostly reports that the truce holds; the others mostly accuse each other.
      violation = claimant === 'ru' ? r.chance(0.4) : r.chance(0.8);
      const others: Record<PartyKey, PartyKey[]> = { az: ['am', 'am', 'nk'], am: ['az'], nk: ['az'], ru: ['az', 'am', 'nk'] };
      subject = violation || claimant === 'ru' ? r.pick(others[claimant]) : claimant;
      category = violation ? r.weighted(VIOLATION_CATEGORIES) : 'ceasefire-statement';
    }
    const place = r.pick(PLACES);
    const casualties = violation ? this.casualties() : undefined;
    const who = this.party(claimant).shortName;
    const whom = this.party(subject).shortName;
    const summary = violation
      ? `${who} says ${claimant === subject ? 'its forces' : whom} ${VERBS[category] ?? 'violated the ceasefire near'} ${place.name}`
      : `${who} says ${claimant === subject ? 'it strictly observes' : `${whom} observes`} the ceasefire${stance ? ' and denies the accusation' : ''}`;
    const data: JsonObject = {
      claimId,
      conflictId: this.conflictId,
      ...(answered ? { respondsTo: answered.claimId, stance: stance! } : {}),
      claimant: this.party(claimant).partyId,
      subject: this.party(subject).partyId,
      assertion: violation ? 'violated' : 'complied',
      category,
      occurred,
      statedAt: bakuIso(statedAt),
      location: { name: place.name, altNames: [...place.altNames], ...('lat' in place ? { lat: place.lat, lon: place.lon } : {}), precision: place.precision },
      ...(casualties ? { casualties } : {}),
      summary,
      attributions: this.attributions(claimant, statedAt),
    };
    const recent: Recent = { claimId, claimant, subject, violation, occurred, occurredTo, statedAt, hasCasualties: !!casualties };
    if (violation && !answered) {
      this.recentViolations.push(recent);
      if (this.recentViolations.length > 5_000) this.recentViolations.splice(0, 1_000);
    }
    const append: Append = {
      streamId: `claim-${claimId}`,
      expectedVersion: 'no-stream',
      events: [{ type: 'ClaimRecorded', data }],
      metadata: this.metadata(claimId),
    };
    return { append, recent };
  }

  /** Later events on claims of the previous batch: assessments, revisions, retractions, voids, duplicates. */
  private followUps(): Append[] {
    const r = this.rnd;
    const appends: Append[] = [];
    for (const c of this.previousBatch) {
      const later = c.statedAt + r.int(1, 72) * HOUR;
      const roll = r.next();
      let events: NewEvent[] = [];
      if (roll < 0.04) {
        const status = r.weighted([['corroborated', 35], ['contested', 30], ['refuted', 20], ['unverifiable', 15]] as const);
        events = [{ type: 'ClaimAssessed', data: { claimId: c.claimId, status, rationale: 'Compared with imagery and other reports.', evidence: ['https://evidence.example/1'] } }];
      } else if (roll < 0.055 && c.hasCasualties) {
        events = [{
          type: 'CasualtiesRevised',
          data: { claimId: c.claimId, casualties: { civilian: { killed: { min: r.int(1, 6), max: r.int(6, 10) } } }, asOf: bakuIso(later), attributions: [this.attribution(c.claimant, later)] },
        }];
      } else if (roll < 0.065) {
        events = [{ type: 'AttributionAdded', data: { claimId: c.claimId, attribution: this.attribution(c.claimant, later) } }];
      } else if (roll < 0.075) {
        events = [{ type: 'ClaimRetracted', data: { claimId: c.claimId, statedAt: bakuIso(later), attributions: [this.attribution(c.claimant, later)] } }];
      } else if (roll < 0.078) {
        const o = this.occurred();
        events = [{ type: 'ClaimCorrected', data: { claimId: c.claimId, changes: { occurred: { ...o.occurred, from: c.occurred.from } }, reason: 'Data entry: the reported time was mistyped.' } }];
      } else if (roll < 0.081) {
        events = [{ type: 'ClaimVoided', data: { claimId: c.claimId, reason: 'Recorded twice by mistake; never claimed as entered.' } }];
      } else if (roll < 0.083) {
        const original = this.previousBatch.find((o) => o !== c && o.claimant === c.claimant);
        if (original) events = [{ type: 'ClaimMarkedDuplicate', data: { claimId: c.claimId, duplicateOf: original.claimId, reason: 'The same statement, reported by another outlet.' } }];
      }
      if (events.length > 0) {
        appends.push({ streamId: `claim-${c.claimId}`, expectedVersion: 1, events, metadata: { ...this.metadata(c.claimId), role: 'editor' } });
      }
    }
    return appends;
  }
}

interface Setup {
  conflictId: string;
  parties: BenchParty[];
  agreements: { agreementId: string; title: string }[];
  events: number;
}

/** The conflict, its parties and agreements, appended as the write side would have. */
async function registerConflict(store: EventStore): Promise<Setup> {
  const conflictId = randomUUID();
  const parties: BenchParty[] = PARTIES.map((p) => ({ ...p, partyId: randomUUID() }));
  const meta = (resultId: string): JsonObject => ({
    actor: { tokenId: 'bench', name: 'read benchmark loader' }, role: 'editor', requestId: `setup-${resultId}`,
    correlationId: 'bench-setup', causationId: null, idempotencyKey: null, requestHash: 'bench', resultId,
  });
  let events = 0;
  await store.append(`conflict-${conflictId}`, 'no-stream', [
    { type: 'ConflictRegistered', data: { conflictId, name: 'Nagorno-Karabakh (benchmark)', region: 'South Caucasus', timeZone: TIME_ZONE, description: 'Generated data for the read benchmark.' } },
    ...parties.map((p) => ({
      type: 'PartyAdded',
      data: { conflictId, partyId: p.partyId, name: p.name, shortName: p.shortName, kind: p.kind, aliases: p.aliases },
    })),
  ], meta(conflictId));
  events += 1 + parties.length;

  const [az, am, , ru] = parties.map((p) => p.partyId) as [string, string, string, string];
  const definitions = [
    { title: 'Moscow humanitarian ceasefire', kind: 'humanitarian-truce', from: '2020-10-10T12:00:00+04:00', raw: '12:00 on 10 October', basis: 'inferred', ended: '2020-10-18T00:00:00+04:00', mediators: [ru] },
    { title: 'Humanitarian truce of 17 October', kind: 'humanitarian-truce', from: '2020-10-18T00:00:00+04:00', raw: 'from 00:00 on 18 October', basis: 'stated', ended: '2020-10-26T08:00:00+04:00', mediators: [ru] },
    { title: 'Washington humanitarian ceasefire', kind: 'humanitarian-truce', from: '2020-10-26T08:00:00+04:00', raw: '08:00 local time on 26 October', basis: 'stated', ended: '2020-11-10T01:00:00+04:00', mediators: [] },
    { title: 'Trilateral statement of 10 November', kind: 'ceasefire', from: '2020-11-10T01:00:00+04:00', raw: '00:00 Moscow time on 10 November', basis: 'stated', ended: null, mediators: [ru] },
    { title: 'Ceasefire of 13 September 2022', kind: 'ceasefire', from: '2022-09-14T20:00:00+04:00', raw: '20:00 on 14 September', basis: 'stated', ended: null, mediators: [ru] },
  ] as const;
  const agreements: Setup['agreements'] = [];
  for (const d of definitions) {
    const agreementId = randomUUID();
    const at = Date.parse(d.from);
    const evs: NewEvent[] = [{
      type: 'AgreementRecorded',
      data: {
        agreementId, conflictId, title: d.title, kind: d.kind, signatories: [az, am], mediators: [...d.mediators],
        agreedAt: bakuIso(at - 10 * HOUR),
        effectiveFrom: { at: d.from, raw: d.raw, timeZone: TIME_ZONE, basis: d.basis },
        terms: `${d.title}: the parties cease fire and keep their positions.`,
        reaffirms: agreements.length > 0 ? [agreements[agreements.length - 1]!.agreementId] : [],
        attributions: [{ attributionId: randomUUID(), outlet: 'TASS', speaker: 'Ministry of Foreign Affairs of Russia', reliability: 'B', credibility: 2, confidential: false }],
      },
    }];
    agreements.push({ agreementId, title: d.title });
    await store.append(`agreement-${agreementId}`, 'no-stream', evs, meta(agreementId));
    events += 1;
  }
  // End each truce when the next took effect, as editors would record it.
  for (const [i, d] of definitions.entries()) {
    if (!d.ended) continue;
    await store.append(`agreement-${agreements[i]!.agreementId}`, 1, [
      { type: 'AgreementEnded', data: { agreementId: agreements[i]!.agreementId, endedAt: d.ended, reason: 'Superseded by the next truce.', supersededBy: agreements[i + 1]!.agreementId } },
    ], meta(agreements[i]!.agreementId));
    events += 1;
  }
  return { conflictId, parties, agreements, events };
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Stats {
  runs: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  /** Garbage-collection pauses of this process during the timed runs, and how many runs they fell in. */
  gc: { pauses: number; totalMs: number; maxMs: number; runsHit: number; byKind: Record<string, { pauses: number; maxMs: number }> };
  /** The p99 of the runs no GC pause fell in: what the database and the code take without it. */
  p99WithoutGc: number;
}

const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;
/** perf_hooks' GC kinds (NODE_PERFORMANCE_GC_*). */
const GC_KINDS: Record<number, string> = { 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weak callbacks' };

function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest rank: the smallest sample with at least p of the samples at or below it.
  return roundMs(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!);
}

async function time(run: (i: number) => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < settings.warmup; i++) await run(i);
  // Each query's timings start from a collected heap, not from the garbage of the one before.
  (globalThis as { gc?: () => void }).gc?.();
  const pauses: { start: number; end: number; kind: string }[] = [];
  const record = (e: PerformanceEntry) =>
    pauses.push({ start: e.startTime, end: e.startTime + e.duration, kind: GC_KINDS[(e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other' });
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) record(e);
  });
  observer.observe({ entryTypes: ['gc'] });
  const windows: { start: number; end: number }[] = [];
  for (let i = 0; i < settings.runs; i++) {
    const start = performance.now();
    await run(i);
    windows.push({ start, end: performance.now() });
  }
  await new Promise((resolve) => setImmediate(resolve));
  for (const e of observer.takeRecords()) record(e);
  observer.disconnect();
  const samples = windows.map((w) => w.end - w.start);
  const hit = windows.map((w) => pauses.some((p) => p.start < w.end && p.end > w.start));
  return {
    runs: samples.length,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    mean: roundMs(samples.reduce((s, v) => s + v, 0) / samples.length),
    min: roundMs(Math.min(...samples)),
    max: roundMs(Math.max(...samples)),
    gc: {
      pauses: pauses.length,
      totalMs: roundMs(pauses.reduce((s, p) => s + p.end - p.start, 0)),
      maxMs: roundMs(Math.max(0, ...pauses.map((p) => p.end - p.start))),
      runsHit: hit.filter(Boolean).length,
      byKind: Object.fromEntries(
        [...new Set(pauses.map((p) => p.kind))].map((kind) => {
          const of = pauses.filter((p) => p.kind === kind);
          return [kind, { pauses: of.length, maxMs: roundMs(Math.max(...of.map((p) => p.end - p.start))) }];
        }),
      ),
    },
    p99WithoutGc: percentile(samples.filter((_, i) => !hit[i]), 0.99),
  };
}

/** Every SQL statement `work` sends through the DataSource, to EXPLAIN the very queries the service runs. */
async function captureSql(dataSource: DataSource, work: () => Promise<unknown>): Promise<{ sql: string; params: unknown[] }[]> {
  const seen: { sql: string; params: unknown[] }[] = [];
  const original = dataSource.query.bind(dataSource);
  dataSource.query = ((sql: string, params?: unknown[], runner?: never) => {
    seen.push({ sql, params: params ?? [] });
    return original(sql, params, runner);
  }) as DataSource['query'];
  try {
    await work();
  } finally {
    Reflect.deleteProperty(dataSource, 'query');
  }
  return seen;
}

async function explain(dataSource: DataSource, work: () => Promise<unknown>): Promise<string[]> {
  const statements = await captureSql(dataSource, work);
  const main = statements[statements.length - 1]!;
  const rows: Record<string, string>[] = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${main.sql}`, main.params);
  return rows.map((r) => r['QUERY PLAN']!);
}

const MONTHS = Array.from({ length: DAYS / 30 }, (_, i) => {
  const d = new Date(Date.UTC(2020, 9 + i, 1));
  const last = new Date(Date.UTC(2020, 10 + i, 0));
  return { from: d.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
});

interface QueryFigures {
  /** `SELECT 1` through the same pool: the floor that every query's figures include. */
  roundTrip: Stats;
  timelineDay: Stats;
  timelineMonth: Stats;
  scorecard: Stats;
  /** The size of what each query returned, to tell slow queries from big answers. */
  answers: { timelineDayPoints: number; timelineMonthPoints: number; scorecardRows: number };
  /** The machine's 1-minute load average before and after: other work on it shows in the p99s. */
  loadAverage: [number, number];
}

async function measureQueries(dataSource: DataSource, queries: DashboardQueries, setup: Setup): Promise<QueryFigures> {
  // by=occurred, bucket=day over one calendar month (each run the next month), and bucket=month over all.
  // The timeline as the route sends it: the answer's JSON text.
  const day = (i: number) => queries.timelineJson(setup.conflictId, { by: 'occurred', bucket: 'day', ...MONTHS[i % MONTHS.length]! });
  const month = () => queries.timelineJson(setup.conflictId, { by: 'occurred', bucket: 'month' });
  const scorecard = (i: number) => queries.scorecard(setup.agreements[i % setup.agreements.length]!.agreementId);
  const points = (text: string) => (JSON.parse(text) as TimelineResponse).series.reduce((s, x) => s + x.points.length, 0);
  const loadBefore = round1(loadavg()[0]!);
  const figures: QueryFigures = {
    roundTrip: await time(() => dataSource.query('SELECT 1')),
    timelineDay: await time(day),
    timelineMonth: await time(month),
    scorecard: await time(scorecard),
    answers: {
      timelineDayPoints: points(await day(0)),
      timelineMonthPoints: points(await month()),
      scorecardRows: (await scorecard(3)).rows.length,
    },
    loadAverage: [loadBefore, round1(loadavg()[0]!)],
  };
  return figures;
}

async function explainQueries(dataSource: DataSource, queries: DashboardQueries, setup: Setup) {
  return {
    timelineDay: await explain(dataSource, () => queries.timelineJson(setup.conflictId, { by: 'occurred', bucket: 'day', ...MONTHS[1]! })),
    timelineMonth: await explain(dataSource, () => queries.timelineJson(setup.conflictId, { by: 'occurred', bucket: 'month' })),
    scorecard: await explain(dataSource, () => queries.scorecard(setup.agreements[3]!.agreementId)),
  };
}

const READ_MODEL_TABLES = [
  'events', 'claim_view_v1', 'allegation_timeline_v1', 'agreement_scorecard_v1', 'source_citations_v1', 'source_ledger_v1',
];

/**
 * What a server's autovacuum would have done by now: without it (this machine's PostgreSQL runs
 * with autovacuum off) nothing is ever analysed, the planner guesses, and update-heavy read
 * models keep every dead row version.
 */
async function maintain(dataSource: DataSource, enabled: boolean): Promise<number> {
  if (!enabled) return 0;
  const t0 = performance.now();
  await dataSource.query('VACUUM (ANALYZE)');
  return round1((performance.now() - t0) / 1000);
}

async function tableSizes(dataSource: DataSource) {
  const rows: { relname: string; rows: string; live: string; dead: string; bytes: string }[] = await dataSource.query(
    `SELECT c.relname, c.reltuples::bigint AS rows, coalesce(s.n_live_tup, 0) AS live, coalesce(s.n_dead_tup, 0) AS dead,
            pg_total_relation_size(c.oid) AS bytes
       FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE c.relname = ANY($1) AND c.relkind = 'r'`,
    [READ_MODEL_TABLES],
  );
  const counts: Record<string, { rows: number; live: number; dead: number; mb: number }> = {};
  for (const table of READ_MODEL_TABLES) {
    const r = rows.find((x) => x.relname === table);
    // Exact counts for the small tables the queries read; estimates for the big ones.
    const exact = ['allegation_timeline_v1', 'agreement_scorecard_v1', 'source_ledger_v1'].includes(table);
    const [n] = exact ? await dataSource.query(`SELECT count(*)::bigint AS n FROM ${table}`) : [{ n: r?.rows ?? 0 }];
    counts[table] = { rows: Number(n.n), live: Number(r?.live ?? 0), dead: Number(r?.dead ?? 0), mb: Math.round(Number(r?.bytes ?? 0) / 1e5) / 10 };
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Loading, catching up, rebuilding

let aborted = false;
process.on('SIGINT', () => {
  if (aborted) process.exit(130);
  aborted = true;
  console.error('\nInterrupted: stopping at the next batch and dropping the database (Ctrl-C again to quit at once).');
});
const checkAborted = () => {
  if (aborted) throw new Error('interrupted');
};

const barOptions = { noTTYOutput: true, notTTYSchedule: 15_000, hideCursor: true, etaBuffer: 50, fps: 5 };

interface LoadFigures {
  claims: number;
  events: number;
  seconds: number;
  claimsPerSecond: number;
  eventsPerSecond: number;
  sql?: SqlBreakdown;
}

async function load(dataSource: DataSource, store: EventStore, generator: ClaimGenerator, upTo: number, label: string): Promise<LoadFigures> {
  const bar = new SingleBar(
    { ...barOptions, format: `${label.padEnd(16)} {bar} {value}/{total} claims | {rate} claims/s | {duration_formatted} | ETA {eta_formatted}` },
    Presets.shades_classic,
  );
  const claims0 = generator.claims;
  const events0 = generator.events;
  const t0 = performance.now();
  profile.start();
  bar.start(upTo, claims0, { rate: 0 });
  while (generator.claims < upTo) {
    checkAborted();
    const appends = generator.batch(Math.min(settings.batch, upTo - generator.claims));
    await dataSource.transaction((tx) => store.appendMany(tx, appends));
    bar.update(generator.claims, { rate: Math.round((generator.claims - claims0) / ((performance.now() - t0) / 1000)) });
  }
  bar.stop();
  const sql = profile.stop();
  const seconds = (performance.now() - t0) / 1000;
  const claims = generator.claims - claims0;
  const events = generator.events - events0;
  return { claims, events, seconds: round1(seconds), claimsPerSecond: Math.round(claims / seconds), eventsPerSecond: Math.round(events / seconds), sql };
}

interface CatchUpFigures {
  events: number;
  seconds: number;
  perProjector: Record<string, { seconds: number; eventsPerSecond: number }>;
  sql?: SqlBreakdown;
}

/**
 * `runner.catchUp()` runs the projectors one after the other; polling their checkpoints tells
 * when each one reached the head, so each gets its own time.
 */
async function catchUp(runner: ProjectionRunner, label: string): Promise<CatchUpFigures> {
  const start = await runner.progress();
  const head = start[0]?.head ?? 0;
  const multibar = new MultiBar(
    { ...barOptions, format: `${label.padEnd(16)} {name} {bar} {value}/{total} | {rate} events/s | {duration_formatted}` },
    Presets.shades_classic,
  );
  const bars = new Map(start.map((p) => [p.name, multibar.create(Math.max(1, head), p.checkpoint, { name: p.name.padEnd(7), rate: 0 })]));
  const begun = new Map<string, number>();
  const finished = new Map<string, number>();
  const t0 = performance.now();
  const poll = async () => {
    const now = performance.now();
    for (const p of await runner.progress()) {
      const from = start.find((s) => s.name === p.name)!.checkpoint;
      if (p.checkpoint > from && !begun.has(p.name)) begun.set(p.name, now);
      if (p.checkpoint >= head && !finished.has(p.name)) finished.set(p.name, now);
      const since = begun.get(p.name);
      const rate = since && now > since ? Math.round((p.checkpoint - from) / ((now - since) / 1000)) : 0;
      bars.get(p.name)?.update(p.checkpoint, { rate });
    }
  };
  let polling = Promise.resolve();
  const timer = setInterval(() => {
    polling = polling.then(poll).catch(() => undefined);
  }, 250);
  profile.start();
  try {
    await runner.catchUp();
  } finally {
    clearInterval(timer);
    await polling;
  }
  const t1 = performance.now();
  // The checkpoint polls are counted too; they are a few milliseconds a second.
  const sql = profile.stop();
  await poll();
  multibar.stop();
  // A projector that finished between two polls is credited with the end of the run at worst.
  const perProjector: CatchUpFigures['perProjector'] = {};
  let previousEnd = t0;
  for (const p of start) {
    const end = Math.min(finished.get(p.name) ?? t1, t1);
    const seconds = (end - previousEnd) / 1000;
    perProjector[p.name] = { seconds: round1(seconds), eventsPerSecond: Math.round((head - p.checkpoint) / Math.max(seconds, 0.001)) };
    previousEnd = end;
  }
  return { events: head - (start[0]?.checkpoint ?? 0), seconds: round1((t1 - t0) / 1000), perProjector, sql };
}

interface RebuildFigures {
  events: number;
  /** From the start to the swap's commit. */
  seconds: number;
  eventsPerSecond: number;
  /** The whole `rebuild()` call, which ends by reading every read model for its digest. */
  callSeconds: number;
  /** Whether the rebuilt read models hold exactly what catching up had built. */
  sameContent: boolean;
  sql: SqlBreakdown;
}

async function rebuild(runner: ProjectionRunner, name: string, label: string): Promise<RebuildFigures> {
  const projectorTables: Record<string, string[]> = {
    claims: ['claim_view_v1', 'allegation_timeline_v1', 'agreement_scorecard_v1'],
    sources: ['source_ledger_v1'],
  };
  const tables = projectorTables[name] ?? [];
  const before = await Promise.all(tables.map((t) => runner.digest(t)));
  const bar = new SingleBar(
    { ...barOptions, format: `${label.padEnd(16)} ${name.padEnd(7)} {bar} {value}/{total} events | {rate} events/s | {duration_formatted} | ETA {eta_formatted}` },
    Presets.shades_classic,
  );
  bar.start(1, 0, { rate: 0 });
  const t0 = performance.now();
  let swapped = t0;
  let head = 0;
  let sql: SqlBreakdown | null = null;
  profile.start();
  await runner.rebuild(name, ({ position, head: h }) => {
    head = h;
    swapped = performance.now();
    bar.setTotal(Math.max(h, 1));
    bar.update(position, { rate: Math.round(position / ((swapped - t0) / 1000)) });
    // The last call comes after the swap's commit: what follows is the digest of every read model.
    if (position === h) sql = profile.snapshot();
  });
  const t1 = performance.now();
  const all = profile.stop();
  sql ??= all;
  bar.stop();
  const after = await Promise.all(tables.map((t) => runner.digest(t)));
  const seconds = (swapped - t0) / 1000;
  return {
    events: head,
    seconds: round1(seconds),
    eventsPerSecond: Math.round(head / seconds),
    callSeconds: round1((t1 - t0) / 1000),
    sameContent: before.every((d, i) => d === after[i]),
    sql,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

interface SqlBreakdown {
  wallSeconds: number;
  /** Time spent waiting for PostgreSQL (round trip and result parsing); the rest is JavaScript. */
  sqlSeconds: number;
  statements: number;
  /** Every distinct statement, by total time. */
  top: { sql: string; calls: number; seconds: number; meanMs: number; share: number }[];
}

/**
 * Times every statement sent through TypeORM's PostgreSQL query runner (which every
 * `tx.query` and `dataSource.query` of the app goes through), grouped by the statement's start:
 * where a phase spends its time.
 */
class SqlProfile {
  private byStatement = new Map<string, { calls: number; ms: number }>();
  private active = false;
  private started = 0;

  install(dataSource: DataSource): void {
    const runner = dataSource.createQueryRunner();
    const proto = Object.getPrototypeOf(runner) as { query: (this: unknown, sql: string, ...rest: unknown[]) => Promise<unknown> };
    void runner.release();
    const original = proto.query;
    const active = () => this.active;
    const add = (sql: string, ms: number) => this.add(sql, ms);
    proto.query = async function (this: unknown, sql: string, ...rest: unknown[]) {
      if (!active()) return original.call(this, sql, ...rest);
      const t0 = performance.now();
      try {
        return await original.call(this, sql, ...rest);
      } finally {
        add(sql, performance.now() - t0);
      }
    };
  }

  start(): void {
    this.byStatement = new Map();
    this.active = true;
    this.started = performance.now();
  }

  /** What was timed since `start`, without stopping. */
  snapshot(): SqlBreakdown {
    return breakdown(performance.now() - this.started, [...this.byStatement].map(([sql, v]) => ({ sql, ...v })));
  }

  stop(): SqlBreakdown {
    const result = this.snapshot();
    this.active = false;
    return result;
  }

  private add(sql: string, ms: number): void {
    // Rebuild tables are the live ones with a suffix; long VALUES lists are cut off.
    const key = sql.slice(0, 400).replace(/\s+/g, ' ').replace(/__next/g, '').replace(/ VALUES \(.*$/, ' VALUES …').trim().slice(0, 140);
    const entry = this.byStatement.get(key) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += ms;
    this.byStatement.set(key, entry);
  }
}

function breakdown(wallMs: number, statements: { sql: string; calls: number; ms: number }[]): SqlBreakdown {
  const sorted = [...statements].sort((a, b) => b.ms - a.ms);
  const sqlMs = sorted.reduce((sum, v) => sum + v.ms, 0);
  return {
    wallSeconds: round1(wallMs / 1000),
    sqlSeconds: round1(sqlMs / 1000),
    statements: sorted.reduce((sum, v) => sum + v.calls, 0),
    top: sorted.map((v) => ({
      sql: v.sql,
      calls: v.calls,
      seconds: Math.round(v.ms) / 1000,
      meanMs: Math.round((v.ms / v.calls) * 1000) / 1000,
      share: Math.round((v.ms / wallMs) * 1000) / 1000,
    })),
  };
}

/** Several phases' breakdowns as one. */
function mergeBreakdowns(parts: (SqlBreakdown | undefined)[]): SqlBreakdown {
  const sums = new Map<string, { calls: number; ms: number }>();
  let wallMs = 0;
  for (const part of parts) {
    if (!part) continue;
    wallMs += part.wallSeconds * 1000;
    for (const t of part.top) {
      const entry = sums.get(t.sql) ?? { calls: 0, ms: 0 };
      entry.calls += t.calls;
      entry.ms += t.seconds * 1000;
      sums.set(t.sql, entry);
    }
  }
  return breakdown(wallMs, [...sums].map(([sql, v]) => ({ sql, ...v })));
}

const profile = new SqlProfile();

// ---------------------------------------------------------------------------------------------
// The database of the run

function serverUrl(database: string): string {
  const url = new URL(settings.server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function maintenanceClient(): Promise<Client> {
  const given = new URL(settings.server).pathname.replace(/^\//, '');
  let lastError: unknown;
  for (const database of given ? [given] : ['postgres', 'test']) {
    const client = new Client({ connectionString: serverUrl(database) });
    try {
      await client.connect();
      return client;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
    }
  }
  throw lastError;
}

async function createDatabase(name: string): Promise<void> {
  const client = await maintenanceClient();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const client = await maintenanceClient();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function machine(dataSource: DataSource) {
  const setting = async (name: string) => (await dataSource.query(`SELECT current_setting($1) AS v`, [name]))[0].v as string;
  let commit: string | null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    commit = null;
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: (await dataSource.query('SHOW server_version'))[0].server_version as string,
    postgresSettings: Object.fromEntries(
      await Promise.all(['shared_buffers', 'work_mem', 'effective_cache_size', 'synchronous_commit', 'max_wal_size', 'jit'].map(async (n) => [n, await setting(n)])),
    ),
    commit,
  };
}

// ---------------------------------------------------------------------------------------------
// The run

interface SizeFigures {
  claims: number;
  events: number;
  load: LoadFigures;
  catchUp: CatchUpFigures;
  queries: QueryFigures;
  tables: Awaited<ReturnType<typeof tableSizes>>;
  explain: Awaited<ReturnType<typeof explainQueries>>;
  rebuild: Record<string, RebuildFigures>;
  /** The queries again on the freshly rebuilt (compact, not yet analysed) tables. */
  queriesAfterRebuild: QueryFigures;
}

async function main(): Promise<void> {
  const dbName = `ceasefire_bench_${randomBytes(4).toString('hex')}`;
  const startedAt = new Date();
  console.log(
    `Read benchmark: ${settings.small.toLocaleString('en')} then ${settings.large.toLocaleString('en')} claims, ${settings.runs} timed runs after ${settings.warmup} warm-ups; database ${dbName}`,
  );
  await createDatabase(dbName);
  let app: INestApplicationContext | null = null;
  const segments: { claims: number; load: LoadFigures; catchUp: CatchUpFigures }[] = [];
  const sizes: SizeFigures[] = [];
  let stoppedEarly: string | null = null;
  try {
    app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ DATABASE_URL: serverUrl(dbName), DEMO: 'false', LOG_LEVEL: 'warn' }, { background: false }),
      { logger: ['error', 'warn'], abortOnError: false },
    );
    const dataSource = app.get(DataSource);
    const store = app.get(EventStore);
    const runner = app.get(ProjectionRunner);
    profile.install(dataSource);
    const host = await machine(dataSource);
    const autovacuum = (await dataSource.query('SHOW autovacuum'))[0].autovacuum as string;
    const vacuum = settings.vacuum === 'always' || (settings.vacuum === 'auto' && autovacuum !== 'on');
    let maintenanceSeconds = 0;
    if (vacuum) console.log(`The server's autovacuum is ${autovacuum}: the bench runs VACUUM (ANALYZE) after each catch-up and rebuild (BENCH_VACUUM=never to skip).`);

    const setup = await registerConflict(store);
    const generator = new ClaimGenerator(settings.seed, setup.parties, setup.conflictId);
    generator.events = setup.events;

    const measureAt = async (load: LoadFigures, caught: CatchUpFigures) => {
      const label = `${generator.claims.toLocaleString('en')}`;
      console.log(`Timing the queries at ${label} claims…`);
      const figures: Partial<SizeFigures> = { claims: generator.claims, events: generator.events, load, catchUp: caught };
      figures.tables = await tableSizes(dataSource);
      ({ queries: figures.queries, explain: figures.explain } = await measureInChild(dbName, setup));
      printQueries(generator.claims, 'after catching up', figures.queries);
      figures.rebuild = {};
      for (const name of runner.names) figures.rebuild[name] = await rebuild(runner, name, `rebuild @${label}`);
      maintenanceSeconds += await maintain(dataSource, vacuum);
      figures.queriesAfterRebuild = (await measureInChild(dbName, setup)).queries;
      printQueries(generator.claims, 'after rebuilding', figures.queriesAfterRebuild);
      sizes.push(figures as SizeFigures);
    };

    const small = Math.min(settings.small, settings.large);
    const smallLoad = await load(dataSource, store, generator, small, `load ${small.toLocaleString('en')}`);
    const smallCatchUp = await catchUp(runner, `project @${small.toLocaleString('en')}`);
    maintenanceSeconds += await maintain(dataSource, vacuum);
    await measureAt(smallLoad, smallCatchUp);

    if (settings.large > small) {
      const growStart = performance.now();
      const totals = { claims: 0, events: 0, seconds: 0 };
      const catchUps: CatchUpFigures[] = [];
      while (generator.claims < settings.large) {
        const target = Math.min(settings.large, (Math.floor(generator.claims / settings.segment) + 1) * settings.segment);
        const l = await load(dataSource, store, generator, target, `load →${target.toLocaleString('en')}`);
        const c = await catchUp(runner, `project @${target.toLocaleString('en')}`);
        maintenanceSeconds += await maintain(dataSource, vacuum);
        segments.push({ claims: generator.claims, load: l, catchUp: c });
        const rates = Object.entries(c.perProjector).map(([name, p]) => `${name} ${p.eventsPerSecond.toLocaleString('en')} events/s`);
        console.log(`  at ${generator.claims.toLocaleString('en')} claims: load ${l.claimsPerSecond} claims/s; catch-up ${rates.join(', ')}`);
        totals.claims += l.claims;
        totals.events += l.events;
        totals.seconds += l.seconds;
        catchUps.push(c);
        const minutes = (performance.now() - growStart) / 60_000;
        if (settings.maxMinutes !== null && minutes > settings.maxMinutes && generator.claims < settings.large) {
          stoppedEarly = `stopped growing at ${generator.claims.toLocaleString('en')} claims after ${minutes.toFixed(1)} min (BENCH_MAX_MINUTES=${settings.maxMinutes})`;
          console.log(stoppedEarly);
          break;
        }
      }
      const loadFigures: LoadFigures = {
        ...totals,
        sql: mergeBreakdowns(segments.map((x) => x.load.sql)),
        seconds: round1(totals.seconds),
        claimsPerSecond: Math.round(totals.claims / totals.seconds),
        eventsPerSecond: Math.round(totals.events / totals.seconds),
      };
      const projectors = Object.keys(catchUps[0]!.perProjector);
      const catchUpFigures: CatchUpFigures = {
        events: catchUps.reduce((s, c) => s + c.events, 0),
        seconds: round1(catchUps.reduce((s, c) => s + c.seconds, 0)),
        perProjector: Object.fromEntries(
          projectors.map((name) => {
            const seconds = catchUps.reduce((s, c) => s + c.perProjector[name]!.seconds, 0);
            const events = catchUps.reduce((s, c) => s + c.events, 0);
            return [name, { seconds: round1(seconds), eventsPerSecond: Math.round(events / seconds) }];
          }),
        ),
        sql: mergeBreakdowns(catchUps.map((c) => c.sql)),
      };
      await measureAt(loadFigures, catchUpFigures);
    }

    const results = {
      benchmark: 'read',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: host,
      settings: { ...settings, server: undefined, quick: QUICK },
      stoppedEarly,
      maintenance: { autovacuum, vacuumAnalyze: vacuum, seconds: round1(maintenanceSeconds) },
      aims: aims(sizes),
      sizes,
      segments,
    };
    printSummary(results.aims, sizes, stoppedEarly);
    const dir = join(__dirname, '..', '..', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `read-${startedAt.toISOString().replace(/:/g, '').replace(/\.\d+Z$/, 'Z')}${QUICK ? '-quick' : ''}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults written to ${file}`);
  } finally {
    if (app) await app.close();
    if (settings.keepDb) console.log(`Kept the database: ${serverUrl(dbName)}`);
    else await dropDatabase(dbName);
  }
}

function aims(sizes: SizeFigures[]) {
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  if (!small || !large) return null;
  const p99 = large.queries.timelineDay.p99;
  const bound = 1.5 * small.queries.timelineDay.p50;
  return {
    timelineP99Under10ms: { value: p99, met: p99 < 10, at: large.claims },
    timelineP99AtMost1_5xSmallP50: { value: p99, bound: Math.round(bound * 1000) / 1000, met: p99 <= bound },
    rebuildAbove20kEventsPerSecond: Object.fromEntries(
      Object.entries(large.rebuild).map(([name, r]) => [name, { value: r.eventsPerSecond, met: r.eventsPerSecond > 20_000 }]),
    ),
  };
}

const ms = (s: Stats) => `${s.p50.toFixed(2)} / ${s.p99.toFixed(2)} / ${s.mean.toFixed(2)}`;

function printQueries(claims: number, when: string, q: QueryFigures): void {
  console.log(
    `  ${claims.toLocaleString('en')} claims, ${when}: timeline day ${ms(q.timelineDay)} ms, month ${ms(q.timelineMonth)} ms, scorecard ${ms(q.scorecard)} ms, SELECT 1 ${ms(q.roundTrip)} ms (p50 / p99 / mean)`,
  );
}

function printSummary(a: ReturnType<typeof aims>, sizes: SizeFigures[], stoppedEarly: string | null): void {
  const header = `| | ${sizes.map((s) => `${s.claims.toLocaleString('en')} claims`).join(' | ')} |`;
  const rule = `|---|${sizes.map(() => '---:').join('|')}|`;
  const row = (label: string, cell: (s: SizeFigures) => string) => `| ${label} | ${sizes.map(cell).join(' | ')} |`;
  const lines = [
    '',
    header,
    rule,
    row('events in the log', (s) => s.events.toLocaleString('en')),
    row('timeline, day buckets, 1-month window: p50 / p99 / mean (ms)', (s) => ms(s.queries.timelineDay)),
    row('… p99 of the runs no GC pause fell in (ms); runs hit', (s) => `${s.queries.timelineDay.p99WithoutGc.toFixed(2)}; ${s.queries.timelineDay.gc.runsHit}/${s.queries.timelineDay.runs}`),
    row('timeline, month buckets, whole range: p50 / p99 / mean (ms)', (s) => ms(s.queries.timelineMonth)),
    row('scorecard: p50 / p99 / mean (ms)', (s) => ms(s.queries.scorecard)),
    row('SELECT 1 through the same pool: p50 / p99 / mean (ms)', (s) => ms(s.queries.roundTrip)),
    row('timeline day, after a rebuild: p50 / p99 (ms)', (s) => `${s.queriesAfterRebuild.timelineDay.p50.toFixed(2)} / ${s.queriesAfterRebuild.timelineDay.p99.toFixed(2)}`),
    row('timeline month, after a rebuild: p50 / p99 (ms)', (s) => `${s.queriesAfterRebuild.timelineMonth.p50.toFixed(2)} / ${s.queriesAfterRebuild.timelineMonth.p99.toFixed(2)}`),
    row('timeline rows (cells)', (s) => s.tables.allegation_timeline_v1!.rows.toLocaleString('en')),
    row('load through the store (claims/s, events/s)', (s) => `${s.load.claimsPerSecond.toLocaleString('en')}, ${s.load.eventsPerSecond.toLocaleString('en')}`),
    ...Object.keys(sizes[0]?.catchUp.perProjector ?? {}).map((name) =>
      row(`catch-up, ${name} projector (events/s)`, (s) => s.catchUp.perProjector[name]!.eventsPerSecond.toLocaleString('en')),
    ),
    ...Object.keys(sizes[0]?.rebuild ?? {}).map((name) =>
      row(`rebuild ${name} (events/s; s)`, (s) => `${s.rebuild[name]!.eventsPerSecond.toLocaleString('en')}; ${s.rebuild[name]!.seconds}`),
    ),
  ];
  console.log(lines.join('\n'));
  if (stoppedEarly) console.log(`\nNote: ${stoppedEarly}.`);
  if (!a) return;
  const mark = (met: boolean) => (met ? 'met' : 'NOT met');
  console.log('\nAims:');
  console.log(`- timeline p99 under 10 ms at ${a.timelineP99Under10ms.at.toLocaleString('en')} claims: ${a.timelineP99Under10ms.value} ms, ${mark(a.timelineP99Under10ms.met)}`);
  console.log(`- timeline p99 at most 1.5× the small size's p50 (${a.timelineP99AtMost1_5xSmallP50.bound} ms): ${mark(a.timelineP99AtMost1_5xSmallP50.met)}`);
  for (const [name, r] of Object.entries(a.rebuildAbove20kEventsPerSecond)) {
    console.log(`- rebuild ${name} above 20,000 events/s: ${r.value.toLocaleString('en')} events/s, ${mark(r.met)}`);
  }
}

/**
 * The queries are timed in a process of their own, started for it like a server would be: the
 * loader's heap (the generator's state for a million claims) is not a dashboard server's, and
 * it made young-generation collections — and so the p99 — slower than a server would see them.
 */
async function measureInChild(dbName: string, setup: Setup, script = __filename): Promise<{ queries: QueryFigures; explain: Awaited<ReturnType<typeof explainQueries>> }> {
  const child = spawn(process.execPath, ['--expose-gc', script, MEASURE, JSON.stringify({ dbName, setup })], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the query timing process exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

const MEASURE = 'measure-queries';

/** The child side of `measureInChild`: a fresh application context on the bench database. */
async function measureQueriesHere(args: string): Promise<void> {
  const { dbName, setup } = JSON.parse(args) as { dbName: string; setup: Setup };
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ DATABASE_URL: serverUrl(dbName), DEMO: 'false', LOG_LEVEL: 'warn' }, { background: false }),
    { logger: ['error', 'warn'], abortOnError: false },
  );
  try {
    const dataSource = app.get(DataSource);
    const queries = app.get(DashboardQueries, { strict: false });
    const result = { queries: await measureQueries(dataSource, queries, setup), explain: await explainQueries(dataSource, queries, setup) };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await app.close();
  }
}

/**
 * BENCH_REUSE_DB: the queries timed again on a database an earlier run kept, without loading
 * (a million claims take 12–25 minutes to load), BENCH_ROUNDS times in fresh processes; with
 * BENCH_COMPARE_WITH, another build's timing process in turn with this one's in each round.
 */
async function reuse(dbName: string): Promise<void> {
  const startedAt = new Date();
  const client = new Client({ connectionString: serverUrl(dbName) });
  await client.connect();
  let setup: Setup;
  let claims: number;
  try {
    const conflicts = (await client.query<{ conflict_id: string }>('SELECT conflict_id FROM rm_conflicts_v1')).rows;
    if (conflicts.length !== 1) throw new Error(`${dbName} is not a read benchmark's database: it has ${conflicts.length} conflicts`);
    // In the order the bench recorded them (the scorecard takes each in turn).
    const agreements = (await client.query<{ agreement_id: string }>('SELECT agreement_id FROM rm_agreements_v1 ORDER BY effective_from')).rows;
    setup = { conflictId: conflicts[0]!.conflict_id, parties: [], agreements: agreements.map((a) => ({ agreementId: a.agreement_id, title: '' })), events: 0 };
    claims = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM claim_view_v1')).rows[0]!.n);
  } finally {
    await client.end();
  }
  const builds = [{ name: 'this build', script: __filename }, ...(settings.compareWith ? [{ name: settings.compareWith, script: settings.compareWith }] : [])];
  console.log(`Timing the queries on ${dbName} (${claims.toLocaleString('en')} claims), ${settings.rounds} rounds of ${builds.map((b) => b.name).join(' and ')}; ${settings.runs} timed runs after ${settings.warmup} warm-ups`);
  const rounds: { round: number; build: string; queries: QueryFigures }[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    for (const build of builds) {
      const { queries } = await measureInChild(dbName, setup, build.script);
      rounds.push({ round, build: build.name, queries });
      console.log(`round ${round}, ${build.name} (load ${queries.loadAverage.join('–')}):`);
      printQueries(claims, 'on the kept database', queries);
    }
  }
  const summary = builds.map((b) => {
    const of = rounds.filter((r) => r.build === b.name).map((r) => r.queries);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    return {
      build: b.name,
      timelineDay: { p50: median(of.map((q) => q.timelineDay.p50)), p99: median(of.map((q) => q.timelineDay.p99)), gcPauses: median(of.map((q) => q.timelineDay.gc.pauses)), runsHitByGc: median(of.map((q) => q.timelineDay.gc.runsHit)) },
      timelineMonth: { p50: median(of.map((q) => q.timelineMonth.p50)), p99: median(of.map((q) => q.timelineMonth.p99)) },
      loadAverages: of.map((q) => q.loadAverage),
    };
  });
  console.log('\nMedian over the rounds:');
  for (const s of summary) {
    console.log(`- ${s.build}: timeline day p50 ${s.timelineDay.p50} ms, p99 ${s.timelineDay.p99} ms (GC pauses ${s.timelineDay.gcPauses}, runs hit ${s.timelineDay.runsHitByGc}); month p50 ${s.timelineMonth.p50} ms, p99 ${s.timelineMonth.p99} ms`);
  }
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `read-reuse-${startedAt.toISOString().replace(/:/g, '').replace(/\.\d+Z$/, 'Z')}.json`);
  writeFileSync(file, `${JSON.stringify({ benchmark: 'read (reused database)', startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), database: dbName, claims, settings: { runs: settings.runs, warmup: settings.warmup, rounds: settings.rounds, compareWith: settings.compareWith }, summary, rounds }, null, 2)}\n`);
  console.log(`\nResults written to ${file}`);
}

(process.argv[2] === MEASURE ? measureQueriesHere(process.argv[3]!) : settings.reuseDb ? reuse(settings.reuseDb) : main()).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
