import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import request from 'supertest';
import { templateHeader } from '../../src/imports/domain/claim-row';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/** Claims in bulk: the CSV template and JSON Lines, checked row by row before anything is recorded. */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

let db: AppDatabase;
let app: ApiApp;
let s: Scenario;

const asJournalist = () => bearer(app.tokens.journalist);
const asEditor = () => bearer(app.tokens.editor);

/** A template row: Azerbaijan (by its alias) says Armenia shelled somewhere, on day `n`. */
function templateRow(n: number, overrides: Record<string, string> = {}): Record<string, string> {
  const day = String(1 + (n % 28)).padStart(2, '0');
  return {
    claimant: 'AZ',
    subject: 'Armenia',
    assertion: 'violated',
    category: 'shelling',
    occurred_from: `2020-11-${day} 01:00`,
    occurred_precision: 'hour',
    stated_at: `2020-11-${day}T09:30:00+04:00`,
    location: 'Tartar',
    latitude: '40.34',
    longitude: '46.93',
    geo_precision: 'settlement',
    civilian_killed_min: '1',
    civilian_killed_max: String(1 + (n % 3)),
    summary: `Shelling number ${n}, the ministry said.`,
    source1_outlet: 'APA',
    source1_speaker: 'Azerbaijani Defence Ministry',
    source1_reliability: 'B',
    source1_credibility: '3',
    ...overrides,
  };
}

function csvOf(rows: Record<string, string>[], options: { delimiter?: string; bom?: boolean; crlf?: boolean } = {}): string {
  const header = templateHeader(2);
  return stringify([header, ...rows.map((r) => header.map((c) => r[c] ?? ''))], {
    delimiter: options.delimiter ?? ',',
    bom: options.bom ?? false,
    record_delimiter: options.crlf ? '\r\n' : '\n',
  });
}

const upload = (conflictId: string, body: string, query = '', type = 'text/csv', as = asJournalist()) =>
  request(app.server).post(`/api/conflicts/${conflictId}/imports${query}`).set(as).set('Content-Type', type).send(body);

