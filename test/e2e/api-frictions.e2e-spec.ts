import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import semver from 'semver';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/** What a new user of the API met first, each answered (issue: the API contract's frictions). */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

let db: AppDatabase;
let app: ApiApp;
let s: Scenario;

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  s = await seedScenario(app);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const asJournalist = () => bearer(app.tokens.journalist);

/** Posts a claim body and expects a 400 naming `field` with `message`; nothing may be appended. */
async function expectFieldError(body: object, field: string, message: RegExp) {
  const before = await app.head();
  const res = await request(app.server).post('/api/claims').set(asJournalist()).send(body).expect(400);
  expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
  expect(await app.head()).toBe(before);
}

describe('validation messages name what is wrong', () => {
  it('says a credibility sent as text must be an integer, not that it is too large', async () => {
    const body = claimBody(s, { attributions: [{ outlet: 'TASS', reliability: 'B', credibility: '3' }] });
    await expectFieldError(body, 'attributions[0].credibility', /^credibility must be an integer number$/);
  });

  it('says a missing list of sources is required, not that each value must be an object', async () => {
    const { attributions: _, ...body } = claimBody(s);
    await expectFieldError(body, 'attributions', /^attributions is required$/);
  });

  it('says a missing nested field is required', async () => {
    const body = claimBody(s, { occurred: { precision: 'day' } });
    await expectFieldError(body, 'occurred.from', /^from is required$/);
  });

  it('says limit=abc must be an integer, not that it must be at most 200', async () => {
    const res = await request(app.server).get('/api/claims?limit=abc').expect(400);
    expect(res.body.errors).toEqual([{ field: 'limit', message: 'limit must be an integer' }]);
  });

  it.each([
    ['form-encoded (curl -d without a Content-Type)', 'application/x-www-form-urlencoded'],
    ['plain text', 'text/plain'],
    ['sent with no Content-Type at all', ''],
  ])('answers a body that is %s with 415, not a list of field errors', async (_, contentType) => {
    const before = await app.head();
    const res = await request(app.server)
      .post('/api/claims')
      .set(asJournalist())
      .set('Content-Type', contentType)
      .send(JSON.stringify(claimBody(s)))
      .expect(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'request.unsupported_media_type', detail: expect.stringMatching(/Content-Type: application\/json/) });
    expect(await app.head()).toBe(before);
  });

  it('still takes a JSON body with a charset, and a body-less POST without any Content-Type', async () => {
    await request(app.server)
      .post('/api/claims')
      .set(asJournalist())
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify(claimBody(s)))
      .expect(201);
    await request(app.server).post('/api/audit/checkpoints').set(bearer(app.tokens.auditor)).expect(201);
  });
});

