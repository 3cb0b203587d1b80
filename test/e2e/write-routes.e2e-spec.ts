import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Role } from '../../src/auth/roles';
import { EventStore } from '../../src/event-store/event-store.service';
import { type ApiApp, bearer, claimBody, denialBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * Every write route of DESIGN §6 over real HTTP against the real app: what a success shows
 * through the read routes, and that every refusal (400, 401, 403, 404, 409, 413, 422) appends
 * nothing.
 */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

type Body = Record<string, unknown>;
type Headers = Record<string, string>;
type Method = 'post' | 'delete';

interface Problem {
  status: number;
  code?: string;
  errors?: { field: string; message: string }[];
  currentVersion?: number;
  [member: string]: unknown;
}

let db: AppDatabase;
let app: ApiApp;
/** The Moscow 2020 scenario most claims are recorded in; its agreement is never changed. */
let s: Scenario;
/** A second conflict: agreements that are ended or corrected, and "another conflict" references. */
let other: Scenario;

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  s = await seedScenario(app);
  other = await seedScenario(app);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers

/** A request as `role` (null: anonymous), with extra headers. */
function send(method: Method, path: string, body: Body | undefined, role: Role | null, headers: Headers = {}) {
  const req = request(app.server)[method](path).set(headers);
  if (role) void req.set(bearer(app.tokens[role]));
  return body === undefined ? req : req.send(body);
}

const post = (path: string, body: Body, role: Role | null, headers: Headers = {}) => send('post', path, body, role, headers);

function get(path: string, role: Role | null = 'editor') {
  const req = request(app.server).get(path);
  return role ? req.set(bearer(app.tokens[role])) : req;
}

/** Asserts the write answered `status` with `{id, streamVersion, position}` at the head of the log. */
async function expectWrite(res: request.Response, status = 201): Promise<{ id: string; streamVersion: number; position: number }> {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: { id: expect.any(String), streamVersion: expect.any(Number), position: expect.any(Number) },
  });
  if (status === 201) expect(res.body.position).toBe(await app.head());
  return res.body;
}

/** Runs `act`, asserts a problem+json answer with `status` and that the log's head did not move. */
async function expectRejected(status: number, act: () => PromiseLike<request.Response>): Promise<Problem> {
  const before = await app.head();
  const res = await act();
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(await app.head()).toBe(before);
  return res.body as Problem;
}

function expectFieldError(problem: Problem, field: string): void {
  expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]));
}

const sameInstant = (a: string, b: string) => expect(Date.parse(a)).toBe(Date.parse(b));

async function readClaim(id: string, role: Role | null = 'editor') {
  const res = await get(`/api/claims/${id}`, role);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return res.body;
}

async function readConflict(id: string, role: Role | null = 'editor') {
  const res = await get(`/api/conflicts/${id}`, role);
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return res.body;
}

async function readAgreement(conflictId: string, agreementId: string) {
  const res = await get(`/api/conflicts/${conflictId}/agreements`);
  expect(res.status).toBe(200);
  const agreement = res.body.items.find((a: { id: string }) => a.id === agreementId);
  expect(agreement).toBeDefined();
  return agreement;
}

async function recordClaim(overrides: Body = {}, sc: Scenario = s): Promise<string> {
  return (await expectWrite(await post('/api/claims', claimBody(sc, overrides), 'journalist'))).id;
}

/** A claim moved to version 2 by a correction, for stale-version cases. */
async function claimAtVersion2(): Promise<string> {
  const id = await recordClaim();
  await expectWrite(await post(`/api/claims/${id}/corrections`, { changes: { summary: 'Corrected once.' }, reason: 'Typo' }, 'journalist'));
  return id;
}

function agreementBody(sc: Scenario, overrides: Body = {}): Body {
  return {
    title: 'Second humanitarian truce',
    kind: 'humanitarian-truce',
    signatories: [sc.azerbaijan, sc.armenia],
    mediators: [sc.russia],
    agreedAt: '2020-10-17T20:00:00+04:00',
    effectiveFrom: { at: '2020-10-18T00:00:00+04:00', raw: 'midnight on 18 October', timeZone: 'Asia/Baku', basis: 'stated' },
    terms: 'A humanitarian truce from midnight.',
    attributions: [{ outlet: 'Azertac', speaker: 'Azerbaijani Foreign Ministry', reliability: 'B', credibility: 2 }],
    ...overrides,
  };
}

/** A new agreement in the second conflict, free to end or correct. */
async function freshAgreement(overrides: Body = {}): Promise<string> {
  return (await expectWrite(await post(`/api/conflicts/${other.conflictId}/agreements`, agreementBody(other, overrides), 'editor'))).id;
}

async function issueToken(role: Role, name = `${role} ${randomUUID().slice(0, 8)}`): Promise<{ id: string; token: string }> {
  const res = await post('/api/admin/tokens', { name, role }, 'admin');
  await expectWrite(res);
  return res.body;
}

const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString();
const inAnHour = () => new Date(Date.now() + 23 * 3600_000).toISOString();
const bigBody = () => ({ summary: 'x'.repeat(256 * 1024 + 16) });

// ---------------------------------------------------------------------------------------------
// Every write route: what all of them share

/** Targets for the shared refusals below; none of those requests changes anything. */
const f = { claimId: '', attributionId: '', otherClaimId: '', tokenId: '' };

beforeAll(async () => {
  f.claimId = await recordClaim();
  f.attributionId = (await readClaim(f.claimId)).attributions[0].attributionId;
  f.otherClaimId = await recordClaim({ summary: 'The same statement, from another outlet.' });
  f.tokenId = (await issueToken('reader')).id;
});

interface WriteRoute {
  route: string;
  method: Method;
  path: () => string;
  body: () => Body | undefined;
  /** A role that may not call the route. */
  forbidden: Role;
}

const ROUTES: WriteRoute[] = [
  { route: 'POST /api/conflicts', method: 'post', path: () => '/api/conflicts', body: () => ({ name: 'A conflict', timeZone: 'Asia/Baku' }), forbidden: 'journalist' },
  {
    route: 'POST /api/conflicts/:id/parties',
    method: 'post',
    path: () => `/api/conflicts/${s.conflictId}/parties`,
    body: () => ({ name: 'Observer mission', kind: 'observer' }),
    forbidden: 'journalist',
  },
  { route: 'POST /api/conflicts/:id/agreements', method: 'post', path: () => `/api/conflicts/${s.conflictId}/agreements`, body: () => agreementBody(s), forbidden: 'journalist' },
  {
    route: 'POST /api/agreements/:id/end',
    method: 'post',
    path: () => `/api/agreements/${s.agreementId}/end`,
    body: () => ({ endedAt: '2020-10-18T00:00:00+04:00', reason: 'Superseded' }),
    forbidden: 'journalist',
  },
  {
    route: 'POST /api/agreements/:id/corrections',
    method: 'post',
    path: () => `/api/agreements/${s.agreementId}/corrections`,
    body: () => ({ changes: { terms: 'Other terms' }, reason: 'Misread' }),
    forbidden: 'journalist',
  },
  { route: 'POST /api/claims', method: 'post', path: () => '/api/claims', body: () => claimBody(s), forbidden: 'reader' },
  { route: 'POST /api/claims/:id/responses', method: 'post', path: () => `/api/claims/${f.claimId}/responses`, body: () => denialBody(s), forbidden: 'auditor' },
  {
    route: 'POST /api/claims/:id/attributions',
    method: 'post',
    path: () => `/api/claims/${f.claimId}/attributions`,
    body: () => ({ attribution: { outlet: 'Reuters', reliability: 'C', credibility: 3 } }),
    forbidden: 'reader',
  },
  {
    route: 'POST /api/claims/:id/attributions/:attributionId/withdrawal',
    method: 'post',
    path: () => `/api/claims/${f.claimId}/attributions/${f.attributionId}/withdrawal`,
    body: () => ({ reason: 'The outlet deleted the report.' }),
    forbidden: 'reader',
  },
  {
    route: 'POST /api/claims/:id/corrections',
    method: 'post',
    path: () => `/api/claims/${f.claimId}/corrections`,
    body: () => ({ changes: { summary: 'Another summary.' }, reason: 'Typo' }),
    forbidden: 'reader',
  },
  {
    route: 'POST /api/claims/:id/retraction',
    method: 'post',
    path: () => `/api/claims/${f.claimId}/retraction`,
    body: () => ({ statedAt: '2020-10-12T10:00:00+04:00' }),
    forbidden: 'auditor',
  },
  {
    route: 'POST /api/claims/:id/casualties',
    method: 'post',
    path: () => `/api/claims/${f.claimId}/casualties`,
    body: () => ({ casualties: { civilian: { killed: { min: 2, max: 2 } } }, asOf: '2020-10-11T16:00:00+04:00' }),
    forbidden: 'reader',
  },
  { route: 'POST /api/claims/:id/void', method: 'post', path: () => `/api/claims/${f.claimId}/void`, body: () => ({ reason: 'Never said.' }), forbidden: 'journalist' },
  {
    route: 'POST /api/claims/:id/assessments',
    method: 'post',
    path: () => `/api/claims/${f.claimId}/assessments`,
    body: () => ({ status: 'corroborated', rationale: 'Imagery.' }),
    forbidden: 'journalist',
  },
  {
    route: 'POST /api/claims/:id/duplicate-of',
    method: 'post',
    path: () => `/api/claims/${f.claimId}/duplicate-of`,
    body: () => ({ claimId: f.otherClaimId, reason: 'Same statement.' }),
    forbidden: 'journalist',
  },
  { route: 'POST /api/admin/tokens', method: 'post', path: () => '/api/admin/tokens', body: () => ({ name: 'Desk', role: 'reader' }), forbidden: 'editor' },
  { route: 'DELETE /api/admin/tokens/:id', method: 'delete', path: () => `/api/admin/tokens/${f.tokenId}`, body: () => undefined, forbidden: 'editor' },
];
const POST_ROUTES = ROUTES.filter((r) => r.method === 'post');
const table = (routes: WriteRoute[]) => routes.map((r) => [r.route, r] as const);

