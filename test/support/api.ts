import type { Role } from '../../src/auth/roles';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventStore } from '../../src/event-store/event-store.service';
import type { JsonObject } from '../../src/event-store/event-store.types';
import request from 'supertest';
import { startTestApp, type TestApp } from './app';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const WRITER_ROLES: Role[] = ['reader', 'journalist', 'editor', 'auditor', 'admin'];

/** The real app with an admin token from the environment and one issued token per role. */
export interface ApiApp extends TestApp {
  /** Bearer tokens by role (admin is ADMIN_TOKEN). */
  tokens: Record<Role, string>;
  /** The head position of the event log: "nothing appended" means it did not move. */
  head(): Promise<number>;
}

export async function startApiApp(env: Record<string, string | undefined>): Promise<ApiApp> {
  const app = await startTestApp({ ADMIN_TOKEN, ...env });
  const tokens = { admin: ADMIN_TOKEN } as Record<Role, string>;
  for (const role of ['reader', 'journalist', 'editor', 'auditor'] as const) {
    const res = await request(app.server)
      .post('/api/admin/tokens')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ name: `${role} desk`, role })
      .expect(201);
    tokens[role] = res.body.token;
  }
  const store = app.app.get(EventStore);
  return { ...app, tokens, head: async () => (await store.head()).position };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The 10 October 2020 Moscow humanitarian ceasefire, as a conflict with parties and an agreement. */
export interface Scenario {
  conflictId: string;
  azerbaijan: string;
  armenia: string;
  artsakh: string;
  russia: string;
  agreementId: string;
}

export async function seedScenario(app: ApiApp): Promise<Scenario> {
  const editor = bearer(app.tokens.editor);
  const post = async (path: string, body: object) => (await request(app.server).post(path).set(editor).send(body).expect(201)).body.id as string;
  const conflictId = await post('/api/conflicts', { name: 'Nagorno-Karabakh (2020)', region: 'South Caucasus', timeZone: 'Asia/Baku' });
  const party = (name: string, kind: string) => post(`/api/conflicts/${conflictId}/parties`, { name, kind });
  const azerbaijan = await party('Azerbaijan', 'state');
  const armenia = await party('Armenia', 'state');
  const artsakh = await party('Nagorno-Karabakh authorities', 'de-facto-authority');
  const russia = await party('Russia', 'mediator');
  const agreementId = await post(`/api/conflicts/${conflictId}/agreements`, {
    title: 'Moscow humanitarian ceasefire',
    kind: 'humanitarian-truce',
    signatories: [azerbaijan, armenia],
    mediators: [russia],
    agreedAt: '2020-10-10T03:00:00+03:00',
    effectiveFrom: { at: '2020-10-10T12:00:00+04:00', raw: '12:00 on 10 October', timeZone: 'Asia/Baku', basis: 'inferred' },
    terms: 'A humanitarian ceasefire to exchange prisoners and the bodies of the dead.',
    attributions: [{ outlet: 'TASS', speaker: 'Russian Foreign Ministry', reliability: 'B', credibility: 2 }],
  });
  return { conflictId, azerbaijan, armenia, artsakh, russia, agreementId };
}

/** A valid claim body: Azerbaijan says Armenia shelled Tartar overnight on 11 October. */
export function claimBody(s: Scenario, overrides: Record<string, unknown> = {}) {
  return {
    conflictId: s.conflictId,
    claimant: s.azerbaijan,
    subject: s.armenia,
    assertion: 'violated',
    category: 'shelling',
    occurred: { from: '2020-10-11T01:00:00+04:00', to: '2020-10-11T03:00:00+04:00', precision: 'hour', raw: 'overnight' },
    statedAt: '2020-10-11T09:30:00+04:00',
    location: { name: 'Tartar', altNames: ['Terter'], lat: 40.34, lon: 46.93, precision: 'settlement' },
    casualties: { civilian: { killed: { min: 1, max: 1 }, wounded: { min: 3, max: 5 } } },
    summary: 'Armenian forces shelled Tartar overnight, the Azerbaijani Defence Ministry said.',
    attributions: [{ outlet: 'TASS', speaker: 'Azerbaijani Defence Ministry', reliability: 'B', credibility: 3, language: 'ru' }],
    ...overrides,
  };
}

/** A denial by Armenia of the claim above. */
export function denialBody(s: Scenario, overrides: Record<string, unknown> = {}) {
  const { conflictId: _, ...body } = claimBody(s);
  return {
    ...body,
    claimant: s.armenia,
    subject: s.armenia,
    assertion: 'complied',
    stance: 'denial',
    category: 'ceasefire-statement',
    statedAt: '2020-10-11T11:00:00+04:00',
    casualties: undefined,
    summary: 'The Armenian Defence Ministry denied shelling Tartar and said it observes the truce.',
    attributions: [{ outlet: 'Armenpress', speaker: 'Armenian Defence Ministry', reliability: 'B', credibility: 3 }],
    ...overrides,
  };
}

/**
 * `count` more claims like the first one recorded, appended in bulk, a thousand per transaction
 * (HTTP would take minutes).
 */
export async function appendClaimCopies(app: ApiApp, count: number): Promise<void> {
  const store = app.app.get(EventStore);
  const template = (await store.readAll({ after: 0, limit: 1000 })).find((e) => e.type === 'ClaimRecorded')!;
  const dataSource = app.app.get(DataSource);
  for (let done = 0; done < count; done += 1000) {
    await dataSource.transaction((tx) =>
      store.appendMany(
        tx,
        Array.from({ length: Math.min(1000, count - done) }, () => {
          const claimId = randomUUID();
          return {
            streamId: `claim-${claimId}`,
            expectedVersion: 'no-stream' as const,
            events: [{ type: template.type, schemaVersion: template.schemaVersion, data: { ...(template.data as JsonObject), claimId } }],
            metadata: template.metadata as JsonObject,
          };
        }),
      ),
    );
  }
}
