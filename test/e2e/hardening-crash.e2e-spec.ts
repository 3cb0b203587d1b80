import { execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import request from 'supertest';
import { ProjectionRunner } from '../../src/projections/projection-runner.service';
import { type ApiApp, appendClaimCopies, bearer, claimBody, seedScenario, startApiApp } from '../support/api';
import { createServerDatabase, postgresAvailable } from '../support/database';

const CLAIMS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A rebuild killed with SIGKILL in another process (the command line), on the real server: the
// embedded database lives inside its one process.
(postgresAvailable() ? describe : describe.skip)('a rebuild killed mid-way', () => {
  let database: { url: string; drop(): Promise<void> };
  let app: ApiApp;

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/ensure-build.cjs'], { stdio: 'ignore' });
    database = await createServerDatabase();
    app = await startApiApp({ DATABASE_URL: database.url, CHECKPOINT_EVERY: '0' });
    const scenario = await seedScenario(app);
    await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(scenario)).expect(201);
    // Many more claims like that one, appended in bulk (HTTP would take minutes).
    await appendClaimCopies(app, CLAIMS);
    await app.app.get(ProjectionRunner).catchUp();
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('leaves the live read models as they were, and the next rebuild completes with the same digests', async () => {
    const runner = app.app.get(ProjectionRunner);
    const before = (await runner.status()).find((s) => s.name === 'claims')!;
    const child = spawn(process.execPath, ['dist/src/cli.js', 'rebuild', 'claims'], {
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill it once a bulk batch of the copy has committed, before the swap.
    const watcher = new Client({ connectionString: database.url });
    await watcher.connect();
    try {
      for (let i = 0; i < 1000; i++) {
        const [row] = (await watcher.query(`SELECT to_regclass('claim_view_v1__next') IS NOT NULL AS exists`)).rows;
        if (row.exists && Number((await watcher.query('SELECT count(*) AS n FROM claim_view_v1__next')).rows[0].n) > 0) break;
        await sleep(20);
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const [copy] = (await watcher.query(`SELECT to_regclass('claim_view_v1__next') IS NOT NULL AS exists`)).rows;
      expect(copy.exists).toBe(true); // killed mid-way: the half-built copy is still there
    } finally {
      await watcher.end();
    }
    const afterKill = (await runner.status()).find((s) => s.name === 'claims')!;
    expect(afterKill.readModels).toEqual(before.readModels);
    expect(afterKill.checkpoint).toBe(before.checkpoint);

    const rebuilt = await runner.rebuild('claims');
    expect(rebuilt.readModels).toEqual(before.readModels);
    expect(rebuilt.checkpoint).toBe(before.checkpoint);
  });
});
