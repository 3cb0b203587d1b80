import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DEMO_PARTIES, DEMO_PLACES } from '../../src/demo/demo-scenario';
import { type ApiApp, bearer, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/** POST /api/conflicts/:id/drafts: a report read into drafts that the claim and agreement routes accept; nothing stored. */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

let db: AppDatabase;
let app: ApiApp;
let conflictId: string;
const party: Record<string, string> = {};
const place: Record<string, string> = {};

const asEditor = () => bearer(app.tokens.editor);
const asJournalist = () => bearer(app.tokens.journalist);

const REPORT =
  'The Armenian Defence Ministry said Azerbaijani forces shelled Stepanakert overnight, killing two civilians. ' +
  'Baku denied the report. Either side accuses the other of violating the truce.';
const PUBLISHED = '2020-10-11T10:15:00+04:00';

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  const post = async (path: string, body: object) => (await request(app.server).post(path).set(asEditor()).send(body).expect(201)).body.id as string;
  conflictId = await post('/api/conflicts', { name: 'Nagorno-Karabakh war (2020)', timeZone: 'Asia/Baku' });
  for (const p of DEMO_PARTIES) party[p.shortName] = await post(`/api/conflicts/${conflictId}/parties`, { name: p.name, shortName: p.shortName, kind: p.kind, aliases: p.aliases });
  for (const p of DEMO_PLACES.filter((p) => ['stepanakert', 'shusha', 'ganja'].includes(p.key))) {
    const names = p.names.map((n) => ({ name: n.name, language: n.language, usedBy: (n.usedBy ?? []).map((s) => party[s]!) }));
    place[p.key] = await post(`/api/conflicts/${conflictId}/places`, { names, lat: p.lat, lon: p.lon, kind: 'settlement' });
  }
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const read = (body: object, auth = asJournalist()) => request(app.server).post(`/api/conflicts/${conflictId}/drafts`).set(auth).send(body);

describe('POST /api/conflicts/:id/drafts', () => {
  it('drafts the claim, the denial answering it, and a note for the accusation nobody makes; it stores nothing', async () => {
    const head = await app.head();
    const res = await read({ text: REPORT, publishedAt: PUBLISHED, outlet: 'Reuters', url: 'https://example.org/report' }).expect(200);
    expect(await app.head()).toBe(head);
    const [claim, denial] = res.body.drafts;
    expect(res.body.drafts).toHaveLength(2);
    expect(claim).toMatchObject({
      kind: 'claim',
      body: {
        conflictId,
        claimant: party.Armenia,
        subject: party.Azerbaijan,
        assertion: 'violated',
        category: 'shelling',
        occurred: { from: '2020-10-10T22:00:00+04:00', to: '2020-10-11T06:00:00+04:00', precision: 'part-of-day', raw: 'overnight' },
        location: { name: 'Stepanakert', altNames: ['Xankəndi', 'Khankendi'], placeId: place.stepanakert },
        casualties: { civilian: { killed: { min: 2, max: 2, raw: 'two' } } },
        attributions: [{ outlet: 'Reuters', speaker: 'Armenian Defence Ministry', url: 'https://example.org/report', publishedAt: PUBLISHED }],
      },
      recordedAs: [],
    });
    // Spans point at the words read.
    const at = ([s, e]: [number, number]) => REPORT.slice(s, e);
    expect(at(claim.spans.claimant)).toBe('Armenian');
    expect(at(claim.spans.subject)).toBe('Azerbaijani');
    expect(at(claim.spans.location)).toBe('Stepanakert');
    expect(at(claim.spans['casualties.civilian.killed'])).toBe('two');
    expect(claim.confidence.claimant).toBeGreaterThan(0.5);
    expect(denial).toMatchObject({ kind: 'claim', respondsToDraft: 0, body: { claimant: party.Azerbaijan, subject: party.Azerbaijan, assertion: 'complied', stance: 'denial' } });
    expect(denial.body.conflictId).toBeUndefined();
    expect(res.body.notes).toEqual([{ span: [REPORT.indexOf('Either'), REPORT.length], text: expect.stringContaining('no claim drafted') }]);
    expect(res.body.language).toEqual({ code: 'en', supported: true });
  });

  it('gives bodies the desk routes record as they are, and then says the drafts are recorded and what a later denial answers', async () => {
    const { drafts } = (await read({ text: REPORT, publishedAt: PUBLISHED, outlet: 'Reuters' }).expect(200)).body;
    const recorded = await request(app.server).post('/api/claims').set(asJournalist()).send(drafts[0].body).expect(201);
    const response = await request(app.server).post(`/api/claims/${recorded.body.id}/responses`).set(asJournalist()).send(drafts[1].body).expect(201);
    const readAt = (body: object) => request(app.server).post(`/api/conflicts/${conflictId}/drafts?minPosition=${response.body.position}`).set(asJournalist()).send(body);
    const again = (await readAt({ text: REPORT, publishedAt: PUBLISHED, outlet: 'Reuters' }).expect(200)).body.drafts;
    expect(again[0].recordedAs).toEqual([{ id: recorded.body.id, summary: drafts[0].body.summary }]);
    // A denial in a later report answers the recorded accusation.
    const later = (await readAt({ text: 'The Azerbaijani Defence Ministry rejected the allegation as disinformation.', publishedAt: '2020-10-11T18:00:00+04:00', outlet: 'APA' }).expect(200))
      .body.drafts;
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ body: { stance: 'denial', respondsTo: recorded.body.id }, respondsToClaim: { id: recorded.body.id } });
  });

  it('reads the agreement paragraph into an agreement draft the agreements route accepts', async () => {
    const text =
      'MOSCOW, October 10. /TASS/. Baku and Yerevan agreed to cease fire starting from 12:00 local time of October 10 for humanitarian purposes, for exchanging prisoners of war and bodies, Russian Foreign Minister Sergei Lavrov said after talks in Moscow mediated by Russia.';
    const { drafts } = (await read({ text, publishedAt: '2020-10-10T03:10:00+03:00' }).expect(200)).body;
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({
      kind: 'agreement',
      body: {
        kind: 'humanitarian-truce',
        signatories: [party.Azerbaijan, party.Armenia],
        mediators: [party.Russia],
        effectiveFrom: { at: '2020-10-10T12:00:00+04:00', raw: '12:00 local time of October 10', timeZone: 'Asia/Baku', basis: 'stated' },
        provisions: [
          { kind: 'exchange-of-prisoners', text: 'exchanging prisoners of war' },
          { kind: 'exchange-of-bodies', text: 'exchanging bodies' },
        ],
        attributions: [{ outlet: 'TASS' }],
      },
    });
    await request(app.server).post(`/api/conflicts/${conflictId}/agreements`).set(asEditor()).send(drafts[0].body).expect(201);
  });

  it('says when the copy is in a language it does not read yet', async () => {
    const res = await read({ text: 'Минобороны Армении заявило, что азербайджанские войска обстреляли Степанакерт.' }).expect(200);
    expect(res.body).toEqual({ drafts: [], notes: [expect.objectContaining({ text: expect.stringContaining('Russian') })], language: { code: 'ru', supported: false } });
  });
});