describe('every write route', () => {
  describe('when no token is sent', () => {
    it.each(table(ROUTES))('%s answers 401 and appends nothing', async (_, r) => {
      const problem = await expectRejected(401, () => send(r.method, r.path(), r.body(), null));
      expect(problem.code).toBe('token.missing');
    });
  });

  describe('when the token is unknown', () => {
    it.each(table(ROUTES))('%s answers 401 and appends nothing', async (_, r) => {
      const problem = await expectRejected(401, () =>
        send(r.method, r.path(), r.body(), null, bearer(`cft_${randomUUID().replaceAll('-', '')}`)),
      );
      expect(problem.code).toBe('token.invalid');
    });
  });

  describe('when the Authorization header is not a bearer token', () => {
    it.each(table(ROUTES))('%s answers 401 and appends nothing', async (_, r) => {
      await expectRejected(401, () => send(r.method, r.path(), r.body(), null, { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }));
    });
  });

  describe('when the role may not write there', () => {
    it.each(table(ROUTES))('%s answers 403 and appends nothing', async (_, r) => {
      const problem = await expectRejected(403, () => send(r.method, r.path(), r.body(), r.forbidden));
      expect(problem.code).toBe('role.forbidden');
    });
  });

  describe('when the body is malformed JSON', () => {
    it.each(table(POST_ROUTES))('%s answers 400 and appends nothing', async (_, r) => {
      await expectRejected(400, () =>
        request(app.server).post(r.path()).set(bearer(app.tokens.admin)).set('Content-Type', 'application/json').send('{"name": "Tartar", '),
      );
    });
  });

  describe('when the body is a JSON array, not an object', () => {
    it.each(table(POST_ROUTES))('%s answers 400 and appends nothing', async (_, r) => {
      await expectRejected(400, () =>
        request(app.server).post(r.path()).set(bearer(app.tokens.admin)).set('Content-Type', 'application/json').send(JSON.stringify([r.body()])),
      );
    });
  });

  describe('when the body has an unknown field', () => {
    it.each(table(POST_ROUTES))('%s answers 400 naming it and appends nothing', async (_, r) => {
      const problem = await expectRejected(400, () => post(r.path(), { ...r.body(), colour: 'red' }, 'admin'));
      expectFieldError(problem, 'colour');
    });
  });

  describe('when the body is over 256 KiB', () => {
    it.each(table(POST_ROUTES))('%s answers 413 and appends nothing', async (_, r) => {
      await expectRejected(413, () => post(r.path(), { ...r.body(), ...bigBody() }, 'admin'));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Conflicts and parties

describe('POST /api/conflicts', () => {
  describe('when an editor registers a conflict', () => {
    it('answers 201 and the conflict is listed and readable', async () => {
      const body = { name: 'Tavush clashes (2020)', region: 'Tavush', timeZone: 'Asia/Yerevan', description: 'Border clashes in July 2020.' };
      const written = await expectWrite(await post('/api/conflicts', body, 'editor'));
      expect(written.streamVersion).toBe(1);

      const list = await get('/api/conflicts', null);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: written.id, ...body, parties: [] })]));

      expect(await readConflict(written.id)).toMatchObject({ id: written.id, ...body, parties: [], agreements: [], version: 1 });
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['a non-IANA time zone', { name: 'X', timeZone: 'Europe/Atlantis' }, 'timeZone'],
      ['an offset for a time zone', { name: 'X', timeZone: '+04:00' }, 'timeZone'],
      ['a missing time zone', { name: 'X' }, 'timeZone'],
      ['an empty name', { name: '', timeZone: 'Asia/Baku' }, 'name'],
      ['a number for a region', { name: 'X', timeZone: 'Asia/Baku', region: 7 }, 'region'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post('/api/conflicts', body, 'editor')), field);
    });
  });
});

describe('POST /api/conflicts/:id/parties', () => {
  describe('when an editor adds a party', () => {
    it('answers 201 with the party id and the conflict shows the party', async () => {
      const sc = await seedScenario(app);
      const before = await readConflict(sc.conflictId);
      const body = { name: 'OSCE Minsk Group', shortName: 'Minsk Group', kind: 'mediator', aliases: ['Minsk Group co-chairs'] };
      const written = await expectWrite(await post(`/api/conflicts/${sc.conflictId}/parties`, body, 'editor'));
      expect(written.streamVersion).toBe(before.version + 1);

      const conflict = await readConflict(sc.conflictId, null);
      expect(conflict.version).toBe(before.version + 1);
      expect(conflict.parties).toContainEqual({ id: written.id, ...body });
      const listed = (await get('/api/conflicts', null)).body.items.find((c: { id: string }) => c.id === sc.conflictId);
      expect(listed.parties).toContainEqual(expect.objectContaining({ id: written.id, name: 'OSCE Minsk Group' }));
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['an unknown kind', { name: 'Wagner', kind: 'militia' }, 'kind'],
      ['an empty alias', { name: 'Wagner', kind: 'armed-group', aliases: [''] }, 'aliases'],
      ['a missing name', { kind: 'armed-group' }, 'name'],
      ['a negative expectedVersion', { name: 'Wagner', kind: 'armed-group', expectedVersion: -1 }, 'expectedVersion'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/conflicts/${s.conflictId}/parties`, body, 'editor')), field);
    });
  });

  describe('when the conflict is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post(`/api/conflicts/${randomUUID()}/parties`, { name: 'Georgia', kind: 'state' }, 'editor'));
      expect(problem.code).toBe('conflict.not_found');
    });
  });

  describe('when expectedVersion is stale', () => {
    it('answers 409 with the current version', async () => {
      const { version } = await readConflict(s.conflictId);
      const problem = await expectRejected(409, () =>
        post(`/api/conflicts/${s.conflictId}/parties`, { name: 'Georgia', kind: 'state', expectedVersion: version - 1 }, 'editor'),
      );
      expect(problem.currentVersion).toBe(version);
    });
  });

  describe('when If-Match is stale', () => {
    it('answers 409 with the current version', async () => {
      const { version } = await readConflict(s.conflictId);
      const problem = await expectRejected(409, () =>
        post(`/api/conflicts/${s.conflictId}/parties`, { name: 'Georgia', kind: 'state' }, 'editor', { 'If-Match': `"${version - 1}"` }),
      );
      expect(problem.currentVersion).toBe(version);
    });
  });

  describe('when the conflict already has a party of that name', () => {
    it('answers 422 party.duplicate_name', async () => {
      const problem = await expectRejected(422, () => post(`/api/conflicts/${s.conflictId}/parties`, { name: ' azerbaijan ', kind: 'state' }, 'editor'));
      expect(problem.code).toBe('party.duplicate_name');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Agreements

describe('POST /api/conflicts/:id/agreements', () => {
  describe('when an editor records an agreement', () => {
    it('answers 201 and the agreement is listed with the conflict', async () => {
      const sc = await seedScenario(app);
      const body = agreementBody(sc);
      const written = await expectWrite(await post(`/api/conflicts/${sc.conflictId}/agreements`, body, 'editor'));
      expect(written.streamVersion).toBe(1);

      const agreement = await readAgreement(sc.conflictId, written.id);
      expect(agreement).toMatchObject({
        id: written.id,
        conflictId: sc.conflictId,
        title: body.title,
        kind: 'humanitarian-truce',
        signatories: [sc.azerbaijan, sc.armenia],
        mediators: [sc.russia],
        effectiveFrom: { raw: 'midnight on 18 October', timeZone: 'Asia/Baku', basis: 'stated' },
        endedAt: null,
        terms: body.terms,
        reaffirms: [],
        attributions: [expect.objectContaining({ outlet: 'Azertac', reliability: 'B', credibility: 2 })],
      });
      sameInstant(agreement.effectiveFrom.at, '2020-10-18T00:00:00+04:00');
      sameInstant(agreement.agreedAt, '2020-10-17T20:00:00+04:00');

      const conflict = await readConflict(sc.conflictId, null);
      expect(conflict.agreements.map((a: { id: string }) => a.id)).toEqual([sc.agreementId, written.id]);
    });

    it('records one that reaffirms an earlier agreement', async () => {
      const written = await expectWrite(
        await post(`/api/conflicts/${other.conflictId}/agreements`, agreementBody(other, { reaffirms: [other.agreementId] }), 'editor'),
      );
      expect((await readAgreement(other.conflictId, written.id)).reaffirms).toEqual([other.agreementId]);
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['a non-IANA time zone', { effectiveFrom: { at: '2020-10-18T00:00:00+04:00', timeZone: 'Moscow time', basis: 'stated' } }, 'effectiveFrom.timeZone'],
      ['an instant without offset', { effectiveFrom: { at: '2020-10-18T00:00:00', timeZone: 'Asia/Baku', basis: 'stated' } }, 'effectiveFrom.at'],
      ['an unknown basis', { effectiveFrom: { at: '2020-10-18T00:00:00+04:00', timeZone: 'Asia/Baku', basis: 'rumoured' } }, 'effectiveFrom.basis'],
      ['an unknown field inside effectiveFrom', { effectiveFrom: { at: '2020-10-18T00:00:00+04:00', timeZone: 'Asia/Baku', basis: 'stated', note: 'x' } }, 'effectiveFrom.note'],
      ['a missing effectiveFrom', { effectiveFrom: undefined }, 'effectiveFrom'],
      ['agreedAt without offset', { agreedAt: '2020-10-17 20:00' }, 'agreedAt'],
      ['a signatory that is not an id', { signatories: ['Azerbaijan', 'Armenia'] }, 'signatories'],
      ['an unknown kind', { kind: 'peace-treaty' }, 'kind'],
      ['an out-of-range credibility', { attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 7 }] }, 'attributions[0].credibility'],
      ['an unknown reliability grade', { attributions: [{ outlet: 'TASS', reliability: 'G', credibility: 2 }] }, 'attributions[0].reliability'],
    ])('rejects %s with 400 naming the field', async (_, overrides, field) => {
      const body = agreementBody(s, overrides);
      expectFieldError(await expectRejected(400, () => post(`/api/conflicts/${s.conflictId}/agreements`, body, 'editor')), field);
    });
  });

  describe('when the conflict is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post(`/api/conflicts/${randomUUID()}/agreements`, agreementBody(s), 'editor'));
      expect(problem.code).toBe('conflict.not_found');
    });
  });

  describe('when a domain rule is broken', () => {
    it.each([
      ['one signatory', () => ({ signatories: [s.azerbaijan] }), 'agreement.too_few_signatories'],
      ['the same signatory twice', () => ({ signatories: [s.azerbaijan, s.azerbaijan] }), 'agreement.too_few_signatories'],
      ['a signatory of another conflict', () => ({ signatories: [s.azerbaijan, other.armenia] }), 'agreement.unknown_party'],
      ['a mediator of another conflict', () => ({ mediators: [other.russia] }), 'agreement.unknown_party'],
      ['reaffirming an agreement of another conflict', () => ({ reaffirms: [other.agreementId] }), 'agreement.unknown_agreement'],
    ])('rejects %s with 422 and its code', async (_, overrides, code) => {
      const problem = await expectRejected(422, () => post(`/api/conflicts/${s.conflictId}/agreements`, agreementBody(s, overrides()), 'editor'));
      expect(problem.code).toBe(code);
    });
  });
});

describe('POST /api/agreements/:id/end', () => {
  describe('when an editor ends an agreement', () => {
    it('answers 201 and the agreement shows when and why it ended, and what superseded it', async () => {
      const ended = await freshAgreement();
      const successor = await freshAgreement({ title: 'Third truce', effectiveFrom: { at: '2020-10-26T08:00:00+04:00', timeZone: 'Asia/Baku', basis: 'stated' } });
      const body = { endedAt: '2020-10-26T08:00:00+04:00', reason: 'Superseded by the truce of 26 October.', supersededBy: successor };
      const written = await expectWrite(await post(`/api/agreements/${ended}/end`, body, 'editor'));
      expect(written).toMatchObject({ id: ended, streamVersion: 2 });

      const agreement = await readAgreement(other.conflictId, ended);
      sameInstant(agreement.endedAt, body.endedAt);
      expect(agreement).toMatchObject({ endReason: body.reason, supersededBy: successor, version: 2 });
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['endedAt without offset', { endedAt: '2020-10-26T08:00:00', reason: 'r' }, 'endedAt'],
      ['endedAt as a date', { endedAt: '2020-10-26', reason: 'r' }, 'endedAt'],
      ['an empty reason', { endedAt: '2020-10-26T08:00:00+04:00', reason: '' }, 'reason'],
      ['supersededBy that is not an id', { endedAt: '2020-10-26T08:00:00+04:00', reason: 'r', supersededBy: 'the next one' }, 'supersededBy'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/agreements/${other.agreementId}/end`, body, 'editor')), field);
    });
  });

  describe('when the agreement is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post(`/api/agreements/${randomUUID()}/end`, { endedAt: '2020-10-26T08:00:00+04:00', reason: 'r' }, 'editor'));
      expect(problem.code).toBe('agreement.not_found');
    });
  });

  describe('when the version is stale', () => {
    it('answers 409 with the current version for expectedVersion', async () => {
      const id = await freshAgreement();
      await expectWrite(await post(`/api/agreements/${id}/corrections`, { changes: { terms: 'Corrected terms.' }, reason: 'Misquoted' }, 'editor'));
      const problem = await expectRejected(409, () =>
        post(`/api/agreements/${id}/end`, { endedAt: '2020-10-26T08:00:00+04:00', reason: 'r', expectedVersion: 1 }, 'editor'),
      );
      expect(problem.currentVersion).toBe(2);
    });

    it('answers 409 with the current version for If-Match', async () => {
      const id = await freshAgreement();
      await expectWrite(await post(`/api/agreements/${id}/corrections`, { changes: { terms: 'Corrected terms.' }, reason: 'Misquoted' }, 'editor'));
      const problem = await expectRejected(409, () =>
        post(`/api/agreements/${id}/end`, { endedAt: '2020-10-26T08:00:00+04:00', reason: 'r' }, 'editor', { 'If-Match': '"1"' }),
      );
      expect(problem.currentVersion).toBe(2);
    });
  });

  describe('when a domain rule is broken', () => {
    it('rejects ending an ended agreement with 422 agreement.already_ended', async () => {
      const id = await freshAgreement();
      await expectWrite(await post(`/api/agreements/${id}/end`, { endedAt: '2020-10-20T00:00:00+04:00', reason: 'Collapsed' }, 'editor'));
      const problem = await expectRejected(422, () => post(`/api/agreements/${id}/end`, { endedAt: '2020-10-21T00:00:00+04:00', reason: 'Again' }, 'editor'));
      expect(problem.code).toBe('agreement.already_ended');
    });

    it('rejects an end before the start with 422 agreement.ends_before_start', async () => {
      const id = await freshAgreement();
      const problem = await expectRejected(422, () => post(`/api/agreements/${id}/end`, { endedAt: '2020-10-01T00:00:00+04:00', reason: 'r' }, 'editor'));
      expect(problem.code).toBe('agreement.ends_before_start');
    });

    it('rejects superseding by itself with 422 agreement.self_reference', async () => {
      const id = await freshAgreement();
      const problem = await expectRejected(422, () =>
        post(`/api/agreements/${id}/end`, { endedAt: '2020-10-20T00:00:00+04:00', reason: 'r', supersededBy: id }, 'editor'),
      );
      expect(problem.code).toBe('agreement.self_reference');
    });

    it('rejects superseding by an agreement of another conflict with 422 agreement.unknown_agreement', async () => {
      const id = await freshAgreement();
      const problem = await expectRejected(422, () =>
        post(`/api/agreements/${id}/end`, { endedAt: '2020-10-20T00:00:00+04:00', reason: 'r', supersededBy: s.agreementId }, 'editor'),
      );
      expect(problem.code).toBe('agreement.unknown_agreement');
    });
  });
});

