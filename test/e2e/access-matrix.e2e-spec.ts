import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Role } from '../../src/auth/roles';
import { type ApiApp, bearer, claimBody, denialBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * DESIGN §7 as a table: every write route × every kind of caller → 2xx, 401 or 403. Each row
 * builds its own targets, so that a success never depends on the order rows run in.
 */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

type Body = Record<string, unknown>;
type Method = 'post' | 'delete';
type Caller = 'anonymous' | Role;
type Outcome = '2xx' | '401' | '403';

const CALLERS: Caller[] = ['anonymous', 'reader', 'journalist', 'editor', 'auditor', 'admin'];

let db: AppDatabase;
let app: ApiApp;
let s: Scenario;

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
  s = await seedScenario(app);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers: fresh targets, made as the admin from the environment

function send(method: Method, path: string, body: Body | undefined, caller: Caller) {
  const req = request(app.server)[method](path);
  if (caller !== 'anonymous') void req.set(bearer(app.tokens[caller]));
  return body === undefined ? req : req.send(body);
}

async function created(method: Method, path: string, body?: Body): Promise<string> {
  const res = await send(method, path, body, 'admin');
  expect({ path, status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return res.body.id;
}

const unique = (name: string) => `${name} ${randomUUID().slice(0, 8)}`;

const newClaim = (overrides: Body = {}) => created('post', '/api/claims', claimBody(s, overrides));

function agreementBody(): Body {
  return {
    title: unique('Truce'),
    kind: 'ceasefire',
    signatories: [s.azerbaijan, s.armenia],
    effectiveFrom: { at: '2020-10-18T00:00:00+04:00', timeZone: 'Asia/Baku', basis: 'stated' },
  };
}

const newAgreement = () => created('post', `/api/conflicts/${s.conflictId}/agreements`, agreementBody());

const placeBody = (): Body => ({ names: [{ name: unique('Village') }], lat: 40.1, lon: 46.9, kind: 'settlement' });
const newPlace = () => created('post', `/api/conflicts/${s.conflictId}/places`, placeBody());

const incidentBody = (): Body => ({ title: unique('Incident'), occurred: { from: '2020-10-11', precision: 'day' } });
const newIncident = () => created('post', `/api/conflicts/${s.conflictId}/incidents`, incidentBody());
async function incidentWithClaim(): Promise<{ incidentId: string; claimId: string }> {
  const [incidentId, claimId] = [await newIncident(), await newClaim()];
  await created('post', `/api/incidents/${incidentId}/claims`, { claimId, reason: 'Same night' });
  return { incidentId, claimId };
}

async function attributionIds(claimId: string): Promise<string[]> {
  const res = await request(app.server).get(`/api/claims/${claimId}`).set(bearer(app.tokens.admin));
  expect(res.status).toBe(200);
  return res.body.attributions.map((a: { attributionId: string }) => a.attributionId);
}

interface Target {
  path: string;
  body?: Body;
}

interface RouteSpec {
  route: string;
  method: Method;
  /** The roles besides admin that may call it. */
  allowed: Role[];
  /** A fresh target on which the call succeeds. */
  target(): Promise<Target>;
  /** The path with unknown ids, and a body that would do for a known target. */
  unknown?: () => Target;
}

const JOURNALISTS: Role[] = ['journalist', 'editor'];
const EDITORS: Role[] = ['editor'];
const ADMINS: Role[] = [];

const ROUTES: RouteSpec[] = [
  {
    route: 'POST /api/conflicts/:id/incidents',
    method: 'post',
    allowed: JOURNALISTS,
    target: async () => ({ path: `/api/conflicts/${s.conflictId}/incidents`, body: incidentBody() }),
    unknown: () => ({ path: `/api/conflicts/${randomUUID()}/incidents`, body: incidentBody() }),
  },
  {
    route: 'POST /api/incidents/:id/claims',
    method: 'post',
    allowed: JOURNALISTS,
    target: async () => ({ path: `/api/incidents/${await newIncident()}/claims`, body: { claimId: await newClaim(), reason: 'Same night' } }),
    unknown: () => ({ path: `/api/incidents/${randomUUID()}/claims`, body: { claimId: randomUUID(), reason: 'Same night' } }),
  },
  {
    route: 'POST /api/incidents/:id/claims/:claimId/unlink',
    method: 'post',
    allowed: EDITORS,
    target: async () => {
      const { incidentId, claimId } = await incidentWithClaim();
      return { path: `/api/incidents/${incidentId}/claims/${claimId}/unlink`, body: { reason: 'Another night' } };
    },
    unknown: () => ({ path: `/api/incidents/${randomUUID()}/claims/${randomUUID()}/unlink`, body: { reason: 'Another night' } }),
  },
  {
    route: 'POST /api/incidents/:id/assessments',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/incidents/${await newIncident()}/assessments`, body: { status: 'contested', rationale: 'Denied' } }),
    unknown: () => ({ path: `/api/incidents/${randomUUID()}/assessments`, body: { status: 'contested', rationale: 'Denied' } }),
  },
  {
    route: 'POST /api/conflicts/:id/places',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/conflicts/${s.conflictId}/places`, body: placeBody() }),
    unknown: () => ({ path: `/api/conflicts/${randomUUID()}/places`, body: placeBody() }),
  },
  {
    route: 'POST /api/places/:id/names',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/places/${await newPlace()}/names`, body: { names: [{ name: unique('Other name') }] } }),
    unknown: () => ({ path: `/api/places/${randomUUID()}/names`, body: { names: [{ name: 'Other name' }] } }),
  },
  {
    route: 'POST /api/places/:id/corrections',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/places/${await newPlace()}/corrections`, body: { changes: { lat: 40.2 }, reason: 'Town centre' } }),
    unknown: () => ({ path: `/api/places/${randomUUID()}/corrections`, body: { changes: { lat: 40.2 }, reason: 'Town centre' } }),
  },
  {
    route: 'POST /api/conflicts',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: '/api/conflicts', body: { name: unique('Conflict'), timeZone: 'Asia/Baku' } }),
  },
  {
    route: 'POST /api/conflicts/:id/parties',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/conflicts/${s.conflictId}/parties`, body: { name: unique('Party'), kind: 'observer' } }),
    unknown: () => ({ path: `/api/conflicts/${randomUUID()}/parties`, body: { name: unique('Party'), kind: 'observer' } }),
  },
  {
    route: 'POST /api/conflicts/:id/agreements',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/conflicts/${s.conflictId}/agreements`, body: agreementBody() }),
    unknown: () => ({ path: `/api/conflicts/${randomUUID()}/agreements`, body: agreementBody() }),
  },
  {
    route: 'POST /api/agreements/:id/end',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/agreements/${await newAgreement()}/end`, body: { endedAt: '2020-10-20T00:00:00+04:00', reason: 'Collapsed' } }),
    unknown: () => ({ path: `/api/agreements/${randomUUID()}/end`, body: { endedAt: '2020-10-20T00:00:00+04:00', reason: 'Collapsed' } }),
  },
  {
    route: 'POST /api/agreements/:id/corrections',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/agreements/${await newAgreement()}/corrections`, body: { changes: { terms: unique('Terms') }, reason: 'Misquoted' } }),
    unknown: () => ({ path: `/api/agreements/${randomUUID()}/corrections`, body: { changes: { terms: 'Terms' }, reason: 'Misquoted' } }),
  },
  {
    route: 'POST /api/claims',
    method: 'post',
    allowed: JOURNALISTS,
    target: async () => ({ path: '/api/claims', body: claimBody(s) }),
  },
  {
    route: 'POST /api/claims/:id/responses',
    method: 'post',
    allowed: JOURNALISTS,
    target: async () => ({ path: `/api/claims/${await newClaim()}/responses`, body: denialBody(s) }),
    unknown: () => ({ path: `/api/claims/${randomUUID()}/responses`, body: denialBody(s) }),
  },
  {
    route: 'POST /api/claims/:id/attributions',
    method: 'post',
    allowed: JOURNALISTS,
    target: async () => ({ path: `/api/claims/${await newClaim()}/attributions`, body: { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 2 } } }),
    unknown: () => ({ path: `/api/claims/${randomUUID()}/attributions`, body: { attribution: { outlet: 'Reuters', reliability: 'A', credibility: 2 } } }),
  },
  {
    route: 'POST /api/claims/:id/attributions/:attributionId/withdrawal',
    method: 'post',
    allowed: JOURNALISTS,
    target: async () => {
      const claimId = await newClaim({
        attributions: [
          { outlet: 'TASS', reliability: 'B', credibility: 3 },
          { outlet: 'APA', reliability: 'C', credibility: 3 },
        ],
      });
      const [first] = await attributionIds(claimId);
      return { path: `/api/claims/${claimId}/attributions/${first}/withdrawal`, body: { reason: 'Deleted by the outlet.' } };
    },
    unknown: () => ({ path: `/api/claims/${randomUUID()}/attributions/${randomUUID()}/withdrawal`, body: { reason: 'Deleted by the outlet.' } }),
  },
  {
    route: 'POST /api/claims/:id/corrections',
    method: 'post',
    allowed: JOURNALISTS,
    target: async () => ({ path: `/api/claims/${await newClaim()}/corrections`, body: { changes: { summary: unique('Summary') }, reason: 'Typo' } }),
    unknown: () => ({ path: `/api/claims/${randomUUID()}/corrections`, body: { changes: { summary: 'Summary' }, reason: 'Typo' } }),
  },
  {
    route: 'POST /api/claims/:id/retraction',
    method: 'post',
    allowed: JOURNALISTS,
    target: async () => ({ path: `/api/claims/${await newClaim()}/retraction`, body: { statedAt: '2020-10-12T10:00:00+04:00' } }),
    unknown: () => ({ path: `/api/claims/${randomUUID()}/retraction`, body: { statedAt: '2020-10-12T10:00:00+04:00' } }),
  },
  {
    route: 'POST /api/claims/:id/casualties',
    method: 'post',
    allowed: JOURNALISTS,
    target: async () => ({
      path: `/api/claims/${await newClaim()}/casualties`,
      body: { casualties: { civilian: { killed: { min: 2, max: 2 } } }, asOf: '2020-10-11T16:00:00+04:00' },
    }),
    unknown: () => ({
      path: `/api/claims/${randomUUID()}/casualties`,
      body: { casualties: { civilian: { killed: { min: 2, max: 2 } } }, asOf: '2020-10-11T16:00:00+04:00' },
    }),
  },
  {
    route: 'POST /api/claims/:id/void',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/claims/${await newClaim()}/void`, body: { reason: 'Never said.' } }),
    unknown: () => ({ path: `/api/claims/${randomUUID()}/void`, body: { reason: 'Never said.' } }),
  },
  {
    route: 'POST /api/claims/:id/assessments',
    method: 'post',
    allowed: EDITORS,
    target: async () => ({ path: `/api/claims/${await newClaim()}/assessments`, body: { status: 'corroborated', rationale: 'Imagery.' } }),
    unknown: () => ({ path: `/api/claims/${randomUUID()}/assessments`, body: { status: 'corroborated', rationale: 'Imagery.' } }),
  },
  {
    route: 'POST /api/claims/:id/duplicate-of',
    method: 'post',
    allowed: EDITORS,
    target: async () => {
      const original = await newClaim();
      return { path: `/api/claims/${await newClaim()}/duplicate-of`, body: { claimId: original, reason: 'Same statement.' } };
    },
    unknown: () => ({ path: `/api/claims/${randomUUID()}/duplicate-of`, body: { claimId: randomUUID(), reason: 'Same statement.' } }),
  },
  {
    route: 'POST /api/admin/tokens',
    method: 'post',
    allowed: ADMINS,
    target: async () => ({ path: '/api/admin/tokens', body: { name: unique('Desk'), role: 'reader' } }),
  },
  {
    route: 'DELETE /api/admin/tokens/:id',
    method: 'delete',
    allowed: ADMINS,
    target: async () => ({ path: `/api/admin/tokens/${await created('post', '/api/admin/tokens', { name: unique('Desk'), role: 'reader' })}` }),
    unknown: () => ({ path: `/api/admin/tokens/${randomUUID()}` }),
  },
];

function expectedFor(route: RouteSpec, caller: Caller): Outcome {
  if (caller === 'anonymous') return '401';
  return caller === 'admin' || route.allowed.includes(caller) ? '2xx' : '403';
}

const rowsOf = (route: RouteSpec) => CALLERS.map((caller) => [caller, expectedFor(route, caller)] as const);

async function expectRefused(status: 401 | 403 | 404, method: Method, target: Target, caller: Caller): Promise<void> {
  const before = await app.head();
  const res = await send(method, target.path, target.body, caller);
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(await app.head()).toBe(before);
}

// ---------------------------------------------------------------------------------------------

describe('the role matrix of the write routes', () => {
  it('covers every caller on every route', () => {
    expect(ROUTES.flatMap((r) => rowsOf(r))).toHaveLength(ROUTES.length * CALLERS.length);
  });
});

describe.each(ROUTES)('$route', (r) => {
  describe.each(rowsOf(r))('when the caller is %s', (caller, expected) => {
    if (expected === '2xx') {
      it('answers 2xx with {id, streamVersion, position}', async () => {
        const target = await r.target();
        const res = await send(r.method, target.path, target.body, caller);
        expect({ status: res.status, body: res.body }).toMatchObject({
          // A DELETE creates nothing: 200.
          status: r.method === 'delete' ? 200 : 201,
          body: { id: expect.any(String), streamVersion: expect.any(Number), position: expect.any(Number) },
        });
        expect(res.body.position).toBe(await app.head());
      });
    } else {
      it(`answers ${expected} and appends nothing`, async () => {
        await expectRefused(expected === '401' ? 401 : 403, r.method, await r.target(), caller);
      });
    }
  });
});

const ROUTES_WITH_IDS = ROUTES.filter((r) => r.unknown !== undefined);

describe('the role check', () => {
  describe.each(ROUTES_WITH_IDS)('on $route with unknown ids', (r) => {
    const refused = CALLERS.filter((c) => expectedFor(r, c) === '403');
    const permitted = CALLERS.filter((c) => expectedFor(r, c) === '2xx');

    describe('when the caller is anonymous', () => {
      it('answers 401, not 404', async () => {
        await expectRefused(401, r.method, r.unknown!(), 'anonymous');
      });
    });

    describe.each(refused)('when the caller is %s', (caller) => {
      it('answers 403, not 404', async () => {
        await expectRefused(403, r.method, r.unknown!(), caller);
      });
    });

    describe.each(permitted)('when the caller is %s, who may write there', (caller) => {
      it('answers 404', async () => {
        await expectRefused(404, r.method, r.unknown!(), caller);
      });
    });
  });

  describe('when a reader sends an invalid body to an unknown claim', () => {
    it('answers 403 before validation and before the lookup', async () => {
      await expectRefused(403, 'post', { path: `/api/claims/${randomUUID()}/void`, body: { colour: 'red' } }, 'reader');
    });
  });
});
