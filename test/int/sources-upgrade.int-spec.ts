import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { type AppDatabase, appDatabase, type DatabaseKind, databaseKinds } from '../support/database';

/**
 * Upgrading a tracker whose source ledger saw later-added sources at the server's clock (sources
 * projector version 2): the migration gives every citation its claim's statedAt, and the
 * projector's version 3 rebuilds the ledger from the log, so first and last seen are publication
 * or statement times only.
 */

const OUTLET = 'Upgrade Wire';
const RECORDED_CLOCK = '2026-11-30T12:00:00.000Z';

describe.each(databaseKinds())('the source ledger after an upgrade on %s', (kind: DatabaseKind) => {
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

  it('rebuilds first and last seen from publication and statement times', async () => {
    app = await startApiApp(env);
    const s: Scenario = await seedScenario(app);
    const attribution = { outlet: OUTLET, reliability: 'C', credibility: 3 };
    const { body } = await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s, { attributions: [attribution] })).expect(201);
    await request(app.server)
      .post(`/api/claims/${body.id}/attributions`)
      .set(bearer(app.tokens.journalist))
      .send({ attribution, expectedVersion: 1 })
      .expect(201);
    const head = await app.head();
    await request(app.server).get(`/api/sources?minPosition=${head}`).expect(200);

    // Back to the previous release's tables: no statedAt kept, the added source seen when recorded.
    const dataSource = app.app.get(DataSource);
    await dataSource.undoLastMigration({ transaction: 'all' });
    await dataSource.query(`UPDATE source_ledger_v1 SET last_seen = $1 WHERE outlet = $2`, [RECORDED_CLOCK, OUTLET]);
    await dataSource.query(`UPDATE projection_checkpoints SET version = 2 WHERE name = 'sources'`);
    const before = await request(app.server).get('/api/sources').expect(200);
    expect(before.body.items.find((i: { outlet: string }) => i.outlet === OUTLET).lastSeen).toBe(RECORDED_CLOCK);
    await app.close();

    app = await startApiApp(env);
    const upgraded = app.app.get(DataSource);
    const columns = await upgraded.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'source_citations_v1' AND column_name = 'stated_at'`);
    expect(columns).toHaveLength(1);
    let entry: { firstSeen: string; lastSeen: string } | undefined;
    for (let tries = 0; tries < 300; tries++) {
      const [checkpoint] = await upgraded.query(`SELECT version, position FROM projection_checkpoints WHERE name = 'sources'`);
      if (checkpoint.version === 3 && Number(checkpoint.position) >= head) {
        entry = (await request(app.server).get('/api/sources').expect(200)).body.items.find((i: { outlet: string }) => i.outlet === OUTLET);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Both citations without a publication date: seen when the claim was stated (09:30 at +04:00).
    expect(entry).toMatchObject({ firstSeen: '2020-10-11T05:30:00.000Z', lastSeen: '2020-10-11T05:30:00.000Z' });
  });
});