describe('POST /api/agreements/:id/corrections', () => {
  describe('when an editor corrects the reading of an ambiguous start', () => {
    it('answers 201 and the agreement shows the new reading', async () => {
      const id = await freshAgreement();
      const effectiveFrom = { at: '2020-10-18T00:00:00+03:00', raw: 'midnight on 18 October', timeZone: 'Europe/Moscow', basis: 'inferred' };
      const written = await expectWrite(await post(`/api/agreements/${id}/corrections`, { changes: { effectiveFrom }, reason: 'Moscow time, not Baku time.' }, 'editor'));
      expect(written).toMatchObject({ id, streamVersion: 2 });

      const agreement = await readAgreement(other.conflictId, id);
      expect(agreement).toMatchObject({ effectiveFrom: { raw: 'midnight on 18 October', timeZone: 'Europe/Moscow', basis: 'inferred' }, version: 2 });
      sameInstant(agreement.effectiveFrom.at, effectiveFrom.at);
    });

    it('answers 201 with a matching If-Match', async () => {
      const id = await freshAgreement();
      const written = await expectWrite(await post(`/api/agreements/${id}/corrections`, { changes: { title: 'Renamed truce' }, reason: 'Official title' }, 'editor', { 'If-Match': '"1"' }));
      expect(written.streamVersion).toBe(2);
      expect((await readAgreement(other.conflictId, id)).title).toBe('Renamed truce');
    });
  });

  describe('when the correction changes nothing', () => {
    it('answers 200 with the same shape and appends nothing', async () => {
      const id = await freshAgreement();
      const before = await app.head();
      const written = await expectWrite(await post(`/api/agreements/${id}/corrections`, { changes: { title: 'Second humanitarian truce' }, reason: 'No-op' }, 'editor'), 200);
      expect(written).toMatchObject({ id, streamVersion: 1 });
      expect(await app.head()).toBe(before);
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['a non-IANA time zone', { changes: { effectiveFrom: { at: '2020-10-18T00:00:00+03:00', timeZone: 'Nowhere/Land', basis: 'inferred' } }, reason: 'r' }, 'changes.effectiveFrom.timeZone'],
      ['an instant without offset', { changes: { effectiveFrom: { at: '2020-10-18T00:00', timeZone: 'Europe/Moscow', basis: 'inferred' } }, reason: 'r' }, 'changes.effectiveFrom.at'],
      ['an empty title', { changes: { title: '' }, reason: 'r' }, 'changes.title'],
      ['no changes', { changes: {}, reason: 'r' }, 'changes'],
      ['a missing reason', { changes: { title: 'T' } }, 'reason'],
      ['an unknown field in changes', { changes: { colour: 'blue' }, reason: 'r' }, 'changes.colour'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/agreements/${other.agreementId}/corrections`, body, 'editor')), field);
    });

    it('rejects an If-Match that is not a version with 400', async () => {
      const problem = await expectRejected(400, () =>
        post(`/api/agreements/${other.agreementId}/corrections`, { changes: { title: 'T' }, reason: 'r' }, 'editor', { 'If-Match': 'yesterday' }),
      );
      expectFieldError(problem, 'If-Match');
    });
  });

  describe('when the agreement is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post(`/api/agreements/${randomUUID()}/corrections`, { changes: { title: 'T' }, reason: 'r' }, 'editor'));
      expect(problem.code).toBe('agreement.not_found');
    });
  });

  describe('when the version is stale', () => {
    it('answers 409 with the current version for expectedVersion', async () => {
      const id = await freshAgreement();
      await expectWrite(await post(`/api/agreements/${id}/corrections`, { changes: { terms: 'First fix.' }, reason: 'r' }, 'editor'));
      const problem = await expectRejected(409, () => post(`/api/agreements/${id}/corrections`, { changes: { terms: 'Second fix.' }, reason: 'r', expectedVersion: 1 }, 'editor'));
      expect(problem.currentVersion).toBe(2);
    });

    it('answers 409 with the current version for If-Match', async () => {
      const id = await freshAgreement();
      await expectWrite(await post(`/api/agreements/${id}/corrections`, { changes: { terms: 'First fix.' }, reason: 'r' }, 'editor'));
      const problem = await expectRejected(409, () => post(`/api/agreements/${id}/corrections`, { changes: { terms: 'Second fix.' }, reason: 'r' }, 'editor', { 'If-Match': '"1"' }));
      expect(problem.currentVersion).toBe(2);
    });
  });

  describe('when a domain rule is broken', () => {
    it('rejects a single signatory with 422 agreement.too_few_signatories', async () => {
      const id = await freshAgreement();
      const problem = await expectRejected(422, () => post(`/api/agreements/${id}/corrections`, { changes: { signatories: [other.armenia] }, reason: 'r' }, 'editor'));
      expect(problem.code).toBe('agreement.too_few_signatories');
    });

    it('rejects moving the start after the end with 422 agreement.ends_before_start', async () => {
      const id = await freshAgreement();
      await expectWrite(await post(`/api/agreements/${id}/end`, { endedAt: '2020-10-19T00:00:00+04:00', reason: 'Collapsed' }, 'editor'));
      const problem = await expectRejected(422, () =>
        post(`/api/agreements/${id}/corrections`, { changes: { effectiveFrom: { at: '2020-10-20T00:00:00+04:00', timeZone: 'Asia/Baku', basis: 'stated' } }, reason: 'r' }, 'editor'),
      );
      expect(problem.code).toBe('agreement.ends_before_start');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Claims

describe('POST /api/claims', () => {
  describe('when a journalist records a claim', () => {
    it('answers 201 and GET /api/claims/:id shows every field of DESIGN §6', async () => {
      const body = claimBody(s);
      const written = await expectWrite(await post('/api/claims', body, 'journalist'));
      expect(written.streamVersion).toBe(1);

      const res = await get(`/api/claims/${written.id}`, null);
      expect(res.status).toBe(200);
      const claim = res.body;
      expect(claim).toMatchObject({
        id: written.id,
        conflictId: s.conflictId,
        claimant: s.azerbaijan,
        subject: s.armenia,
        assertion: 'violated',
        stance: null,
        respondsTo: null,
        category: 'shelling',
        occurred: { precision: 'hour', raw: 'overnight' },
        location: { name: 'Tartar', altNames: ['Terter'], lat: 40.34, lon: 46.93, precision: 'settlement' },
        casualties: { civilian: { killed: { min: 1, max: 1 }, wounded: { min: 3, max: 5 } } },
        summary: body.summary,
        attributions: [
          expect.objectContaining({ attributionId: expect.any(String), outlet: 'TASS', speaker: 'Azerbaijani Defence Ministry', reliability: 'B', credibility: 3, language: 'ru' }),
        ],
        agreementId: s.agreementId,
        status: 'unverified',
        retracted: false,
        voided: false,
        duplicateOf: null,
        responses: [],
        version: 1,
      });
      sameInstant(claim.occurred.from, '2020-10-11T01:00:00+04:00');
      sameInstant(claim.occurred.to, '2020-10-11T03:00:00+04:00');
      sameInstant(claim.statedAt, '2020-10-11T09:30:00+04:00');
      expect(res.headers.etag).toBe('"1"');
    });

    it('keeps the minimal body: no location, no casualties', async () => {
      const { location: _l, casualties: _c, ...body } = claimBody(s, { occurred: { from: '2020-10-11T01:00:00+04:00', precision: 'part-of-day' } });
      const written = await expectWrite(await post('/api/claims', body, 'editor'));
      expect(await readClaim(written.id)).toMatchObject({ location: null, casualties: null, occurred: { precision: 'part-of-day' } });
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['an unknown reliability grade', { attributions: [{ outlet: 'TASS', reliability: 'G', credibility: 3 }] }, 'attributions[0].reliability'],
      ['a fractional credibility', { attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 2.5 }] }, 'attributions[0].credibility'],
      ['a non-http url', { attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 2, url: 'ftp://tass.ru/x' }] }, 'attributions[0].url'],
      ['publishedAt without offset', { attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 2, publishedAt: '2020-10-11T10:00:00' }] }, 'attributions[0].publishedAt'],
      ['confidential that is not a boolean', { attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 2, confidential: 'yes' }] }, 'attributions[0].confidential'],
      ['an unknown field in an attribution', { attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 2, rating: 5 }] }, 'attributions[0].rating'],
      ['no attributions', { attributions: [] }, 'attributions'],
      ['occurred.from without offset', { occurred: { from: '2020-10-11T01:00:00', precision: 'hour' } }, 'occurred.from'],
      ['occurred.to that is not an instant', { occurred: { from: '2020-10-11T01:00:00+04:00', to: 'later', precision: 'hour' } }, 'occurred.to'],
      ['an unknown precision', { occurred: { from: '2020-10-11T01:00:00+04:00', precision: 'second' } }, 'occurred.precision'],
      ['a missing occurred', { occurred: undefined }, 'occurred'],
      ['statedAt as a date', { statedAt: '2020-10-11' }, 'statedAt'],
      ['statedAt without offset', { statedAt: '2020-10-11T09:30:00.000' }, 'statedAt'],
      ['a negative casualty count', { casualties: { civilian: { killed: { min: -1, max: 1 } } } }, 'casualties.civilian.killed.min'],
      ['an unknown casualty group', { casualties: { police: { killed: { min: 1, max: 1 } } } }, 'casualties.police'],
      ['a latitude beyond 90', { location: { name: 'Tartar', lat: 91 } }, 'location.lat'],
      ['an unknown location precision', { location: { name: 'Tartar', precision: 'street' } }, 'location.precision'],
      ['a conflictId that is not an id', { conflictId: 'nagorno-karabakh' }, 'conflictId'],
      ['a claimant that is not an id', { claimant: 'Azerbaijan' }, 'claimant'],
      ['an unknown assertion', { assertion: 'maybe' }, 'assertion'],
      ['an unknown category', { category: 'cyber-attack' }, 'category'],
      ['an empty summary', { summary: '' }, 'summary'],
      ['a stance on a claim that answers nothing', { stance: 'denial' }, 'stance'],
      ['respondsTo in the body', { respondsTo: randomUUID() }, 'respondsTo'],
    ])('rejects %s with 400 naming the field', async (_, overrides, field) => {
      expectFieldError(await expectRejected(400, () => post('/api/claims', claimBody(s, overrides), 'journalist')), field);
    });

    it('rejects protectedIdentity without confidential: true with 400 naming the field', async () => {
      const attributions = [
        { outlet: 'TASS', reliability: 'B', credibility: 3 },
        { outlet: 'Reuters', reliability: 'C', credibility: 3, protectedIdentity: 'A colonel' },
      ];
      expectFieldError(await expectRejected(400, () => post('/api/claims', claimBody(s, { attributions }), 'journalist')), 'attributions[1].protectedIdentity');
    });

    it('rejects protectedIdentity with confidential: false with 400 naming the field', async () => {
      const attributions = [{ outlet: 'Reuters', reliability: 'C', credibility: 3, confidential: false, protectedIdentity: 'A colonel' }];
      expectFieldError(await expectRejected(400, () => post('/api/claims', claimBody(s, { attributions }), 'journalist')), 'attributions[0].protectedIdentity');
    });
  });

  describe('when the conflict is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post('/api/claims', claimBody(s, { conflictId: randomUUID() }), 'journalist'));
      expect(problem.code).toBe('conflict.not_found');
    });
  });

  describe('when a domain rule is broken', () => {
    it.each([
      ['a claimant of another conflict', () => ({ claimant: other.azerbaijan }), 'claim.unknown_party', 'claimant'],
      ['an unknown subject', () => ({ subject: randomUUID() }), 'claim.unknown_party', 'subject'],
      ['a party accusing itself without acknowledgement', () => ({ subject: s.azerbaijan }), 'claim.self_accusation', 'subject'],
      [
        'occurred.to before occurred.from',
        () => ({ occurred: { from: '2020-10-11T03:00:00+04:00', to: '2020-10-11T01:00:00+04:00', precision: 'hour' } }),
        'claim.occurred_range',
        'occurred.to',
      ],
      [
        'something occurring after it was stated',
        () => ({ occurred: { from: '2020-10-11T10:00:00+04:00', precision: 'hour' }, statedAt: '2020-10-11T09:30:00+04:00' }),
        'claim.occurred_after_statement',
        'occurred.from',
      ],
      ['a statement in the future', () => ({ occurred: { from: inAnHour(), precision: 'hour' }, statedAt: tomorrow() }), 'claim.stated_in_future', 'statedAt'],
      ['casualties with min above max', () => ({ casualties: { military: { wounded: { min: 9, max: 3 } } } }), 'claim.casualties_range', 'casualties.military.wounded'],
    ])('rejects %s with 422 and its code', async (_, overrides, code, field) => {
      const problem = await expectRejected(422, () => post('/api/claims', claimBody(s, overrides()), 'journalist'));
      expect(problem).toMatchObject({ code, field });
    });
  });
});

describe('POST /api/claims/:id/responses', () => {
  describe('when a journalist records a denial', () => {
    it('answers 201; the counterclaim names what it answers and the original lists it', async () => {
      const original = await recordClaim();
      const written = await expectWrite(await post(`/api/claims/${original}/responses`, denialBody(s), 'journalist'));
      expect(written.streamVersion).toBe(1);

      expect(await readClaim(written.id, null)).toMatchObject({
        id: written.id,
        conflictId: s.conflictId,
        claimant: s.armenia,
        subject: s.armenia,
        assertion: 'complied',
        stance: 'denial',
        respondsTo: original,
        category: 'ceasefire-statement',
        casualties: null,
        agreementId: s.agreementId,
        version: 1,
      });
      expect((await readClaim(original, null)).responses).toEqual([
        expect.objectContaining({ id: written.id, claimant: s.armenia, subject: s.armenia, assertion: 'complied', stance: 'denial' }),
      ]);
    });

    it('records a counter-accusation and an acknowledgement (a party about itself, violated)', async () => {
      const original = await recordClaim();
      const counter = await expectWrite(
        await post(`/api/claims/${original}/responses`, denialBody(s, { subject: s.azerbaijan, assertion: 'violated', stance: 'counter-accusation' }), 'journalist'),
      );
      const acknowledgement = await expectWrite(
        await post(`/api/claims/${original}/responses`, denialBody(s, { assertion: 'violated', stance: 'acknowledgement' }), 'editor'),
      );
      const responses = (await readClaim(original)).responses;
      expect(responses.map((r: { id: string; stance: string }) => [r.id, r.stance])).toEqual([
        [counter.id, 'counter-accusation'],
        [acknowledgement.id, 'acknowledgement'],
      ]);
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['a missing stance', { stance: undefined }, 'stance'],
      ['an unknown stance', { stance: 'rebuttal' }, 'stance'],
      ['a conflictId (the original decides it)', { conflictId: randomUUID() }, 'conflictId'],
      ['occurred.from without offset', { occurred: { from: '2020-10-11T01:00:00', precision: 'hour' } }, 'occurred.from'],
      ['an unknown credibility', { attributions: [{ outlet: 'Armenpress', reliability: 'B', credibility: 0 }] }, 'attributions[0].credibility'],
    ])('rejects %s with 400 naming the field', async (_, overrides, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/responses`, denialBody(s, overrides), 'journalist')), field);
    });
  });

  describe('when the answered claim is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post(`/api/claims/${randomUUID()}/responses`, denialBody(s), 'journalist'));
      expect(problem.code).toBe('claim.not_found');
    });
  });

  describe('when a domain rule is broken', () => {
    it.each([
      ['a responder of another conflict', () => ({ claimant: other.armenia }), 'claim.unknown_party'],
      ['a party accusing itself as a counter-accusation', () => ({ assertion: 'violated', stance: 'counter-accusation' }), 'claim.self_accusation'],
      ['a response stated in the future', () => ({ occurred: { from: inAnHour(), precision: 'hour' }, statedAt: tomorrow() }), 'claim.stated_in_future'],
    ])('rejects %s with 422 and its code', async (_, overrides, code) => {
      const problem = await expectRejected(422, () => post(`/api/claims/${f.claimId}/responses`, denialBody(s, overrides()), 'journalist'));
      expect(problem.code).toBe(code);
    });
  });
});