describe('bad input to POST /api/conflicts/:id/drafts', () => {
  const raw = async (payload: Buffer | string) => {
    const res = await app.app.inject({
      method: 'POST',
      url: `/api/conflicts/${conflictId}/drafts`,
      headers: { ...asJournalist(), 'Content-Type': 'application/json' },
      payload,
    });
    return { status: res.statusCode, type: res.headers['content-type'], body: res.json() };
  };

  it('answers empty text with 400 naming text', async () => {
    for (const text of ['', '   \n ']) {
      const res = await read({ text }).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'text' })]);
    }
    expect((await read({}).expect(400)).body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'text' })]));
  });

  it('answers 1 MB of text, and text over the documented length, with 413', async () => {
    const head = await app.head();
    expect((await raw(JSON.stringify({ text: 'Shelling. '.repeat(100_000) }))).status).toBe(413);
    const long = await raw(JSON.stringify({ text: 'Artillery fire was heard. '.repeat(4_000) }));
    expect(long.status).toBe(413);
    expect(long.type).toMatch(/^application\/problem\+json/);
    expect(long.body.detail).toContain('100000');
    expect(await app.head()).toBe(head);
  });

  it('answers binary data and bytes that are not UTF-8 with 400', async () => {
    const head = await app.head();
    const notUtf8 = Buffer.concat([Buffer.from('{"text": "Shelling of '), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('"}')]);
    expect((await raw(notUtf8)).status).toBe(400);
    const binary = await raw(JSON.stringify({ text: String.fromCharCode(...Array.from({ length: 400 }, (_, i) => (i * 7) % 32)) }));
    expect(binary.status).toBe(400);
    expect(binary.body.errors).toEqual([expect.objectContaining({ field: 'text' })]);
    const png = await raw(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expect(png.status).toBe(400);
    expect(await app.head()).toBe(head);
  });

  it('is for journalists and editors: 401 without a token, 403 for readers and auditors, 404 for an unknown conflict', async () => {
    await request(app.server).post(`/api/conflicts/${conflictId}/drafts`).send({ text: REPORT }).expect(401);
    await read({ text: REPORT }, bearer(app.tokens.reader)).expect(403);
    await read({ text: REPORT }, bearer(app.tokens.auditor)).expect(403);
    await read({ text: REPORT }, asEditor()).expect(200);
    await request(app.server).post('/api/conflicts/00000000-0000-4000-8000-000000000000/drafts').set(asJournalist()).send({ text: REPORT }).expect(404);
  });
});
