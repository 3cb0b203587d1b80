import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import request from 'supertest';
import { TOKENS_CHANNEL, TokenCache } from '../../src/auth/token-cache';
import { type ApiApp, bearer, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function issue(app: ApiApp, name: string): Promise<{ id: string; token: string }> {
  const res = await request(app.server).post('/api/admin/tokens').set(bearer(app.tokens.admin)).send({ name, role: 'journalist' }).expect(201);
  return res.body;
}
const revoke = (app: ApiApp, id: string) => request(app.server).delete(`/api/admin/tokens/${id}`).set(bearer(app.tokens.admin));
const readWith = (app: ApiApp, token: string) => request(app.server).get('/api/conflicts').set(bearer(token));

/** Uses the token until the instance answers it from its cache (it caches once it listens for revocations). */
async function cachedOn(app: ApiApp, token: string): Promise<void> {
  const cache = app.app.get(TokenCache);
  for (let attempt = 0; attempt < 100; attempt++) {
    const before = cache.size;
    await readWith(app, token).expect(200);
    if (cache.size > 0 && cache.size >= before) return;
    await sleep(50);
  }
  throw new Error('the token never reached the cache');
}

describe('token cache', () => {
  describe('on the embedded database', () => {
    let db: AppDatabase;
    let app: ApiApp;
    beforeAll(async () => {
      db = await appDatabase('embedded');
      app = await startApiApp(db.env);
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await db?.close();
    });

    it('answers a known token from the cache and refuses it at once after revocation', async () => {
      const { id, token } = await issue(app, 'cached desk');
      await cachedOn(app, token);
      await revoke(app, id).expect(200);
      await readWith(app, token).expect(401);
    });
  });

  (postgresAvailable() ? describe : describe.skip)('on two instances of one PostgreSQL database', () => {
    let db: AppDatabase;
    let first: ApiApp;
    let second: ApiApp;
    beforeAll(async () => {
      db = await appDatabase('postgres');
      first = await startApiApp(db.env);
      second = await startApiApp(db.env);
    }, 180_000);
    afterAll(async () => {
      await second?.close();
      await first?.close();
      await db?.close();
    });

    it('refuses a token on the other instance as soon as one instance revoked it', async () => {
      const { id, token } = await issue(first, 'two-instance desk');
      await cachedOn(first, token);
      await cachedOn(second, token);
      const other = await issue(second, 'still valid');
      await cachedOn(second, other.token);

      await revoke(first, id).expect(200);
      await readWith(second, token).expect(401);
      await readWith(first, token).expect(401);
      await readWith(second, other.token).expect(200);
    });

    it('forgets every token when its listener is lost, checks the database meanwhile, and listens again', async () => {
      const { id, token } = await issue(first, 'reconnecting desk');
      await cachedOn(second, token);
      // The listeners' backends go away (a failover, a restart): nothing cached may outlive them.
      const admin = new Client({ connectionString: db.env.DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN ${TOKENS_CHANNEL}'`,
        );
      } finally {
        await admin.end();
      }
      const cache = second.app.get(TokenCache);
      for (let attempt = 0; attempt < 100 && cache.size > 0; attempt++) await sleep(20);
      expect(cache.size).toBe(0);
      await revoke(first, id).expect(200);
      await readWith(second, token).expect(401);
      const again = await issue(first, 'after the reconnect');
      await cachedOn(second, again.token);
    });
  });
});