describe('POST /api/claims/:id/attributions', () => {
  describe('when a journalist adds a source', () => {
    it('answers 201 with the attribution id and the claim lists the source', async () => {
      const id = await recordClaim();
      const attribution = { outlet: 'Reuters', speaker: 'Azerbaijani Defence Ministry', url: 'https://www.reuters.com/x', quote: 'Tartar was shelled', reliability: 'A', credibility: 2 };
      const written = await expectWrite(await post(`/api/claims/${id}/attributions`, { attribution }, 'journalist'));
      expect(written.streamVersion).toBe(2);

      const claim = await readClaim(id, null);
      expect(claim.version).toBe(2);
      expect(claim.attributions).toHaveLength(2);
      expect(claim.attributions[1]).toMatchObject({ attributionId: written.id, ...attribution });
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['a missing attribution', {}, 'attribution'],
      ['a list instead of one attribution', { attribution: [{ outlet: 'Reuters', reliability: 'A', credibility: 2 }] }, 'attribution'],
      ['a credibility of 0', { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 0 } }, 'attribution.credibility'],
      ['a missing outlet', { attribution: { reliability: 'A', credibility: 2 } }, 'attribution.outlet'],
      ['a bad language tag', { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 2, language: 'english language' } }, 'attribution.language'],
      ['protectedIdentity without confidential: true', { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 2, protectedIdentity: 'A major' } }, 'attribution.protectedIdentity'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/attributions`, body, 'journalist')), field);
    });
  });

  describe('when the claim is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () =>
        post(`/api/claims/${randomUUID()}/attributions`, { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 2 } }, 'journalist'),
      );
      expect(problem.code).toBe('claim.not_found');
    });
  });

  describe('when the version is stale', () => {
    it.each([
      ['expectedVersion', { expectedVersion: 1 }, {}],
      ['If-Match', {}, { 'If-Match': '"1"' }],
    ])('answers 409 with the current version for %s', async (_, extra, headers) => {
      const id = await claimAtVersion2();
      const problem = await expectRejected(409, () =>
        post(`/api/claims/${id}/attributions`, { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 2 }, ...extra }, 'journalist', headers),
      );
      expect(problem.currentVersion).toBe(2);
    });
  });

  describe('when the claim was voided', () => {
    it('answers 422 claim.voided', async () => {
      const id = await recordClaim();
      await expectWrite(await post(`/api/claims/${id}/void`, { reason: 'Never said.' }, 'editor'));
      const problem = await expectRejected(422, () => post(`/api/claims/${id}/attributions`, { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 2 } }, 'journalist'));
      expect(problem.code).toBe('claim.voided');
    });
  });
});

describe('POST /api/claims/:id/attributions/:attributionId/withdrawal', () => {
  /** A claim with two sources: [first, second] attribution ids. */
  async function claimWithTwoSources(): Promise<{ id: string; first: string; second: string }> {
    const id = await recordClaim({
      attributions: [
        { outlet: 'TASS', reliability: 'B', credibility: 3 },
        { outlet: 'APA', reliability: 'C', credibility: 3 },
      ],
    });
    const [first, second] = (await readClaim(id)).attributions.map((a: { attributionId: string }) => a.attributionId);
    return { id, first, second };
  }

  describe('when a journalist withdraws one of two sources', () => {
    it('answers 201 with the attribution id and the claim no longer lists it', async () => {
      const { id, first, second } = await claimWithTwoSources();
      const written = await expectWrite(await post(`/api/claims/${id}/attributions/${first}/withdrawal`, { reason: 'The outlet deleted the report.' }, 'journalist'));
      expect(written).toMatchObject({ id: first, streamVersion: 2 });

      const claim = await readClaim(id, null);
      expect(claim.attributions.map((a: { attributionId: string }) => a.attributionId)).toEqual([second]);
      expect(claim.version).toBe(2);
    });

    it('answers 200 and appends nothing when it is withdrawn again', async () => {
      const { id, first } = await claimWithTwoSources();
      const firstTime = await expectWrite(await post(`/api/claims/${id}/attributions/${first}/withdrawal`, { reason: 'Deleted.' }, 'journalist'));
      const before = await app.head();
      const again = await expectWrite(await post(`/api/claims/${id}/attributions/${first}/withdrawal`, { reason: 'Deleted.' }, 'journalist'), 200);
      expect(again).toEqual(firstTime);
      expect(await app.head()).toBe(before);
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['a missing reason', {}, 'reason'],
      ['an empty reason', { reason: '' }, 'reason'],
      ['a fractional expectedVersion', { reason: 'r', expectedVersion: 1.5 }, 'expectedVersion'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/attributions/${f.attributionId}/withdrawal`, body, 'journalist')), field);
    });
  });

  describe('when the claim or the attribution is unknown', () => {
    it('answers 404 for an unknown claim', async () => {
      const problem = await expectRejected(404, () => post(`/api/claims/${randomUUID()}/attributions/${f.attributionId}/withdrawal`, { reason: 'r' }, 'journalist'));
      expect(problem.code).toBe('claim.not_found');
    });

    it('answers 404 for an unknown attribution', async () => {
      const problem = await expectRejected(404, () => post(`/api/claims/${f.claimId}/attributions/${randomUUID()}/withdrawal`, { reason: 'r' }, 'journalist'));
      expect(problem.code).toBe('attribution.not_found');
    });

    it("answers 404 for another claim's attribution", async () => {
      const { first } = await claimWithTwoSources();
      const problem = await expectRejected(404, () => post(`/api/claims/${f.claimId}/attributions/${first}/withdrawal`, { reason: 'r' }, 'journalist'));
      expect(problem.code).toBe('attribution.not_found');
    });
  });

  describe('when the version is stale', () => {
    it.each([
      ['expectedVersion', { expectedVersion: 1 }, {}],
      ['If-Match', {}, { 'If-Match': '"1"' }],
    ])('answers 409 with the current version for %s', async (_, extra, headers) => {
      const { id, first, second } = await claimWithTwoSources();
      await expectWrite(await post(`/api/claims/${id}/attributions/${second}/withdrawal`, { reason: 'Deleted.' }, 'journalist'));
      await expectWrite(await post(`/api/claims/${id}/attributions`, { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 2 } }, 'journalist'));
      const problem = await expectRejected(409, () => post(`/api/claims/${id}/attributions/${first}/withdrawal`, { reason: 'r', ...extra }, 'journalist', headers));
      expect(problem.currentVersion).toBe(3);
    });
  });

  describe('when it is the last source', () => {
    it('answers 422 claim.last_attribution', async () => {
      const problem = await expectRejected(422, () => post(`/api/claims/${f.claimId}/attributions/${f.attributionId}/withdrawal`, { reason: 'r' }, 'journalist'));
      expect(problem.code).toBe('claim.last_attribution');
    });
  });
});

