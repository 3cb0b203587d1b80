import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role } from '../../src/auth/roles';
import { EventStore, EVENTS_CHANNEL } from '../../src/event-store/event-store.service';
import type { JsonObject, RecordedEvent } from '../../src/event-store/event-store.types';
import { ProjectionRunner } from '../../src/projections/projection-runner.service';
import type { Projector } from '../../src/projections/projector';
import { ClaimsProjector } from '../../src/read-models/claims/claims.projector';
import { TOKENS_CHANNEL } from '../../src/auth/token-cache';
import { SourcesProjector } from '../../src/read-models/sources/sources.projector';
import { ADMIN_TOKEN, type ApiApp, bearer, claimBody, denialBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, type DatabaseKind, databaseKinds, postgresAvailable } from '../support/database';
import { TEST_SERVER_URL } from '../support/postgres-server';

/**
 * The projections (DESIGN §5, §10; STYLE C7): idempotent by position, complete, safe across a
 * failing batch and a stopped process, run by one runner at a time on a shared database, rebuilt
 * beside the live tables while reads go on, and reported by status, metrics and the live feed.
 */

// ---------------------------------------------------------------------------------------------
// An app under test, with its runner and database

interface Instance extends ApiApp {
  runner: ProjectionRunner;
  store: EventStore;
  dataSource: DataSource;
  projectors: Projector[];
}

async function boot(env: Record<string, string | undefined>): Promise<Instance> {
  const app = await startApiApp(env);
  return {
    ...app,
    runner: app.app.get(ProjectionRunner),
    store: app.app.get(EventStore),
    dataSource: app.app.get(DataSource),
    projectors: [app.app.get(ClaimsProjector), app.app.get(SourcesProjector)],
  };
}

interface WriteAnswer {
  id: string;
  streamVersion: number;
  position: number;
}