async function claimsOf(conflictId: string): Promise<{ id: string; summary: string }[]> {
  const items: { id: string; summary: string }[] = [];
  let cursor: string | null = null as string | null;
  const minPosition = await app.head();
  do {
    const res = await request(app.server)
      .get(`/api/claims?conflictId=${conflictId}&limit=200&minPosition=${minPosition}${cursor ? `&cursor=${cursor}` : ''}`)
      .expect(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** A conflict of its own per test, with the parties of the scenario (Azerbaijan aliased "AZ"). */
async function newConflict(): Promise<{ conflictId: string; azerbaijan: string; armenia: string }> {
  const post = async (path: string, body: object) => (await request(app.server).post(path).set(asEditor()).send(body).expect(201)).body.id as string;
  const conflictId = await post('/api/conflicts', { name: `Import test ${Math.random()}`, timeZone: 'Asia/Baku' });
  const azerbaijan = await post(`/api/conflicts/${conflictId}/parties`, { name: 'Azerbaijan', kind: 'state', aliases: ['AZ', 'Azərbaycan'] });
  const armenia = await post(`/api/conflicts/${conflictId}/parties`, { name: 'Armenia', shortName: 'ARM', kind: 'state' });
  return { conflictId, azerbaijan, armenia };
}

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  s = await seedScenario(app);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('POST /api/conflicts/:id/imports with a CSV of 1,000 rows, 20 of them faulty', () => {
  const faulty = new Map<number, string>();
  let csv: string;
  let conflictId: string;

  beforeAll(async () => {
    conflictId = (await newConflict()).conflictId;
    const rows: Record<string, string>[] = [];
    for (let i = 0; i < 1000; i++) {
      // Rows are numbered as a spreadsheet shows them: the header is row 1.
      const row = i + 2;
      if (i % 50 === 7) {
        const fault = (['source1_reliability', 'claimant', 'civilian_killed_max', 'stated_at'] as const)[faulty.size % 4]!;
        faulty.set(row, fault);
        const bad = { source1_reliability: 'Z', claimant: 'Atlantis', civilian_killed_max: '0', stated_at: 'yesterday' }[fault];
        rows.push(templateRow(i, { [fault]: bad }));
      } else rows.push(templateRow(i));
    }
    csv = csvOf(rows);
  });

  it('reports each faulty row and column in a dry run, and records nothing', async () => {
    const before = await app.head();
    const res = await upload(conflictId, csv, '?dryRun=true').expect(200);
    expect(res.body).toMatchObject({ rows: 1000, valid: 980, invalid: 20, appended: 0, written: false, dryRun: true, mode: 'all-or-nothing', errorsOmitted: 0 });
    expect(res.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([...faulty.entries()]);
    const unknown = res.body.errors.find((e: { column: string }) => e.column === 'claimant');
    expect(unknown.message).toContain('"Atlantis"');
    expect(await app.head()).toBe(before);
  });

  it('gives the same report as CSV (row, column, message)', async () => {
    const res = await upload(conflictId, csv, '?dryRun=true&report=csv').buffer(true).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows: { row: string; column: string; message: string }[] = parse(res.text, { columns: true });
    expect(rows.map((r) => [Number(r.row), r.column])).toEqual([...faulty.entries()]);
    expect(rows.find((r) => r.column === 'source1_reliability')?.message).toMatch(/reliability must be one of/);
  });

  it('records nothing in all-or-nothing mode: 422 with the report', async () => {
    const before = await app.head();
    const res = await upload(conflictId, csv).expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('import.invalid_rows');
    expect(res.body.report).toMatchObject({ invalid: 20, appended: 0, written: false });
    expect(await app.head()).toBe(before);
    expect(await claimsOf(conflictId)).toHaveLength(0);
  });

  it('records the 980 good rows in valid-only mode, and a second upload appends nothing', async () => {
    const first = await upload(conflictId, csv, '?mode=valid-only').expect(200);
    expect(first.body).toMatchObject({ rows: 1000, valid: 980, invalid: 20, appended: 980, alreadyImported: 0, written: true });
    const claims = await claimsOf(conflictId);
    expect(claims).toHaveLength(980);
    expect(new Set(claims.map((c) => c.summary)).size).toBe(980);
    const head = await app.head();
    const again = await upload(conflictId, csv, '?mode=valid-only', 'text/csv', asEditor()).expect(200);
    expect(again.body).toMatchObject({ appended: 0, alreadyImported: 980, invalid: 20 });
    expect(await app.head()).toBe(head);
  });
});

describe('two uploads of one file at once', () => {
  it("record each row once: the write pass checks its rows' keys a chunk at a time, and the append catches the copy racing it", async () => {
    const { conflictId } = await newConflict();
    // More rows than a write chunk (64), so that the two uploads' chunks interleave.
    const csv = csvOf(Array.from({ length: 150 }, (_, i) => templateRow(i, { summary: `Race row ${i}.` })));
    const [a, b] = await Promise.all([upload(conflictId, csv).expect(200), upload(conflictId, csv, '', 'text/csv', asEditor()).expect(200)]);
    expect(a.body.appended + b.body.appended).toBe(150);
    expect(a.body.alreadyImported + b.body.alreadyImported).toBe(150);
    const claims = await claimsOf(conflictId);
    expect(claims).toHaveLength(150);
    expect(new Set(claims.map((c) => c.summary)).size).toBe(150);
  });
});

describe('a CSV row as recorded', () => {
  it('resolves names and aliases, reads local times in the conflict zone, and keeps every field', async () => {
    const c = await newConflict();
    const row = templateRow(1, {
      claimant: 'Azərbaycan',
      subject: 'arm',
      occurred_from: '2020-11-02 01:00',
      occurred_to: '2020-11-02 03:00',
      occurred_raw: 'overnight',
      location_alt_names: 'Terter; Tərtər',
      military_wounded_min: '2',
      source1_url: 'https://apa.az/news/1',
      source1_language: 'az',
      source2_outlet: 'Secret',
      source2_reliability: 'c',
      source2_credibility: '4',
      source2_confidential: 'yes',
    });
    const res = await upload(c.conflictId, csvOf([row])).expect(200);
    expect(res.body).toMatchObject({ appended: 1, errors: [] });
    const [listed] = await claimsOf(c.conflictId);
    const claim = (await request(app.server).get(`/api/claims/${listed!.id}`).expect(200)).body;
    expect(claim).toMatchObject({
      claimant: c.azerbaijan,
      subject: c.armenia,
      occurred: { from: '2020-11-02T01:00:00+04:00', to: '2020-11-02T03:00:00+04:00', precision: 'hour', raw: 'overnight' },
      statedAt: '2020-11-02T09:30:00+04:00',
      location: { name: 'Tartar', altNames: ['Terter', 'Tərtər'], lat: 40.34, lon: 46.93, precision: 'settlement' },
      casualties: { civilian: { killed: { min: 1, max: 2 } }, military: { wounded: { min: 2, max: 2 } } },
    });
    expect(claim.attributions).toHaveLength(2);
    expect(claim.attributions[0]).toMatchObject({ outlet: 'APA', speaker: 'Azerbaijani Defence Ministry', url: 'https://apa.az/news/1', language: 'az', reliability: 'B', credibility: 3 });
    expect(JSON.stringify(claim.attributions[1])).not.toContain('Secret');
  });
});

describe('odd CSV', () => {
  it('reads a BOM, CRLF line ends, quoted newlines and semicolons', async () => {
    const c = await newConflict();
    const rows = [templateRow(1, { summary: 'Shelling;\r\non two villages, "heavy", the ministry said.' }), templateRow(2)];
    const res = await upload(c.conflictId, csvOf(rows, { delimiter: ';', bom: true, crlf: true })).expect(200);
    expect(res.body).toMatchObject({ rows: 2, appended: 2, errors: [] });
    const summaries = (await claimsOf(c.conflictId)).map((x) => x.summary).sort();
    expect(summaries).toContain('Shelling;\r\non two villages, "heavy", the ministry said.');
  });

  it('reads Excel serial dates as the local date and time they show', async () => {
    const c = await newConflict();
    // 44137 is 2020-11-02 in Excel; .5 is noon.
    const res = await upload(c.conflictId, csvOf([templateRow(1, { occurred_from: '44137', occurred_precision: 'day', stated_at: '44137.5' })])).expect(200);
    expect(res.body).toMatchObject({ appended: 1, errors: [] });
    const [listed] = await claimsOf(c.conflictId);
    const claim = (await request(app.server).get(`/api/claims/${listed!.id}`).expect(200)).body;
    expect(claim.statedAt).toBe('2020-11-02T12:00:00+04:00');
    // A plain date is the start of that local day, as POST /api/claims reads it.
    expect(claim.occurred).toMatchObject({ from: '2020-11-02T00:00:00.000+04:00', precision: 'day', raw: '2020-11-02' });
  });

  it('refuses an unknown column, naming it', async () => {
    const c = await newConflict();
    const res = await upload(c.conflictId, 'claimant,subject,colour\nAZ,Armenia,red\n').expect(400);
    expect(res.body.code).toBe('import.bad_header');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'colour' })]));
  });

  it('reports a row with more cells than the header', async () => {
    const c = await newConflict();
    const text = `${csvOf([templateRow(1)])}${csvOf([templateRow(2)]).split('\n')[1]},extra,cells\n`;
    const res = await upload(c.conflictId, text, '?dryRun=true').expect(200);
    expect(res.body).toMatchObject({ rows: 2, valid: 1, invalid: 1 });
    expect(res.body.errors[0]).toMatchObject({ row: 3 });
  });

  it('refuses a file with an unclosed quote, naming the row', async () => {
    const c = await newConflict();
    const text = `${csvOf([templateRow(1)])}AZ,"Armenia\n`;
    const res = await upload(c.conflictId, text).expect(400);
    expect(res.body.code).toBe('import.unreadable');
  });
});