describe('POST /api/claims/:id/corrections', () => {
  describe('when a journalist corrects a claim', () => {
    it('answers 201 and each given field replaces the old one whole', async () => {
      const id = await recordClaim();
      const changes = {
        summary: 'Armenian forces shelled Terter district overnight, the ministry said.',
        occurred: { from: '2020-10-11T00:00:00+04:00', precision: 'part-of-day', raw: 'at night' },
        location: { name: 'Terter district', precision: 'district' },
      };
      const written = await expectWrite(await post(`/api/claims/${id}/corrections`, { changes, reason: 'The ministry named the district.' }, 'journalist'));
      expect(written).toMatchObject({ id, streamVersion: 2 });

      const claim = await readClaim(id, null);
      expect(claim).toMatchObject({ summary: changes.summary, location: { name: 'Terter district', altNames: [], precision: 'district' }, version: 2 });
      expect(claim.occurred).not.toHaveProperty('to');
      expect(claim.occurred).toMatchObject({ precision: 'part-of-day', raw: 'at night' });
      expect(claim.location).not.toHaveProperty('lat');
      expect(claim.casualties).toEqual({ civilian: { killed: { min: 1, max: 1 }, wounded: { min: 3, max: 5 } } });
    });

    it('answers 201 with an If-Match taken from the ETag', async () => {
      const id = await recordClaim();
      const etag = (await get(`/api/claims/${id}`)).headers.etag as string;
      const written = await expectWrite(await post(`/api/claims/${id}/corrections`, { changes: { category: 'missile-strike' }, reason: 'Wrong category.' }, 'journalist', { 'If-Match': etag }));
      expect(written.streamVersion).toBe(2);
      expect(await readClaim(id)).toMatchObject({ category: 'missile-strike', version: 2 });
    });

    it('answers 201 with a matching expectedVersion', async () => {
      const id = await claimAtVersion2();
      const written = await expectWrite(await post(`/api/claims/${id}/corrections`, { changes: { summary: 'Corrected twice.' }, reason: 'Typo', expectedVersion: 2 }, 'journalist'));
      expect(written.streamVersion).toBe(3);
      expect((await readClaim(id)).summary).toBe('Corrected twice.');
    });
  });

  describe('when the correction changes nothing', () => {
    it('answers 200 with the same shape and appends nothing', async () => {
      const id = await recordClaim();
      const before = await app.head();
      const written = await expectWrite(await post(`/api/claims/${id}/corrections`, { changes: { category: 'shelling' }, reason: 'No-op' }, 'journalist'), 200);
      expect(written).toMatchObject({ id, streamVersion: 1 });
      expect(await app.head()).toBe(before);
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['an empty summary', { changes: { summary: '' }, reason: 'r' }, 'changes.summary'],
      ['occurred.from without offset', { changes: { occurred: { from: '2020-10-11T01:00', precision: 'hour' } }, reason: 'r' }, 'changes.occurred.from'],
      ['a bad attribution', { changes: { attributions: [{ outlet: 'TASS', reliability: 'Z', credibility: 3 }] }, reason: 'r' }, 'changes.attributions[0].reliability'],
      ['no changes', { changes: {}, reason: 'r' }, 'changes'],
      ['a missing changes', { reason: 'r' }, 'changes'],
      ['a conflictId in changes', { changes: { conflictId: randomUUID() }, reason: 'r' }, 'changes.conflictId'],
      ['a respondsTo in changes', { changes: { respondsTo: randomUUID() }, reason: 'r' }, 'changes.respondsTo'],
      ['a missing reason', { changes: { summary: 'S' } }, 'reason'],
      ['a string expectedVersion', { changes: { summary: 'S' }, reason: 'r', expectedVersion: '1' }, 'expectedVersion'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/corrections`, body, 'journalist')), field);
    });

    it('rejects protectedIdentity without confidential: true with 400 naming the field', async () => {
      const body = { changes: { attributions: [{ outlet: 'Reuters', reliability: 'C', credibility: 3, protectedIdentity: 'A major' }] }, reason: 'r' };
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/corrections`, body, 'journalist')), 'changes.attributions[0].protectedIdentity');
    });

    it('rejects an If-Match that is not a version with 400', async () => {
      expectFieldError(
        await expectRejected(400, () => post(`/api/claims/${f.claimId}/corrections`, { changes: { summary: 'S' }, reason: 'r' }, 'journalist', { 'If-Match': '*' })),
        'If-Match',
      );
    });

    it('rejects an If-Match that disagrees with expectedVersion with 400', async () => {
      const problem = await expectRejected(400, () =>
        post(`/api/claims/${f.claimId}/corrections`, { changes: { summary: 'S' }, reason: 'r', expectedVersion: 1 }, 'journalist', { 'If-Match': '"2"' }),
      );
      expectFieldError(problem, 'expectedVersion');
    });
  });

  describe('when the claim is unknown', () => {
    it('answers 404, even with an expectedVersion', async () => {
      const problem = await expectRejected(404, () => post(`/api/claims/${randomUUID()}/corrections`, { changes: { summary: 'S' }, reason: 'r', expectedVersion: 3 }, 'journalist'));
      expect(problem.code).toBe('claim.not_found');
    });
  });

  describe('when the version is stale', () => {
    it.each([
      ['expectedVersion', { expectedVersion: 1 }, {}],
      ['If-Match', {}, { 'If-Match': '"1"' }],
      ['a weak If-Match', {}, { 'If-Match': 'W/"1"' }],
    ])('answers 409 with the current version for %s', async (_, extra, headers) => {
      const id = await claimAtVersion2();
      const problem = await expectRejected(409, () => post(`/api/claims/${id}/corrections`, { changes: { summary: 'Late fix.' }, reason: 'r', ...extra }, 'journalist', headers));
      expect(problem).toMatchObject({ code: 'stream.version_conflict', currentVersion: 2 });
    });
  });

  describe('when a domain rule is broken', () => {
    it.each([
      ['occurred.to before occurred.from', () => ({ occurred: { from: '2020-10-11T03:00:00+04:00', to: '2020-10-11T01:00:00+04:00', precision: 'hour' } }), 'claim.occurred_range'],
      ['a statedAt before the occurrence', () => ({ statedAt: '2020-10-10T09:30:00+04:00' }), 'claim.occurred_after_statement'],
      ['a statedAt in the future', () => ({ statedAt: tomorrow() }), 'claim.stated_in_future'],
      ['a subject of another conflict', () => ({ subject: other.armenia }), 'claim.unknown_party'],
      ['a claimant accusing itself', () => ({ claimant: s.armenia }), 'claim.self_accusation'],
      ['a stance on a claim that answers nothing', () => ({ stance: 'denial' }), 'claim.stance_without_response'],
      ['casualties with min above max', () => ({ casualties: { civilian: { killed: { min: 4, max: 2 } } } }), 'claim.casualties_range'],
    ])('rejects %s with 422 and its code', async (_, changes, code) => {
      const problem = await expectRejected(422, () => post(`/api/claims/${f.claimId}/corrections`, { changes: changes(), reason: 'r' }, 'journalist'));
      expect(problem.code).toBe(code);
    });

    it('rejects correcting a retracted claim with 422 claim.retracted', async () => {
      const id = await recordClaim();
      await expectWrite(await post(`/api/claims/${id}/retraction`, { statedAt: '2020-10-12T10:00:00+04:00' }, 'journalist'));
      const problem = await expectRejected(422, () => post(`/api/claims/${id}/corrections`, { changes: { summary: 'Changed.' }, reason: 'r' }, 'journalist'));
      expect(problem.code).toBe('claim.retracted');
    });
  });
});

