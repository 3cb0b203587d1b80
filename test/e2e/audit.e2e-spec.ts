import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { LogTransfer } from '../../src/audit/log-transfer.service';
import type { Role } from '../../src/auth/roles';
import { EventStore } from '../../src/event-store/event-store.service';
import type { RecordedEvent } from '../../src/event-store/event-store.types';
import { chainHash } from '../../src/event-store/hash-chain';
import { ProjectionRunner } from '../../src/projections/projection-runner.service';
import { ADMIN_TOKEN, type ApiApp, bearer, claimBody, denialBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { startTestApp, type TestApp } from '../support/app';
import { appDatabase, type AppDatabase, createServerDatabase, postgresAvailable } from '../support/database';

/**
 * The audit side of the tracker over real HTTP (DESIGN §3, §6, §7): claims as of a position or an
 * instant, verification of the hash chain (clean and tampered), NDJSON export and import into a
 * fresh empty database, shredding of confidential identities, signed checkpoints checked by the
 * standalone verifier, access to every audit route, and the as-of timeline. Nothing sleeps: writes
 * answer with their positions, projectors are caught up explicitly, and the one background action
 * (a periodic checkpoint) is awaited through the store's own append notifications.
 */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

type Body = Record<string, unknown>;
type Caller = 'anonymous' | Role;

interface Written {
  id: string;
  streamVersion: number;
  position: number;
}

interface Checkpoint {
  position: number;
  hash: string;
  keyId: string;
  signature: string;
}

let db: AppDatabase;
let app: ApiApp;
let s: Scenario;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ceasefire-audit-'));
  db = await appDatabase(kind);
  // Periodic checkpoints off: this app's log moves only when a test writes.
  app = await startApiApp({ ...db.env, CHECKPOINT_EVERY: '0' });
  s = await seedScenario(app);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers

function send(a: TestApp & { tokens?: Record<Role, string> }, method: 'get' | 'post', path: string, caller: Caller, body?: Body) {
  const req = request(a.server)[method](path);
  if (caller !== 'anonymous') void req.set(bearer(caller === 'admin' ? ADMIN_TOKEN : a.tokens![caller]));
  return body === undefined ? req : req.send(body);
}

async function write(path: string, body: Body, caller: Role = 'editor', on: ApiApp = app): Promise<Written> {
  const res = await send(on, 'post', path, caller, body);
  expect({ path, status: res.status, body: res.body }).toMatchObject({ path, status: 201, body: { position: expect.any(Number) } });
  return res.body as Written;
}

async function auditGet(path: string, query: Record<string, string | number> = {}, on: ApiApp = app) {
  const res = await send(on, 'get', path, 'auditor').query(query);
  expect({ path, query, status: res.status, body: res.body }).toMatchObject({ path, query, status: 200 });
  return res.body;
}

function expectProblem(res: request.Response, status: number, field?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status, title: expect.any(String), detail: expect.any(String) } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field !== undefined) {
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]));
  }
}

/** Every event of a log, read page by page through GET /api/audit/events. */
async function readLog(on: ApiApp = app): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (let after: number | null = 0; after !== null; ) {
    const page: { items: RecordedEvent[]; nextAfter: number | null } = await auditGet('/api/audit/events', { after, limit: 1000 }, on);
    all.push(...page.items);
    after = page.nextAfter;
  }
  return all;
}

async function eventAt(position: number, on: ApiApp = app): Promise<RecordedEvent> {
  const { items } = await auditGet('/api/audit/events', { after: position - 1, limit: 1 }, on);
  expect(items).toHaveLength(1);
  expect(items[0].position).toBe(position);
  return items[0];
}