describe('JSON Lines', () => {
  it('takes one POST /api/claims body per line, parties by id or name, and reports bad lines by field', async () => {
    const c = await newConflict();
    const good = { ...claimBody(s), conflictId: undefined, claimant: c.azerbaijan, subject: 'Armenia' };
    const lines = [
      JSON.stringify(good),
      '',
      JSON.stringify({ ...good, attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 9 }] }),
      '{not json',
      JSON.stringify({ ...good, subject: 'Narnia' }),
    ].join('\n');
    const res = await upload(c.conflictId, lines, '?mode=valid-only', 'application/x-ndjson').expect(200);
    expect(res.body).toMatchObject({ format: 'jsonl', rows: 4, valid: 1, invalid: 3, appended: 1 });
    expect(res.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [3, 'attributions[0].credibility'],
      [4, '(line)'],
      [5, 'subject'],
    ]);
    const [listed] = await claimsOf(c.conflictId);
    expect((await request(app.server).get(`/api/claims/${listed!.id}`).expect(200)).body.subject).toBe(c.armenia);
  });
});

describe('places and access', () => {
  it('resolves a gazetteer place by any of its names, and reports one the gazetteer lacks', async () => {
    const c = await newConflict();
    const ganja = (
      await request(app.server)
        .post(`/api/conflicts/${c.conflictId}/places`)
        .set(asEditor())
        .send({ names: [{ name: 'Ganja' }, { name: 'Gəncə' }], lat: 40.68, lon: 46.36, kind: 'settlement' })
        .expect(201)
    ).body.id;
    const res = await upload(c.conflictId, csvOf([templateRow(1, { place: 'gence', location: 'Gandja' }), templateRow(2, { place: 'Stepanakert' })]), '?mode=valid-only').expect(200);
    expect(res.body).toMatchObject({ appended: 1, invalid: 1 });
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 3, column: 'place', message: expect.stringContaining('"Stepanakert"') })]);
    const [listed] = await claimsOf(c.conflictId);
    expect((await request(app.server).get(`/api/claims/${listed!.id}`).expect(200)).body.location).toMatchObject({ name: 'Gandja', placeId: ganja });
  });

  it('is for journalists: a reader gets 403; an unknown conflict 404; another media type 415', async () => {
    const c = await newConflict();
    await upload(c.conflictId, csvOf([templateRow(1)]), '', 'text/csv', bearer(app.tokens.reader)).expect(403);
    await upload('7f1f6a5e-35a1-4a8f-9f67-2d5cf0a3e9b1', csvOf([templateRow(1)])).expect(404);
    await request(app.server).post('/api/claims').set(asJournalist()).set('Content-Type', 'text/csv').send('a,b\n').expect(415);
  });

  it('serves the template, which imports as it is', async () => {
    const c = await newConflict();
    const template = await request(app.server).get('/api/imports/template.csv').buffer(true).expect(200);
    expect(template.headers['content-type']).toMatch(/^text\/csv/);
    const res = await upload(c.conflictId, template.text).expect(200);
    expect(res.body).toMatchObject({ appended: 1, errors: [] });
  });
});