describe('occurred as a plain date', () => {
  async function record(occurred: object) {
    const res = await request(app.server).post('/api/claims').set(asJournalist()).send(claimBody(s, { occurred })).expect(201);
    return (await request(app.server).get(`/api/claims/${res.body.id}`).expect(200)).body.occurred;
  }

  it("is read at day precision as the start of that day in the conflict's time zone, the date kept as raw", async () => {
    expect(await record({ from: '2020-10-11', precision: 'day' })).toEqual({ from: '2020-10-11T00:00:00.000+04:00', precision: 'day', raw: '2020-10-11' });
  });

  it('keeps raw words the client gave, and reads a plain `to` as the end of that day', async () => {
    expect(await record({ from: '2020-10-11', to: '2020-10-11', precision: 'day', raw: 'on Sunday' })).toEqual({
      from: '2020-10-11T00:00:00.000+04:00',
      to: '2020-10-11T23:59:59.999+04:00',
      precision: 'day',
      raw: 'on Sunday',
    });
  });

  it('takes a month at month precision, from its first to its last day', async () => {
    expect(await record({ from: '2020-10', to: '2020-10', precision: 'month' })).toEqual({
      from: '2020-10-01T00:00:00.000+04:00',
      to: '2020-10-31T23:59:59.999+04:00',
      precision: 'month',
      raw: '2020-10/2020-10',
    });
  });

  it('counts the claim on that local day in the timeline', async () => {
    const { body } = await request(app.server).post('/api/claims').set(asJournalist()).send(claimBody(s, { occurred: { from: '2020-10-10', precision: 'week' } })).expect(201);
    const timeline = await request(app.server).get(`/api/conflicts/${s.conflictId}/timeline?from=2020-10-10&to=2020-10-10&minPosition=${body.position}`).expect(200);
    const days = timeline.body.series.flatMap((series: { points: { period: string }[] }) => series.points.map((p) => p.period));
    expect(days).toEqual(['2020-10-10']);
  });

  it('is refused at hour precision, naming occurred.from, and nothing is appended', async () => {
    await expectFieldError(claimBody(s, { occurred: { from: '2020-10-11', precision: 'hour' } }), 'occurred.from', /date and time with an offset at hour precision/);
  });

  it('is read in the claim\'s conflict in a correction too', async () => {
    const { body } = await request(app.server).post('/api/claims').set(asJournalist()).send(claimBody(s)).expect(201);
    await request(app.server)
      .post(`/api/claims/${body.id}/corrections`)
      .set(asJournalist())
      .send({ changes: { occurred: { from: '2020-10-10', precision: 'day' } }, reason: 'Only the day is known', expectedVersion: 1 })
      .expect(201);
    const claim = (await request(app.server).get(`/api/claims/${body.id}`).expect(200)).body;
    expect(claim.occurred).toEqual({ from: '2020-10-10T00:00:00.000+04:00', precision: 'day', raw: '2020-10-10' });
  });
});

describe('GET /api/sources', () => {
  it("sees an outlet added later without a publication date when the claim was stated, never at the server's clock", async () => {
    const outlet = 'Frictions Wire';
    const attribution = { outlet, reliability: 'C', credibility: 3 };
    const { body } = await request(app.server)
      .post('/api/claims')
      .set(asJournalist())
      .send(claimBody(s, { attributions: [{ ...attribution, publishedAt: '2020-10-11T10:00:00+04:00' }] }))
      .expect(201);
    // The same outlet cited again a day later in the record, with no publication date.
    const added = await request(app.server)
      .post(`/api/claims/${body.id}/attributions`)
      .set(asJournalist())
      .send({ attribution, expectedVersion: 1 })
      .expect(201);
    const sources = await request(app.server).get(`/api/sources?minPosition=${added.body.position}`).expect(200);
    const entry = sources.body.items.find((i: { outlet: string }) => i.outlet === outlet);
    expect(entry).toMatchObject({ claims: 1, firstSeen: '2020-10-11T05:30:00.000Z', lastSeen: '2020-10-11T06:00:00.000Z' });
  });
});

describe('every dependency', () => {
  it('supports Node.js 20.19, the oldest the tracker supports, so npm install prints no engine warning', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
    const supported = JSON.parse(readFileSync('package.json', 'utf8')).engines.node as string;
    expect(semver.minVersion(supported)?.version).toBe('20.19.0');
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies('20.19.0', p.engines.node))
      .map(([path, p]) => `${path} (node ${(p.engines as { node: string }).node})`);
    expect(refusing).toEqual([]);
  });
});

describe('the command line, while a server holds the embedded DATA_DIR', () => {
  let dir: string;
  let server: TestApp;

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/ensure-build.cjs'], { stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'ceasefire-cli-'));
    server = await startTestApp({ DATABASE_URL: undefined, DATA_DIR: join(dir, 'data') });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says so in one line and exits 1, with no stack trace', async () => {
    const run = promisify(execFile)(process.execPath, ['dist/src/cli.js', 'verify'], { env: { ...process.env, DATABASE_URL: '', DATA_DIR: join(dir, 'data') } });
    const failure = await run.then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^DATA_DIR .* is in use by process \d+; stop it or choose another DATA_DIR$/)]);
  });
});
