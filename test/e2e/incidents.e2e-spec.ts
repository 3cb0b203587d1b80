import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type ApiApp, bearer, claimBody, denialBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * Incidents: the strike on Ganja with the Azerbaijani claim, the Armenian denial and an Armenian
 * counter-accusation side by side; suggestions of what may already be recorded.
 */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

let db: AppDatabase;
let app: ApiApp;
let s: Scenario;
let ganja: string;
let tartar: string;
let claim: string;
let denial: string;
let counter: string;
let incident: string;

const asEditor = () => bearer(app.tokens.editor);
const asJournalist = () => bearer(app.tokens.journalist);
const post = async (path: string, body: object, as = asJournalist()) => (await request(app.server).post(path).set(as).send(body).expect(201)).body;

const night = { from: '2020-10-11T02:00:00+04:00', to: '2020-10-11T03:00:00+04:00', precision: 'hour', raw: 'around 2 a.m.' };
const strike = (overrides: Record<string, unknown> = {}) =>
  claimBody(s, {
    category: 'missile-strike',
    occurred: night,
    location: { name: 'Ganja', placeId: ganja },
    casualties: { civilian: { killed: { min: 5, max: 5 }, wounded: { min: 28, max: 30 } } },
    summary: 'Armenian forces struck residential buildings in Ganja overnight, the Azerbaijani Prosecutor General said.',
    ...overrides,
  });

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  s = await seedScenario(app);
  const place = async (name: string, lat: number, lon: number) =>
    (await post(`/api/conflicts/${s.conflictId}/places`, { names: [{ name }], lat, lon, kind: 'settlement' }, asEditor())).id as string;
  ganja = await place('Ganja', 40.6828, 46.3606);
  tartar = await place('Tartar', 40.3447, 46.9303);
  claim = (await post('/api/claims', strike())).id;
  denial = (await post(`/api/claims/${claim}/responses`, denialBody(s, { occurred: night, location: { name: 'Ganja', placeId: ganja } }))).id;
  counter = (
    await post(
      `/api/claims/${claim}/responses`,
      denialBody(s, {
        subject: s.azerbaijan,
        assertion: 'violated',
        stance: 'counter-accusation',
        category: 'shelling',
        occurred: night,
        location: { name: 'Ganja', placeId: ganja },
        summary: 'Azerbaijani forces shelled Stepanakert first, the Armenian Defence Ministry said.',
      }),
    )
  ).id;
  incident = (await post(`/api/conflicts/${s.conflictId}/incidents`, { title: 'Strike on Ganja, night of 11 October', occurred: night, placeId: ganja })).id;
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('an incident', () => {
  it('gathers a claim, its denial and a counter-accusation, side by side by party, with casualty ranges', async () => {
    for (const claimId of [claim, denial, counter]) await post(`/api/incidents/${incident}/claims`, { claimId, reason: 'The same night in Ganja' });
    const body = (await request(app.server).get(`/api/incidents/${incident}`).expect(200)).body;
    expect(body).toMatchObject({ title: 'Strike on Ganja, night of 11 October', placeId: ganja, status: 'unverified', claims: 3 });
    const byParty = Object.fromEntries(
      body.parties.map((p: { partyId: string; claims: { id: string; stance: string | null }[] }) => [p.partyId, p.claims.map((c) => [c.id, c.stance])]),
    );
    expect(byParty).toEqual({ [s.azerbaijan]: [[claim, null]], [s.armenia]: [[denial, 'denial'], [counter, 'counter-accusation']] });
    const azerbaijani = body.parties[0].claims[0];
    expect(azerbaijani.casualties).toEqual({ civilian: { killed: { min: 5, max: 5 }, wounded: { min: 28, max: 30 } } });
    expect(azerbaijani.attributions[0].outlet).toBe('TASS');
    expect(body.links.map((l: { change: string }) => l.change)).toEqual(['linked', 'linked', 'linked']);
  });

  it('refuses a claim of another conflict, naming claimId, and appends nothing', async () => {
    const other = await seedScenario(app);
    const stranger = (await post('/api/claims', claimBody(other))).id;
    const before = await app.head();
    const res = await request(app.server).post(`/api/incidents/${incident}/claims`).set(asJournalist()).send({ claimId: stranger, reason: 'Same?' }).expect(422);
    expect(res.body).toMatchObject({ code: 'incident.claim_other_conflict', field: 'claimId' });
    expect(await app.head()).toBe(before);
  });

  it('is assessed by editors only, and listed by its assessment', async () => {
    await request(app.server).post(`/api/incidents/${incident}/assessments`).set(asJournalist()).send({ status: 'corroborated', rationale: 'Seen' }).expect(403);
    await post(`/api/incidents/${incident}/assessments`, { status: 'corroborated', rationale: 'Reporters saw the destroyed buildings' }, asEditor());
    const listed = (await request(app.server).get(`/api/conflicts/${s.conflictId}/incidents?status=corroborated`).expect(200)).body.items;
    expect(listed.map((i: { id: string }) => i.id)).toEqual([incident]);
  });
});