describe('round trip: export CSV → import into a new conflict', () => {
  it('gives the same claims, field by field', async () => {
    const from = await newConflict();
    const post = async (body: object) => (await request(app.server).post('/api/claims').set(asJournalist()).send(body).expect(201)).body.id as string;
    const base = { ...claimBody(s), conflictId: from.conflictId, claimant: from.azerbaijan, subject: from.armenia };
    const ids = [
      await post(base),
      await post({
        ...base,
        occurred: { from: '2020-10-12', precision: 'week' },
        statedAt: '2020-10-14T10:00:00+04:00',
        location: undefined,
        casualties: { military: { killed: { min: 2, max: 4 } } },
        summary: 'Shelling; "heavy", on two villages,\nthe ministry said.',
        attributions: [
          { outlet: 'TASS', speaker: 'Azerbaijani Defence Ministry', reliability: 'B', credibility: 3 },
          { outlet: 'Secret', speaker: 'A colonel', reliability: 'C', credibility: 4, confidential: true },
          { outlet: 'APA', reliability: 'A', credibility: 1 },
        ],
      }),
      await post({ ...base, claimant: from.armenia, subject: from.azerbaijan, assertion: 'violated', category: 'drone-strike', casualties: undefined }),
    ];
    const exported = await request(app.server).get(`/api/exports/claims.csv?conflictId=${from.conflictId}&minPosition=${await app.head()}`).buffer(true).expect(200);

    const to = await newConflict();
    const res = await upload(to.conflictId, exported.text).expect(200);
    expect(res.body).toMatchObject({ rows: 3, appended: 3, errors: [] });

    const party = (c: { azerbaijan: string; armenia: string }, id: string) => (id === c.azerbaijan ? 'Azerbaijan' : id === c.armenia ? 'Armenia' : id);
    const comparable = async (c: { azerbaijan: string; armenia: string }, id: string) => {
      const claim = (await request(app.server).get(`/api/claims/${id}`).expect(200)).body;
      return {
        claimant: party(c, claim.claimant),
        subject: party(c, claim.subject),
        assertion: claim.assertion,
        category: claim.category,
        occurred: { from: claim.occurred.from, to: claim.occurred.to, precision: claim.occurred.precision },
        statedAt: claim.statedAt,
        location: claim.location && { name: claim.location.name, lat: claim.location.lat, lon: claim.location.lon, precision: claim.location.precision },
        casualties: claim.casualties,
        summary: claim.summary,
        sources: claim.attributions.map((a: Record<string, unknown>) => [a.confidential ? 'confidential source' : a.outlet, a.speaker, a.reliability, a.credibility, a.confidential]),
      };
    };
    const before = await Promise.all(ids.map((id) => comparable(from, id)));
    const after = await Promise.all((await claimsOf(to.conflictId)).map((c) => comparable(to, c.id)));
    const bySummary = (a: { summary: string; claimant: string }, b: { summary: string; claimant: string }) => `${a.summary}${a.claimant}`.localeCompare(`${b.summary}${b.claimant}`);
    // Casualty ranges come back without the raw phrase, which the export does not carry.
    const withoutRaw = (x: (typeof before)[number]) => ({ ...x, casualties: JSON.parse(JSON.stringify(x.casualties ?? null, (k, v) => (k === 'raw' ? undefined : v))) });
    expect(after.map(withoutRaw).sort(bySummary)).toEqual(before.map(withoutRaw).sort(bySummary));
  });
});
