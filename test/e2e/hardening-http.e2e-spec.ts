import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ADMIN_TOKEN, bearer } from '../support/api';
import { startTestApp, type TestApp } from '../support/app';
import { appDatabase, type AppDatabase } from '../support/database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with how the server ended a raw connection: its answer (if any) and after how long. */
function whenClosed(socket: Socket): Promise<{ answer: string; ms: number }> {
  const started = Date.now();
  let answer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (answer += chunk));
  return new Promise((resolve) => {
    socket.on('close', () => resolve({ answer, ms: Date.now() - started }));
    socket.on('error', () => undefined);
  });
}

// HTTP behaviour does not depend on the database: the embedded one is enough.
describe('the HTTP edge', () => {
  let db: AppDatabase;
  let app: TestApp;
  let port: number;
  const admin = bearer(ADMIN_TOKEN);

  beforeAll(async () => {
    db = await appDatabase('embedded');
    app = await startTestApp({
      ...db.env,
      ADMIN_TOKEN,
      CORS_ORIGINS: 'https://dashboard.example.org, https://other.example.org',
      RATE_LIMIT_MAX: '40',
      RATE_LIMIT_AUTH_FAILURES: '5',
      RATE_LIMIT_WINDOW_MS: '2000',
      HTTP_CONNECTION_TIMEOUT_MS: '8000',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      MAX_POSITION_WAITERS: '1',
    });
    await app.app.listen(0, '127.0.0.1');
    port = (app.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('sends security headers on the page, API answers, error answers and the docs', async () => {
    // Each request from its own "client" token, so the limit below is not reached here.
    for (const [path, status] of [['/', 200], ['/api/claims', 200], ['/api/claims/not-a-claim', 404], ['/docs', 200], ['/api/no-such-route', 404], ['/claims/new', 200]] as const) {
      const res = await request(app.server).get(path).expect(status);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['strict-transport-security']).toBeUndefined(); // no TRUST_PROXY: plain HTTP
    }
    expect((await request(app.server).get('/api/claims')).headers['content-security-policy']).toMatch(/^default-src 'none'/);
    // The page keeps its own strict policy; the docs get theirs (Swagger UI's style sheet is inline).
    expect((await request(app.server).get('/')).headers['content-security-policy']).toMatch(/script-src 'self'/);
    // Pages are documents: they also get the headers that only mean something to a browsing context.
    expect((await request(app.server).get('/')).headers['cross-origin-opener-policy']).toBe('same-origin');
    expect((await request(app.server).get('/docs')).headers['cross-origin-opener-policy']).toBe('same-origin');
    expect((await request(app.server).get('/docs')).headers['content-security-policy']).toMatch(/style-src 'self' 'unsafe-inline'/);
  });

  it('answers CORS requests from the allowed origins only', async () => {
    const allowed = await request(app.server).get('/api/conflicts').set('Origin', 'https://dashboard.example.org').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboard.example.org');
    const refused = await request(app.server).get('/api/conflicts').set('Origin', 'https://evil.example.com').expect(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(app.server)
      .options('/api/claims')
      .set('Origin', 'https://other.example.org')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://other.example.org');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/i);
  });

  it('limits requests with wrong tokens harder, with 429 and Retry-After, and lifts the limit after the window', async () => {
    await sleep(2100); // a fresh window
    const wrong = bearer('cft_this-token-was-never-issued-000000000000000');
    for (let i = 0; i < 5; i++) await request(app.server).get('/api/claims').set(wrong).expect(401);
    const limited = await request(app.server).get('/api/claims').set(wrong).expect(429);
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate.auth_failures' });
    // Every token from that address waits, a valid one too (else a lucky guess would show as a
    // 200 among the 429s); anonymous reads go on.
    await request(app.server).get('/api/claims').set(bearer('cft_another-unknown-token-00000000000000000000')).expect(429);
    await request(app.server).get('/api/claims').set(admin).expect(429);
    await request(app.server).get('/api/claims').expect(200);
    await sleep(Number(limited.headers['retry-after']) * 1000 + 200);
    await request(app.server).get('/api/claims').set(wrong).expect(401);
  });

  it('limits every client to RATE_LIMIT_MAX requests a window, per token or else per address', async () => {
    await sleep(2100);
    let answered = 0;
    let limited: request.Response | null = null;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await request(app.server).get('/health/live');
      if (res.status === 429) limited = res;
      else answered++;
    }
    expect(answered).toBe(40);
    expect(limited!.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(limited!.body).toMatchObject({ status: 429, code: 'rate.limited' });
    // A token is a client of its own.
    await request(app.server).get('/health/live').set(admin).expect(200);
    await sleep(2100);
  });

  it('cuts off a client that sends its body too slowly, and one that sends nothing', async () => {
    const slow = connect(port, '127.0.0.1');
    const slowClosed = whenClosed(slow);
    slow.write('POST /api/conflicts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na');
    const trickle = setInterval(() => slow.writable && slow.write(' '), 200);
    const idle = connect(port, '127.0.0.1');
    const idleClosed = whenClosed(idle);
    try {
      const [cut, silent] = await Promise.all([slowClosed, idleClosed]);
      expect(cut.ms).toBeLessThan(5000);
      if (cut.answer) expect(cut.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(silent.ms).toBeLessThan(5000);
    } finally {
      clearInterval(trickle);
      slow.destroy();
      idle.destroy();
    }
  });

  it('bounds the reads waiting for minPosition: past MAX_POSITION_WAITERS a read gets 503 at once', async () => {
    await sleep(2100);
    const far = 1_000_000;
    const first = request(app.server).get(`/api/claims?minPosition=${far}`).set(admin);
    const firstDone = first.then((res) => res);
    await sleep(200);
    const second = await request(app.server).get(`/api/claims?minPosition=${far}`).set(admin);
    expect(second.status).toBe(503);
    expect(second.body.code).toBe('projection.too_many_waiters');
    expect(second.headers['retry-after']).toBeDefined();
    expect((await firstDone).body.code).toBe('projection.behind');
  });

  it('serves liveness and readiness, and metrics only to admins', async () => {
    await request(app.server).get('/health/live').expect(200);
    const ready = await request(app.server).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { database: { status: 'up' }, migrations: { status: 'up', pending: 0 }, projections: { status: 'up' } } });
    await request(app.server).get('/metrics').expect(401);
    const metrics = await request(app.server).get('/metrics').set(admin).expect(200);
    expect(metrics.text).toContain('ceasefire_projection_lag_events');
  });
});

describe('the HTTP edge behind a proxy, with its other settings', () => {
  let db: AppDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await appDatabase('embedded');
    app = await startTestApp({ ...db.env, TRUST_PROXY: 'true', DOCS_PUBLIC: 'false', METRICS_PUBLIC: 'true', RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('sends HSTS, serves no docs, serves metrics to anyone and no CORS headers', async () => {
    const res = await request(app.server).get('/metrics').set('X-Forwarded-For', '203.0.113.1').expect(200);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    await request(app.server).get('/docs').set('X-Forwarded-For', '203.0.113.1').expect(404);
    const cors = await request(app.server).get('/api/conflicts').set('X-Forwarded-For', '203.0.113.1').set('Origin', 'https://dashboard.example.org').expect(200);
    expect(cors.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('counts anonymous clients by the address the proxy names', async () => {
    for (let i = 0; i < 3; i++) await request(app.server).get('/health/live').set('X-Forwarded-For', '198.51.100.7').expect(200);
    await request(app.server).get('/health/live').set('X-Forwarded-For', '198.51.100.7').expect(429);
    await request(app.server).get('/health/live').set('X-Forwarded-For', '198.51.100.8').expect(200);
  });
});