async function write(app: ApiApp, role: Role, path: string, body: object): Promise<WriteAnswer> {
  const res = await request(app.server).post(path).set(bearer(app.tokens[role])).send(body);
  if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as WriteAnswer;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function read(app: ApiApp, path: string, role: Role = 'reader'): Promise<any> {
  const res = await request(app.server).get(path).set(bearer(app.tokens[role]));
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Polls a state until it holds (never a fixed sleep standing in for one). */
async function eventually<T>(probe: () => Promise<T | false | undefined | null> | T | false | undefined | null, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until every projector has reached the head as it is now; returns that head. */
async function caughtUp(app: Instance, timeoutMs = 30_000): Promise<number> {
  const head = await app.head();
  if (!(await app.runner.waitFor(head, timeoutMs))) {
    throw new Error(`the projections did not reach position ${head}: ${JSON.stringify(await app.runner.progress())}`);
  }
  return head;
}

/** The content digest of every table each projector writes (its read models and its working tables). */
async function tableDigests(app: Instance): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const p of app.projectors) for (const table of p.tables) digests[table] = await app.runner.digest(table);
  return digests;
}

/** Each read-model table's indexes (names and definitions), constraints and storage options. */
async function tableShapes(app: Instance): Promise<Record<string, unknown>> {
  const shapes: Record<string, unknown> = {};
  const db = app.app.get(DataSource);
  for (const p of app.projectors) {
    for (const table of p.tables) {
      shapes[table] = {
        indexes: await db.query('SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname', [table]),
        constraints: await db.query('SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass ORDER BY conname', [table]),
        options: (await db.query('SELECT reloptions FROM pg_class WHERE oid = $1::regclass', [table]))[0].reloptions,
      };
    }
  }
  return shapes;
}

async function rebuildAll(app: Instance): Promise<Record<string, string>> {
  for (const name of app.runner.names) await app.runner.rebuild(name);
  return tableDigests(app);
}

interface StatusItem {
  name: string;
  version: number;
  checkpoint: number;
  head: number;
  lagEvents: number;
  lagSeconds: number;
  readModels: { name: string; digest: string }[];
}

async function adminStatus(app: ApiApp): Promise<StatusItem[]> {
  return (await read(app, '/api/admin/projections', 'admin')).items as StatusItem[];
}

/** Allegations on a conflict's timeline, all periods and series summed. */
async function timelineTotal(app: ApiApp, conflictId: string, by: 'occurred' | 'stated' = 'occurred'): Promise<number> {
  const body = await read(app, `/api/conflicts/${conflictId}/timeline?bucket=month&by=${by}`);
  return (body.series as { points: { claims: number }[] }[]).flatMap((s) => s.points).reduce((sum, p) => sum + p.claims, 0);
}

/** The conflict's claims as the claim list gives them, every page. */
interface ListedClaim {
  id: string;
  respondsTo: string | null;
  counted: boolean;
}

async function listedClaims(app: ApiApp, conflictId: string): Promise<ListedClaim[]> {
  const items: ListedClaim[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: ListedClaim[]; nextCursor: string | null } = await read(
      app,
      `/api/claims?conflictId=${conflictId}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

async function countedClaims(app: ApiApp, conflictId: string): Promise<number> {
  return (await listedClaims(app, conflictId)).filter((c) => c.counted).length;
}

// ---------------------------------------------------------------------------------------------
// A realistic workload, over HTTP

const OUTLETS = ['TASS', 'Armenpress', 'APA', 'Reuters', 'news.am', 'Trend'];
const at = (day: number, hour = 1) => `2020-10-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+04:00`;
const source = (outlet: string) => ({ outlet, speaker: 'Defence Ministry', reliability: 'B', credibility: 3 });

/** A claim about one night: `i` picks who accuses whom, the casualties and the outlet. */
function nightClaim(s: Scenario, i: number, day: number, hour: number, label: string) {
  const pairs = [
    [s.azerbaijan, s.armenia],
    [s.armenia, s.azerbaijan],
    [s.artsakh, s.azerbaijan],
  ] as const;
  const [claimant, subject] = pairs[i % 3]!;
  return claimBody(s, {
    claimant,
    subject,
    occurred: { from: at(day, hour), precision: 'hour' },
    statedAt: at(day, 22),
    casualties:
      i % 2 === 0
        ? { civilian: { killed: { min: i % 4, max: (i % 4) + 2 }, wounded: { min: 1, max: 6 } } }
        : { military: { killed: { min: 1, max: 1 } } },
    summary: `${label}, claim ${i}`,
    attributions: [source(OUTLETS[i % OUTLETS.length]!)],
  });
}

/**
 * One conflict's story: claims before and after its agreement's start is corrected, the
 * agreement ended and superseded, denials, counter-accusations, corrections, casualty
 * revisions, assessments, a retraction, sources added and withdrawn, voids and duplicates.
 */
async function conflictStory(app: ApiApp, s: Scenario, label: string): Promise<void> {
  const journalist = (path: string, body: object) => write(app, 'journalist', path, body);
  const editor = (path: string, body: object) => write(app, 'editor', path, body);
  const claim = async (i: number, day: number, hour: number) => (await journalist('/api/claims', nightClaim(s, i, day, hour, label))).id;
  const respond = async (to: string, body: object) => (await journalist(`/api/claims/${to}/responses`, body)).id;

  const first: string[] = [];
  for (let i = 0; i < 9; i++) first.push(await claim(i, 9 + (i % 5), 3 + i));

  // Armenia denies 0 and 6 (twice), counter-accuses over 3; Azerbaijan denies 1.
  await respond(first[0]!, denialBody(s));
  await respond(first[3]!, denialBody(s, { subject: s.azerbaijan, assertion: 'violated', stance: 'counter-accusation', category: 'shelling' }));
  await respond(first[6]!, denialBody(s));
  const secondDenial = await respond(first[6]!, denialBody(s, { summary: 'A second denial, by the Armenian foreign ministry.' }));
  await respond(first[1]!, denialBody(s, { claimant: s.azerbaijan, subject: s.azerbaijan, attributions: [source('APA')] }));

  await editor(`/api/claims/${first[0]}/assessments`, { status: 'corroborated', rationale: 'Satellite imagery.' });
  await editor(`/api/claims/${first[1]}/assessments`, { status: 'contested', rationale: 'Conflicting reports.' });
  await editor(`/api/claims/${first[3]}/assessments`, { status: 'refuted', rationale: 'No damage found.' });
  await editor(`/api/claims/${first[3]}/assessments`, { status: 'corroborated', rationale: 'Damage found after all.' });
  await editor(`/api/claims/${first[4]}/assessments`, { status: 'unverifiable', rationale: 'No access.' });

  await journalist(`/api/claims/${first[2]}/casualties`, { casualties: { civilian: { killed: { min: 4, max: 9 } } }, asOf: at(14, 10), attributions: [source('APA')] });
  await journalist(`/api/claims/${first[4]}/casualties`, { casualties: { military: { wounded: { min: 2, max: 3 } } }, asOf: at(15, 10) });
  await journalist(`/api/claims/${first[4]}/casualties`, { casualties: { military: { killed: { min: 1, max: 2 }, wounded: { min: 2, max: 7 } } }, asOf: at(16, 10) });

  await journalist(`/api/claims/${first[5]}/corrections`, {
    changes: { occurred: { from: at(13, 15), precision: 'hour' }, statedAt: at(13, 20) },
    reason: 'The date was entered wrong.',
  });
  await journalist(`/api/claims/${first[7]}/corrections`, { changes: { claimant: s.artsakh }, reason: 'The statement came from Stepanakert.' });
  await journalist(`/api/claims/${first[8]}/corrections`, { changes: { assertion: 'complied', category: 'ceasefire-statement' }, reason: 'It was a statement of compliance.' });
  await journalist(`/api/claims/${first[2]}/corrections`, { changes: { attributions: [source('Reuters'), source('BBC')] }, reason: 'The sources were mixed up.' });

  await journalist(`/api/claims/${first[1]}/attributions`, { attribution: source('Interfax') });
  const withSources = await read(app, `/api/claims/${first[1]}`, 'editor');
  const originalSource = (withSources.attributions as { attributionId: string; outlet: string }[]).find((a) => a.outlet !== 'Interfax')!;
  await journalist(`/api/claims/${first[1]}/attributions/${originalSource.attributionId}/withdrawal`, { reason: 'The outlet deleted the report.' });

  await editor(`/api/claims/${secondDenial}/void`, { reason: 'Entered twice by mistake.' });
  await editor(`/api/claims/${first[7]}/void`, { reason: 'No such statement was made.' });
  await editor(`/api/claims/${first[5]}/duplicate-of`, { claimId: first[2], reason: 'Same statement, another outlet.' });

  // The agreement's start is corrected, then it is superseded by a second one.
  await editor(`/api/agreements/${s.agreementId}/corrections`, {
    changes: { effectiveFrom: { at: at(10, 6), raw: '06:00 on 10 October', timeZone: 'Asia/Baku', basis: 'stated' } },
    reason: 'The start was 06:00, not noon.',
  });
  const second = await editor(`/api/conflicts/${s.conflictId}/agreements`, {
    title: 'Humanitarian truce of 13 October',
    kind: 'humanitarian-truce',
    signatories: [s.azerbaijan, s.armenia],
    mediators: [s.russia],
    effectiveFrom: { at: at(13, 12), timeZone: 'Asia/Baku', basis: 'stated' },
    reaffirms: [s.agreementId],
  });
  await editor(`/api/agreements/${s.agreementId}/end`, { endedAt: at(13, 0), reason: 'Superseded.', supersededBy: second.id });

  const later: string[] = [];
  for (let i = 0; i < 6; i++) later.push(await claim(i + 1, 12 + i, 2 + i));
  const r1 = await respond(later[0]!, denialBody(s, { claimant: s.azerbaijan, subject: s.azerbaijan }));
  const r2 = await respond(later[0]!, denialBody(s, { claimant: s.azerbaijan, subject: s.azerbaijan, attributions: [source('Trend')] }));
  await editor(`/api/claims/${r2}/duplicate-of`, { claimId: r1, reason: 'Same denial.' });
  await editor(`/api/claims/${r1}/void`, { reason: 'Never said.' });
  await editor(`/api/claims/${later[2]}/assessments`, { status: 'refuted', rationale: 'Footage was older.' });
  await journalist(`/api/claims/${later[3]}/corrections`, {
    changes: { occurred: { from: at(11, 4), precision: 'hour' } },
    reason: 'It happened two nights earlier.',
  });
  await journalist(`/api/claims/${later[1]}/retraction`, { statedAt: at(18, 9), attributions: [source('TASS')] });
  await editor(`/api/agreements/${second.id}/corrections`, {
    changes: { effectiveFrom: { at: at(13, 18), timeZone: 'Asia/Baku', basis: 'inferred' } },
    reason: 'Evening, not noon.',
  });
}

async function writeWorkload(app: ApiApp, conflicts: number): Promise<Scenario[]> {
  const scenarios: Scenario[] = [];
  for (let n = 0; n < conflicts; n++) {
    const s = await seedScenario(app);
    await conflictStory(app, s, `Conflict ${n}`);
    scenarios.push(s);
  }
  return scenarios;
}

/** Every conflict's timeline counts each counted claim exactly once, by either date. */
async function expectTimelinesCountEachClaimOnce(app: ApiApp, scenarios: Scenario[]): Promise<void> {
  for (const s of scenarios) {
    const counted = await countedClaims(app, s.conflictId);
    expect(counted).toBeGreaterThan(0);
    expect(await timelineTotal(app, s.conflictId, 'occurred')).toBe(counted);
    expect(await timelineTotal(app, s.conflictId, 'stated')).toBe(counted);
  }
}

// ---------------------------------------------------------------------------------------------

describe.each(databaseKinds())('projections on %s', (kind: DatabaseKind) => {
  let db: AppDatabase;
  let app: Instance;
  let scenarios: Scenario[];

  beforeAll(async () => {
    db = await appDatabase(kind);
    app = await boot(db.env);
    scenarios = await writeWorkload(app, 3);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const dashboardAnswers = async () => ({
    timelines: await Promise.all(scenarios.map((s) => read(app, `/api/conflicts/${s.conflictId}/timeline?bucket=day`))),
    scorecards: await Promise.all(scenarios.map((s) => read(app, `/api/agreements/${s.agreementId}/scorecard`))),
    claims: await Promise.all(scenarios.map((s) => read(app, `/api/claims?conflictId=${s.conflictId}&limit=200`))),
    sources: await read(app, '/api/sources'),
  });

  it('gives the same content live as a rebuild from position 0, and two rebuilds agree', async () => {
    const head = await caughtUp(app);
    await expectTimelinesCountEachClaimOnce(app, scenarios);
    const live = await tableDigests(app);
    const liveStatus = await adminStatus(app);
    const answers = await dashboardAnswers();
    const shapes = await tableShapes(app);
    expect(shapes['allegation_timeline_v1']).toMatchObject({ options: ['fillfactor=70'] });
    for (const item of liveStatus) expect(item).toMatchObject({ checkpoint: head, head, lagEvents: 0 });

    for (const name of app.runner.names) {
      const res = await request(app.server).post(`/api/admin/projections/${name}/rebuild`).set(bearer(app.tokens.admin)).expect(200);
      expect(res.body).toMatchObject({ name, checkpoint: head, lagEvents: 0 });
      expect(res.body.readModels).toEqual(liveStatus.find((i) => i.name === name)!.readModels);
    }
    const firstRebuild = await tableDigests(app);
    expect(firstRebuild).toEqual(live);

    const secondRebuild = await rebuildAll(app);
    expect(secondRebuild).toEqual(firstRebuild);
    expect(await dashboardAnswers()).toEqual(answers);
    // The swapped-in tables are indistinguishable from the migrated ones: same index and
    // constraint names and definitions, same storage options.
    expect(await tableShapes(app)).toEqual(shapes);
    await expectTimelinesCountEachClaimOnce(app, scenarios);
  });

  it('rolls back a batch whose projector throws after writing, retries it, and counts nothing twice', async () => {
    const s = scenarios[0]!;
    const start = await caughtUp(app);
    const before = await tableDigests(app);
    const projector = app.app.get(ClaimsProjector);
    expect(app.projectors).toContain(projector);
    const original = projector.apply.bind(projector);
    let failing = true;
    let firstWritten = 0;
    const attempts: { first: number; last: number; failed: boolean; wroteInside: boolean }[] = [];
    const spy = jest.spyOn(projector, 'apply').mockImplementation(async (events, tx, table) => {
      await original(events, tx, table);
      // The writes are real: the transaction sees them.
      const inside = await app.runner.digest(table('claim_view_v1'), tx);
      const attempt = { first: events[0]!.position, last: events.at(-1)!.position, failed: failing, wroteInside: inside !== before.claim_view_v1 };
      attempts.push(attempt);
      if (attempt.failed) throw new Error('projector crashed in the middle of a batch');
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const written = await write(app, 'journalist', '/api/claims', nightClaim(s, i, 14, 3 + i, 'After the crash'));
        firstWritten ||= written.position;
        ids.push(written.id);
      }
      await write(app, 'journalist', `/api/claims/${ids[0]}/responses`, denialBody(s));
      await write(app, 'editor', `/api/claims/${ids[1]}/assessments`, { status: 'corroborated', rationale: 'Seen.' });
      await write(app, 'editor', `/api/claims/${ids[2]}/void`, { reason: 'Not made.' });
      await write(app, 'editor', `/api/claims/${ids[3]}/duplicate-of`, { claimId: ids[1], reason: 'Same.' });
      const head = await app.head();

      // It failed at least twice on a batch reaching the head: the runner retries.
      await eventually(() => attempts.filter((a) => a.failed).length >= 2 && attempts.some((a) => a.last === head), 'two failed attempts up to the head');
      const claimsProgress = async () => (await app.runner.progress()).find((p) => p.name === 'claims')!;
      const held = await claimsProgress();
      expect(held).toMatchObject({ checkpoint: start, lagEvents: held.head - start });
      expect(held.head).toBeGreaterThanOrEqual(head);
      const during = await tableDigests(app);
      for (const table of projector.tables) expect(during[table]).toBe(before[table]);
      expect((await app.dataSource.query('SELECT count(*)::int AS n FROM claim_view_v1 WHERE claim_id = ANY($1::uuid[])', [ids]))[0].n).toBe(0);

      failing = false;
      await caughtUp(app);
      const caught = await claimsProgress();
      expect(caught).toMatchObject({ checkpoint: caught.head, lagEvents: 0 });
      expect(caught.head).toBeGreaterThanOrEqual(head);
    } finally {
      spy.mockRestore();
    }
    // Every attempt began where the checkpoint stood: the failed batch was applied again, whole.
    expect(attempts.every((a) => a.wroteInside)).toBe(true);
    expect(firstWritten).toBeGreaterThan(start);
    expect(attempts.every((a) => a.first === firstWritten)).toBe(true);
    expect(attempts.at(-1)!.failed).toBe(false);

    await expectTimelinesCountEachClaimOnce(app, scenarios);
    const live = await tableDigests(app);
    expect(await rebuildAll(app)).toEqual(live);
  });

  it('rebuilds the claims projection while readers see only whole tables and every answer is 200', async () => {
    // A few thousand more events, straight into the log: copies of a recorded claim, assessed.
    const plain = (await listedClaims(app, scenarios[1]!.conflictId)).find((c) => c.counted && c.respondsTo === null)!;
    const [template] = (await app.store.readStream(`claim-${plain.id}`)) as RecordedEvent[];
    expect(template!.type).toBe('ClaimRecorded');
    const data = template!.data as JsonObject & { attributions: JsonObject[] };
    expect(data.respondsTo).toBeUndefined();
    let position = 0;
    await app.dataSource.transaction(async (tx) => {
      for (let i = 0; i < 1200; i++) {
        const claimId = randomUUID();
        const copy = {
          ...data,
          claimId,
          occurred: { from: at(10 + (i % 9), i % 24), precision: 'hour' },
          statedAt: at(10 + (i % 9), 23),
          summary: `Bulk claim ${i}`,
          attributions: data.attributions.map((a) => ({ ...a, attributionId: randomUUID(), outlet: OUTLETS[i % OUTLETS.length]! })),
        };
        const result = await app.store.appendInTransaction(tx, {
          streamId: `claim-${claimId}`,
          expectedVersion: 'no-stream',
          events: [
            { type: 'ClaimRecorded', data: copy },
            { type: 'ClaimAssessed', data: { claimId, status: i % 3 === 0 ? 'refuted' : 'corroborated', rationale: 'Bulk.' } },
          ],
        });
        position = result.position;
      }
    });
    app.store.announce(position);
    const head = await caughtUp(app);
    expect(head).toBeGreaterThan(2400);

    const s = scenarios[1]!;
    const paths = [
      `/api/conflicts/${s.conflictId}/timeline?bucket=day`,
      `/api/conflicts/${s.conflictId}/timeline?bucket=week&by=stated`,
      `/api/agreements/${s.agreementId}/scorecard`,
      `/api/claims?conflictId=${s.conflictId}&limit=100`,
    ];
    const expected = await Promise.all(paths.map((path) => read(app, path)));
    const fullTotal = await timelineTotal(app, s.conflictId);
    expect(fullTotal).toBe(await countedClaims(app, s.conflictId));
    const digestsBefore = await tableDigests(app);

    let rebuilding = true;
    const failures: string[] = [];
    let reads = 0;
    const reader = async (offset: number) => {
      do {
        for (let k = 0; k < paths.length; k++) {
          const path = paths[(k + offset) % paths.length]!;
          const res = await request(app.server).get(path).set(bearer(app.tokens.reader));
          reads++;
          if (res.status !== 200) failures.push(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
          else if (JSON.stringify(res.body) !== JSON.stringify(expected[paths.indexOf(path)])) failures.push(`${path}: a different answer`);
        }
        const total = await timelineTotal(app, s.conflictId).catch((error: unknown) => `failed: ${String(error)}`);
        if (total !== fullTotal) failures.push(`timeline total ${total}, not ${fullTotal}`);
      } while (rebuilding);
    };
    const readers = [0, 1, 2, 3].map(reader);
    try {
      const res = await request(app.server).post('/api/admin/projections/claims/rebuild').set(bearer(app.tokens.admin));
      expect(res.status).toBe(200);
      // (Events the claims projector does not read, such as a signed log checkpoint, may have moved the head.)
      expect(res.body).toMatchObject({ name: 'claims', checkpoint: res.body.head, lagEvents: 0 });
      expect(res.body.head).toBeGreaterThanOrEqual(head);
    } finally {
      rebuilding = false;
      await Promise.all(readers);
    }
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThanOrEqual(paths.length * 4);
    expect(await tableDigests(app)).toEqual(digestsBefore);
    expect(await Promise.all(paths.map((path) => read(app, path)))).toEqual(expected);
  });

  it('keeps whole, correct tables when a second rebuild of the same projection starts while one runs', async () => {
    // Two admins (or two instances behind a load balancer) asking for the same rebuild.
    const head = await caughtUp(app);
    const live = await tableDigests(app);
    const answers = await dashboardAnswers();
    let second: Promise<unknown> | undefined;
    const first = app.runner.rebuild('claims', () => {
      second ??= app.runner.rebuild('claims');
    });
    try {
      const outcomes = await Promise.allSettled([first, first.then(() => second, () => second)]);
      // Either may be refused; at least one completes.
      expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
      expect(await caughtUp(app)).toBeGreaterThanOrEqual(head);
      expect(await tableDigests(app)).toEqual(live);
      expect(await dashboardAnswers()).toEqual(answers);
    } finally {
      // Whatever happened, leave correct tables for the tests that follow.
      await Promise.allSettled([first, second]);
      await rebuildAll(app);
    }
  });

  /**
   * Holds the claims projector back: on a server by locking its checkpoint row in an open
   * transaction, on the embedded database (one session) by making its batches fail.
   */
  const holdBackClaims = async (): Promise<() => Promise<void>> => {
    if (kind === 'postgres') {
      const client = new Client({ connectionString: db.env.DATABASE_URL });
      await client.connect();
      await client.query('BEGIN');
      await client.query(`SELECT position FROM projection_checkpoints WHERE name = 'claims' FOR UPDATE`);
      return async () => {
        await client.query('ROLLBACK');
        await client.end();
      };
    }
    const spy = jest.spyOn(app.app.get(ClaimsProjector), 'apply').mockRejectedValue(new Error('held back'));
    return async () => spy.mockRestore();
  };

  /** A claim and a denial of it (two events) written while the claims projector is held back. */
  const whileHeldBack = async <T>(label: string, check: (held: { checkpoint: number; head: number }) => Promise<T>): Promise<T> => {
    const s = scenarios[2]!;
    const checkpoint = await caughtUp(app);
    const release = await holdBackClaims();
    try {
      const { id } = await write(app, 'journalist', '/api/claims', nightClaim(s, 0, 15, 3, label));
      const { position: head } = await write(app, 'journalist', `/api/claims/${id}/responses`, denialBody(s));
      expect(await app.head()).toBe(head);
      expect(head).toBe(checkpoint + 2);
      return await check({ checkpoint, head });
    } finally {
      await release();
      await caughtUp(app);
    }
  };

  it('reports checkpoint = head and no lag once caught up, and the lag while a projector is held back', async () => {
    const head = await caughtUp(app);
    for (const item of await adminStatus(app)) expect(item).toMatchObject({ checkpoint: head, head, lagEvents: 0, lagSeconds: 0 });

    await whileHeldBack('Status while held back', async (held) => {
      const claims = (await adminStatus(app)).find((i) => i.name === 'claims')!;
      expect(claims).toMatchObject({ checkpoint: held.checkpoint, head: held.head, lagEvents: 2 });
      expect(claims.lagSeconds).toBeGreaterThanOrEqual(0);
      expect((await app.runner.progress()).find((p) => p.name === 'claims')).toMatchObject({ checkpoint: held.checkpoint, lagEvents: 2 });
    });

    const caught = await caughtUp(app);
    for (const item of await adminStatus(app)) expect(item).toMatchObject({ checkpoint: caught, head: caught, lagEvents: 0, lagSeconds: 0 });
  });

  it('exposes each projector’s checkpoint and lag in /metrics, as they are at the scrape', async () => {
    const scrape = async () => {
      const res = await request(app.server).get('/metrics').set(bearer(ADMIN_TOKEN)).expect(200); // admins only (METRICS_PUBLIC)
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const value = (metric: string, projector: string) => {
        const match = new RegExp(`^${metric}\\{projector="${projector}"\\} (\\d+)$`, 'm').exec(res.text);
        return match ? Number(match[1]) : `no ${metric}{projector="${projector}"} sample`;
      };
      return {
        checkpoint: value('ceasefire_projection_checkpoint', 'claims'),
        lagEvents: value('ceasefire_projection_lag_events', 'claims'),
        sourcesLagEvents: typeof value('ceasefire_projection_lag_events', 'sources'),
      };
    };
    const head = await caughtUp(app);
    expect(await scrape()).toEqual({ checkpoint: head, lagEvents: 0, sourcesLagEvents: 'number' });

    const held = await whileHeldBack('Metrics while held back', async (held) => {
      expect(await scrape()).toMatchObject({ checkpoint: held.checkpoint, lagEvents: 2 });
      return held;
    });

    const caught = await caughtUp(app);
    expect(caught).toBeGreaterThanOrEqual(held.head);
    expect(await scrape()).toEqual({ checkpoint: caught, lagEvents: 0, sourcesLagEvents: 'number' });
  });

  it('moves past an event the write side could not have recorded, counting nothing for it', async () => {
    await caughtUp(app);
    const before = await tableDigests(app);
    // Straight into the store, without the fields every registration has.
    await app.app.get(EventStore).append(`conflict-${randomUUID()}`, 'no-stream', [{ type: 'ConflictRegistered', data: { name: 'No id' } }]);
    await caughtUp(app, 10_000);
    expect(await tableDigests(app)).toEqual(before);
  });

  it('opens a new /api/live feed with the head position it starts after', async () => {
    const head = await caughtUp(app);
    const server = app.server as http.Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/live`, { headers: { Authorization: `Bearer ${app.tokens.reader}` }, signal: abort.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    // The first frame, after the blank line the stream may open with.
    while (!text.trimStart().includes('\n\n')) text += (await reader.read()).value ?? '';
    abort.abort();
    text = text.trimStart();
    expect(text.slice(0, text.indexOf('\n\n')).split('\n').sort()).toEqual([`data: {"position":${head}}`, 'event: head', `id: ${head}`]);
  });

  it('streams an appended event with the new position on /api/live after a write', async () => {
    const s = scenarios[2]!;
    const head = await caughtUp(app);
    const server = app.server as http.Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // Resuming after the head as it was before the write: no race with the feed's own start.
    const live = http.get({
      host: '127.0.0.1',
      port,
      path: '/api/live',
      headers: { Authorization: `Bearer ${app.tokens.reader}`, Accept: 'text/event-stream', 'Last-Event-ID': String(head) },
    });
    const frames: { id?: string; event?: string; data?: { position: number; type: string; streamId: string } }[] = [];
    let contentType: string | undefined;
    let status: number | undefined;
    const responded = new Promise<void>((resolve, reject) => {
      live.on('error', reject);
      live.on('response', (res) => {
        status = res.statusCode;
        contentType = res.headers['content-type'];
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame: (typeof frames)[number] = {};
            for (const line of buffer.slice(0, end).split('\n')) {
              const [field, ...rest] = line.split(':');
              const value = rest.join(':').replace(/^ /, '');
              if (field === 'id') frame.id = value;
              if (field === 'event') frame.event = value;
              if (field === 'data') frame.data = JSON.parse(value);
            }
            frames.push(frame);
            buffer = buffer.slice(end + 2);
          }
        });
        resolve();
      });
    });
    try {
      const appended = await write(app, 'journalist', '/api/claims', nightClaim(s, 1, 16, 3, 'On the live feed'));
      await responded;
      expect(status).toBe(200);
      expect(contentType).toMatch(/^text\/event-stream/);
      const frame = await eventually(() => frames.find((f) => f.data?.position === appended.position), `an appended frame for position ${appended.position}`);
      expect(frame).toEqual({
        id: String(appended.position),
        event: 'appended',
        data: { position: appended.position, type: 'ClaimRecorded', streamId: `claim-${appended.id}` },
      });
      // Nothing at or before the resume point, nothing twice.
      const positions = frames.filter((f) => f.data).map((f) => f.data!.position);
      expect(positions.every((p) => p > head)).toBe(true);
      expect(new Set(positions).size).toBe(positions.length);
    } finally {
      live.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Several processes on one server database

const onServer = postgresAvailable() ? describe : describe.skip;
if (!postgresAvailable()) {
  console.log(`No PostgreSQL answers at ${TEST_SERVER_URL}: skipping the crash-between-batches, lost-session and two-runner projection tests (server only).`);
}

/** Claims written one after another from `apps` in turn, until `stop()` or `limit`. */
function writer(apps: () => ApiApp[], s: Scenario, label: string, limit = Infinity) {
  let stopped = false;
  let written = 0;
  const ids: string[] = [];
  const done = (async () => {
    while (!stopped && written < limit) {
      const targets = apps();
      const target = targets[written % targets.length]!;
      const { id } = await write(target, 'journalist', '/api/claims', nightClaim(s, written, 11 + (written % 7), written % 22, label));
      ids.push(id);
      written++;
    }
  })();
  // Awaited by the test; a failed write must not surface first as an unhandled rejection.
  done.catch(() => undefined);
  return {
    get written() {
      return written;
    },
    ids,
    done,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Granted advisory locks on a projector's key in this database, from a client of the test's own. */
async function advisoryHolders(url: string, names: string[]): Promise<{ holders: Record<string, number[]>; canTake: Record<string, boolean> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const holders: Record<string, number[]> = {};
    const canTake: Record<string, boolean> = {};
    for (const name of names) {
      const { rows } = await client.query(
        `SELECT l.pid FROM pg_locks l
          WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext($1)::bigint`,
        [`projector:${name}`],
      );
      holders[name] = rows.map((r: { pid: number }) => r.pid);
      const { rows: tried } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`projector:${name}`]);
      canTake[name] = tried[0].ok;
      if (tried[0].ok) await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`projector:${name}`]);
    }
    return { holders, canTake };
  } finally {
    await client.end();
  }
}