describe('POST /api/claims/:id/retraction', () => {
  describe('when a journalist records that the claimant withdrew its claim', () => {
    it('answers 201 and the claim shows it retracted', async () => {
      const id = await recordClaim();
      const body = { statedAt: '2020-10-12T10:00:00+04:00', attributions: [{ outlet: 'APA', speaker: 'Azerbaijani Defence Ministry', reliability: 'B', credibility: 2 }] };
      const written = await expectWrite(await post(`/api/claims/${id}/retraction`, body, 'journalist'));
      expect(written).toMatchObject({ id, streamVersion: 2 });
      expect(await readClaim(id, null)).toMatchObject({ retracted: true, voided: false, version: 2 });
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['statedAt without offset', { statedAt: '2020-10-12T10:00:00' }, 'statedAt'],
      ['a missing statedAt', {}, 'statedAt'],
      ['a bad attribution', { statedAt: '2020-10-12T10:00:00+04:00', attributions: [{ outlet: 'APA', reliability: 'b', credibility: 2 }] }, 'attributions[0].reliability'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/retraction`, body, 'journalist')), field);
    });
  });

  describe('when the claim is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post(`/api/claims/${randomUUID()}/retraction`, { statedAt: '2020-10-12T10:00:00+04:00' }, 'journalist'));
      expect(problem.code).toBe('claim.not_found');
    });
  });

  describe('when the version is stale', () => {
    it.each([
      ['expectedVersion', { expectedVersion: 1 }, {}],
      ['If-Match', {}, { 'If-Match': '"1"' }],
    ])('answers 409 with the current version for %s', async (_, extra, headers) => {
      const id = await claimAtVersion2();
      const problem = await expectRejected(409, () => post(`/api/claims/${id}/retraction`, { statedAt: '2020-10-12T10:00:00+04:00', ...extra }, 'journalist', headers));
      expect(problem.currentVersion).toBe(2);
    });
  });

  describe('when a domain rule is broken', () => {
    it('rejects a second retraction with 422 claim.retracted', async () => {
      const id = await recordClaim();
      await expectWrite(await post(`/api/claims/${id}/retraction`, { statedAt: '2020-10-12T10:00:00+04:00' }, 'journalist'));
      const problem = await expectRejected(422, () => post(`/api/claims/${id}/retraction`, { statedAt: '2020-10-13T10:00:00+04:00' }, 'journalist'));
      expect(problem.code).toBe('claim.retracted');
    });

    it('rejects a retraction before the statement with 422 claim.retraction_before_statement', async () => {
      const problem = await expectRejected(422, () => post(`/api/claims/${f.claimId}/retraction`, { statedAt: '2020-10-11T09:00:00+04:00' }, 'journalist'));
      expect(problem.code).toBe('claim.retraction_before_statement');
    });

    it('rejects a retraction in the future with 422 claim.stated_in_future', async () => {
      const problem = await expectRejected(422, () => post(`/api/claims/${f.claimId}/retraction`, { statedAt: tomorrow() }, 'journalist'));
      expect(problem.code).toBe('claim.stated_in_future');
    });
  });
});

describe('POST /api/claims/:id/casualties', () => {
  describe('when a journalist records revised figures', () => {
    it('answers 201 and the claim shows the latest revision', async () => {
      const id = await recordClaim({ casualties: { civilian: { killed: { min: 5, max: 5 } } } });
      const seven = { civilian: { killed: { min: 7, max: 7 } } };
      const ten = { civilian: { killed: { min: 10, max: 10, raw: 'ten' }, wounded: { min: 30, max: 40 } } };
      const first = await expectWrite(await post(`/api/claims/${id}/casualties`, { casualties: seven, asOf: '2020-10-11T16:00:00+04:00' }, 'journalist'));
      expect(first).toMatchObject({ id, streamVersion: 2 });
      expect((await readClaim(id)).casualties).toEqual(seven);

      const second = await expectWrite(
        await post(`/api/claims/${id}/casualties`, { casualties: ten, asOf: '2020-10-12T09:00:00+04:00', attributions: [{ outlet: 'Trend', reliability: 'C', credibility: 3 }] }, 'journalist'),
      );
      expect(second.streamVersion).toBe(3);
      expect(await readClaim(id, null)).toMatchObject({ casualties: ten, version: 3 });
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['a count that is not a number', { casualties: { military: { killed: { min: 1, max: 'ten' } } }, asOf: '2020-10-11T16:00:00+04:00' }, 'casualties.military.killed.max'],
      ['a fractional count', { casualties: { military: { killed: { min: 1.5, max: 2 } } }, asOf: '2020-10-11T16:00:00+04:00' }, 'casualties.military.killed.min'],
      ['asOf without offset', { casualties: { civilian: { killed: { min: 1, max: 1 } } }, asOf: '2020-10-11T16:00:00' }, 'asOf'],
      ['a missing casualties', { asOf: '2020-10-11T16:00:00+04:00' }, 'casualties'],
      ['an unknown field in a range', { casualties: { civilian: { killed: { min: 1, max: 1, median: 1 } } }, asOf: '2020-10-11T16:00:00+04:00' }, 'casualties.civilian.killed.median'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/casualties`, body, 'journalist')), field);
    });
  });

  describe('when the claim is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () =>
        post(`/api/claims/${randomUUID()}/casualties`, { casualties: { civilian: { killed: { min: 1, max: 1 } } }, asOf: '2020-10-11T16:00:00+04:00' }, 'journalist'),
      );
      expect(problem.code).toBe('claim.not_found');
    });
  });

  describe('when the version is stale', () => {
    it.each([
      ['expectedVersion', { expectedVersion: 1 }, {}],
      ['If-Match', {}, { 'If-Match': '"1"' }],
    ])('answers 409 with the current version for %s', async (_, extra, headers) => {
      const id = await claimAtVersion2();
      const problem = await expectRejected(409, () =>
        post(`/api/claims/${id}/casualties`, { casualties: { civilian: { killed: { min: 2, max: 2 } } }, asOf: '2020-10-11T16:00:00+04:00', ...extra }, 'journalist', headers),
      );
      expect(problem.currentVersion).toBe(2);
    });
  });

  describe('when a domain rule is broken', () => {
    it.each([
      ['min above max', () => f.claimId, { casualties: { civilian: { killed: { min: 9, max: 7 } } }, asOf: '2020-10-11T16:00:00+04:00' }, 'claim.casualties_range'],
      ['a revision before the statement', () => f.claimId, { casualties: { civilian: { killed: { min: 2, max: 2 } } }, asOf: '2020-10-11T08:00:00+04:00' }, 'claim.revision_before_statement'],
      ['a revision in the future', () => f.claimId, { casualties: { civilian: { killed: { min: 2, max: 2 } } }, asOf: tomorrow() }, 'claim.stated_in_future'],
    ])('rejects %s with 422 and its code', async (_, claimId, body, code) => {
      const problem = await expectRejected(422, () => post(`/api/claims/${claimId()}/casualties`, body, 'journalist'));
      expect(problem.code).toBe(code);
    });

    it('rejects revising a retracted claim with 422 claim.retracted', async () => {
      const id = await recordClaim();
      await expectWrite(await post(`/api/claims/${id}/retraction`, { statedAt: '2020-10-12T10:00:00+04:00' }, 'journalist'));
      const problem = await expectRejected(422, () =>
        post(`/api/claims/${id}/casualties`, { casualties: { civilian: { killed: { min: 2, max: 2 } } }, asOf: '2020-10-12T16:00:00+04:00' }, 'journalist'),
      );
      expect(problem.code).toBe('claim.retracted');
    });
  });
});

