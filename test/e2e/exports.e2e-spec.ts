import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { EXPORT_COLUMNS } from '../../src/exports/claim-export-row';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/** The record for researchers: ACLED-style CSV, GeoJSON, schema.org ClaimReview. */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

let db: AppDatabase;
let app: ApiApp;
let s: Scenario;
let placed: string;
let located: string;
let nowhere: string;
let voided: string;
let head: number;

const asEditor = () => bearer(app.tokens.editor);
const asJournalist = () => bearer(app.tokens.journalist);
const post = async (path: string, body: object, as = asJournalist()) => (await request(app.server).post(path).set(as).send(body).expect(201)).body;

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  s = await seedScenario(app);
  const ganja = (await post(`/api/conflicts/${s.conflictId}/places`, { names: [{ name: 'Ganja' }], lat: 40.6828, lon: 46.3606, kind: 'settlement' }, asEditor())).id;
  placed = (await post('/api/claims', claimBody(s, { location: { name: 'Gandja', placeId: ganja } }))).id;
  located = (
    await post(
      '/api/claims',
      claimBody(s, {
        occurred: { from: '2020-10-12', precision: 'week' },
        statedAt: '2020-10-14T10:00:00+04:00',
        casualties: { military: { killed: { min: 2, max: 4 } } },
        attributions: [
          { outlet: 'TASS', speaker: 'Azerbaijani Defence Ministry', reliability: 'B', credibility: 3, url: 'https://tass.ru/example' },
          { outlet: 'Secret', speaker: 'Colonel Secretive', reliability: 'C', credibility: 3, confidential: true, protectedIdentity: 'A major of the 3rd Army Corps' },
        ],
        summary: 'Shelling, "heavy", on two villages;\nthe ministry said.',
      }),
    )
  ).id;
  nowhere = (await post('/api/claims', claimBody(s, { location: undefined }))).id;
  voided = (await post('/api/claims', claimBody(s))).id;
  head = (await request(app.server).post(`/api/claims/${voided}/void`).set(asEditor()).send({ reason: 'Never said' }).expect(201)).body.position;
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('GET /api/exports/claims.csv', () => {
  let rows: Record<string, string>[];
  let text: string;

  beforeAll(async () => {
    const res = await request(app.server).get(`/api/exports/claims.csv?conflictId=${s.conflictId}&minPosition=${head}`).buffer(true).parse((r, done) => {
      let body = '';
      r.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      r.on('end', () => done(null, body));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="claims.csv"');
    text = res.body as string;
    rows = parse(text, { columns: true });
  });

  it('has a header row with every column of the data dictionary, and one row per counted claim', () => {
    expect(text.split('\n')[0]).toBe(EXPORT_COLUMNS.join(','));
    expect(rows.map((r) => r.claim_id).sort()).toEqual([placed, located, nowhere].sort());
  });

  it('writes names, local dates, precision codes, casualties and sources as a researcher reads them', () => {
    const row = rows.find((r) => r.claim_id === located)!;
    expect(row).toMatchObject({
      event_date: '2020-10-12',
      time_precision: '2',
      claimant: 'Azerbaijan',
      subject: 'Armenia',
      assertion: 'violated',
      agreement: 'Moscow humanitarian ceasefire',
      status: 'unverified',
      military_killed_min: '2',
      military_killed_max: '4',
      civilian_killed_min: '',
      sources: 'TASS (Azerbaijani Defence Ministry); confidential source',
      source_count: '2',
      notes: 'Shelling, "heavy", on two villages;\nthe ministry said.',
    });
    expect(text).not.toContain('3rd Army Corps');
    expect(text).not.toContain('Colonel Secretive');
  });

  it("gives a claim at a place the place's coordinates, and none to a claim without a location", () => {
    expect(rows.find((r) => r.claim_id === placed)).toMatchObject({ location: 'Gandja', latitude: '40.6828', longitude: '46.3606', geo_precision: 'settlement' });
    expect(rows.find((r) => r.claim_id === nowhere)).toMatchObject({ location: '', latitude: '', longitude: '' });
  });
});

describe('GET /api/exports/claims.geojson', () => {
  it('is a FeatureCollection valid under the GeoJSON schema, of the claims with coordinates', async () => {
    const res = await request(app.server).get(`/api/exports/claims.geojson?conflictId=${s.conflictId}&minPosition=${head}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const collection = JSON.parse(res.text || res.body.toString());
    const schema = JSON.parse(readFileSync(join(process.cwd(), 'node_modules/geojson-schema/FeatureCollection.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(collection) ? 'valid' : validate.errors).toBe('valid');
    expect(collection.features.map((f: { id: string }) => f.id).sort()).toEqual([placed, located].sort());
    // Longitude first (RFC 7946), the place's coordinates for a claim that gave none.
    const feature = collection.features.find((f: { id: string }) => f.id === placed);
    expect(feature.geometry.coordinates).toEqual([46.3606, 40.6828]);
    expect(feature.properties).toMatchObject({ location: 'Gandja', claimant: 'Azerbaijan', time_precision: 1 });
  });
});

describe('a forged cursor on an export', () => {
  it('is answered 400 cursor.invalid before anything is streamed, as on the claims list', async () => {
    const forged = Buffer.from(JSON.stringify(['2020-13-45T00:00:00.000000Z', '00000000-0000-1000-8000-000000000000'])).toString('base64url');
    for (const path of ['/api/exports/claims.csv', '/api/exports/claims.geojson']) {
      const res = await request(app.server).get(path).query({ conflictId: s.conflictId, cursor: forged });
      expect({ path, status: res.status, code: res.body.code, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ path, status: 400, code: 'cursor.invalid', fields: ['cursor'] });
    }
  });
});

describe('GET /api/claims/:id/claimreview', () => {
  it.each([
    ['corroborated', 5, 'Corroborated'],
    ['contested', 3, 'Contested'],
    ['refuted', 1, 'Refuted'],
    ['unverifiable', undefined, 'Unverifiable'],
  ])('reads a claim assessed %s as a schema.org ClaimReview', async (status, ratingValue, name) => {
    const claimId = (await post('/api/claims', claimBody(s, { attributions: [{ outlet: 'APA', reliability: 'B', credibility: 2, url: 'https://apa.az/news/1' }] }))).id;
    await post(`/api/claims/${claimId}/assessments`, { status, rationale: 'Checked against the footage.' }, asEditor());
    const res = await request(app.server).get(`/api/claims/${claimId}/claimreview`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    const review = JSON.parse(res.text || res.body.toString());
    expect(review).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      claimReviewed: expect.stringContaining('Tartar'),
      itemReviewed: { '@type': 'Claim', author: { '@type': 'Organization', name: 'Azerbaijan' }, appearance: [{ '@type': 'CreativeWork', url: 'https://apa.az/news/1' }] },
      reviewRating: { '@type': 'Rating', alternateName: name },
    });
    expect(review.reviewRating.ratingValue).toBe(ratingValue);
    expect(review.url).toMatch(new RegExp(`/claims/${claimId}$`));
  });

  it('answers 404 claim.not_assessed for a claim editors have not assessed', async () => {
    const res = await request(app.server).get(`/api/claims/${placed}/claimreview`).expect(404);
    expect(res.body.code).toBe('claim.not_assessed');
  });
});
