import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { EventStore } from '../../src/event-store/event-store.service';
import { ADMIN_TOKEN, bearer } from '../support/api';
import { startTestApp, type TestApp } from '../support/app';
import { createServerDatabase, postgresAvailable } from '../support/database';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries until `attempt` gives a status below 500, for at most `ms`. */
async function untilServed(attempt: () => Promise<request.Response>, ms: number): Promise<request.Response> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await attempt();
    if (res.status < 500 || Date.now() > deadline) return res;
    await sleep(100);
  }
}

/** The lines of a server-sent event stream, as they arrive. */
function follow(url: string): { events: { type: string; data: string }[]; close(): void } {
  const events: { type: string; data: string }[] = [];
  let buffer = '';
  const req = httpRequest(url, { headers: { Accept: 'text/event-stream' } }, (res: IncomingMessage) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
        events.push({ type, data });
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, close: () => req.destroy() };
}

// The outage is made by a proxy between the app and the local PostgreSQL; the server itself is
// never stopped (others use it).
(postgresAvailable() ? describe : describe.skip)('a database outage (PostgreSQL behind a proxy that is cut)', () => {
  let database: { url: string; drop(): Promise<void> };
  let proxy: TcpProxy;
  let app: TestApp;
  let base: string;
  const admin = bearer(ADMIN_TOKEN);

  beforeAll(async () => {
    database = await createServerDatabase();
    const url = new URL(database.url);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.port = String(proxy.port);
    app = await startTestApp({ DATABASE_URL: url.toString(), ADMIN_TOKEN, DB_CONNECT_TIMEOUT_MS: '1000' });
    await app.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy?.restore();
    await app?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('answers reads and writes with 503 database.unavailable and Retry-After, then serves again without a restart, losing and duplicating nothing', async () => {
    const before = await request(base).post('/api/conflicts').set(admin).send({ name: 'Before the outage', timeZone: 'Asia/Baku' }).expect(201);
    const feed = follow(`${base}/api/live`);
    try {
      for (let i = 0; i < 100 && feed.events.length === 0; i++) await sleep(50);
      expect(feed.events[0]).toEqual({ type: 'head', data: JSON.stringify({ position: before.body.position }) });
      proxy.cut();
      const read = await request(base).get('/api/conflicts');
      expect(read.status).toBe(503);
      expect(read.headers['retry-after']).toMatch(/^\d+$/);
      expect(read.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(read.body).toMatchObject({ status: 503, code: 'database.unavailable' });
      const write = () =>
        request(base).post('/api/conflicts').set(admin).set('Idempotency-Key', 'outage-write-1').send({ name: 'During the outage', timeZone: 'Asia/Baku' });
      const refused = await write();
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('database.unavailable');
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      await request(base).get(`/api/conflicts/${before.body.id}`).expect(503);
      await request(base).get('/health').expect(503);
      await request(base).get('/health/ready').expect(503);
      await request(base).get('/health/live').expect(200);
      await sleep(1500); // the live feed meets the outage too

      proxy.restore();
      const started = Date.now();
      const retried = await untilServed(write, 5000);
      expect(retried.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(5000);
      // The same key again: the original answer, nothing appended.
      const replay = await write().expect(200);
      expect(replay.body).toEqual(retried.body);
      await request(base).get(`/api/conflicts/${retried.body.id}?minPosition=${retried.body.position}`).expect(200);
      const store = app.app.get(EventStore);
      const streams = (await store.readAll({ after: 0, limit: 1000 })).filter((e) => e.type === 'ConflictRegistered').map((e) => e.streamId);
      expect(streams).toHaveLength(2);
      expect(new Set(streams).size).toBe(2);

      // The feed that was open through the outage announces the write made after it.
      const deadline = Date.now() + 5000;
      while (!feed.events.some((e) => e.type === 'appended' && JSON.parse(e.data).position === retried.body.position) && Date.now() < deadline) await sleep(100);
      expect(feed.events.some((e) => e.type === 'appended' && JSON.parse(e.data).position === retried.body.position)).toBe(true);
      await request(base).get('/health/ready').expect(200);
    } finally {
      feed.close();
    }
  });
});
