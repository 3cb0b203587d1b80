import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Role } from '../../src/auth/roles';
import { EventStore } from '../../src/event-store/event-store.service';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * Optimistic concurrency (a stale expectedVersion is 409, one of two racers wins) and
 * Idempotency-Key (a replay answers as the first time and appends nothing) over HTTP.
 */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

type Body = Record<string, unknown>;
type Headers = Record<string, string>;

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

function post(path: string, body: Body, as: Role | { token: string }, headers: Headers = {}) {
  const token = typeof as === 'string' ? app.tokens[as] : as.token;
  return request(app.server).post(path).set(bearer(token)).set(headers).send(body);
}

const key = () => `key-${randomUUID()}`;
const shape = (res: request.Response) => ({ status: res.status, body: res.body });
const writeShape = (status: number) => ({
  status,
  body: { id: expect.any(String), streamVersion: expect.any(Number), position: expect.any(Number) },
});

async function recordClaim(overrides: Body = {}): Promise<string> {
  const res = await post('/api/claims', claimBody(s, overrides), 'journalist');
  expect(shape(res)).toMatchObject(writeShape(201));
  return res.body.id;
}

async function versionOf(claimId: string): Promise<number> {
  const res = await request(app.server).get(`/api/claims/${claimId}`).set(bearer(app.tokens.editor));
  expect(res.status).toBe(200);
  return res.body.version;
}

const correction = (summary: string, extra: Body = {}) => ({ changes: { summary }, reason: 'Data-entry fix', ...extra });

// ---------------------------------------------------------------------------------------------

