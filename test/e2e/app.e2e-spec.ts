import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { Public } from '../../src/auth/access.decorator';
import { NotFoundError } from '../../src/shared/domain-error';
import { startTestApp, type TestApp } from '../support/app';
import { appDatabase, type AppDatabase, createServerDatabase, databaseKinds, postgresAvailable } from '../support/database';

// Test-only routes: not part of the API, so not in its document.
@ApiExcludeController()
@Public()
@Controller('test-errors')
class FailingController {
  @Get('unexpected')
  unexpected(): never {
    throw new Error('connection string postgres://secret@db leaked');
  }

  @Get('domain')
  domain(): never {
    throw new NotFoundError('claim.not_found', 'No claim 42');
  }
}

describe.each(databaseKinds())('HTTP basics on %s', (kind) => {
  let db: AppDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await appDatabase(kind);
    app = await startTestApp(db.env, { controllers: [FailingController] });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('reports ready with the database up', async () => {
    const res = await request(app.server).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves the OpenAPI document and its page', async () => {
    const json = await request(app.server).get('/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(json.body.paths['/health']).toBeDefined();
    await request(app.server).get('/docs').expect(200).expect('content-type', /html/);
  });

  it('answers an unknown route with problem+json and the request id', async () => {
    // Other paths outside /api, /docs, /health and /metrics are the web app's (index.html).
    const res = await request(app.server).get('/api/no-such-route').set('X-Request-Id', 'trace-123').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found', requestId: 'trace-123', instance: '/api/no-such-route' });
  });

  it('gives every request an id when the client sends none or a strange one', async () => {
    const res = await request(app.server).get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await request(app.server).post('/health').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  it('answers a body over 256 KiB with 413 problem+json', async () => {
    const body = JSON.stringify({ summary: 'x'.repeat(256 * 1024) });
    const res = await request(app.server).post('/health').set('Content-Type', 'application/json').send(body).expect(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(413);
  });

  it('maps a domain error to its status and stable code', async () => {
    const res = await request(app.server).get('/test-errors/domain').expect(404);
    expect(res.body).toMatchObject({ type: 'urn:ceasefire:claim.not_found', code: 'claim.not_found', detail: 'No claim 42' });
  });

  it('answers an unexpected error with a generic 500 that leaks nothing', async () => {
    const res = await request(app.server).get('/test-errors/unexpected').expect(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 500, detail: 'The server could not complete the request.' });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|postgres:/);
  });
});

const describeOnPostgres = postgresAvailable() ? describe : describe.skip;
if (!postgresAvailable()) console.log('Skipping "start-up on an empty PostgreSQL database": no PostgreSQL server answers.');

describeOnPostgres('start-up on an empty PostgreSQL database', () => {
  it('migrates it, with the immutability triggers on events, and loads no demo data', async () => {
    const database = await createServerDatabase({ empty: true });
    const app = await startTestApp({ DATABASE_URL: database.url, DEMO: 'true' });
    try {
      await request(app.server).get('/health').expect(200);
      const dataSource = app.app.get(DataSource);
      const migrations = await dataSource.query('SELECT name FROM migrations ORDER BY id');
      expect(migrations.map((m: { name: string }) => m.name)).toContain('CreateEventStore1795959214473');
      const triggers = await dataSource.query(
        `SELECT tgname FROM pg_trigger WHERE tgrelid = 'events'::regclass AND NOT tgisinternal ORDER BY tgname`,
      );
      expect(triggers.map((t: { tgname: string }) => t.tgname)).toEqual([
        'events_append_only_check',
        'events_no_truncate',
        'events_no_update_or_delete',
      ]);
      expect((await request(app.server).get('/api/conflicts').expect(200)).body.items).toEqual([]);
    } finally {
      await app.close();
      await database.drop();
    }
  });

  it('lets two instances start together on one new database, migrating it once', async () => {
    const database = await createServerDatabase({ empty: true });
    const apps = await Promise.all([startTestApp({ DATABASE_URL: database.url }), startTestApp({ DATABASE_URL: database.url })]);
    try {
      const rows = await apps[0]!.app.get(DataSource).query('SELECT name FROM migrations ORDER BY id');
      expect(rows.map((r: { name: string }) => r.name)).toEqual(migrations.map((m) => m.name));
    } finally {
      await Promise.all(apps.map((a) => a.close()));
      await database.drop();
    }
  });
});