/** GET /api/audit/export as text, buffered whatever its content type. */
async function exportLog(on: TestApp, token: string): Promise<string> {
  const res = await request(on.server)
    .get('/api/audit/export')
    .set(bearer(token))
    .buffer(true)
    .parse((response, done) => {
      const stream = response as unknown as NodeJS.ReadableStream;
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (text += chunk));
      stream.on('end', () => done(null, text));
      stream.on('error', (error: Error) => done(error, null));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
  return res.body as string;
}

const linesOf = (ndjson: string) => ndjson.split('\n').filter((line) => line.trim() !== '');

/** The text with one byte changed: the first "Tartar" of line `index` (0-based) becomes "Tartan". */
function alterOneByte(ndjson: string, index: number): string {
  const lines = ndjson.split('\n');
  const altered = lines[index]!.replace('Tartar', 'Tartan');
  expect(altered).not.toBe(lines[index]);
  expect(Buffer.byteLength(altered)).toBe(Buffer.byteLength(lines[index]!));
  lines[index] = altered;
  return lines.join('\n');
}

function tempFile(name: string, content: string): string {
  const file = join(dir, `${randomUUID().slice(0, 8)}-${name}`);
  writeFileSync(file, content);
  return file;
}

/** Every projector caught up to the head, then each one's checkpoint and read-model digests. */
async function digests(on: TestApp) {
  const runner = on.app.get(ProjectionRunner);
  await runner.catchUp();
  return (await runner.status()).map((p) => ({ name: p.name, checkpoint: p.checkpoint, readModels: p.readModels }));
}

async function currentPublicKey(on: TestApp): Promise<{ keyId: string; publicKey: string }> {
  const res = await request(on.server).get('/api/audit/public-key');
  expect(res.status).toBe(200);
  const key = res.body.keys.find((k: { keyId: string }) => k.keyId === res.body.current);
  expect(key).toMatchObject({ keyId: res.body.current, algorithm: 'Ed25519', publicKey: expect.stringContaining('BEGIN PUBLIC KEY') });
  return key;
}

const signatureHolds = (cp: Checkpoint, publicKeyPem: string) =>
  verify(null, Buffer.from(`ceasefire-checkpoint:v1:${cp.position}:${cp.hash}`, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(cp.signature, 'base64'));

function runVerifier(exportFile: string, extra: string[] = []) {
  return spawnSync(process.execPath, ['scripts/verify-export.mjs', exportFile, ...extra], { encoding: 'utf8', cwd: process.cwd() });
}

const minus1ms = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();
/** The same instant written in UTC+04:00 (Baku) instead of Z. */
const inBaku = (iso: string) => new Date(Date.parse(iso) + 4 * 3600_000).toISOString().replace('Z', '+04:00');

async function newConflict(): Promise<{ conflictId: string; a: string; b: string }> {
  const { id: conflictId } = await write('/api/conflicts', { name: `Audit conflict ${randomUUID().slice(0, 8)}`, timeZone: 'Asia/Baku' });
  const a = (await write(`/api/conflicts/${conflictId}/parties`, { name: 'Party A', kind: 'state' })).id;
  const b = (await write(`/api/conflicts/${conflictId}/parties`, { name: 'Party B', kind: 'state' })).id;
  return { conflictId, a, b };
}

// ---------------------------------------------------------------------------------------------

describe('GET /api/audit/claims/:id?asOf', () => {
  const original = claimBody({} as Scenario);
  const correctedSummary = 'Armenian forces shelled Tartar and its outskirts overnight, the Azerbaijani Defence Ministry said.';
  const revised = { civilian: { killed: { min: 2, max: 3 }, wounded: { min: 3, max: 5 } } };

  let claimId: string;
  let denial: Written;
  /** The claim's own events in version order (ClaimRecorded, ClaimCorrected, CasualtiesRevised, ClaimRetracted). */
  let events: RecordedEvent[];
  let denialRecordedAt: string;

  /** What the claim must show at `version`, with `responses` responses recorded by then. */
  function expectedAt(version: number, responses: number) {
    return {
      id: claimId,
      version,
      summary: version >= 2 ? correctedSummary : original.summary,
      location: expect.objectContaining({ name: version >= 2 ? 'Tartar district' : 'Tartar' }),
      casualties: version >= 3 ? revised : original.casualties,
      corrections: version >= 2 ? [expect.objectContaining({ reason: 'The ministry named the district, not the town.' })] : [],
      casualtyRevisions: version >= 3 ? [expect.objectContaining({ casualties: revised })] : [],
      retracted: version >= 4,
      responses: responses === 0 ? [] : [expect.objectContaining({ id: denial.id, stance: 'denial' })],
    };
  }

  beforeAll(async () => {
    const recorded = await write('/api/claims', claimBody(s), 'journalist');
    claimId = recorded.id;
    denial = await write(`/api/claims/${claimId}/responses`, denialBody(s), 'journalist');
    await write(`/api/claims/${claimId}/corrections`, {
      changes: { summary: correctedSummary, location: { name: 'Tartar district', precision: 'district' } },
      reason: 'The ministry named the district, not the town.',
      expectedVersion: 1,
    }, 'journalist');
    await write(`/api/claims/${claimId}/casualties`, { casualties: revised, asOf: '2020-10-11T16:00:00+04:00' }, 'journalist');
    await write(`/api/claims/${claimId}/retraction`, { statedAt: '2020-10-12T10:00:00+04:00' }, 'journalist');
    const stream = await auditGet(`/api/audit/streams/claim-${claimId}`);
    events = stream.items;
    expect(events.map((e) => e.type)).toEqual(['ClaimRecorded', 'ClaimCorrected', 'CasualtiesRevised', 'ClaimRetracted']);
    expect(stream.version).toBe(4);
    denialRecordedAt = (await auditGet(`/api/audit/streams/claim-${denial.id}`)).items[0].recordedAt;
  });

  describe('when asked at every position from the claim recording to past the retraction', () => {
    it('gives the claim as the log had it up to and including that position', async () => {
      const first = events[0]!.position;
      const last = events[3]!.position;
      for (let position = first; position <= last + 1; position++) {
        const version = events.filter((e) => e.position <= position).length;
        const responses = denial.position <= position ? 1 : 0;
        const body = await auditGet(`/api/audit/claims/${claimId}`, { asOf: String(position) });
        expect({ position, body }).toMatchObject({ position, body: expectedAt(version, responses) });
        expect(body.asOf).toBeDefined();
        expect(String(body.asOf)).toBe(String(position));
      }
    });
  });

  describe('when asked at the recorded time of each of its events, in UTC and with an offset', () => {
    it('gives the claim with every event recorded at or before that instant', async () => {
      for (const event of events) {
        const version = events.filter((e) => e.recordedAt <= event.recordedAt).length;
        const responses = denialRecordedAt <= event.recordedAt ? 1 : 0;
        for (const asOf of [event.recordedAt, inBaku(event.recordedAt)]) {
          const body = await auditGet(`/api/audit/claims/${claimId}`, { asOf });
          expect({ asOf, body }).toMatchObject({ asOf, body: expectedAt(version, responses) });
          expect(body.asOf).not.toBeNull();
        }
      }
    });
  });

  describe('when asked without asOf', () => {
    it('gives the same fields as GET /api/claims/:id, plus asOf and version', async () => {
      const live = await send(app, 'get', `/api/claims/${claimId}`, 'auditor');
      expect(live.status).toBe(200);
      const audit = await auditGet(`/api/audit/claims/${claimId}`);
      expect(audit).toHaveProperty('asOf');
      const { asOf: _, ...rest } = audit;
      expect(rest).toEqual(live.body);
      for (const field of ['id', 'conflictId', 'claimant', 'subject', 'assertion', 'stance', 'respondsTo', 'category', 'occurred', 'statedAt',
        'location', 'casualties', 'summary', 'attributions', 'agreementId', 'status', 'retracted', 'voided', 'duplicateOf', 'responses', 'version']) {
        expect(audit).toHaveProperty(field);
      }
      expect(audit).toMatchObject(expectedAt(4, 1));
    });
  });

  describe('when an agreement correction links the claim to the agreement later', () => {
    it("gives the claim's agreement as the log had it: none before the correction, the agreement after", async () => {
      const c = await newConflict();
      const agreement = await write(`/api/conflicts/${c.conflictId}/agreements`, {
        title: 'Moscow humanitarian ceasefire',
        kind: 'humanitarian-truce',
        signatories: [c.a, c.b],
        // First read as 12:00 Moscow time (09:00Z), later corrected to 12:00 local (08:00Z).
        effectiveFrom: { at: '2020-10-10T12:00:00+03:00', raw: '12:00 on 10 October', timeZone: 'Europe/Moscow', basis: 'assumed' },
      });
      const claim = await write('/api/claims', {
        ...claimBody(s),
        conflictId: c.conflictId,
        claimant: c.a,
        subject: c.b,
        occurred: { from: '2020-10-10T12:30:00+04:00', precision: 'minute' },
        statedAt: '2020-10-10T14:00:00+04:00',
      }, 'journalist');
      const correction = await write(`/api/agreements/${agreement.id}/corrections`, {
        changes: { effectiveFrom: { at: '2020-10-10T12:00:00+04:00', raw: '12:00 on 10 October', timeZone: 'Asia/Baku', basis: 'inferred' } },
        reason: 'The text meant local time.',
      });
      expect(await auditGet(`/api/audit/claims/${claim.id}`, { asOf: String(correction.position - 1) })).toMatchObject({ version: 1, agreementId: null });
      expect(await auditGet(`/api/audit/claims/${claim.id}`, { asOf: String(correction.position) })).toMatchObject({ version: 1, agreementId: agreement.id });
      const recordedAt = (await eventAt(claim.position)).recordedAt;
      expect(await auditGet(`/api/audit/claims/${claim.id}`, { asOf: recordedAt })).toMatchObject({ version: 1, agreementId: null });
    });
  });

  describe('when asked at a position or a time before the claim existed', () => {
    it('answers 404', async () => {
      for (const asOf of ['0', String(events[0]!.position - 1), minus1ms(events[0]!.recordedAt), '2020-01-01T00:00:00Z']) {
        const res = await send(app, 'get', `/api/audit/claims/${claimId}`, 'auditor').query({ asOf });
        expect({ asOf, status: res.status }).toEqual({ asOf, status: 404 });
        expectProblem(res, 404);
      }
    });
  });

  describe('when asOf is neither a position nor an instant with an offset', () => {
    it('answers 400 naming asOf', async () => {
      for (const asOf of ['yesterday', '2020-10-11', '2020-10-11T10:00:00', '-3', '1.5', '']) {
        const res = await send(app, 'get', `/api/audit/claims/${claimId}`, 'auditor').query({ asOf });
        expect({ asOf, status: res.status }).toEqual({ asOf, status: 400 });
        expectProblem(res, 400, 'asOf');
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('GET /api/audit/verify', () => {
  describe('when the log is untouched', () => {
    it('reports ok, every position checked and the hash of the last event', async () => {
      const head = await app.head();
      const last = await eventAt(head);
      expect(await auditGet('/api/audit/verify')).toEqual({ ok: true, checked: head, headPosition: head, headHash: last.hash, firstMismatch: null });
    });

    it('checks exactly a from/to range', async () => {
      const head = await app.head();
      const to = head - 1;
      expect(await auditGet('/api/audit/verify', { from: 2, to })).toEqual({
        ok: true,
        checked: to - 1,
        headPosition: to,
        headHash: (await eventAt(to)).hash,
        firstMismatch: null,
      });
    });
  });

  describe('when from or to is not a positive integer', () => {
    it('answers 400 naming the parameter', async () => {
      for (const [field, value] of [['from', '0'], ['to', 'ten'], ['from', '-1']] as const) {
        const res = await send(app, 'get', '/api/audit/verify', 'auditor').query({ [field]: value });
        expectProblem(res, 400, field);
      }
    });
  });

  describe('when a superuser has changed one byte of one event behind the triggers', () => {
    let tamperDb: AppDatabase;
    let tampered: ApiApp;
    let target: number;
    let head: number;
    let original: RecordedEvent;

    beforeAll(async () => {
      tamperDb = await appDatabase(kind);
      tampered = await startApiApp({ ...tamperDb.env, CHECKPOINT_EVERY: '0' });
      const scenario = await seedScenario(tampered);
      target = (await write('/api/claims', claimBody(scenario), 'journalist', tampered)).position;
      await write('/api/claims', claimBody(scenario, { summary: 'A second claim after the altered one.' }), 'journalist', tampered);
      await write(`/api/claims/${(await write('/api/claims', claimBody(scenario), 'journalist', tampered)).id}/responses`, denialBody(scenario), 'journalist', tampered);
      head = await tampered.head();
      original = await eventAt(target, tampered);

      const dataSource = tampered.app.get(DataSource);
      const [row] = await dataSource.query('SELECT data::text AS data FROM events WHERE position = $1', [target]);
      const altered = (row.data as string).replace('Tartar', 'Tartan');
      expect(altered).not.toBe(row.data);
      await dataSource.transaction(async (tx) => {
        await tx.query('ALTER TABLE events DISABLE TRIGGER USER');
        await tx.query('UPDATE events SET data = $1::jsonb WHERE position = $2', [altered, target]);
        await tx.query('ALTER TABLE events ENABLE TRIGGER USER');
      });
    });

    afterAll(async () => {
      await tampered?.close();
      await tamperDb?.close();
    });

    it('names exactly that position, with the hash its content gives and the hash stored', async () => {
      const now = await eventAt(target, tampered);
      expect(now.hash).toBe(original.hash);
      expect(now.data).not.toEqual(original.data);
      const expectedHash = chainHash(Buffer.from(now.prevHash, 'hex'), now).toString('hex');
      expect(expectedHash).not.toBe(original.hash);
      expect(await auditGet('/api/audit/verify', {}, tampered)).toEqual({
        ok: false,
        checked: target - 1,
        headPosition: head,
        headHash: (await eventAt(head, tampered)).hash,
        firstMismatch: { position: target, expectedHash, actualHash: original.hash },
      });
    });

    it('verifies the ranges before and after it, and names it in every range that holds it', async () => {
      expect(await auditGet('/api/audit/verify', { to: target - 1 }, tampered)).toEqual({
        ok: true,
        checked: target - 1,
        headPosition: target - 1,
        headHash: (await eventAt(target - 1, tampered)).hash,
        firstMismatch: null,
      });
      expect(await auditGet('/api/audit/verify', { from: target + 1 }, tampered)).toMatchObject({
        ok: true,
        checked: head - target,
        headPosition: head,
        firstMismatch: null,
      });
      for (const [from, to] of [[target, target], [2, target + 1], [target, head]]) {
        const body = await auditGet('/api/audit/verify', { from: from!, to: to! }, tampered);
        expect({ from, to, body }).toMatchObject({
          from,
          to,
          body: { ok: false, checked: target - from!, firstMismatch: { position: target, actualHash: original.hash } },
        });
      }
    });

    it('makes the standalone verifier refuse the export', async () => {
      const file = tempFile('tampered.ndjson', await exportLog(tampered, ADMIN_TOKEN));
      const run = runVerifier(file);
      expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 1, stderr: expect.stringMatching(new RegExp(`line ${target}\\b`)) });
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('GET /api/audit/export and LogTransfer.importFile', () => {
  let exported: string;
  let sourceDigests: Awaited<ReturnType<typeof digests>>;
  let target: TestApp;
  let dropTarget: () => Promise<void>;
  let incidentId: string;

  beforeAll(async () => {
    // Something of every kind in the source: claims with sources (one confidential), a response,
    // a correction, a casualty revision, an assessment, a signed checkpoint.
    const { id } = await write('/api/claims', claimBody(s, {
      attributions: [
        { outlet: 'APA', reliability: 'C', credibility: 3 },
        { outlet: 'Confidential', reliability: 'B', credibility: 2, confidential: true, protectedIdentity: 'An officer of the 3rd Army Corps' },
      ],
    }), 'journalist');
    await write(`/api/claims/${id}/responses`, denialBody(s), 'journalist');
    await write(`/api/claims/${id}/casualties`, { casualties: { military: { killed: { min: 0, max: 2 } } }, asOf: '2020-10-11T18:00:00+04:00' }, 'journalist');
    await write(`/api/claims/${id}/assessments`, { status: 'contested', rationale: 'Two accounts disagree.' });
    // Text beyond ASCII, and numbers with fractions: the canonical JSON must survive jsonb both ways.
    await write('/api/claims', claimBody(s, {
      location: { name: 'Stepanakert', altNames: ['Khankendi', 'Xankəndi', 'Ստեփանակերտ'], lat: 39.8153, lon: 46.7519, precision: 'settlement' },
      summary: 'Shelling of Stepanakert/Xankəndi — «heavy artillery» 💥, said the\u2028ministry; \\ "quoted" \t tab.',
    }), 'journalist');
    // A place, an incident gathering a claim, and a claim about an agreement provision.
    const place = await write(`/api/conflicts/${s.conflictId}/places`, { names: [{ name: 'Gəncə', language: 'az' }, { name: 'Ganja' }], lat: 40.68, lon: 46.36, kind: 'settlement' });
    incidentId = (await write(`/api/conflicts/${s.conflictId}/incidents`, { title: 'Ganja', occurred: { from: '2020-10-11', precision: 'day' }, placeId: place.id }, 'journalist')).id;
    await write(`/api/incidents/${incidentId}/claims`, { claimId: id, reason: 'Same night' }, 'journalist');
    await write(`/api/agreements/${s.agreementId}/corrections`, {
      changes: { provisions: [{ provisionId: '3e5f7a9b-1010-4c00-8000-000000000002', kind: 'exchange-of-bodies', text: 'Exchange of bodies' }] },
      reason: 'Its provisions',
    });
    await write('/api/claims', claimBody(s, { category: 'obstruction', provisionId: '3e5f7a9b-1010-4c00-8000-000000000002' }), 'journalist');
    expect((await send(app, 'post', '/api/audit/checkpoints', 'auditor')).status).toBe(201);

    exported = await exportLog(app, app.tokens.auditor);
    sourceDigests = await digests(app);
    expect(JSON.parse(linesOf(exported).at(-1)!).position).toBe(await app.head());

    if (kind === 'postgres') {
      const database = await createServerDatabase({ empty: true });
      dropTarget = database.drop;
      target = await startTestApp({ ADMIN_TOKEN, DATABASE_URL: database.url, CHECKPOINT_EVERY: '0' });
    } else {
      dropTarget = async () => undefined;
      target = await startTestApp({ ADMIN_TOKEN, DATABASE_URL: undefined, DATA_DIR: 'memory://', CHECKPOINT_EVERY: '0' });
    }
  });

  afterAll(async () => {
    await target?.close();
    await dropTarget?.();
  });

  const targetHead = async () => (await target.app.get(EventStore).head()).position;

  describe('when the export is read', () => {
    it('holds one line per event with the contract fields, positions 1..head in order', async () => {
      const lines = linesOf(exported).map((line) => JSON.parse(line));
      expect(lines.map((e) => e.position)).toEqual(Array.from({ length: lines.length }, (_, i) => i + 1));
      for (const e of lines) {
        expect(Object.keys(e).sort()).toEqual(
          ['data', 'eventId', 'hash', 'metadata', 'position', 'prevHash', 'recordedAt', 'schemaVersion', 'streamId', 'streamVersion', 'type'],
        );
        expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(lines[0].prevHash).toBe('0'.repeat(64));
      expect(runVerifier(tempFile('as-exported.ndjson', exported)).status).toBe(0);
      // The same events, field for field, as GET /api/audit/events gives them.
      expect((await readLog()).slice(0, lines.length)).toEqual(lines);
      // The confidential identity and the bearer tokens never entered the log in clear.
      expect(exported).not.toContain('3rd Army Corps');
      for (const token of Object.values(app.tokens)) expect(exported).not.toContain(token);
    });
  });

  describe('when a checkpoint is asked of the empty store', () => {
    it('answers a client error (problem+json, 4xx), not a server error, and appends nothing', async () => {
      const res = await request(target.server).post('/api/audit/checkpoints').set(bearer(ADMIN_TOKEN));
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.status >= 400 && res.status < 500 ? 'a client error' : `${res.status}: ${res.body.detail}`).toBe('a client error');
      expect(await targetHead()).toBe(0);
    });
  });

  describe('when a file with one altered line is imported into an empty store', () => {
    it('refuses it whole, naming the line, and leaves no events', async () => {
      expect(await targetHead()).toBe(0);
      const index = linesOf(exported).findIndex((line) => line.includes('Tartar'));
      expect(index).toBeGreaterThan(0);
      const file = tempFile('altered.ndjson', alterOneByte(exported, index));
      const line = index + 1;
      await expect(target.app.get(LogTransfer).importFile(file)).rejects.toMatchObject({
        code: 'import.refused',
        line,
        message: expect.stringContaining(`Line ${line}:`),
      });
      expect(await targetHead()).toBe(0);
      expect((await request(target.server).get('/api/audit/verify').set(bearer(ADMIN_TOKEN))).body).toMatchObject({ ok: true, checked: 0 });
    });
  });

  describe('when the untampered export is imported into an empty store', () => {
    it('reproduces every event and hash: its own export is byte for byte the same file', async () => {
      const file = tempFile('export.ndjson', exported);
      const lines = linesOf(exported);
      const last = JSON.parse(lines.at(-1)!);
      expect(await target.app.get(LogTransfer).importFile(file)).toEqual({ imported: lines.length, head: { position: last.position, hash: last.hash } });

      expect(await exportLog(target, ADMIN_TOKEN)).toBe(exported);
      const verification = await request(target.server).get('/api/audit/verify').set(bearer(ADMIN_TOKEN));
      expect(verification.body).toEqual({ ok: true, checked: last.position, headPosition: last.position, headHash: last.hash, firstMismatch: null });
    });

    it('projects, once caught up, to the same read-model digests as the source', async () => {
      expect(await targetHead()).toBeGreaterThan(0);
      expect(await digests(target)).toEqual(sourceDigests);
    });

    it('gives the same gazetteer, incidents and provision scorecard as the source', async () => {
      for (const path of [`/api/conflicts/${s.conflictId}/places?q=Gandja`, `/api/incidents/${incidentId}`, `/api/agreements/${s.agreementId}/scorecard?minPosition=1`]) {
        // Read anonymously: confidential identities stay with the source (their keys are not in the log).
        const [source, copy] = await Promise.all([app, target].map(async (on) => (await request(on.server).get(path).expect(200)).body));
        expect({ path, copy }).toEqual({ path, copy: source });
      }
    });

    it('takes new appends that extend the imported chain', async () => {
      const head = await targetHead();
      const res = await request(target.server)
        .post('/api/conflicts')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'Written after the import', timeZone: 'Asia/Baku' });
      expect({ status: res.status, position: res.body.position }).toEqual({ status: 201, position: head + 1 });
      const verification = await request(target.server).get('/api/audit/verify').set(bearer(ADMIN_TOKEN));
      expect(verification.body).toMatchObject({ ok: true, checked: head + 1, headPosition: head + 1, firstMismatch: null });
    });

    it('refuses a second import into the now non-empty store, appending nothing', async () => {
      const head = await targetHead();
      const file = tempFile('again.ndjson', exported);
      await expect(target.app.get(LogTransfer).importFile(file)).rejects.toMatchObject({ code: 'import.store_not_empty' });
      expect(await targetHead()).toBe(head);
    });
  });

  describe('when a file is imported into the store it came from', () => {
    it('refuses it as a non-empty store and appends nothing', async () => {
      const head = await app.head();
      const file = tempFile('source.ndjson', exported);
      await expect(app.app.get(LogTransfer).importFile(file)).rejects.toMatchObject({
        code: 'import.store_not_empty',
        message: expect.stringContaining(`${head} events`),
      });
      expect(await app.head()).toBe(head);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('POST /api/claims/:id/attributions/:attributionId/shred', () => {
  const identity = 'Major R., press office of the 2nd Army Corps';
  let claimId: string;
  let sealedId: string;
  let plainId: string;

  const claimAs = async (role: Role) => {
    const res = await send(app, 'get', `/api/claims/${claimId}`, role);
    expect(res.status).toBe(200);
    return res.body;
  };
  const attribution = (claim: { attributions: { attributionId: string }[] }, id: string) => claim.attributions.find((a) => a.attributionId === id);
  const shredPath = (id: string) => `/api/claims/${claimId}/attributions/${id}/shred`;

  beforeAll(async () => {
    claimId = (
      await write('/api/claims', claimBody(s, {
        attributions: [
          { outlet: 'TASS', speaker: 'Azerbaijani Defence Ministry', reliability: 'B', credibility: 3 },
          { outlet: 'Confidential', reliability: 'B', credibility: 2, confidential: true, protectedIdentity: identity },
        ],
      }), 'journalist')
    ).id;
    const claim = await claimAs('editor');
    plainId = claim.attributions.find((a: { outlet?: string }) => a.outlet === 'TASS').attributionId;
    sealedId = claim.attributions.find((a: { confidential: boolean }) => a.confidential).attributionId;
  });

  describe('when the identity has not been shredded', () => {
    it('shows it to editors and admins, masks it for readers and auditors, and keeps it out of the log', async () => {
      expect(attribution(await claimAs('editor'), sealedId)).toMatchObject({ confidential: true, protectedIdentity: identity });
      expect(attribution(await claimAs('admin'), sealedId)).toMatchObject({ protectedIdentity: identity });
      for (const role of ['reader', 'auditor'] as const) {
        const masked = attribution(await claimAs(role), sealedId);
        expect(masked).toMatchObject({ confidential: true, source: 'confidential source' });
        expect(JSON.stringify(masked)).not.toContain('Major R.');
      }
      const stream = await auditGet(`/api/audit/streams/claim-${claimId}`);
      expect(JSON.stringify(stream)).not.toContain('Major R.');
    });
  });

  describe('when anyone but an admin asks to shred it', () => {
    it('answers 401 anonymously and 403 to every other role, appending nothing', async () => {
      const head = await app.head();
      for (const caller of ['anonymous', 'reader', 'journalist', 'editor', 'auditor'] as const) {
        const res = await send(app, 'post', shredPath(sealedId), caller);
        expect({ caller, status: res.status }).toEqual({ caller, status: caller === 'anonymous' ? 401 : 403 });
      }
      expect(await app.head()).toBe(head);
      expect(attribution(await claimAs('editor'), sealedId)).toMatchObject({ protectedIdentity: identity });
    });
  });

  describe('when the attribution holds no sealed identity', () => {
    it('answers 422 attribution.not_sealed, appending nothing', async () => {
      const head = await app.head();
      const res = await send(app, 'post', shredPath(plainId), 'admin');
      expectProblem(res, 422);
      expect(res.body.code).toBe('attribution.not_sealed');
      expect(await app.head()).toBe(head);
    });
  });

  describe('when the claim has no such attribution', () => {
    it('answers 404, appending nothing', async () => {
      const head = await app.head();
      expectProblem(await send(app, 'post', shredPath(randomUUID()), 'admin'), 404);
      expect(await app.head()).toBe(head);
    });
  });

  describe('when an admin shreds it', () => {
    let shred: request.Response;
    let head: number;

    beforeAll(async () => {
      shred = await send(app, 'post', shredPath(sealedId), 'admin');
      head = await app.head();
    });

    it('records AttributionIdentityShredded and the identity is gone for editors too', async () => {
      expect({ status: shred.status, body: shred.body }).toEqual({ status: 201, body: { id: sealedId, streamVersion: 2, position: head } });
      const last = await eventAt(head);
      expect(last).toMatchObject({ streamId: `claim-${claimId}`, type: 'AttributionIdentityShredded', data: { claimId, attributionId: sealedId } });
      for (const role of ['editor', 'admin'] as const) {
        expect(attribution(await claimAs(role), sealedId)).toMatchObject({ confidential: true, protectedIdentity: null });
      }
      expect(attribution(await claimAs('editor'), plainId)).toMatchObject({ outlet: 'TASS' });
    });

    it('answers a second shred 200 with the same version and appends nothing', async () => {
      const again = await send(app, 'post', shredPath(sealedId), 'admin');
      expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: { id: sealedId, streamVersion: 2, position: head } });
      expect(await app.head()).toBe(head);
    });

    it('leaves a chain that verifies, and projections that rebuild to the same digests', async () => {
      expect(await auditGet('/api/audit/verify')).toMatchObject({ ok: true, checked: head, firstMismatch: null });
      const before = await digests(app);
      for (const name of ['claims', 'sources']) {
        const res = await send(app, 'post', `/api/admin/projections/${name}/rebuild`, 'admin');
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
      }
      expect(await digests(app)).toEqual(before);
    });
  });
});

describe('POST /api/claims/:id/attributions/:attributionId/shred of a source recorded outside the claim record', () => {
  const identity = 'Captain K., brigade staff';
  const sealed = { outlet: 'Confidential', reliability: 'C', credibility: 3, confidential: true, protectedIdentity: identity };
  interface Case {
    where: string;
    /** Records a claim whose confidential source came `where`; returns the claim and a reader of that source as the admin sees it. */
    setUp(): Promise<{ claimId: string; read(): Promise<{ attributionId: string; protectedIdentity?: string | null }> }>;
  }
  const get = async (path: string, query: Record<string, string> = {}) => {
    const res = await send(app, 'get', path, 'admin').query(query);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res.body;
  };
  const confidential = (list: { confidential: boolean }[]) => list.find((a) => a.confidential) as unknown as { attributionId: string; protectedIdentity?: string | null };

  const cases: Case[] = [
    {
      where: 'with an added attribution',
      async setUp() {
        const { id } = await write('/api/claims', claimBody(s), 'journalist');
        await write(`/api/claims/${id}/attributions`, { attribution: sealed }, 'journalist');
        return { claimId: id, read: async () => confidential((await get(`/api/claims/${id}`)).attributions) };
      },
    },
    {
      where: 'with the retraction',
      async setUp() {
        const { id } = await write('/api/claims', claimBody(s), 'journalist');
        await write(`/api/claims/${id}/retraction`, { statedAt: '2020-10-12T10:00:00+04:00', attributions: [sealed] }, 'journalist');
        return { claimId: id, read: async () => confidential((await get(`/api/claims/${id}`)).retraction.attributions) };
      },
    },
    {
      where: 'with a casualty revision',
      async setUp() {
        const { id } = await write('/api/claims', claimBody(s), 'journalist');
        await write(`/api/claims/${id}/casualties`, {
          casualties: { civilian: { killed: { min: 2, max: 2 } } },
          asOf: '2020-10-11T16:00:00+04:00',
          attributions: [sealed],
        }, 'journalist');
        return { claimId: id, read: async () => confidential((await get(`/api/claims/${id}`)).casualtyRevisions[0].attributions) };
      },
    },
    {
      where: 'in the claim record, before a correction replaced its attributions',
      async setUp() {
        const recorded = await write('/api/claims', claimBody(s, { attributions: [{ outlet: 'APA', reliability: 'B', credibility: 3 }, sealed] }), 'journalist');
        await write(`/api/claims/${recorded.id}/corrections`, {
          changes: { attributions: [{ outlet: 'APA', reliability: 'B', credibility: 3 }] },
          reason: 'The second source was entered by mistake.',
        }, 'journalist');
        const asRecorded = async () => confidential((await get(`/api/audit/claims/${recorded.id}`, { asOf: String(recorded.position) })).attributions);
        return { claimId: recorded.id, read: asRecorded };
      },
    },
  ];

  describe.each(cases)('when the confidential source came $where and an admin shreds it', ({ setUp }) => {
    it('records the shredding and the identity can no longer be read', async () => {
      const { claimId, read } = await setUp();
      const before = await read();
      expect(before).toMatchObject({ protectedIdentity: identity });
      const head = await app.head();
      const res = await send(app, 'post', `/api/claims/${claimId}/attributions/${before.attributionId}/shred`, 'admin');
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 201, body: { id: before.attributionId, position: head + 1 } });
      expect(await read()).toMatchObject({ attributionId: before.attributionId, protectedIdentity: null });
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('signed checkpoints', () => {
  let checkpoint: Checkpoint;
  let publicKeyPem: string;
  let exportFile: string;
  let checkpointFile: string;
  let keyFile: string;

  beforeAll(async () => {
    const res = await send(app, 'post', '/api/audit/checkpoints', 'auditor');
    expect(res.status).toBe(201);
    checkpoint = res.body;
    publicKeyPem = (await currentPublicKey(app)).publicKey;
    exportFile = tempFile('signed.ndjson', await exportLog(app, app.tokens.auditor));
    checkpointFile = tempFile('checkpoint.json', JSON.stringify(checkpoint));
    keyFile = tempFile('key.pem', publicKeyPem);
  });

  describe('when an auditor asks POST /api/audit/checkpoints', () => {
    it('signs the head position and hash with the key published at GET /api/audit/public-key', async () => {
      const signed = await eventAt(checkpoint.position);
      expect(checkpoint).toEqual({ position: signed.position, hash: signed.hash, keyId: (await currentPublicKey(app)).keyId, signature: expect.any(String) });
      expect(signatureHolds(checkpoint, publicKeyPem)).toBe(true);
      expect(signatureHolds({ ...checkpoint, position: checkpoint.position - 1 }, publicKeyPem)).toBe(false);
    });

    it('records it as the CheckpointSigned event right after the head it signed, listed first by GET checkpoints', async () => {
      const recorded = await eventAt(checkpoint.position + 1);
      expect(recorded).toMatchObject({ streamId: 'checkpoints', type: 'CheckpointSigned', data: checkpoint });
      const { items } = await auditGet('/api/audit/checkpoints');
      expect(items[0]).toMatchObject({ ...checkpoint, recordedPosition: checkpoint.position + 1 });
    });
  });

  describe('when scripts/verify-export.mjs checks the untampered export against the checkpoint', () => {
    it('exits 0', () => {
      const run = runVerifier(exportFile, ['--checkpoint', checkpointFile, '--public-key', keyFile]);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout).toContain(`checkpoint verified: position ${checkpoint.position}`);
    });
  });

  describe('when one byte of the export is altered', () => {
    it('exits 1 naming the line', async () => {
      const text = await exportLog(app, app.tokens.auditor);
      const index = linesOf(text).findIndex((line) => line.includes('Tartar'));
      const altered = tempFile('altered-signed.ndjson', alterOneByte(text, index));
      const run = runVerifier(altered, ['--checkpoint', checkpointFile, '--public-key', keyFile]);
      expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 1, stderr: expect.stringContaining(`line ${index + 1}:`) });
    });
  });

  describe("when the checkpoint's hash is altered", () => {
    it('exits 1', () => {
      const last = checkpoint.hash.at(-1) === '0' ? '1' : '0';
      const forged = tempFile('forged.json', JSON.stringify({ ...checkpoint, hash: checkpoint.hash.slice(0, -1) + last }));
      const run = runVerifier(exportFile, ['--checkpoint', forged, '--public-key', keyFile]);
      expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 1, stderr: expect.stringContaining('NOT VERIFIED') });
    });
  });

  describe('when the checkpoint is checked against another public key', () => {
    it('exits 1', () => {
      // A key that did not sign it.
      const other = tempFile('other.pem', generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
      const run = runVerifier(exportFile, ['--checkpoint', checkpointFile, '--public-key', other]);
      expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 1, stderr: expect.stringContaining('signature') });
    });
  });

  describe('when CHECKPOINT_EVERY=5 and the fifth event is appended', () => {
    let periodicDb: AppDatabase;
    let periodic: ApiApp;

    beforeAll(async () => {
      periodicDb = await appDatabase(kind);
      periodic = await startApiApp({ ...periodicDb.env, CHECKPOINT_EVERY: '5' });
    });

    afterAll(async () => {
      await periodic?.close();
      await periodicDb?.close();
    });

    /** Resolves with the checkpoints stream once it holds an event, woken by the store's own appends. */
    function firstCheckpoint(): Promise<RecordedEvent[]> {
      const store = periodic.app.get(EventStore);
      return new Promise((resolve, reject) => {
        let done = false;
        const check = () =>
          store.readStream('checkpoints').then((items) => {
            if (items.length > 0 && !done) {
              done = true;
              unsubscribe();
              resolve(items);
            }
          }, reject);
        const unsubscribe = store.onAppended(() => void check());
        void check();
      });
    }

    it('signs a checkpoint of position 5 on its own, recorded at position 6', async () => {
      // Four tokens were issued at start: four events, no checkpoint yet.
      expect(await periodic.head()).toBe(4);
      expect((await auditGet('/api/audit/checkpoints', {}, periodic)).items).toEqual([]);

      await write('/api/conflicts', { name: 'Periodic checkpoints', timeZone: 'Asia/Baku' }, 'editor', periodic);
      const [event] = await firstCheckpoint();
      const fifth = await eventAt(5, periodic);
      expect(event).toMatchObject({
        position: 6,
        type: 'CheckpointSigned',
        data: { position: 5, hash: fifth.hash },
        metadata: { actor: { tokenId: 'checkpoint-signer' } },
      });
      expect(signatureHolds(event!.data as unknown as Checkpoint, (await currentPublicKey(periodic)).publicKey)).toBe(true);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('access to the audit routes', () => {
  const routes: { route: string; method: 'get' | 'post'; path: () => string; success: number }[] = [
    { route: 'GET /api/audit/events', method: 'get', path: () => '/api/audit/events?after=0&limit=5', success: 200 },
    { route: 'GET /api/audit/streams/:streamId', method: 'get', path: () => `/api/audit/streams/conflict-${s.conflictId}`, success: 200 },
    { route: 'GET /api/audit/claims/:id', method: 'get', path: () => `/api/audit/claims/${claimIdForAccess}?asOf=${claimPositionForAccess}`, success: 200 },
    { route: 'GET /api/audit/verify', method: 'get', path: () => '/api/audit/verify?from=1&to=3', success: 200 },
    { route: 'GET /api/audit/export', method: 'get', path: () => '/api/audit/export', success: 200 },
    { route: 'GET /api/audit/checkpoints', method: 'get', path: () => '/api/audit/checkpoints', success: 200 },
    { route: 'POST /api/audit/checkpoints', method: 'post', path: () => '/api/audit/checkpoints', success: 201 },
  ];
  let claimIdForAccess: string;
  let claimPositionForAccess: number;

  beforeAll(async () => {
    const written = await write('/api/claims', claimBody(s), 'journalist');
    claimIdForAccess = written.id;
    claimPositionForAccess = written.position;
  });

  describe.each(routes)('when $route is called by each kind of caller', ({ method, path, success }) => {
    it('refuses anonymous with 401 and reader, journalist, editor with 403; allows auditor and admin', async () => {
      const expected: Record<Caller, number> = { anonymous: 401, reader: 403, journalist: 403, editor: 403, auditor: success, admin: success };
      const actual = {} as Record<Caller, number>;
      for (const caller of Object.keys(expected) as Caller[]) {
        const res = await send(app, method, path(), caller).buffer(true).parse((response, done) => {
          const stream = response as unknown as NodeJS.ReadableStream;
          stream.resume();
          stream.on('end', () => done(null, null));
        });
        actual[caller] = res.status;
      }
      expect(actual).toEqual(expected);
    });
  });

  describe('when GET /api/audit/public-key is called anonymously', () => {
    it('answers 200 with the current Ed25519 key', async () => {
      await currentPublicKey(app);
    });
  });

  describe('when events are listed with actor=<token id>', () => {
    it('lists exactly the events that one token recorded', async () => {
      const issued = await send(app, 'post', '/api/admin/tokens', 'admin', { name: `desk ${randomUUID().slice(0, 8)}`, role: 'journalist' });
      expect(issued.status).toBe(201);
      const token: string = issued.body.token;
      const positions: number[] = [];
      const post = async (path: string, body: Body) => {
        const res = await request(app.server).post(path).set(bearer(token)).send(body);
        expect(res.status).toBe(201);
        positions.push(res.body.position);
        return res.body as Written;
      };
      const claim = await post('/api/claims', claimBody(s));
      await write('/api/claims', claimBody(s), 'journalist'); // another token's write in between
      await post(`/api/claims/${claim.id}/responses`, denialBody(s));
      await post(`/api/claims/${claim.id}/attributions`, { attribution: { outlet: 'Interfax', reliability: 'C', credibility: 3 } });

      const { items, nextAfter } = await auditGet('/api/audit/events', { actor: issued.body.id, limit: 1000 });
      expect(items.map((e: RecordedEvent) => e.position)).toEqual(positions);
      expect(nextAfter).toBeNull();
      for (const e of items) expect(e.metadata.actor).toMatchObject({ tokenId: issued.body.id });

      expect((await auditGet('/api/audit/events', { actor: 'nobody-at-all' })).items).toEqual([]);
      const paged = await auditGet('/api/audit/events', { actor: issued.body.id, after: positions[0]!, limit: 1 });
      expect({ positions: paged.items.map((e: RecordedEvent) => e.position), nextAfter: paged.nextAfter }).toEqual({ positions: [positions[1]], nextAfter: positions[1] });
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('GET /api/conflicts/:id/timeline?asOf', () => {
  let conflict: { conflictId: string; a: string; b: string };
  let first: Written;
  let second: Written;

  const body = (overrides: Body = {}) => ({
    ...claimBody({ conflictId: '' } as Scenario),
    conflictId: conflict.conflictId,
    claimant: conflict.a,
    subject: conflict.b,
    casualties: undefined,
    ...overrides,
  });

  beforeAll(async () => {
    conflict = await newConflict();
    first = await write('/api/claims', body({ casualties: { civilian: { killed: { min: 1, max: 2 } } } }), 'journalist');
    second = await write('/api/claims', body({ occurred: { from: '2020-10-11T05:00:00+04:00', precision: 'hour' }, casualties: { civilian: { killed: { min: 3, max: 3 } } } }), 'journalist');
  });

  const point = (claims: number, killedMin: number, killedMax: number) => ({
    period: '2020-10-11',
    claims,
    retracted: 0,
    corroborated: 0,
    contested: 0,
    refuted: 0,
    killed: { min: killedMin, max: killedMax },
    wounded: { min: 0, max: 0 },
  });
  const series = (points: object[]) => [{ claimant: conflict.a, subject: conflict.b, assertion: 'violated', points }];

  async function timeline(query: Record<string, string | number>) {
    // Replaying history is an audit read; the live timeline is for every reader.
    const res = await send(app, 'get', `/api/conflicts/${conflict.conflictId}/timeline`, query.asOf === undefined ? 'reader' : 'auditor').query(query);
    expect({ query, status: res.status }).toEqual({ query, status: 200 });
    return res.body;
  }

  describe('when asked as of a position before the second claim, and before the first', () => {
    it('counts only the claims recorded by then, while the live timeline counts both', async () => {
      const live = await timeline({ minPosition: second.position });
      expect(live).toMatchObject({ conflictId: conflict.conflictId, timeZone: 'Asia/Baku', bucket: 'day', by: 'occurred', series: series([point(2, 4, 5)]) });

      const before = await digests(app);
      const asOfFirst = await timeline({ asOf: second.position - 1 });
      expect(asOfFirst).toMatchObject({ conflictId: conflict.conflictId, series: series([point(1, 1, 2)]) });
      const asOfNothing = await timeline({ asOf: first.position - 1 });
      expect(asOfNothing.series).toEqual([]);
      // Empty, but never silently: the answer says when the first claim was recorded.
      const firstRecordedAt = (await eventAt(first.position)).recordedAt;
      expect(new Date(asOfNothing.asOf.firstClaimRecordedAt).getTime()).toBe(new Date(firstRecordedAt).getTime());
      expect(asOfFirst.asOf.firstClaimRecordedAt).toBe(asOfNothing.asOf.firstClaimRecordedAt);
      // Before the conflict itself was registered: still an answer (nothing recorded yet), not a 404.
      const beforeConflict = await timeline({ asOf: 0 });
      expect(beforeConflict).toMatchObject({ conflictId: conflict.conflictId, timeZone: 'Asia/Baku', series: [], asOf: { position: 0, firstClaimRecordedAt: asOfNothing.asOf.firstClaimRecordedAt } });
      const byTime = await timeline({ asOf: (await eventAt(second.position)).recordedAt });
      expect(byTime.series).toEqual(live.series);

      // The replay went to temporary tables: the live read models did not move.
      expect(await digests(app)).toEqual(before);
      expect((await timeline({ minPosition: second.position })).series).toEqual(live.series);
    });
  });

  describe('when asOf is not a position or an instant', () => {
    it('answers 400 naming asOf', async () => {
      expectProblem(await send(app, 'get', `/api/conflicts/${conflict.conflictId}/timeline`, 'reader').query({ asOf: 'last week' }), 400, 'asOf');
    });
  });

  describe('when the caller is not an auditor', () => {
    it('refuses the replay: 401 anonymous, 403 for a reader, while the live timeline stays open to both', async () => {
      const path = `/api/conflicts/${conflict.conflictId}/timeline`;
      expect((await request(app.server).get(path).query({ asOf: 1 })).status).toBe(401);
      expect((await send(app, 'get', path, 'reader').query({ asOf: 1 })).status).toBe(403);
      expect((await send(app, 'get', path, 'editor').query({ asOf: 1 })).status).toBe(403);
      expect((await request(app.server).get(path)).status).toBe(200);
      expect((await send(app, 'get', path, 'reader')).status).toBe(200);
    });
  });
});