describe('concurrent corrections of one claim', () => {
  describe('when two corrections race at the same expectedVersion', () => {
    it('lets exactly one through with 201 and answers the other 409 with the current version, round after round', async () => {
      const id = await recordClaim();
      for (let round = 1; round <= 6; round++) {
        const version = await versionOf(id);
        const before = await app.head();
        const summaries = [`Round ${round}, desk A`, `Round ${round}, desk B`];
        const answers = await Promise.all(summaries.map((summary) => post(`/api/claims/${id}/corrections`, correction(summary, { expectedVersion: version }), 'journalist')));

        expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
        const winner = answers.find((a) => a.status === 201)!;
        const loser = answers.find((a) => a.status === 409)!;
        expect(shape(winner)).toMatchObject({ body: { id, streamVersion: version + 1, position: before + 1 } });
        expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(loser.body).toMatchObject({ status: 409, code: 'stream.version_conflict', currentVersion: version + 1 });
        expect(await app.head()).toBe(before + 1);

        const claim = await request(app.server).get(`/api/claims/${id}`).set(bearer(app.tokens.reader));
        expect(claim.body).toMatchObject({ summary: summaries[answers.indexOf(winner)], version: version + 1 });
      }
    });
  });

  describe('when two corrections race with the same If-Match', () => {
    it('lets exactly one through with 201 and answers the other 409, round after round', async () => {
      const id = await recordClaim();
      for (let round = 1; round <= 4; round++) {
        const version = await versionOf(id);
        const before = await app.head();
        const answers = await Promise.all(
          ['A', 'B'].map((desk) => post(`/api/claims/${id}/corrections`, correction(`If-Match round ${round}, desk ${desk}`), 'editor', { 'If-Match': `"${version}"` })),
        );
        expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
        expect(answers.find((a) => a.status === 409)!.body.currentVersion).toBe(version + 1);
        expect(await app.head()).toBe(before + 1);
      }
    });
  });

  describe('when two different kinds of write race at the same expectedVersion', () => {
    it('lets exactly one through', async () => {
      const id = await recordClaim();
      const before = await app.head();
      const answers = await Promise.all([
        post(`/api/claims/${id}/corrections`, correction('Racing a source', { expectedVersion: 1 }), 'journalist'),
        post(`/api/claims/${id}/attributions`, { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 2 }, expectedVersion: 1 }, 'journalist'),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expect(await app.head()).toBe(before + 1);
      expect(await versionOf(id)).toBe(2);
    });
  });

  describe('when two corrections race without an expected version', () => {
    it('appends both, one after the other', async () => {
      const id = await recordClaim();
      const before = await app.head();
      const answers = await Promise.all(['A', 'B'].map((desk) => post(`/api/claims/${id}/corrections`, correction(`Unversioned, desk ${desk}`), 'journalist')));
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(answers.map((a) => a.body.streamVersion).sort()).toEqual([2, 3]);
      expect(await app.head()).toBe(before + 2);
    });
  });
});

describe('Idempotency-Key', () => {
  interface KeyedRoute {
    route: string;
    role: Role;
    /** A path and a body to send twice, and a different body for the same path. */
    prepare(): Promise<{ path: string; body: Body; otherBody: Body }>;
  }

  const KEYED: KeyedRoute[] = [
    {
      route: 'POST /api/claims',
      role: 'journalist',
      prepare: async () => ({ path: '/api/claims', body: claimBody(s), otherBody: claimBody(s, { summary: 'Another claim altogether.' }) }),
    },
    {
      route: 'POST /api/claims/:id/corrections',
      role: 'journalist',
      prepare: async () => {
        const id = await recordClaim();
        return {
          path: `/api/claims/${id}/corrections`,
          body: correction('Idempotent fix', { expectedVersion: 1 }),
          otherBody: correction('A different fix', { expectedVersion: 1 }),
        };
      },
    },
    {
      route: 'POST /api/conflicts',
      role: 'editor',
      prepare: async () => ({
        path: '/api/conflicts',
        body: { name: 'Tavush clashes', timeZone: 'Asia/Yerevan' },
        otherBody: { name: 'Tavush clashes', timeZone: 'Asia/Baku' },
      }),
    },
  ];

  describe.each(KEYED)('on $route', (r) => {
    describe('when the same request is sent again with the same key', () => {
      it('answers 200 with the original id, streamVersion and position and appends nothing', async () => {
        const { path, body } = await r.prepare();
        const idempotencyKey = key();
        const first = await post(path, body, r.role, { 'Idempotency-Key': idempotencyKey });
        expect(shape(first)).toMatchObject(writeShape(201));
        const head = await app.head();

        const replay = await post(path, body, r.role, { 'Idempotency-Key': idempotencyKey });
        expect(shape(replay)).toMatchObject(writeShape(200));
        expect(replay.body).toEqual(first.body);
        expect(await app.head()).toBe(head);
      });
    });

    describe('when the stream moved on before the replay', () => {
      it('still answers with the original result', async () => {
        const { path, body } = await r.prepare();
        const idempotencyKey = key();
        const first = await post(path, body, r.role, { 'Idempotency-Key': idempotencyKey });
        expect(first.status).toBe(201);
        // Something else is written after the first request.
        expect((await post('/api/claims', claimBody(s, { summary: 'In between.' }), 'journalist')).status).toBe(201);
        const head = await app.head();

        const replay = await post(path, body, r.role, { 'Idempotency-Key': idempotencyKey });
        expect(shape(replay)).toMatchObject({ status: 200, body: first.body });
        expect(await app.head()).toBe(head);
      });
    });

    describe('when the same key comes with a different body', () => {
      it('answers 422 idempotency.key_reused and appends nothing', async () => {
        const { path, body, otherBody } = await r.prepare();
        const idempotencyKey = key();
        expect((await post(path, body, r.role, { 'Idempotency-Key': idempotencyKey })).status).toBe(201);
        const head = await app.head();

        const reused = await post(path, otherBody, r.role, { 'Idempotency-Key': idempotencyKey });
        expect(shape(reused)).toMatchObject({ status: 422, body: { status: 422, code: 'idempotency.key_reused' } });
        expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(await app.head()).toBe(head);
      });
    });

    describe('when ten copies of one request arrive at once', () => {
      it('appends exactly once and answers every copy with the same result, round after round', async () => {
        // Several rounds, so that an interleaving that goes wrong only now and then is met.
        for (let round = 1; round <= 5; round++) {
          const { path, body } = await r.prepare();
          const idempotencyKey = key();
          const head = await app.head();

          const answers = await Promise.all(Array.from({ length: 10 }, () => post(path, body, r.role, { 'Idempotency-Key': idempotencyKey })));

          expect({ round, statuses: answers.map((a) => a.status).sort() }).toEqual({ round, statuses: [200, 200, 200, 200, 200, 200, 200, 200, 200, 201] });
          const first = answers.find((a) => a.status === 201)!;
          for (const answer of answers) expect(answer.body).toEqual(first.body);
          expect(first.body.position).toBe(head + 1);
          expect(await app.head()).toBe(head + 1);
        }
      });
    });
  });

  describe('when the replay lists the same fields in another order', () => {
    it('is the same request: 200 with the original answer', async () => {
      const idempotencyKey = key();
      const body = claimBody(s);
      const first = await post('/api/claims', body, 'journalist', { 'Idempotency-Key': idempotencyKey });
      expect(first.status).toBe(201);
      const head = await app.head();
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const replay = await post('/api/claims', reordered, 'journalist', { 'Idempotency-Key': idempotencyKey });
      expect(shape(replay)).toMatchObject({ status: 200, body: first.body });
      expect(await app.head()).toBe(head);
    });
  });

  describe('when two tokens use the same key', () => {
    it('treats their requests as independent', async () => {
      const idempotencyKey = key();
      const head = await app.head();
      const byJournalist = await post('/api/claims', claimBody(s), 'journalist', { 'Idempotency-Key': idempotencyKey });
      const byEditor = await post('/api/claims', claimBody(s), 'editor', { 'Idempotency-Key': idempotencyKey });
      expect(shape(byJournalist)).toMatchObject(writeShape(201));
      expect(shape(byEditor)).toMatchObject(writeShape(201));
      expect(byEditor.body.id).not.toBe(byJournalist.body.id);
      expect(await app.head()).toBe(head + 2);

      // Each token's replay still finds its own request.
      const replay = await post('/api/claims', claimBody(s), 'editor', { 'Idempotency-Key': idempotencyKey });
      expect(shape(replay)).toMatchObject({ status: 200, body: byEditor.body });
      expect(await app.head()).toBe(head + 2);
    });

    it('lets a different body through for the second token', async () => {
      const idempotencyKey = key();
      expect((await post('/api/claims', claimBody(s), 'journalist', { 'Idempotency-Key': idempotencyKey })).status).toBe(201);
      const other = await post('/api/claims', claimBody(s, { summary: 'Something else entirely.' }), 'editor', { 'Idempotency-Key': idempotencyKey });
      expect(shape(other)).toMatchObject(writeShape(201));
    });
  });

  describe('when the keyed request changed nothing, and the claim moved on before the replay', () => {
    it('answers the replay as the first time, and appends nothing', async () => {
      const claimId = await recordClaim();
      const corroborated = { status: 'corroborated', rationale: 'Seen by reporters on site.' };
      await post(`/api/claims/${claimId}/assessments`, corroborated, 'editor').expect(201);
      const k = key();
      const first = await post(`/api/claims/${claimId}/assessments`, corroborated, 'editor', { 'Idempotency-Key': k });
      expect(first.status).toBe(200);
      await post(`/api/claims/${claimId}/assessments`, { status: 'refuted', rationale: 'The footage was from 2016.' }, 'editor').expect(201);
      const head = await app.head();

      const replay = await post(`/api/claims/${claimId}/assessments`, corroborated, 'editor', { 'Idempotency-Key': k });
      expect(shape(replay)).toEqual(shape(first));
      expect(await app.head()).toBe(head);
      const claim = await request(app.server).get(`/api/claims/${claimId}`).set(bearer(app.tokens.editor));
      expect(claim.body.status).toBe('refuted');
      const reused = await post(`/api/claims/${claimId}/assessments`, { ...corroborated, rationale: 'Other words.' }, 'editor', { 'Idempotency-Key': k });
      expect({ status: reused.status, code: reused.body.code }).toEqual({ status: 422, code: 'idempotency.key_reused' });
    });
  });

  describe('when the same key is used on another route', () => {
    it('answers 422 idempotency.key_reused and appends nothing', async () => {
      const idempotencyKey = key();
      const id = await recordClaim();
      expect((await post(`/api/claims/${id}/corrections`, correction('Keyed fix'), 'journalist', { 'Idempotency-Key': idempotencyKey })).status).toBe(201);
      const head = await app.head();
      const reused = await post('/api/claims', claimBody(s), 'journalist', { 'Idempotency-Key': idempotencyKey });
      expect(shape(reused)).toMatchObject({ status: 422, body: { code: 'idempotency.key_reused' } });
      expect(await app.head()).toBe(head);
    });
  });

  describe('when a replayed correction carries an expectedVersion that is now stale', () => {
    it('answers the original result, not 409', async () => {
      const id = await recordClaim();
      const idempotencyKey = key();
      const body = correction('Fix sent twice', { expectedVersion: 1 });
      const first = await post(`/api/claims/${id}/corrections`, body, 'journalist', { 'Idempotency-Key': idempotencyKey });
      expect(shape(first)).toMatchObject({ status: 201, body: { id, streamVersion: 2 } });
      const replay = await post(`/api/claims/${id}/corrections`, body, 'journalist', { 'Idempotency-Key': idempotencyKey });
      expect(shape(replay)).toMatchObject({ status: 200, body: first.body });
    });
  });

  describe('when a keyed request is recorded', () => {
    it('keeps the key in the event metadata', async () => {
      const idempotencyKey = key();
      const res = await post('/api/claims', claimBody(s), 'journalist', { 'Idempotency-Key': idempotencyKey });
      expect(res.status).toBe(201);
      const [event] = await app.app.get(EventStore).readStream(`claim-${res.body.id}`);
      expect(event!.metadata).toMatchObject({ idempotencyKey });
    });
  });

  describe('when the key is not 1 to 200 visible ASCII characters', () => {
    it.each([
      ['too long', 'k'.repeat(201)],
      ['with a space', 'two words'],
    ])('answers 400 for a key %s and appends nothing', async (_, idempotencyKey) => {
      const head = await app.head();
      const res = await post('/api/claims', claimBody(s), 'journalist', { 'Idempotency-Key': idempotencyKey });
      expect(shape(res)).toMatchObject({ status: 400 });
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'Idempotency-Key' })]));
      expect(await app.head()).toBe(head);
    });
  });

  describe('when a token is issued with a key and replayed', () => {
    it('answers 200 with the same token id and does not show the token again', async () => {
      const idempotencyKey = key();
      const first = await post('/api/admin/tokens', { name: 'Keyed desk', role: 'reader' }, 'admin', { 'Idempotency-Key': idempotencyKey });
      expect(shape(first)).toMatchObject({ status: 201, body: { id: expect.any(String), token: expect.any(String), role: 'reader' } });
      const head = await app.head();
      const replay = await post('/api/admin/tokens', { name: 'Keyed desk', role: 'reader' }, 'admin', { 'Idempotency-Key': idempotencyKey });
      expect(shape(replay)).toMatchObject({ status: 200, body: { id: first.body.id, streamVersion: first.body.streamVersion, position: first.body.position } });
      expect(replay.body.token ?? null).toBeNull();
      expect(await app.head()).toBe(head);
    });
  });
});