describe('POST /api/claims/:id/void', () => {
  describe('when an editor voids a claim', () => {
    it('answers 201 and the claim shows it voided', async () => {
      const id = await recordClaim();
      const written = await expectWrite(await post(`/api/claims/${id}/void`, { reason: 'Entered twice by mistake.' }, 'editor'));
      expect(written).toMatchObject({ id, streamVersion: 2 });
      expect(await readClaim(id, null)).toMatchObject({ voided: true, retracted: false, version: 2 });
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['a missing reason', {}, 'reason'],
      ['a reason that is not text', { reason: ['x'] }, 'reason'],
      ['a reason with a NUL character', { reason: 'a\u0000b' }, 'reason'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/void`, body, 'editor')), field);
    });
  });

  describe('when the claim is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post(`/api/claims/${randomUUID()}/void`, { reason: 'r' }, 'editor'));
      expect(problem.code).toBe('claim.not_found');
    });

    it('answers 404 for an id that is not a UUID', async () => {
      const problem = await expectRejected(404, () => post('/api/claims/not-a-claim/void', { reason: 'r' }, 'editor'));
      expect(problem.code).toBe('claim.not_found');
    });
  });

  describe('when the version is stale', () => {
    it.each([
      ['expectedVersion', { expectedVersion: 1 }, {}],
      ['If-Match', {}, { 'If-Match': '"1"' }],
    ])('answers 409 with the current version for %s', async (_, extra, headers) => {
      const id = await claimAtVersion2();
      const problem = await expectRejected(409, () => post(`/api/claims/${id}/void`, { reason: 'r', ...extra }, 'editor', headers));
      expect(problem.currentVersion).toBe(2);
    });
  });

  describe('when the claim is already voided', () => {
    it('answers 422 claim.voided', async () => {
      const id = await recordClaim();
      await expectWrite(await post(`/api/claims/${id}/void`, { reason: 'Never said.' }, 'editor'));
      const problem = await expectRejected(422, () => post(`/api/claims/${id}/void`, { reason: 'Never said.' }, 'editor'));
      expect(problem.code).toBe('claim.voided');
    });
  });
});

describe('POST /api/claims/:id/assessments', () => {
  describe('when an editor assesses a claim', () => {
    it('answers 201 and the status follows the latest assessment', async () => {
      const id = await recordClaim();
      expect((await readClaim(id)).status).toBe('unverified');

      const first = await expectWrite(await post(`/api/claims/${id}/assessments`, { status: 'corroborated', rationale: 'Satellite imagery shows craters.', evidence: ['https://example.org/imagery'] }, 'editor'));
      expect(first).toMatchObject({ id, streamVersion: 2 });
      expect((await readClaim(id, null)).status).toBe('corroborated');

      const second = await expectWrite(await post(`/api/claims/${id}/assessments`, { status: 'refuted', rationale: 'The craters predate the truce.' }, 'editor'));
      expect(second.streamVersion).toBe(3);
      expect(await readClaim(id, null)).toMatchObject({ status: 'refuted', version: 3 });
    });

    it('answers 200 and appends nothing when the same assessment is repeated', async () => {
      const id = await recordClaim();
      const body = { status: 'contested', rationale: 'Both sides give different accounts.' };
      const firstTime = await expectWrite(await post(`/api/claims/${id}/assessments`, body, 'editor'));
      const before = await app.head();
      expect(await expectWrite(await post(`/api/claims/${id}/assessments`, body, 'editor'), 200)).toEqual(firstTime);
      expect(await app.head()).toBe(before);
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['an unknown status', { status: 'true', rationale: 'r' }, 'status'],
      ['a missing rationale', { status: 'refuted' }, 'rationale'],
      ['an empty evidence item', { status: 'refuted', rationale: 'r', evidence: [''] }, 'evidence'],
      ['evidence that is not a list', { status: 'refuted', rationale: 'r', evidence: 'imagery' }, 'evidence'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/assessments`, body, 'editor')), field);
    });
  });

  describe('when the claim is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post(`/api/claims/${randomUUID()}/assessments`, { status: 'refuted', rationale: 'r' }, 'editor'));
      expect(problem.code).toBe('claim.not_found');
    });
  });

  describe('when the version is stale', () => {
    it.each([
      ['expectedVersion', { expectedVersion: 1 }, {}],
      ['If-Match', {}, { 'If-Match': '"1"' }],
    ])('answers 409 with the current version for %s', async (_, extra, headers) => {
      const id = await claimAtVersion2();
      const problem = await expectRejected(409, () => post(`/api/claims/${id}/assessments`, { status: 'refuted', rationale: 'r', ...extra }, 'editor', headers));
      expect(problem.currentVersion).toBe(2);
    });
  });

  describe('when the claim was voided', () => {
    it('answers 422 claim.voided', async () => {
      const id = await recordClaim();
      await expectWrite(await post(`/api/claims/${id}/void`, { reason: 'Never said.' }, 'editor'));
      const problem = await expectRejected(422, () => post(`/api/claims/${id}/assessments`, { status: 'refuted', rationale: 'r' }, 'editor'));
      expect(problem.code).toBe('claim.voided');
    });
  });
});

