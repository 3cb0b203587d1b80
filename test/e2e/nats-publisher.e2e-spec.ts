import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventStore } from '../../src/event-store/event-store.service';
import type { RecordedEvent } from '../../src/event-store/event-store.types';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { followLog } from '../../src/publisher/follow';
import { JetStreamPublisher } from '../../src/publisher/jetstream-publisher.service';
import { type ApiApp, appendClaimCopies, bearer, claimBody, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, createServerDatabase, databaseKinds, postgresAvailable } from '../support/database';
import { type NatsServer, natsTestsRun, startNatsServer } from '../support/nats-server';
import { ensureBuild, startServerProcess, waitUntil } from '../support/processes';

const EVENTS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A stream and subject prefix of the test's own. */
const streamEnv = () => {
  const suffix = randomBytes(4).toString('hex');
  return { NATS_STREAM: `CEASEFIRE_TEST_${suffix}`, NATS_SUBJECT_PREFIX: `ceasefire_test_${suffix}` };
};

/** Reads the whole stream from position 1 and checks the chain: every position once, in order. */
async function followAll(url: string, stream: string, count: number): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  await followLog({ servers: url, stream, from: 1, count, onEvent: (event) => seen.push(event) });
  return seen;
}

const runs = natsTestsRun('NATS JetStream publisher tests');

(runs ? describe : describe.skip)('the log published to NATS JetStream', () => {
  let nats: NatsServer;

  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await nats?.destroy();
  });

  (postgresAvailable() ? describe : describe.skip)(`${EVENTS} events, the publishing worker killed mid-way`, () => {
    let database: { url: string; drop(): Promise<void> };
    let app: ApiApp;
    let dataDir: string;

    beforeAll(async () => {
      ensureBuild();
      database = await createServerDatabase();
      dataDir = mkdtempSync(join(tmpdir(), 'ceasefire-nats-'));
      // The writer publishes nothing: ROLE=api.
      app = await startApiApp({ DATABASE_URL: database.url, ROLE: 'api', CHECKPOINT_EVERY: '0' });
      const scenario = await seedScenario(app);
      await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(scenario)).expect(201);
      await appendClaimCopies(app, EVENTS - (await app.head()));
    }, 300_000);
    afterAll(async () => {
      await app?.close();
      await database?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('a consumer sees every position once, in order, and the chain verifies from the messages', async () => {
      const env = { DATABASE_URL: database.url, ROLE: 'worker', NATS_URL: nats.url, CHECKPOINT_EVERY: '0', DATA_DIR: dataDir, ...streamEnv() };
      const head = await app.head();
      expect(head).toBe(EVENTS);
      const dataSource = app.app.get(DataSource);
      const published = async () => Number((await dataSource.query('SELECT position FROM published_positions WHERE stream = $1', [env.NATS_STREAM]))[0]?.position ?? 0);

      const first = await startServerProcess(env);
      await waitUntil('the first worker has published a part of the log', async () => (await published()) >= 2000);
      first.child.kill('SIGKILL');
      await first.exited;
      const reached = await published();
      expect(reached).toBeLessThan(head); // killed mid-way

      const second = await startServerProcess(env);
      try {
        await waitUntil('the second worker has published the whole log', async () => (await published()) === head);
      } finally {
        await second.stop();
      }
      const events = await followAll(nats.url, env.NATS_STREAM, head);
      expect(events.map((e) => e.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      // The messages are the log itself: the last one carries the head hash.
      expect(events[head - 1]!.hash).toBe((await app.app.get(EventStore).head()).hash);
    }, 300_000);
  });

  describe.each(databaseKinds())('on %s', (kind) => {
    let database: AppDatabase;
    let app: ApiApp;
    const env = streamEnv();

    beforeAll(async () => {
      database = await appDatabase(kind);
    });
    afterAll(async () => {
      await app?.close();
      await database?.close();
    });

    it('waits while NATS is away and resumes; the app keeps serving meanwhile', async () => {
      app = await startApiApp({ ...database.env, NATS_URL: nats.url, CHECKPOINT_EVERY: '0', ...env });
      const publisher = app.app.get(JetStreamPublisher);
      const scenario = await seedScenario(app);
      await waitUntil('the scenario is published', async () => publisher.status().published === (await app.head()));

      await nats.stop();
      for (let i = 0; i < 5; i++) {
        await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(scenario)).expect(201);
      }
      await request(app.server).get(`/api/conflicts/${scenario.conflictId}/timeline`).expect(200);
      const head = await app.head();
      expect(publisher.status().published).toBeLessThan(head);

      await nats.start();
      await waitUntil('the publisher has caught up after the outage', async () => publisher.status().published === head);
      const events = await followAll(nats.url, env.NATS_STREAM, head);
      expect(events.map((e) => e.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    }, 180_000);

    it('after a crash past the de-duplication window, resumes after what the stream holds: nothing twice', async () => {
      // The stream exists already, with a one-second window; the publisher uses it as it is.
      const streamName = `${env.NATS_STREAM}_W`;
      const prefix = `${env.NATS_SUBJECT_PREFIX}_w`;
      const nc = await connect({ servers: nats.url });
      try {
        await (await jetstreamManager(nc)).streams.add({ name: streamName, subjects: [`${prefix}.>`], duplicate_window: 1_000_000_000 });
      } finally {
        await nc.close();
      }
      const windowed = await startApiApp({ ...(kind === 'embedded' ? { DATA_DIR: 'memory://' } : database.env), NATS_URL: nats.url, CHECKPOINT_EVERY: '0', NATS_STREAM: streamName, NATS_SUBJECT_PREFIX: prefix });
      try {
        const publisher = windowed.app.get(JetStreamPublisher);
        await seedScenario(windowed);
        const head = await windowed.head();
        await waitUntil('the scenario is published', async () => publisher.status().published === head);
        await sleep(1500);
        // As if the publisher had died after JetStream stored positions 6.. and before it checkpointed them.
        await windowed.app.get(DataSource).query('UPDATE published_positions SET position = 5 WHERE stream = $1', [streamName]);
        await waitUntil('the publisher has realigned', async () => publisher.status().published === head);
        await sleep(1500);
        const nc2 = await connect({ servers: nats.url });
        try {
          expect((await (await jetstreamManager(nc2)).streams.info(streamName)).state.messages).toBe(head);
        } finally {
          await nc2.close();
        }
        const events = await followAll(nats.url, streamName, head);
        expect(events.map((e) => e.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      } finally {
        await windowed.close();
      }
    }, 180_000);

    // Once is enough: which database it runs on does not matter.
    if (kind === databaseKinds()[0]) it('connects to nothing without NATS_URL', async () => {
      const quiet = await startApiApp({ ...database.env, NATS_URL: undefined });
      try {
        expect(quiet.app.get(JetStreamPublisher).status()).toEqual({ enabled: false, active: false, connected: false, published: 0 });
      } finally {
        await quiet.close();
      }
    });

  });
});