describe('suggestions', () => {
  it('rank a re-reported strike at the same place first, and leave out one 40 km away', async () => {
    const again = (await post('/api/claims', strike({ occurred: { from: '2020-10-11T02:30:00+04:00', precision: 'hour' }, summary: 'A missile hit Ganja at night, APA reported.' }))).id;
    const near = (
      await post('/api/claims', strike({ location: { name: 'Ganja outskirts', lat: 40.7, lon: 46.4 }, summary: 'Shells fell on the outskirts of Ganja.' }))
    ).id;
    const far = (await post('/api/claims', strike({ location: { name: 'Tartar', placeId: tartar }, summary: 'Tartar was shelled overnight.' }))).id;
    // 40 km north of Ganja, the same night.
    const north = (await post('/api/claims', strike({ location: { name: 'A village', lat: 41.0425, lon: 46.3606 }, summary: 'A village was shelled.' }))).id;
    const nextDay = (await post('/api/claims', strike({ occurred: { from: '2020-10-12T02:00:00+04:00', precision: 'hour' }, statedAt: '2020-10-12T09:00:00+04:00' }))).position;

    const related = (await request(app.server).get(`/api/claims/${again}/related?minPosition=${nextDay}`).expect(200)).body;
    const ids = related.claims.map((c: { id: string }) => c.id);
    // The strike's own accounts (the claim, its denial, the counter-accusation) share its place and night.
    expect(ids.slice(0, 3).sort()).toEqual([claim, denial, counter].sort());
    expect(ids).toContain(near);
    expect(ids).not.toContain(far);
    expect(ids).not.toContain(north);
    expect(ids).not.toContain(again);
    expect(related.claims[0]).toMatchObject({ samePlace: true, distanceKm: 0 });
    expect(ids.indexOf(near)).toBe(3);
    expect(related.incidents.map((i: { id: string; linked: boolean }) => [i.id, i.linked])).toEqual([[incident, false]]);
  });

  it("on an incident's page, list the claims not linked yet", async () => {
    const related = (await request(app.server).get(`/api/incidents/${incident}/related`).expect(200)).body;
    const ids = related.claims.map((c: { id: string }) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const linked of [claim, denial, counter]) expect(ids).not.toContain(linked);
    expect(related.incidents).toEqual([]);
  });

  it('answer a draft before it is saved, by its time and place', async () => {
    const related = (await request(app.server).get(`/api/conflicts/${s.conflictId}/related`).query({ from: '2020-10-11', precision: 'day', placeId: ganja }).expect(200)).body;
    expect(related.claims.map((c: { id: string }) => c.id)).toContain(claim);
    expect(related.incidents.map((i: { id: string }) => i.id)).toEqual([incident]);
  });
});