describe('POST /api/claims/:id/duplicate-of', () => {
  describe('when an editor marks a claim a duplicate', () => {
    it('answers 201 and the claim names its original', async () => {
      const original = await recordClaim();
      const duplicate = await recordClaim({ attributions: [{ outlet: 'Trend', reliability: 'C', credibility: 3 }] });
      const written = await expectWrite(await post(`/api/claims/${duplicate}/duplicate-of`, { claimId: original, reason: 'Same statement, second outlet.' }, 'editor'));
      expect(written).toMatchObject({ id: duplicate, streamVersion: 2 });
      expect(await readClaim(duplicate, null)).toMatchObject({ duplicateOf: original, version: 2 });
      expect((await readClaim(original)).duplicateOf).toBeNull();
    });

    it('answers 200 and appends nothing when the same mark is repeated', async () => {
      const original = await recordClaim();
      const duplicate = await recordClaim();
      const firstTime = await expectWrite(await post(`/api/claims/${duplicate}/duplicate-of`, { claimId: original, reason: 'Same.' }, 'editor'));
      const before = await app.head();
      expect(await expectWrite(await post(`/api/claims/${duplicate}/duplicate-of`, { claimId: original, reason: 'Same.' }, 'editor'), 200)).toEqual(firstTime);
      expect(await app.head()).toBe(before);
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['a claimId that is not an id', { claimId: 'the other one', reason: 'r' }, 'claimId'],
      ['a missing claimId', { reason: 'r' }, 'claimId'],
      ['a missing reason', { claimId: randomUUID() }, 'reason'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post(`/api/claims/${f.claimId}/duplicate-of`, body, 'editor')), field);
    });
  });

  describe('when the claim is unknown', () => {
    it('answers 404', async () => {
      const problem = await expectRejected(404, () => post(`/api/claims/${randomUUID()}/duplicate-of`, { claimId: f.claimId, reason: 'r' }, 'editor'));
      expect(problem.code).toBe('claim.not_found');
    });
  });

  describe('when the version is stale', () => {
    it.each([
      ['expectedVersion', { expectedVersion: 1 }, {}],
      ['If-Match', {}, { 'If-Match': '"1"' }],
    ])('answers 409 with the current version for %s', async (_, extra, headers) => {
      const id = await claimAtVersion2();
      const problem = await expectRejected(409, () => post(`/api/claims/${id}/duplicate-of`, { claimId: f.claimId, reason: 'r', ...extra }, 'editor', headers));
      expect(problem.currentVersion).toBe(2);
    });
  });

  describe('when a domain rule is broken', () => {
    it('rejects a claim as its own duplicate with 422 claim.duplicate_of_self', async () => {
      const problem = await expectRejected(422, () => post(`/api/claims/${f.claimId}/duplicate-of`, { claimId: f.claimId, reason: 'r' }, 'editor'));
      expect(problem.code).toBe('claim.duplicate_of_self');
    });

    it('rejects an unknown original with 422 claim.unknown_duplicate_target', async () => {
      const problem = await expectRejected(422, () => post(`/api/claims/${f.claimId}/duplicate-of`, { claimId: randomUUID(), reason: 'r' }, 'editor'));
      expect(problem.code).toBe('claim.unknown_duplicate_target');
    });

    it('rejects an original of another conflict with 422 claim.duplicate_other_conflict', async () => {
      const elsewhere = await recordClaim({}, other);
      const problem = await expectRejected(422, () => post(`/api/claims/${f.claimId}/duplicate-of`, { claimId: elsewhere, reason: 'r' }, 'editor'));
      expect(problem.code).toBe('claim.duplicate_other_conflict');
    });

    it('rejects a second, different original with 422 claim.already_duplicate', async () => {
      const [a, b, c] = [await recordClaim(), await recordClaim(), await recordClaim()];
      await expectWrite(await post(`/api/claims/${a}/duplicate-of`, { claimId: b, reason: 'Same.' }, 'editor'));
      const problem = await expectRejected(422, () => post(`/api/claims/${a}/duplicate-of`, { claimId: c, reason: 'Same.' }, 'editor'));
      expect(problem.code).toBe('claim.already_duplicate');
    });

    it('rejects a cycle with 422 claim.duplicate_cycle', async () => {
      const [a, b] = [await recordClaim(), await recordClaim()];
      await expectWrite(await post(`/api/claims/${a}/duplicate-of`, { claimId: b, reason: 'Same.' }, 'editor'));
      const problem = await expectRejected(422, () => post(`/api/claims/${b}/duplicate-of`, { claimId: a, reason: 'Same.' }, 'editor'));
      expect(problem.code).toBe('claim.duplicate_cycle');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Tokens

describe('POST /api/admin/tokens', () => {
  describe('when an admin issues a token', () => {
    it('answers 201 with the token once, and the token works for its role', async () => {
      const res = await post('/api/admin/tokens', { name: 'Baku desk', role: 'journalist' }, 'admin');
      const written = await expectWrite(res);
      expect(res.body).toMatchObject({ id: written.id, role: 'journalist', token: expect.stringMatching(/^\S{20,}$/) });

      const claim = await request(app.server).post('/api/claims').set(bearer(res.body.token)).send(claimBody(s));
      await expectWrite(claim);
      const forbidden = await request(app.server).post(`/api/claims/${claim.body.id}/void`).set(bearer(res.body.token)).send({ reason: 'r' });
      expect(forbidden.status).toBe(403);
    });
  });

  describe('when a field is invalid', () => {
    it.each([
      ['an unknown role', { name: 'Desk', role: 'superuser' }, 'role'],
      ['a missing role', { name: 'Desk' }, 'role'],
      ['an empty name', { name: '', role: 'reader' }, 'name'],
    ])('rejects %s with 400 naming the field', async (_, body, field) => {
      expectFieldError(await expectRejected(400, () => post('/api/admin/tokens', body, 'admin')), field);
    });
  });
});

describe('DELETE /api/admin/tokens/:id', () => {
  describe('when an admin revokes a token', () => {
    it('answers 200 (a DELETE creates nothing) and the token is refused with 401 at once', async () => {
      const issued = await issueToken('editor');
      const asIssued = bearer(issued.token);
      await expectWrite(await request(app.server).post('/api/conflicts').set(asIssued).send({ name: 'Before revocation', timeZone: 'UTC' }));

      const written = await expectWrite(await send('delete', `/api/admin/tokens/${issued.id}`, undefined, 'admin'), 200);
      expect(written.id).toBe(issued.id);
      expect(written.position).toBe(await app.head());

      await expectRejected(401, () => request(app.server).post('/api/conflicts').set(asIssued).send({ name: 'After revocation', timeZone: 'UTC' }));
      expect((await request(app.server).get(`/api/claims/${f.claimId}`).set(asIssued)).status).toBe(401);
    });

    it('answers 200 and appends nothing when the token is revoked again', async () => {
      const issued = await issueToken('reader');
      const firstTime = await expectWrite(await send('delete', `/api/admin/tokens/${issued.id}`, undefined, 'admin'), 200);
      const before = await app.head();
      expect(await expectWrite(await send('delete', `/api/admin/tokens/${issued.id}`, undefined, 'admin'), 200)).toEqual(firstTime);
      expect(await app.head()).toBe(before);
    });
  });

  describe('when the token is unknown', () => {
    it.each([['a random id', () => randomUUID()], ['an id that is not a UUID', () => 'no-such-token']])('answers 404 for %s', async (_, id) => {
      const problem = await expectRejected(404, () => send('delete', `/api/admin/tokens/${id()}`, undefined, 'admin'));
      expect(problem.code).toBe('token.not_found');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Across routes: what a claim shows, to whom, and what the log records

describe('confidential attributions', () => {
  const identity = 'Lt. Col. Ruben Hakobyan, 3rd Brigade';
  const confidential = {
    outlet: 'OC Media',
    speaker: 'An Armenian officer',
    quote: 'We fired first at Tartar.',
    url: 'https://oc-media.org/x',
    language: 'en',
    reliability: 'C',
    credibility: 3,
    confidential: true,
    protectedIdentity: identity,
  };
  let claimId: string;
  let addedId: string;

  beforeAll(async () => {
    claimId = await recordClaim({ attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 3 }, confidential] });
    addedId = (await expectWrite(await post(`/api/claims/${claimId}/attributions`, { attribution: { ...confidential, protectedIdentity: 'Second source' } }, 'journalist'))).id;
  });

  describe('when an editor or admin reads the claim', () => {
    it.each(['editor', 'admin'] as const)('shows the %s the source with its identity decrypted', async (role) => {
      const claim = await readClaim(claimId, role);
      expect(claim.attributions[1]).toMatchObject({ ...confidential, protectedIdentity: identity });
      expect(claim.attributions[2]).toMatchObject({ attributionId: addedId, outlet: 'OC Media', protectedIdentity: 'Second source' });
    });
  });

  describe('when a reader, a journalist or an anonymous client reads the claim', () => {
    it.each([['reader'], ['journalist'], ['anonymous']] as const)('shows the %s only "confidential source" and the grades', async (who) => {
      const claim = await readClaim(claimId, who === 'anonymous' ? null : who);
      expect(claim.attributions[0]).toMatchObject({ outlet: 'TASS' });
      for (const masked of claim.attributions.slice(1)) {
        expect(masked).toMatchObject({ source: 'confidential source', reliability: 'C', credibility: 3 });
        for (const hidden of ['outlet', 'speaker', 'quote', 'url', 'protectedIdentity', 'language']) expect(masked).not.toHaveProperty(hidden);
      }
      const text = JSON.stringify(claim);
      for (const secret of [identity, 'Second source', 'An Armenian officer', 'We fired first', 'oc-media.org', 'OC Media']) expect(text).not.toContain(secret);
    });
  });

  describe('when confidential sources are withdrawn, corrected in, revised and retracted', () => {
    it('keeps them masked everywhere in the claim for a reader', async () => {
      const id = await recordClaim({ attributions: [{ outlet: 'TASS', reliability: 'B', credibility: 3 }, confidential] });
      const [, sealed] = (await readClaim(id)).attributions.map((a: { attributionId: string }) => a.attributionId);
      await expectWrite(await post(`/api/claims/${id}/attributions/${sealed}/withdrawal`, { reason: 'Source asked to be removed.' }, 'journalist'));
      await expectWrite(await post(`/api/claims/${id}/corrections`, { changes: { attributions: [confidential] }, reason: 'The real source.' }, 'journalist'));
      await expectWrite(await post(`/api/claims/${id}/casualties`, { casualties: { civilian: { killed: { min: 2, max: 2 } } }, asOf: '2020-10-11T18:00:00+04:00', attributions: [confidential] }, 'journalist'));
      await expectWrite(await post(`/api/claims/${id}/retraction`, { statedAt: '2020-10-12T10:00:00+04:00', attributions: [confidential] }, 'journalist'));
      const text = JSON.stringify(await readClaim(id, 'reader'));
      expect(text).toContain('confidential source');
      for (const secret of [identity, 'An Armenian officer', 'We fired first', 'oc-media.org']) expect(text).not.toContain(secret);
      expect(JSON.stringify(await readClaim(id, 'editor'))).toContain(identity);
    });
  });

  describe('when an agreement cites a confidential source', () => {
    it('masks it in the agreement reads for anonymous clients and shows it to editors', async () => {
      const sc = await seedScenario(app);
      const agreementId = (await expectWrite(await post(`/api/conflicts/${sc.conflictId}/agreements`, agreementBody(sc, { attributions: [confidential] }), 'editor'))).id;
      for (const path of [`/api/conflicts/${sc.conflictId}`, `/api/conflicts/${sc.conflictId}/agreements`]) {
        const anonymous = JSON.stringify((await get(path, null)).body);
        expect(anonymous).toContain('confidential source');
        expect(anonymous).not.toContain(identity);
        expect(anonymous).not.toContain('An Armenian officer');
      }
      expect((await readAgreement(sc.conflictId, agreementId)).attributions[0]).toMatchObject({ protectedIdentity: identity });
    });
  });

  describe('when the event log is read', () => {
    it('holds the identity only sealed, never in clear', async () => {
      const events = await app.app.get(EventStore).readStream(`claim-${claimId}`);
      const text = JSON.stringify(events);
      expect(text).not.toContain(identity);
      expect(text).not.toContain('Second source');
      expect(events[0]!.data).toMatchObject({ attributions: [expect.anything(), expect.objectContaining({ confidential: true, protectedIdentity: expect.any(Object) })] });
    });
  });
});

describe("a claim's agreement", () => {
  let sc: Scenario;
  let later: string;

  beforeAll(async () => {
    sc = await seedScenario(app);
    // The Moscow truce (from 10 October 12:00) ends when a second truce takes effect on 18 October.
    later = (await expectWrite(await post(`/api/conflicts/${sc.conflictId}/agreements`, agreementBody(sc), 'editor'))).id;
    await expectWrite(await post(`/api/agreements/${sc.agreementId}/end`, { endedAt: '2020-10-18T00:00:00+04:00', reason: 'Superseded', supersededBy: later }, 'editor'));
  });

  const at = (from: string) => ({ occurred: { from, precision: 'hour' }, statedAt: '2020-10-30T12:00:00+04:00' });

  describe('when the claim occurred before any agreement took effect', () => {
    it('is null', async () => {
      const id = await recordClaim(at('2020-10-10T11:00:00+04:00'), sc);
      expect((await readClaim(id)).agreementId).toBeNull();
    });
  });

  describe('when the claim occurred at the instant an agreement took effect', () => {
    it('is that agreement', async () => {
      const id = await recordClaim(at('2020-10-10T08:00:00Z'), sc);
      expect((await readClaim(id)).agreementId).toBe(sc.agreementId);
    });
  });

  describe('when the claim occurred while the first agreement was in force', () => {
    it('is the first agreement', async () => {
      const id = await recordClaim(at('2020-10-14T09:00:00+04:00'), sc);
      expect((await readClaim(id)).agreementId).toBe(sc.agreementId);
    });
  });

  describe('when the claim occurred after the first ended and the second took effect', () => {
    it('is the second agreement', async () => {
      const id = await recordClaim(at('2020-10-18T00:00:00+04:00'), sc);
      expect((await readClaim(id)).agreementId).toBe(later);
    });
  });

  describe('when a correction moves occurred.from before the agreement', () => {
    it('becomes null', async () => {
      const id = await recordClaim(at('2020-10-14T09:00:00+04:00'), sc);
      await expectWrite(await post(`/api/claims/${id}/corrections`, { changes: at('2020-10-09T09:00:00+04:00'), reason: 'Wrong day.' }, 'journalist'));
      expect((await readClaim(id)).agreementId).toBeNull();
    });
  });
});

describe('event metadata', () => {
  describe('when a write carries a request id and a correlation id', () => {
    it('names the actor (token id and name), role, request id and correlation id', async () => {
      const issued = await issueToken('journalist', 'Metadata desk');
      const res = await request(app.server)
        .post('/api/claims')
        .set(bearer(issued.token))
        .set('X-Request-Id', 'req-meta-0001')
        .set('X-Correlation-Id', 'story-tartar-11-oct')
        .send(claimBody(s));
      const written = await expectWrite(res);
      expect(res.headers['x-request-id']).toBe('req-meta-0001');

      const [event] = await app.app.get(EventStore).readStream(`claim-${written.id}`);
      expect(event).toMatchObject({
        type: 'ClaimRecorded',
        position: written.position,
        metadata: { actor: { tokenId: issued.id, name: 'Metadata desk' }, role: 'journalist', requestId: 'req-meta-0001', correlationId: 'story-tartar-11-oct' },
      });
    });
  });

  describe('when a write carries no correlation id', () => {
    it('uses the request id as the correlation id', async () => {
      const id = await recordClaim();
      const res = await post(`/api/claims/${id}/assessments`, { status: 'contested', rationale: 'Two accounts.' }, 'editor', { 'X-Request-Id': 'req-meta-0002' });
      await expectWrite(res);
      const events = await app.app.get(EventStore).readStream(`claim-${id}`);
      expect(events[1]).toMatchObject({ type: 'ClaimAssessed', metadata: { role: 'editor', requestId: 'req-meta-0002', correlationId: 'req-meta-0002', actor: { name: 'editor desk' } } });
    });
  });
});

describe('PUBLIC_READS', () => {
  describe('when it is on (the default)', () => {
    it('lets anonymous clients read conflicts, agreements and claims', async () => {
      for (const path of ['/api/conflicts', `/api/conflicts/${s.conflictId}`, `/api/conflicts/${s.conflictId}/agreements`, `/api/claims/${f.claimId}`]) {
        expect({ path, status: (await get(path, null)).status }).toEqual({ path, status: 200 });
      }
    });
  });

  describe('when it is false', () => {
    it('answers anonymous reads with 401 and token holders with 200', async () => {
      const closed = await startApiApp({ ...db.env, PUBLIC_READS: 'false' });
      try {
        const own = await seedScenario(closed);
        const claim = await request(closed.server).post('/api/claims').set(bearer(closed.tokens.journalist)).send(claimBody(own)).expect(201);
        for (const path of ['/api/conflicts', `/api/conflicts/${own.conflictId}`, `/api/conflicts/${own.conflictId}/agreements`, `/api/claims/${claim.body.id}`]) {
          const anonymous = await request(closed.server).get(path);
          expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
          expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
          const reader = await request(closed.server).get(path).set(bearer(closed.tokens.reader));
          expect({ path, status: reader.status }).toEqual({ path, status: 200 });
        }
      } finally {
        await closed.close();
      }
    });
  });
});
