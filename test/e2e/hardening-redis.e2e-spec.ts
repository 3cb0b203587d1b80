import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { appDatabase, type AppDatabase } from '../support/database';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

const available = await redisAnswers();
if (!available) console.warn(`No Redis answers at ${REDIS_URL}: the shared rate-limit store is not tested here`);

(available ? describe : describe.skip)('rate limits shared through Redis (REDIS_URL)', () => {
  let dbs: AppDatabase[];
  let apps: TestApp[];
  // A window of its own per run: counters of an earlier run must not count here.
  const address = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;

  beforeAll(async () => {
    dbs = [await appDatabase('embedded'), await appDatabase('embedded')];
    const env = { REDIS_URL, TRUST_PROXY: 'true', RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW_MS: '3000' };
    apps = [await startTestApp({ ...dbs[0]!.env, ...env }), await startTestApp({ ...dbs[1]!.env, ...env })];
  }, 180_000); // two embedded databases start
  afterAll(async () => {
    for (const app of apps ?? []) await app.close();
    for (const db of dbs ?? []) await db.close();
  });

  it('counts one client across two instances', async () => {
    const [a, b] = apps;
    await new Promise((resolve) => setTimeout(resolve, 3100));
    for (let i = 0; i < 2; i++) await request(a!.server).get('/health/live').set('X-Forwarded-For', address).expect(200);
    for (let i = 0; i < 2; i++) await request(b!.server).get('/health/live').set('X-Forwarded-For', address).expect(200);
    const limited = await request(a!.server).get('/health/live').set('X-Forwarded-For', address).expect(429);
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    await request(b!.server).get('/health/live').set('X-Forwarded-For', address).expect(429);
  });
});