onServer('projections with several processes on one PostgreSQL database', () => {
  it('survives a process stopped between batches while another keeps writing: a new one catches up to a rebuild’s content', async () => {
    const db = await appDatabase('postgres');
    const running: Instance[] = [];
    try {
      const first = await boot(db.env);
      running.push(first);
      const desk = await boot(db.env);
      running.push(desk);
      const s = await seedScenario(desk);
      const start = await desk.head();

      const writes = writer(() => [desk], s, 'Before and after the stop');
      // The first process has applied some batches, not all.
      await eventually(async () => writes.written >= 30 && (await first.runner.progress()).every((p) => p.checkpoint > start), 'the first process to project some batches');
      await first.close();
      running.splice(running.indexOf(first), 1);
      const stoppedAt = writes.written;
      await eventually(() => writes.written >= stoppedAt + 40, 'forty more claims after the stop');
      await writes.stop();
      await desk.close();
      running.splice(running.indexOf(desk), 1);

      const next = await boot(db.env);
      running.push(next);
      await conflictStory(next, s, 'After the restart');
      const head = await caughtUp(next);
      for (const item of await adminStatus(next)) expect(item).toMatchObject({ checkpoint: head, head, lagEvents: 0 });
      expect(await timelineTotal(next, s.conflictId)).toBe(await countedClaims(next, s.conflictId));
      expect(await countedClaims(next, s.conflictId)).toBeGreaterThanOrEqual(70);
      const live = await tableDigests(next);
      expect(await rebuildAll(next)).toEqual(live);
    } finally {
      for (const app of running) await app.close();
      await db.close();
    }
  });


  it('hands the projectors over when the leading process loses its database session mid-stream: each event applied once', async () => {
    const db = await appDatabase('postgres');
    const running: Instance[] = [];
    try {
      const a = await boot(db.env);
      running.push(a);
      const b = await boot(db.env);
      running.push(b);
      const s = await seedScenario(a);
      const writes = writer(() => [a, b], s, 'Across a lost session', 150);
      await eventually(() => writes.written >= 30, 'thirty claims');

      // The leader's lock session dies (as when its connection or its backend is killed).
      const before = await advisoryHolders(db.env.DATABASE_URL!, a.runner.names);
      const leaders = [...new Set(Object.values(before.holders).flat())];
      expect(leaders).toHaveLength(1);
      const admin = new Client({ connectionString: db.env.DATABASE_URL });
      await admin.connect();
      try {
        expect((await admin.query('SELECT pg_terminate_backend($1) AS ok', [leaders[0]])).rows[0].ok).toBe(true);
      } finally {
        await admin.end();
      }
      await writes.done;

      const head = await a.head();
      expect(await a.runner.waitFor(head, 20_000)).toBe(true);
      expect(await b.runner.waitFor(head, 20_000)).toBe(true);
      const after = await advisoryHolders(db.env.DATABASE_URL!, a.runner.names);
      for (const name of a.runner.names) {
        expect(after.holders[name]).toHaveLength(1);
        expect(after.holders[name]).not.toContain(leaders[0]);
      }
      expect(await countedClaims(a, s.conflictId)).toBe(150);
      expect(await timelineTotal(a, s.conflictId)).toBe(150);
      const live = await tableDigests(a);
      expect(await rebuildAll(a)).toEqual(live);

      // Once the first process is closed, only the second one's lock session is left (a pool
      // connection never runs LISTEN or an advisory lock function; the token cache's and the
      // append listener and the signer's session lock are no projector's)…
      await a.close();
      running.splice(running.indexOf(a), 1);
      const lockSessions = async () =>
        (
          await withClient(db.env.DATABASE_URL!, (client) =>
            client.query(
              `SELECT pid, backend_start, query FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND (query LIKE 'LISTEN %' OR query LIKE '%advisory%')
                  AND query <> 'LISTEN ${TOKENS_CHANNEL}' AND query <> 'LISTEN ${EVENTS_CHANNEL}' AND query NOT LIKE '%AS taken'`,
            ),
          )
        ).rows;
      const left = await eventually(async () => {
        const rows = await lockSessions();
        return rows.length <= 1 && rows;
      }, 'the first process’s lock sessions to end', 3000).catch(() => lockSessions());
      expect(left).toHaveLength(1);
      // …and the second one takes over every projector.
      await write(b, 'journalist', '/api/claims', nightClaim(s, 1, 12, 3, 'After the first process left'));
      await caughtUp(b, 10_000);
      expect(await timelineTotal(b, s.conflictId)).toBe(151);
    } finally {
      for (const app of running) await app.close();
      await db.close();
    }
  });


  it('runs each projector in one of two processes while a client writes to both: each event applied once', async () => {
    const db = await appDatabase('postgres');
    const running: Instance[] = [];
    try {
      const a = await boot(db.env);
      running.push(a);
      const b = await boot(db.env);
      running.push(b);
      const s = await seedScenario(a);

      const writers = Array.from({ length: 6 }, (_, w) => writer(() => (w % 2 ? [a, b] : [b, a]), s, `Writer ${w}`, 40));
      await Promise.all(writers.map((w) => w.done));
      const ids = writers.flatMap((w) => w.ids);
      expect(new Set(ids).size).toBe(240);
      // Some responses too, answered through both.
      for (let i = 0; i < 10; i++) await write(i % 2 ? a : b, 'journalist', `/api/claims/${ids[i * 7]}/responses`, denialBody(s));

      const head = await a.head();
      expect(await a.runner.waitFor(head, 30_000)).toBe(true);
      expect(await b.runner.waitFor(head, 30_000)).toBe(true);

      for (const app of [a, b]) {
        expect(await countedClaims(app, s.conflictId)).toBe(250);
        expect(await timelineTotal(app, s.conflictId, 'occurred')).toBe(250);
        expect(await timelineTotal(app, s.conflictId, 'stated')).toBe(250);
      }
      const statusA = await adminStatus(a);
      const statusB = await adminStatus(b);
      for (const item of statusA) expect(item).toMatchObject({ checkpoint: head, head, lagEvents: 0 });
      expect(statusB).toEqual(statusA);

      const locks = await advisoryHolders(db.env.DATABASE_URL!, a.runner.names);
      for (const name of a.runner.names) {
        expect({ name, holders: locks.holders[name]!.length }).toEqual({ name, holders: 1 });
        expect({ name, canTake: locks.canTake[name] }).toEqual({ name, canTake: false });
      }

      const live = await tableDigests(a);
      expect(await tableDigests(b)).toEqual(live);
      expect(await rebuildAll(a)).toEqual(live);
    } finally {
      for (const app of running) await app.close();
      await db.close();
    }
  });
});
