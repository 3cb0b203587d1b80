import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource, type QueryRunner } from 'typeorm';
import { Public } from '../../src/auth/access.decorator';
import { ADMIN_TOKEN, bearer } from '../support/api';
import { startTestApp, type TestApp } from '../support/app';
import { createServerDatabase, postgresAvailable } from '../support/database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Test-only routes: not part of the API, so not in its document.
@ApiExcludeController()
@Public()
@Controller('test-database')
class SlowController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('slow')
  async slow(): Promise<string> {
    await this.dataSource.query('SELECT pg_sleep(5)');
    return 'done';
  }

  @Get('quick')
  async quick(): Promise<string> {
    await this.dataSource.query('SELECT 1');
    return 'done';
  }
}

// Bounded waits and readiness need the real server: the embedded one has no statement timeout,
// one connection and no advisory locks between sessions.
(postgresAvailable() ? describe : describe.skip)('bounded database waits and readiness on PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let app: TestApp;
  let lockHolder: Client;

  beforeAll(async () => {
    database = await createServerDatabase();
    // The claims projector cannot lead while this session holds its lock: it falls behind.
    lockHolder = new Client({ connectionString: database.url });
    await lockHolder.connect();
    await lockHolder.query('SELECT pg_advisory_lock(hashtext($1))', ['projector:claims']);
    app = await startTestApp(
      { DATABASE_URL: database.url, ADMIN_TOKEN, DB_STATEMENT_TIMEOUT_MS: '300', DB_CONNECT_TIMEOUT_MS: '300', READY_MAX_LAG_SECONDS: '1' },
      { controllers: [SlowController] },
    );
  });
  afterAll(async () => {
    await lockHolder?.end().catch(() => undefined);
    await app?.close();
    await database?.drop();
  });

  it('reports not ready while a projector lags past READY_MAX_LAG_SECONDS, and ready once it caught up', async () => {
    await request(app.server).post('/api/conflicts').set(bearer(ADMIN_TOKEN)).send({ name: 'Lagging', timeZone: 'Asia/Baku' }).expect(201);
    await sleep(1500);
    const behind = await request(app.server).get('/health/ready').expect(503);
    expect(behind.headers['retry-after']).toMatch(/^\d+$/);
    expect(behind.body).toMatchObject({
      code: 'health.not_ready',
      checks: { database: { status: 'up' }, migrations: { status: 'up' }, projections: { status: 'down', behind: ['claims'] } },
    });
    await request(app.server).get('/health/live').expect(200);
    await lockHolder.end(); // the lock goes with the session
    const deadline = Date.now() + 10_000;
    let ready = await request(app.server).get('/health/ready');
    while (ready.status !== 200 && Date.now() < deadline) {
      await sleep(200);
      ready = await request(app.server).get('/health/ready');
    }
    expect(ready.status).toBe(200);
    expect(ready.body.checks.projections.status).toBe('up');
  });

  it('cancels a statement past DB_STATEMENT_TIMEOUT_MS and answers 503 database.unavailable', async () => {
    const res = await request(app.server).get('/test-database/slow').expect(503);
    expect(res.body.code).toBe('database.unavailable');
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    await request(app.server).get('/test-database/quick').expect(200);
  });

  it('answers 503 when no pooled connection frees up within DB_CONNECT_TIMEOUT_MS', async () => {
    const held: QueryRunner[] = [];
    const dataSource = app.app.get(DataSource);
    try {
      // Take every connection of the pool (10), each in an open transaction.
      for (let i = 0; i < 10; i++) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        held.push(runner);
      }
      const res = await request(app.server).get('/test-database/quick').expect(503);
      expect(res.body.code).toBe('database.unavailable');
    } finally {
      for (const runner of held) {
        await runner.rollbackTransaction().catch(() => undefined);
        await runner.release();
      }
    }
    await request(app.server).get('/test-database/quick').expect(200);
  });
});
