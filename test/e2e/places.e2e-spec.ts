import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/** The gazetteer: places under every side's name, found in any spelling, and claims located at them. */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

let db: AppDatabase;
let app: ApiApp;
let s: Scenario;
const ids: Record<string, string> = {};

const asEditor = () => bearer(app.tokens.editor);
const asJournalist = () => bearer(app.tokens.journalist);

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  s = await seedScenario(app);
  const register = async (key: string, body: object) => {
    ids[key] = (await request(app.server).post(`/api/conflicts/${s.conflictId}/places`).set(asEditor()).send(body).expect(201)).body.id;
  };
  await register('ganja', {
    names: [
      { name: 'Gəncə', language: 'az', usedBy: [s.azerbaijan] },
      { name: 'Ganja', language: 'en' },
      { name: 'Գանձակ', language: 'hy', usedBy: [s.armenia] },
    ],
    lat: 40.6828,
    lon: 46.3606,
    kind: 'settlement',
  });
  await register('stepanakert', {
    names: [
      { name: 'Stepanakert', language: 'en', usedBy: [s.armenia, s.artsakh] },
      { name: 'Xankəndi', language: 'az', usedBy: [s.azerbaijan] },
      { name: 'Khankendi', language: 'en', usedBy: [s.azerbaijan] },
    ],
    lat: 39.8153,
    lon: 46.752,
    kind: 'settlement',
  });
  await register('shusha', {
    names: [
      { name: 'Şuşa', language: 'az', usedBy: [s.azerbaijan] },
      { name: 'Shushi', language: 'en', usedBy: [s.armenia] },
    ],
    lat: 39.7579,
    lon: 46.7476,
    kind: 'settlement',
  });
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const search = async (q: string) =>
  (await request(app.server).get(`/api/conflicts/${s.conflictId}/places`).query({ q }).expect(200)).body.items.map(
    (i: { id: string; matchedName: string }) => [i.id, i.matchedName],
  );

describe('GET /api/conflicts/:id/places?q=', () => {
  it("finds a town by each side's name", async () => {
    expect(await search('Stepanakert')).toEqual([[ids.stepanakert, 'Stepanakert']]);
    expect(await search('Khankendi')).toEqual([[ids.stepanakert, 'Khankendi']]);
    expect(await search('Shushi')).toEqual([[ids.shusha, 'Shushi']]);
    expect(await search('Shusha')).toEqual([[ids.shusha, 'Şuşa']]);
  });

  it('finds it whatever the accents, case, script or transliteration', async () => {
    expect(await search('gəncə')).toEqual([[ids.ganja, 'Gəncə']]);
    expect(await search('Gandja')).toEqual([[ids.ganja, 'Gəncə']]);
    expect(await search('Гянджа')).toEqual([[ids.ganja, 'Gəncə']]);
    expect(await search('xankendi')).toEqual([[ids.stepanakert, 'Xankəndi']]);
  });

  it('finds nothing for a town it does not have', async () => {
    expect(await search('Goris')).toEqual([]);
  });

  it('lists every place, with who uses each name, without q', async () => {
    const { items } = (await request(app.server).get(`/api/conflicts/${s.conflictId}/places`).expect(200)).body;
    expect(items.map((i: { id: string }) => i.id)).toEqual([ids.ganja, ids.stepanakert, ids.shusha]);
    expect(items[0].names[0]).toEqual({ name: 'Gəncə', language: 'az', usedBy: [s.azerbaijan] });
  });

  it('answers 404 for an unknown conflict and 400 for a blank q', async () => {
    await request(app.server).get('/api/conflicts/7c9e4b2a-9999-4d20-8a20-000000000099/places').expect(404);
    const res = await request(app.server).get(`/api/conflicts/${s.conflictId}/places?q=%20`).expect(400);
    expect(res.body.errors).toEqual([{ field: 'q', message: 'q must not be blank' }]);
  });
});

describe('registering and naming places', () => {
  it('refuses coordinates out of range, naming lat, and appends nothing', async () => {
    const before = await app.head();
    const res = await request(app.server)
      .post(`/api/conflicts/${s.conflictId}/places`)
      .set(asEditor())
      .send({ names: [{ name: 'Nowhere' }], lat: 91, lon: 46, kind: 'site' })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'lat', message: 'lat must be a latitude between -90 and 90' }]);
    expect(await app.head()).toBe(before);
  });

  it('refuses a name used by a party of another conflict', async () => {
    const res = await request(app.server)
      .post(`/api/conflicts/${s.conflictId}/places`)
      .set(asEditor())
      .send({ names: [{ name: 'Somewhere', usedBy: ['1a2b3c4d-0009-4a00-8000-000000000009'] }], lat: 40, lon: 46, kind: 'site' })
      .expect(422);
    expect(res.body).toMatchObject({ code: 'place.unknown_party', field: 'names' });
  });

  it('adds the names it does not have, and finds the place by them', async () => {
    await request(app.server)
      .post(`/api/places/${ids.shusha}/names`)
      .set(asEditor())
      .send({ names: [{ name: 'Шуша', language: 'ru' }, { name: 'shushi', language: 'en' }] })
      .expect(201);
    const place = (await request(app.server).get(`/api/places/${ids.shusha}`).expect(200)).body;
    expect(place.names.map((n: { name: string }) => n.name)).toEqual(['Şuşa', 'Shushi', 'Шуша']);
    expect(place.version).toBe(2);
  });

  it('answers 404 for an unknown place', async () => {
    await request(app.server).get('/api/places/6d1e2f3a-9999-4b00-8000-000000000099').expect(404);
  });
});

describe('a claim located at a place', () => {
  it("shows the place's coordinates beside the name as reported, in the claim and in the list", async () => {
    const { body } = await request(app.server)
      .post('/api/claims')
      .set(asJournalist())
      .send(claimBody(s, { location: { name: 'Gandja', placeId: ids.ganja } }))
      .expect(201);
    const claim = (await request(app.server).get(`/api/claims/${body.id}`).expect(200)).body;
    const located = { name: 'Gandja', altNames: [], placeId: ids.ganja, lat: 40.6828, lon: 46.3606, precision: 'settlement', coordinatesFrom: 'place' };
    expect(claim.location).toEqual(located);
    const list = (await request(app.server).get(`/api/claims?conflictId=${s.conflictId}&minPosition=${body.position}`).expect(200)).body;
    expect(list.items.find((i: { id: string }) => i.id === body.id).location).toEqual(located);
  });

  it('is refused when the place is not in its conflict, naming location.placeId, and nothing is appended', async () => {
    const before = await app.head();
    const res = await request(app.server)
      .post('/api/claims')
      .set(asJournalist())
      .send(claimBody(s, { location: { name: 'Ganja', placeId: '6d1e2f3a-9999-4b00-8000-000000000099' } }))
      .expect(422);
    expect(res.body).toMatchObject({ code: 'claim.unknown_place', field: 'location.placeId' });
    expect(await app.head()).toBe(before);
  });
});
