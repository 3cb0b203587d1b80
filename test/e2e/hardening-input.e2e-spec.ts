import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, databaseKinds } from '../support/database';

const SEED = Number(process.env.QUERY_PROPERTY_SEED ?? 20201012);
const RUNS = 300;

/**
 * Query parameter names the GET routes take, and some they do not. minPosition is left out: a
 * position the log has not reached is a documented 503 after a wait (projection.behind).
 */
const NAMES = ['conflictId', 'claimant', 'subject', 'assertion', 'status', 'agreementId', 'from', 'to', 'limit', 'cursor', 'bucket', 'by', 'asOf', 'after', 'q', 'x', '__proto__', 'constructor'];

/** Values that have broken parsers before: impossible dates, huge numbers, forged cursors, odd bytes. */
const nasty = fc.constantFrom(
  '2020-13-45',
  '2020-02-30',
  '0000-01-01',
  '99999-01-01',
  '2020-10-10T25:61:00Z',
  '-1',
  '1e308',
  '99999999999999999999',
  'NaN',
  '%00',
  '%C3%28',
  '%ED%A0%80',
  '%FF',
  "'; DROP TABLE events; --",
  Buffer.from(JSON.stringify(['2020-13-45T00:00:00.000000Z', '00000000-0000-0000-0000-000000000000'])).toString('base64url'),
  Buffer.from(JSON.stringify(['9999-12-31T23:59:59.999999Z', 'ffffffff-ffff-ffff-ffff-ffffffffffff'])).toString('base64url'),
  Buffer.from('not json').toString('base64url'),
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-00000000000g',
);
const value = fc.oneof(nasty, fc.string({ maxLength: 40 }).map(encodeURIComponent), fc.integer().map(String), fc.uuid());
const query = fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
const pathId = fc.oneof(fc.uuid(), nasty, fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent));

describe.each(databaseKinds())('what a client sends on %s', (kind) => {
  let db: AppDatabase;
  let app: ApiApp;
  let s: Scenario;

  beforeAll(async () => {
    db = await appDatabase(kind);
    app = await startApiApp(db.env);
    s = await seedScenario(app);
    await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s)).expect(201);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  /** Through Fastify's inject: supertest would serialise a Buffer as JSON rather than send its bytes. */
  const post = async (body: Buffer | string) => {
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/claims',
      headers: { ...bearer(app.tokens.journalist), 'Content-Type': 'application/json' },
      payload: body,
    });
    return { status: res.statusCode, headers: res.headers, body: res.json() };
  };

  it('refuses a body that is not UTF-8 with 400 request.invalid_utf8, naming the byte, and appends nothing', async () => {
    const head = await app.head();
    const json = JSON.stringify(claimBody(s, { summary: 'Shelling of Tartar: XX' }));
    const bytes = Buffer.from(json, 'utf8');
    const at = bytes.indexOf('XX');
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    const res = await post(bytes);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'request.invalid_utf8', errors: [{ field: 'body' }] });
    expect(res.body.detail).toContain(`byte ${at}`);
    // An overlong encoding and a truncated sequence too.
    expect((await post(Buffer.concat([Buffer.from(json.slice(0, -2)), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]))).body.code).toBe('request.invalid_utf8');
    expect((await post(Buffer.concat([Buffer.from('{"summary": "'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]))).body.code).toBe('request.invalid_utf8');
    expect(await app.head()).toBe(head);
  });

  it('refuses NUL and unpaired surrogates in any string or key with 400, naming the field, and appends nothing', async () => {
    const head = await app.head();
    const json = JSON.stringify(claimBody(s));
    const cases: [string, string][] = [
      [json.replace('"summary":"', '"summary":"\\u0000'), 'summary'],
      [json.replace('"summary":"', '"summary":"\\ud800'), 'summary'],
      [json.replace('"summary":"', '"summary":"\\udfff x'), 'summary'],
      [json.replace('"outlet":"TASS"', '"outlet":"TA\\u0000SS"'), 'attributions[0].outlet'],
      [json.replace('"location":{', '"location":{"\\ud83d":1,'), 'location'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'request.invalid_text', errors: [{ field }] });
    }
    // A well-formed pair is text like any other.
    expect((await post(json.replace('"summary":"', '"summary":"\\ud83d\\udca5 '))).status).toBe(201);
    expect(await app.head()).toBe(head + 1);
  });

  it('answers a forged cursor with 400 cursor.invalid', async () => {
    for (const occurred of ['2020-13-45T00:00:00.000000Z', '2020-02-30T00:00:00.000000Z', '2020-10-10T24:00:00.000000Z']) {
      const cursor = Buffer.from(JSON.stringify([occurred, '00000000-0000-4000-8000-000000000000'])).toString('base64url');
      const res = await request(app.server).get(`/api/claims?cursor=${cursor}`).expect(400);
      expect(res.body).toMatchObject({ code: 'cursor.invalid', errors: [{ field: 'cursor' }] });
    }
  });

  it('answers no GET route with a 5xx, whatever the query string and path ids (seeded property)', async () => {
    const routes = app.routes.filter((r) => r.method === 'GET' && (r.url.startsWith('/api/') || r.url.startsWith('/health')) && r.url !== '/api/live' && r.url !== '/api/audit/export');
    expect(routes.length).toBeGreaterThan(10);
    const auditor = bearer(app.tokens.auditor);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.array(pathId, { minLength: 3, maxLength: 3 }), query, async (route, ids, qs) => {
        let i = 0;
        const path = route.url.replace(/:[A-Za-z]+/g, () => ids[i++ % ids.length]!);
        const res = await request(app.server).get(`${path}?${qs}`).set(auditor);
        if (res.status >= 500) throw new Error(`${path}?${qs} answered ${res.status}: ${JSON.stringify(res.body)}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
