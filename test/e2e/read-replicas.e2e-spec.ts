import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ReadReplicas } from '../../src/database/read-replicas.service';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { type PostgresCluster, replicaTestsRun, startPrimaryAndReplica } from '../support/postgres-cluster';
import { waitUntil } from '../support/processes';

const runs = replicaTestsRun('the read replica tests (their own primary and streaming replica)');

(runs ? describe : describe.skip)('read-model queries on a streaming replica', () => {
  let cluster: PostgresCluster;
  let app: ApiApp;
  let scenario: Scenario;
  const inRotation = () => app.app.get(ReadReplicas).states()[0]!.inRotation;

  beforeAll(async () => {
    cluster = await startPrimaryAndReplica();
    app = await startApiApp({ DATABASE_URL: cluster.primaryUrl, DATABASE_READ_URL: cluster.replicaUrl, REPLICA_WAIT_MS: '3000', CHECKPOINT_EVERY: '0' });
    scenario = await seedScenario(app);
    await waitUntil('the replica is in rotation', inRotation);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    cluster?.destroy();
  });

  it('serves the dashboard reads from the replica, with read-your-writes exact under minPosition', async () => {
    const journalist = bearer(app.tokens.journalist);
    const servedBy: string[] = [];
    for (let i = 0; i < 5; i++) {
      const written = await request(app.server).post('/api/claims').set(journalist).send(claimBody(scenario, { summary: `Replica check ${i}: shelling near Tartar.` })).expect(201);
      const list = await request(app.server).get(`/api/claims?conflictId=${scenario.conflictId}&minPosition=${written.body.position}`).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toContain(written.body.id);
      servedBy.push(list.headers['x-served-by']!);
    }
    // The replica replays within the wait here; a slow one would have been replaced by the primary, still exact.
    expect(servedBy).toContain('replica-1');

    const timeline = await request(app.server).get(`/api/conflicts/${scenario.conflictId}/timeline`).expect(200);
    expect(timeline.headers['x-served-by']).toBe('replica-1');
    expect(timeline.body.series.length).toBeGreaterThan(0);
    expect((await request(app.server).get('/api/sources').expect(200)).headers['x-served-by']).toBe('replica-1');
    expect((await request(app.server).get(`/api/agreements/${scenario.agreementId}/scorecard`).expect(200)).headers['x-served-by']).toBe('replica-1');

    const ready = await request(app.server).get('/health/ready').expect(200);
    expect(ready.body.checks.replicas.replicas[0]).toMatchObject({ name: 'replica-1', inRotation: true });
  });

  it('falls back to the primary without an error while the replica is down, and takes it back when it returns', async () => {
    cluster.stopReplica();
    // At once, before any check noticed: the failed read is answered by the primary.
    const during = await request(app.server).get(`/api/claims?conflictId=${scenario.conflictId}`).expect(200);
    expect(during.headers['x-served-by']).toBe('primary');
    expect(during.body.items.length).toBe(5);
    await waitUntil('the replica is out of rotation', () => !inRotation());
    const written = await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(scenario)).expect(201);
    const exact = await request(app.server).get(`/api/claims?conflictId=${scenario.conflictId}&minPosition=${written.body.position}`).expect(200);
    expect(exact.headers['x-served-by']).toBe('primary');
    expect(exact.body.items.map((c: { id: string }) => c.id)).toContain(written.body.id);
    const ready = await request(app.server).get('/health/ready').expect(200);
    expect(ready.body.checks.replicas.replicas[0]).toMatchObject({ name: 'replica-1', inRotation: false });

    cluster.startReplica();
    await waitUntil('the replica is back in rotation', inRotation);
    const back = await request(app.server).get(`/api/claims?conflictId=${scenario.conflictId}&minPosition=${written.body.position}`).expect(200);
    expect(back.headers['x-served-by']).toBe('replica-1');
    expect(back.body.items.length).toBe(6);
  });
});
