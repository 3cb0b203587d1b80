import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { DashboardQueries } from '../../src/read-models/dashboard-queries.service';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, databaseKinds } from '../support/database';

/** ETag / If-None-Match / Cache-Control on the read-model answers (DESIGN §6). */
describe.each(databaseKinds())('read caching on %s', (kind) => {
  let db: AppDatabase;
  let app: ApiApp;
  let s: Scenario;
  let paths: string[];

  beforeAll(async () => {
    db = await appDatabase(kind);
    app = await startApiApp({ ...db.env, READ_CACHE_SECONDS: '7' });
    s = await seedScenario(app);
    paths = [`/api/conflicts/${s.conflictId}/timeline`, `/api/agreements/${s.agreementId}/scorecard`, '/api/claims', '/api/sources'];
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => request(app.server).get(path).set(headers);
  const writeClaim = async (overrides: Record<string, unknown> = {}) => {
    const res = await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s, overrides)).expect(201);
    return res.body.position as number;
  };

  describe('when a reader asks without a token', () => {
    it('answers with an ETag and a public Cache-Control of READ_CACHE_SECONDS', async () => {
      await writeClaim();
      for (const path of paths) {
        const res = await get(`${path}?minPosition=${await app.head()}`);
        expect(res.status).toBe(200);
        expect(res.headers.etag).toMatch(/^"[a-z]+\.\d+\.\d+\.[\w-]+"$/);
        expect(res.headers['cache-control']).toBe('public, max-age=7');
        expect(res.headers.vary).toMatch(/Authorization/);
      }
    });
  });

  describe('when a token is sent', () => {
    it('marks the answer private, never for shared caches', async () => {
      for (const path of paths) {
        const res = await get(path, bearer(app.tokens.reader)).expect(200);
        expect(res.headers['cache-control']).toBe('private, no-cache');
        expect(res.headers['cache-control']).not.toMatch(/public/);
      }
    });
  });

  describe('when If-None-Match holds the current ETag', () => {
    it('answers 304 with no body and without running the query', async () => {
      const queries = app.app.get(DashboardQueries);
      const spies = [jest.spyOn(queries, 'timeline'), jest.spyOn(queries, 'scorecard'), jest.spyOn(queries, 'claims'), jest.spyOn(queries, 'sources')];
      try {
        for (const path of paths) {
          const first = await get(path).expect(200);
          const calls = spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
          const again = await get(path, { 'If-None-Match': first.headers.etag! });
          expect(again.status).toBe(304);
          expect(again.text ?? '').toBe('');
          expect(again.headers.etag).toBe(first.headers.etag);
          expect(again.headers['cache-control']).toBe('public, max-age=7');
          expect(spies.reduce((n, spy) => n + spy.mock.calls.length, 0)).toBe(calls);
          expect((await get(path, { 'If-None-Match': `"other", W/${first.headers.etag}` })).status).toBe(304);
          expect((await get(path, { 'If-None-Match': '"other"' })).status).toBe(200);
        }
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
    });

    it('gives each query its own ETag', async () => {
      const day = await get(paths[0]!).expect(200);
      const month = await get(`${paths[0]}?bucket=month`).expect(200);
      expect(month.headers.etag).not.toBe(day.headers.etag);
      const waited = await get(`${paths[0]}?minPosition=1`).expect(200);
      expect(waited.headers.etag).toBe(day.headers.etag);
    });
  });

  describe('when the log moves', () => {
    it('changes the ETag exactly when the read model changes', async () => {
      const before = await Promise.all(paths.map(async (path) => (await get(`${path}?minPosition=${await app.head()}`).expect(200)).headers.etag));

      // A token is no read model's business: every ETag stays, and 304s keep coming.
      const issued = await request(app.server).post('/api/admin/tokens').set(bearer(app.tokens.admin)).send({ name: 'night desk', role: 'reader' }).expect(201);
      for (const [i, path] of paths.entries()) {
        const res = await get(`${path}?minPosition=${issued.body.position}`, { 'If-None-Match': before[i]! });
        expect(res.status).toBe(304);
      }

      // A claim changes both projectors' tables: no ETag may survive it.
      const position = await writeClaim({ summary: 'A later statement' });
      for (const [i, path] of paths.entries()) {
        const res = await get(`${path}?minPosition=${position}`, { 'If-None-Match': before[i]! });
        expect(res.status).toBe(200);
        expect(res.headers.etag).not.toBe(before[i]);
      }
    });

    it('never answers 304 for a tag older than a write the client names with minPosition', async () => {
      const stale = (await get('/api/claims').expect(200)).headers.etag!;
      const position = await writeClaim({ summary: 'Read your own write' });
      const res = await get(`/api/claims?minPosition=${position}`, { 'If-None-Match': stale });
      expect(res.status).toBe(200);
      expect(res.body.items.map((c: { summary: string }) => c.summary)).toContain('Read your own write');
    });
  });

  describe('when the timeline is replayed as of a position', () => {
    it('adds no ETag (the answer is the auditor\'s own)', async () => {
      const res = await get(`${paths[0]}?asOf=${await app.head()}`, bearer(app.tokens.auditor)).expect(200);
      expect(res.headers.etag).toBeUndefined();
    });
  });
});
