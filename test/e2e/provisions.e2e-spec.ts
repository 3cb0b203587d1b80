import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type ApiApp, bearer, claimBody, denialBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * The provisions of an agreement: the Moscow truce's exchanges of prisoners and of bodies,
 * claims about obstructing them, and the scorecard's counts per provision, computed by hand.
 */

const kind = postgresAvailable() ? 'postgres' : 'embedded';
const PRISONERS = '3e5f7a9b-1010-4c00-8000-000000000001';

let db: AppDatabase;
let app: ApiApp;
let s: Scenario;
let bodies: string;

const asEditor = () => bearer(app.tokens.editor);
const asJournalist = () => bearer(app.tokens.journalist);

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  s = await seedScenario(app);
  await request(app.server)
    .post(`/api/agreements/${s.agreementId}/corrections`)
    .set(asEditor())
    .send({
      changes: {
        provisions: [
          { provisionId: PRISONERS, kind: 'exchange-of-prisoners', text: 'The parties exchange prisoners of war and other detained persons.' },
          { kind: 'exchange-of-bodies', text: 'The parties exchange the bodies of the dead, mediated by the ICRC.' },
        ],
      },
      reason: 'The provisions as the joint statement lists them',
    })
    .expect(201);
  const agreement = (await request(app.server).get(`/api/agreements/${s.agreementId}`).expect(200)).body;
  bodies = agreement.provisions[1].provisionId;
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

/** Azerbaijan says Armenia held up the exchange of bodies. */
const obstruction = (overrides: Record<string, unknown> = {}) =>
  claimBody(s, {
    category: 'obstruction',
    provisionId: bodies,
    casualties: undefined,
    location: undefined,
    summary: 'Armenia held up the exchange of bodies, the Azerbaijani Foreign Ministry said.',
    ...overrides,
  });

const record = async (body: object) => (await request(app.server).post('/api/claims').set(asJournalist()).send(body).expect(201)).body;

describe('an agreement with provisions', () => {
  it('lists them with their ids: kept when given, made up when not', async () => {
    const agreement = (await request(app.server).get(`/api/agreements/${s.agreementId}`).expect(200)).body;
    expect(agreement.provisions).toEqual([
      { provisionId: PRISONERS, kind: 'exchange-of-prisoners', text: 'The parties exchange prisoners of war and other detained persons.' },
      { provisionId: expect.stringMatching(/^[0-9a-f-]{36}$/), kind: 'exchange-of-bodies', text: 'The parties exchange the bodies of the dead, mediated by the ICRC.' },
    ]);
  });

  it('refuses a provision id named twice, naming provisions, and appends nothing', async () => {
    const before = await app.head();
    const provision = { provisionId: PRISONERS, kind: 'exchange-of-prisoners', text: 'Prisoners' };
    const res = await request(app.server)
      .post(`/api/agreements/${s.agreementId}/corrections`)
      .set(asEditor())
      .send({ changes: { provisions: [provision, provision] }, reason: 'Typed twice' })
      .expect(422);
    expect(res.body).toMatchObject({ code: 'agreement.duplicate_provision', field: 'provisions' });
    expect(await app.head()).toBe(before);
  });
});

describe('a claim about a provision', () => {
  it('is refused when no agreement of its conflict has the provision, naming provisionId, and nothing is appended', async () => {
    const before = await app.head();
    const res = await request(app.server).post('/api/claims').set(asJournalist()).send(obstruction({ provisionId: '3e5f7a9b-9999-4c00-8000-000000000099' })).expect(422);
    expect(res.body).toMatchObject({ code: 'claim.unknown_provision', field: 'provisionId' });
    expect(await app.head()).toBe(before);
  });

  it('is counted under its provision in the scorecard, with its denial, and not when voided', async () => {
    const first = await record(obstruction());
    await record(obstruction({ statedAt: '2020-10-12T09:30:00+04:00', occurred: { from: '2020-10-12', precision: 'day' } }));
    // Armenia denies the first: it says it complied with the same provision.
    await request(app.server)
      .post(`/api/claims/${first.id}/responses`)
      .set(asJournalist())
      .send(denialBody(s, { category: 'obstruction', provisionId: bodies, summary: 'Armenia denied holding up the exchange of bodies.' }))
      .expect(201);
    // Armenia says Azerbaijan held up the exchange of prisoners.
    await record(
      claimBody(s, { claimant: s.armenia, subject: s.azerbaijan, category: 'non-implementation', provisionId: PRISONERS, casualties: undefined, location: undefined }),
    );
    // A claim voided by the editors leaves every count.
    const voided = await record(obstruction());
    const last = await request(app.server).post(`/api/claims/${voided.id}/void`).set(asEditor()).send({ reason: 'Entered in error' }).expect(201);
    // A claim with no provision counts only in the agreement's own rows.
    await record(claimBody(s));

    const scorecard = (await request(app.server).get(`/api/agreements/${s.agreementId}/scorecard?minPosition=${last.body.position}`).expect(200)).body;
    const counts = (rows: Record<string, unknown>[]) =>
      rows.map((r) => ({ claimant: r.claimant, subject: r.subject, violationsAlleged: r.violationsAlleged, complianceAsserted: r.complianceAsserted, denied: r.denied }));
    const byKind = Object.fromEntries(scorecard.provisions.map((p: { kind: string; rows: Record<string, unknown>[] }) => [p.kind, counts(p.rows)]));
    const az = s.azerbaijan;
    const am = s.armenia;
    expect(byKind['exchange-of-bodies']).toEqual(
      expect.arrayContaining([
        { claimant: az, subject: am, violationsAlleged: 2, complianceAsserted: 0, denied: 1 },
        { claimant: am, subject: am, violationsAlleged: 0, complianceAsserted: 1, denied: 0 },
      ]),
    );
    expect(byKind['exchange-of-bodies']).toHaveLength(2);
    expect(byKind['exchange-of-prisoners']).toEqual([{ claimant: am, subject: az, violationsAlleged: 1, complianceAsserted: 0, denied: 0 }]);
  });

  it('is shown with its provision, and the claims list filters by it', async () => {
    const claim = await record(obstruction());
    const detail = (await request(app.server).get(`/api/claims/${claim.id}?minPosition=${claim.position}`).expect(200)).body;
    expect(detail).toMatchObject({ provisionId: bodies, category: 'obstruction' });
    const list = (await request(app.server).get(`/api/claims?provisionId=${PRISONERS}&minPosition=${claim.position}`).expect(200)).body;
    expect(list.items.map((i: { provisionId: string; claimant: string }) => [i.provisionId, i.claimant])).toEqual([[PRISONERS, s.armenia]]);
  });

  it('takes a provision in a correction', async () => {
    const claim = await record(claimBody(s));
    const corrected = await request(app.server)
      .post(`/api/claims/${claim.id}/corrections`)
      .set(asJournalist())
      .send({ changes: { provisionId: PRISONERS, category: 'non-implementation' }, reason: 'The statement was about the prisoners', expectedVersion: 1 })
      .expect(201);
    const detail = (await request(app.server).get(`/api/claims/${claim.id}?minPosition=${corrected.body.position}`).expect(200)).body;
    expect(detail.provisionId).toBe(PRISONERS);
  });
});
