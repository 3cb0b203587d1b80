import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, databaseKinds } from '../support/database';

/**
 * The claims list's `q`: full-text search a journalist uses before recording a claim ("did
 * someone already record the Ganja strike?") — words as prefixes, accents and English endings
 * ignored, summary, place names and listed outlets searched, best matches first, paged exactly.
 */
describe.each(databaseKinds())('GET /api/claims?q= on the %s database', (kind) => {
  let db: AppDatabase;
  let app: ApiApp;
  let s: Scenario;
  let head = 0;
  const ids: Record<string, string> = {};
  let placeId = '';

  beforeAll(async () => {
    db = await appDatabase(kind);
    app = await startApiApp(db.env);
    s = await seedScenario(app);
    const record = async (key: string, overrides: Record<string, unknown>) => {
      const res = await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s, overrides)).expect(201);
      ids[key] = res.body.id;
      head = Math.max(head, res.body.position);
    };
    await record('ganja', {
      summary: 'Armenian missile strikes hit residential blocks in Ganja, the Azerbaijani Defence Ministry said.',
      location: { name: 'Ganja', altNames: ['Gəncə', 'Gyandzha'], lat: 40.68, lon: 46.36, precision: 'settlement' },
    });
    await record('agdam', {
      summary: 'Shelling near the town overnight, the ministry said.',
      location: { name: 'Ağdam', precision: 'settlement' },
    });
    await record('tartar', {
      summary: 'Armenian forces shelled Tartar overnight; a strike on Ganja was mentioned in passing.',
      attributions: [
        { outlet: 'Interfax', reliability: 'B', credibility: 3 },
        { outlet: 'Secret Channel', reliability: 'C', credibility: 3, confidential: true, protectedIdentity: 'A major' },
      ],
    });
    const editor = bearer(app.tokens.editor);
    placeId = (
      await request(app.server)
        .post(`/api/conflicts/${s.conflictId}/places`)
        .set(editor)
        .send({ names: [{ name: 'Martuni', language: 'en' }, { name: 'Xocavənd', language: 'az', usedBy: [s.azerbaijan] }], lat: 39.79, lon: 47.11, kind: 'settlement' })
        .expect(201)
    ).body.id;
    await record('martuni', { summary: 'Shells fell on the town overnight.', location: { name: 'Martuni', placeId } });
    for (let i = 0; i < 5; i += 1) {
      await record(`fuzuli${i}`, {
        summary: `Fuzuli district shelled, report ${i}.`,
        occurred: { from: `2020-10-1${i}T01:00:00+04:00`, to: `2020-10-1${i}T02:00:00+04:00`, precision: 'hour', raw: 'overnight' },
        statedAt: '2020-10-19T09:30:00+04:00',
        location: { name: 'Fuzuli', precision: 'district' },
      });
    }
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const search = async (q: string, extra: Record<string, string | number> = {}) =>
    (await request(app.server).get('/api/claims').query({ conflictId: s.conflictId, q, minPosition: head, ...extra }).expect(200)).body as {
      items: { id: string }[];
      nextCursor: string | null;
    };
  const found = async (q: string) => (await search(q)).items.map((i) => i.id);

  it('finds a claim by its place, and ranks the claim located there above one that mentions it in passing', async () => {
    expect(await found('Ganja')).toEqual([ids.ganja, ids.tartar]);
    expect((await found('Ganja strike')).sort()).toEqual([ids.ganja, ids.tartar].sort());
  });

  it('matches words by their beginning and regardless of case and English endings', async () => {
    expect(await found('GANJ')).toEqual([ids.ganja, ids.tartar]);
    expect(await found('strikes')).toEqual(expect.arrayContaining([ids.ganja, ids.tartar]));
  });

  it('ignores accents both ways: "Agdam" finds "Ağdam", and an alternative name written with letters of its own', async () => {
    expect(await found('Agdam')).toEqual([ids.agdam]);
    expect(await found('Ağdam')).toEqual([ids.agdam]);
    expect(await found('Gəncə')).toEqual([ids.ganja]);
  });

  it('searches the outlets cited, but never a confidential source', async () => {
    expect(await found('interfax')).toEqual([ids.tartar]);
    expect(await found('Tartar Interfax')).toEqual([ids.tartar]);
    expect(await found('Secret Channel')).toEqual([]);
  });

  it('treats punctuation and search operators as plain separators, never as an error', async () => {
    for (const q of ["Ganja's & | ! (strike", "':*", '\\', '"Ganja"']) {
      const res = await request(app.server).get('/api/claims').query({ conflictId: s.conflictId, q, minPosition: head });
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
    }
    expect(await found('!!! ???')).toHaveLength(9);
  });

  const listed = async (query: Record<string, string>) =>
    (await request(app.server).get('/api/claims').query({ conflictId: s.conflictId, minPosition: head, ...query }).expect(200)).body.items.map((i: { id: string }) => i.id);

  it('filters by a place of the gazetteer and by an outlet cited (never a confidential one)', async () => {
    expect(await listed({ placeId })).toEqual([ids.martuni]);
    expect(await listed({ outlet: 'INTERFAX' })).toEqual([ids.tartar]);
    expect(await listed({ outlet: 'Secret Channel' })).toEqual([]);
    expect(await listed({ outlet: 'Interfax', placeId })).toEqual([]);
  });

  it('pages search results with the cursor: every match exactly once, best first', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search('Fuzuli', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => ids[`fuzuli${i}`]).sort());
  });

  it("refuses a search's cursor without the search, and a list's cursor in a search", async () => {
    const searchCursor = (await search('Fuzuli', { limit: 2 })).nextCursor!;
    const listCursor = (await request(app.server).get('/api/claims').query({ conflictId: s.conflictId, limit: 2, minPosition: head }).expect(200)).body.nextCursor;
    const plain = await request(app.server).get('/api/claims').query({ conflictId: s.conflictId, cursor: searchCursor }).expect(400);
    expect(plain.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    await request(app.server).get('/api/claims').query({ conflictId: s.conflictId, q: 'Fuzuli', cursor: listCursor }).expect(400);
  });
});
