import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CivilianCasualties1795973500000 } from '../../migrations/1795973500000-CivilianCasualties';
import { type ApiApp, claimBody, bearer, type Scenario, seedScenario, startApiApp } from '../support/api';
import { type AppDatabase, appDatabase, type DatabaseKind, databaseKinds } from '../support/database';

/**
 * Upgrading a tracker whose timeline summed killed and wounded only (claims projector version 1):
 * the migration adds the civilian columns, and the projector's version 2 rebuilds the claim view
 * and the timeline from the log, so the casualties split into civilian and military.
 */
describe.each(databaseKinds())('the casualty split after an upgrade on %s', (kind: DatabaseKind) => {
  let database: AppDatabase;
  let env: Record<string, string | undefined>;
  let app: ApiApp | undefined;

  beforeAll(async () => {
    database = await appDatabase(kind, { durable: true });
    env = database.env;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('rebuilds the timeline with civilian and military casualties', async () => {
    app = await startApiApp(env);
    const s: Scenario = await seedScenario(app);
    const casualties = { civilian: { killed: { min: 1, max: 1 }, wounded: { min: 3, max: 5 } }, military: { killed: { min: 2, max: 4 } } };
    await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s, { casualties })).expect(201);
    const head = await app.head();
    await request(app.server).get(`/api/claims?minPosition=${head}&limit=1`).expect(200);

    // Back to the previous release's tables: no civilian columns, the projector at version 1.
    const dataSource = app.app.get(DataSource);
    const runner = dataSource.createQueryRunner();
    await new CivilianCasualties1795973500000().down(runner);
    await runner.release();
    await dataSource.query(`DELETE FROM migrations WHERE name = 'CivilianCasualties1795973500000'`);
    await dataSource.query(`UPDATE projection_checkpoints SET version = 1 WHERE name = 'claims'`);
    await app.close();

    app = await startApiApp(env);
    const upgraded = app.app.get(DataSource);
    let point: Record<string, unknown> | undefined;
    for (let tries = 0; tries < 600; tries++) {
      const [checkpoint] = await upgraded.query(`SELECT version, position FROM projection_checkpoints WHERE name = 'claims'`);
      if (checkpoint.version === 2 && Number(checkpoint.position) >= head) {
        point = (await request(app.server).get(`/api/conflicts/${s.conflictId}/timeline`).expect(200)).body.series[0].points[0];
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(point).toMatchObject({
      killed: { min: 3, max: 5 },
      wounded: { min: 3, max: 5 },
      civilian: { killed: { min: 1, max: 1 }, wounded: { min: 3, max: 5 } },
      military: { killed: { min: 2, max: 4 }, wounded: { min: 0, max: 0 } },
    });
  }, 240_000);
});
