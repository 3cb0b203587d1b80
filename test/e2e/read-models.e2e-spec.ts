import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type ApiApp, bearer, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * The dashboard read models (DESIGN §5, §6) over real HTTP: one Nagorno-Karabakh scenario built
 * through the write routes, then the timeline, the scorecards, the claims list, claim detail and
 * the source ledger checked against values computed by hand from DESIGN's rules. Every read
 * waits for the write before it with `minPosition` (read-your-writes); nothing sleeps.
 *
 * Asia/Baku is UTC+4 all through 2020 (no daylight saving), so a local day D runs from
 * (D-1)T20:00Z to DT20:00Z. Weeks start on Monday: 2020-10-05, 10-12, 10-19, 10-26.
 *
 * Agreements (final state):
 *   M  effective 2020-10-10T12:00+04:00 (08:00Z), ended 2020-10-18T00:00+04:00, superseded by S.
 *      First recorded as 12:00 Moscow time (+03:00, 09:00Z), then corrected to 12:00 local:
 *      that correction re-links c1, r1, r2 and c6 (occurred 08:15Z–08:35Z) from none to M.
 *   S  effective 2020-10-18T00:00+04:00, ended 2020-10-26T08:00+04:00, superseded by W.
 *   W  effective 2020-10-26T08:00+04:00, open.
 *
 * Claims (final state; parties A Azerbaijan, B Armenia, C Nagorno-Karabakh authorities):
 *
 * | claim | who           | answers        | occurred (local)  | day   | stated day | agr.  | status / flags          | killed | wounded |
 * | c0    | A→B violated  |                | 10-09 22:00       | 10-09 | 10-10      | none  |                         |        |         |
 * | c1    | A→B violated  |                | 10-10 12:30       | 10-10 | 10-10      | M*    | corroborated            | 2–4 †  | 2–4 †   |
 * | r1    | B→B complied  | c1 denial      | 10-10 12:35       | 10-10 | 10-10      | M*    |                         |        |         |
 * | r2    | B→A violated  | c1 counter-acc | 10-10 12:15       | 10-10 | 10-10      | M*    | contested → refuted     | 0–2    |         |
 * | c6    | A→B violated  |                | 10-10 12:20       | 10-10 | 10-10      | M*    | duplicate of c1         | (1–1)  |         |
 * | c2    | B→A violated  |                | 10-10T21:30Z      | 10-11 | 10-11      | M     | contested               |        | 3–3     |
 * | r3    | A→A complied  | c2 denial      | 10-11 01:45       | 10-11 | 10-11      | M     |                         |        |         |
 * | c3    | C→A violated  |                | 10-11 23:00       | 10-11 | 10-12      | M     | (5 → 7 → 9–10)          | 9–10 † | 14–14 † |
 * | c7    | A→A complied  |                | 10-12 12:00       | 10-12 | 10-12      | M     |                         |        |         |
 * | c4    | A→B violated  |                | 10-13 10:00       | 10-13 | 10-13      | M     | retracted               |        | 2–2     |
 * | c5    | A→B violated  |                | 10-14 10:00       | 10-14 | 10-14      | M     | voided                  | (50)   |         |
 * | r5    | B→A violated  | c9 counter-acc | 10-17 23:50       | 10-17 | 10-18      | M     |                         |        |         |
 * | c8    | B→A violated  |                | 10-19 02:00 ‡     | 10-19 | 10-19      | S ‡   | corroborated            | 1–1    |         |
 * | c9    | A→B violated  |                | 10-18 00:00       | 10-18 | 10-18      | S     | refuted                 |        |         |
 * | r4    | B→B complied  | c9 denial      | 10-18 00:05       | 10-18 | 10-18      | S     |                         |        |         |
 * | r8    | B→B complied  | c9 denial      | 10-18 00:10       | 10-18 | 10-18      | S     |                         |        |         |
 * | c10   | C→A violated  |                | 10-20 06:00       | 10-20 | 10-21      | S     |                         |        |         |
 * | r6    | A→A complied  | c10 denial     | 10-20 06:10       | 10-20 | 10-21      | S     | voided                  |        |         |
 * | r7    | A→C violated  | c10 counter-acc| 10-20 05:00       | 10-20 | 10-21      | S     | contested               |        |         |
 * | c11   | B→A violated  |                | 10-25 23:00       | 10-25 | 10-26      | S     |                         |        | 1–2     |
 * | c12   | A→B violated  |                | 10-26 08:00       | 10-26 | 10-26      | W     |                         |        |         |
 * | c13   | B→A violated  |                | 10-31T20:30Z      | 11-01 | 11-01      | W     |                         |        |         |
 *
 *   * linked to M only after M's effectiveFrom correction (none before).
 *   † the latest casualty revision.   ‡ corrected from 10-17 23:30 (day 10-17, agreement M).
 */

const kind = postgresAvailable() ? 'postgres' : 'embedded';

type Body = Record<string, unknown>;
type Query = Record<string, string | number>;
interface Written {
  id: string;
  streamVersion: number;
  position: number;
}

let db: AppDatabase;
let app: ApiApp;

/** The position of this file's latest write; reads wait for it (read-your-writes). */
let lastPosition = 0;

beforeAll(async () => {
  db = await appDatabase(kind);
  app = await startApiApp(db.env);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers

async function write(path: string, body: Body): Promise<Written> {
  const res = await request(app.server).post(path).set(bearer(app.tokens.editor)).send(body);
  expect({ path, status: res.status, body: res.body }).toMatchObject({ path, status: 201, body: { position: expect.any(Number) } });
  lastPosition = Math.max(lastPosition, res.body.position);
  return res.body as Written;
}

/** A read as a reader, waiting for `minPosition` (by default this file's latest write). */
function get(path: string, query: Query = {}, minPosition: number = lastPosition) {
  return request(app.server)
    .get(path)
    .set(bearer(app.tokens.reader))
    .query({ ...query, minPosition });
}

async function read(path: string, query: Query = {}, minPosition: number = lastPosition) {
  const res = await get(path, query, minPosition);
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

const source = (outlet: string, extra: Body = {}): Body => ({ outlet, reliability: 'B', credibility: 3, ...extra });

async function newConflict(name: string, timeZone: string, parties: string[]): Promise<{ conflictId: string; parties: string[] }> {
  const { id: conflictId } = await write('/api/conflicts', { name, timeZone });
  const ids: string[] = [];
  for (const party of parties) ids.push((await write(`/api/conflicts/${conflictId}/parties`, { name: party, kind: 'state' })).id);
  return { conflictId, parties: ids };
}

/** A timeline point, every number written out; unnamed counts are 0. */
interface Point {
  period: string;
  claims: number;
  retracted: number;
  corroborated: number;
  contested: number;
  refuted: number;
  killed: { min: number; max: number };
  wounded: { min: number; max: number };
}

interface PointCounts {
  retracted?: number;
  corroborated?: number;
  contested?: number;
  refuted?: number;
  killed?: [number, number];
  wounded?: [number, number];
}

function p(period: string, claims: number, c: PointCounts = {}): Point {
  return {
    period,
    claims,
    retracted: c.retracted ?? 0,
    corroborated: c.corroborated ?? 0,
    contested: c.contested ?? 0,
    refuted: c.refuted ?? 0,
    killed: { min: c.killed?.[0] ?? 0, max: c.killed?.[1] ?? 0 },
    wounded: { min: c.wounded?.[0] ?? 0, max: c.wounded?.[1] ?? 0 },
  };
}

interface ScoreRow {
  violationsAlleged: number;
  complianceAsserted: number;
  denied: number;
  counterAccused: number;
  retracted: number;
  corroborated: number;
  contested: number;
  refuted: number;
  firstViolationAllegedAt: string | null;
}

function row(r: Partial<ScoreRow>): ScoreRow {
  return {
    violationsAlleged: 0,
    complianceAsserted: 0,
    denied: 0,
    counterAccused: 0,
    retracted: 0,
    corroborated: 0,
    contested: 0,
    refuted: 0,
    firstViolationAllegedAt: null,
    ...r,
  };
}

/** Party ids → the letters used in the expectations (A, B, C); anything else stays as it is. */
const letters = new Map<string, string>();
const letter = (id: unknown) => letters.get(String(id)) ?? String(id);

/** Timeline series keyed "A→B violated", each with its points in order. */
function seriesOf(body: { series: { claimant: string; subject: string; assertion: string; points: Point[] }[] }): Record<string, Point[]> {
  const out: Record<string, Point[]> = {};
  for (const s of body.series) {
    const key = `${letter(s.claimant)}→${letter(s.subject)} ${s.assertion}`;
    if (key in out) throw new Error(`The timeline has two series for ${key}`);
    // The civilian/military split has its own test below; these compare the totals.
    out[key] = s.points.map(({ civilian: _civilian, military: _military, ...point }: Point & { civilian?: unknown; military?: unknown }) => point);
  }
  return out;
}

/** Scorecard rows keyed "A→B". */
function rowsOf(body: { rows: (ScoreRow & { claimant: string; subject: string })[] }): Record<string, ScoreRow> {
  const out: Record<string, ScoreRow> = {};
  for (const { claimant, subject, ...rest } of body.rows) {
    const key = `${letter(claimant)}→${letter(subject)}`;
    if (key in out) throw new Error(`The scorecard has two rows for ${key}`);
    out[key] = rest;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The scenario

const CLAIMS = ['c0', 'c1', 'r1', 'r2', 'c6', 'c2', 'r3', 'c3', 'c7', 'c4', 'c5', 'r5', 'c8', 'c9', 'r4', 'r8', 'c10', 'r6', 'r7', 'c11', 'c12', 'c13'] as const;
type ClaimName = (typeof CLAIMS)[number];
type PartyName = 'A' | 'B' | 'C';
type AgreementName = 'M' | 'S' | 'W';

const m = {
  conflictId: '',
  party: { A: '', B: '', C: '' } as Record<PartyName, string>,
  agreement: { M: '', S: '', W: '' } as Record<AgreementName, string>,
  claim: {} as Record<ClaimName, string>,
  /** Each claim's agreementId in the list just before c8's and M's corrections. */
  agreementBeforeCorrections: {} as Record<string, string | null>,
};
const nameOf = (id: unknown): string => (Object.entries(m.claim).find(([, v]) => v === id)?.[0] ?? `unknown ${String(id)}`);
const agreementName = (id: unknown): AgreementName | null => {
  if (id === null) return null;
  const found = (Object.entries(m.agreement) as [AgreementName, string][]).find(([, v]) => v === id);
  if (!found) throw new Error(`unknown agreement ${String(id)}`);
  return found[0];
};

const OUTLET_OF: Record<PartyName, string> = { A: 'APA', B: 'Armenpress', C: 'Artsakhpress' };

interface ClaimSpec {
  by: PartyName;
  about: PartyName;
  assertion: 'violated' | 'complied';
  occurred: string;
  stated: string;
  category?: string;
  casualties?: Body;
  attributions?: Body[];
}

function claimFields(s: ClaimSpec): Body {
  return {
    claimant: m.party[s.by],
    subject: m.party[s.about],
    assertion: s.assertion,
    category: s.category ?? (s.assertion === 'complied' ? 'ceasefire-statement' : 'shelling'),
    occurred: { from: s.occurred, precision: 'minute' },
    statedAt: s.stated,
    ...(s.casualties ? { casualties: s.casualties } : {}),
    summary: `${s.by} says ${s.about} ${s.assertion} (${s.occurred}).`,
    attributions: s.attributions ?? [source(OUTLET_OF[s.by])],
  };
}

async function recordClaim(name: ClaimName, s: ClaimSpec): Promise<void> {
  m.claim[name] = (await write('/api/claims', { conflictId: m.conflictId, ...claimFields(s) })).id;
}

async function respond(name: ClaimName, to: ClaimName, stance: 'denial' | 'counter-accusation', s: ClaimSpec): Promise<void> {
  m.claim[name] = (await write(`/api/claims/${m.claim[to]}/responses`, { ...claimFields(s), stance })).id;
}

const onClaim = (name: ClaimName, action: string, body: Body) => write(`/api/claims/${m.claim[name]}/${action}`, body);
const assess = (name: ClaimName, status: string) => onClaim(name, 'assessments', { status, rationale: `Assessed ${status} by the desk.` });

const C1_REVISED = { civilian: { killed: { min: 2, max: 3 }, wounded: { min: 2, max: 4 } }, military: { killed: { min: 0, max: 1 } } };
const C3_LATEST = { civilian: { killed: { min: 9, max: 10, raw: 'nine or ten' }, wounded: { min: 14, max: 14 } } };

async function buildScenario(): Promise<void> {
  const { id: conflictId } = await write('/api/conflicts', { name: 'Nagorno-Karabakh (2020)', region: 'South Caucasus', timeZone: 'Asia/Baku' });
  m.conflictId = conflictId;
  const party = async (name: string, kind: string) => (await write(`/api/conflicts/${conflictId}/parties`, { name, kind })).id;
  m.party.A = await party('Azerbaijan', 'state');
  m.party.B = await party('Armenia', 'state');
  m.party.C = await party('Nagorno-Karabakh authorities', 'de-facto-authority');
  letters.set(m.party.A, 'A').set(m.party.B, 'B').set(m.party.C, 'C');

  const agreement = async (title: string, at: string, raw: string, basis: string) =>
    (
      await write(`/api/conflicts/${conflictId}/agreements`, {
        title,
        kind: 'humanitarian-truce',
        signatories: [m.party.A, m.party.B],
        effectiveFrom: { at, raw, timeZone: 'Asia/Baku', basis },
        attributions: [source('TASS', { publishedAt: '2020-10-10T03:10:00+03:00' })],
      })
    ).id;
  // M as first read: 12:00 Moscow time. Corrected to 12:00 local at the end.
  m.agreement.M = await agreement('Moscow humanitarian ceasefire', '2020-10-10T12:00:00+03:00', '12:00 on 10 October', 'inferred');
  m.agreement.S = await agreement('Second humanitarian truce', '2020-10-18T00:00:00+04:00', 'midnight on 18 October', 'stated');
  await write(`/api/agreements/${m.agreement.M}/end`, { endedAt: '2020-10-18T00:00:00+04:00', reason: 'Superseded', supersededBy: m.agreement.S });
  m.agreement.W = await agreement('Washington humanitarian truce', '2020-10-26T08:00:00+04:00', '08:00 on 26 October', 'stated');
  await write(`/api/agreements/${m.agreement.S}/end`, { endedAt: '2020-10-26T08:00:00+04:00', reason: 'Superseded', supersededBy: m.agreement.W });

  await recordClaim('c0', { by: 'A', about: 'B', assertion: 'violated', occurred: '2020-10-09T22:00:00+04:00', stated: '2020-10-10T09:00:00+04:00' });
  await recordClaim('c1', {
    by: 'A',
    about: 'B',
    assertion: 'violated',
    occurred: '2020-10-10T12:30:00+04:00',
    stated: '2020-10-10T14:00:00+04:00',
    casualties: { civilian: { killed: { min: 1, max: 1 }, wounded: { min: 2, max: 4 } } },
    attributions: [source('APA'), source('TASS')],
  });
  await respond('r1', 'c1', 'denial', { by: 'B', about: 'B', assertion: 'complied', occurred: '2020-10-10T12:35:00+04:00', stated: '2020-10-10T16:00:00+04:00' });
  await respond('r2', 'c1', 'counter-accusation', {
    by: 'B',
    about: 'A',
    assertion: 'violated',
    occurred: '2020-10-10T12:15:00+04:00',
    stated: '2020-10-10T16:30:00+04:00',
    casualties: { military: { killed: { min: 0, max: 2, raw: 'up to two' } } },
  });
  await recordClaim('c6', {
    by: 'A',
    about: 'B',
    assertion: 'violated',
    occurred: '2020-10-10T12:20:00+04:00',
    stated: '2020-10-10T15:00:00+04:00',
    casualties: { civilian: { killed: { min: 1, max: 1 } } },
    attributions: [source('Report.az'), source('APA')],
  });
  await recordClaim('c2', {
    by: 'B',
    about: 'A',
    assertion: 'violated',
    category: 'drone-strike',
    occurred: '2020-10-10T21:30:00Z',
    stated: '2020-10-11T09:00:00+04:00',
    casualties: { civilian: { wounded: { min: 3, max: 3 } } },
  });
  await respond('r3', 'c2', 'denial', { by: 'A', about: 'A', assertion: 'complied', occurred: '2020-10-11T01:45:00+04:00', stated: '2020-10-11T10:00:00+04:00' });
  await recordClaim('c3', {
    by: 'C',
    about: 'A',
    assertion: 'violated',
    occurred: '2020-10-11T23:00:00+04:00',
    stated: '2020-10-12T08:00:00+04:00',
    casualties: { civilian: { killed: { min: 5, max: 5 } } },
    attributions: [source('Artsakhpress'), source('Reuters', { confidential: true, protectedIdentity: 'a district official in Stepanakert' })],
  });
  await recordClaim('c7', { by: 'A', about: 'A', assertion: 'complied', occurred: '2020-10-12T12:00:00+04:00', stated: '2020-10-12T12:00:00+04:00' });
  await recordClaim('c4', {
    by: 'A',
    about: 'B',
    assertion: 'violated',
    category: 'small-arms',
    occurred: '2020-10-13T10:00:00+04:00',
    stated: '2020-10-13T12:00:00+04:00',
    casualties: { military: { wounded: { min: 2, max: 2 } } },
  });
  await recordClaim('c5', {
    by: 'A',
    about: 'B',
    assertion: 'violated',
    occurred: '2020-10-14T10:00:00+04:00',
    stated: '2020-10-14T11:00:00+04:00',
    casualties: { civilian: { killed: { min: 50, max: 50 } } },
    attributions: [source('Caliber')],
  });
  await recordClaim('c8', {
    by: 'B',
    about: 'A',
    assertion: 'violated',
    occurred: '2020-10-17T23:30:00+04:00',
    stated: '2020-10-19T09:00:00+04:00',
    casualties: { military: { killed: { min: 1, max: 1 } } },
  });
  await recordClaim('c9', { by: 'A', about: 'B', assertion: 'violated', occurred: '2020-10-18T00:00:00+04:00', stated: '2020-10-18T08:00:00+04:00' });
  await respond('r4', 'c9', 'denial', { by: 'B', about: 'B', assertion: 'complied', occurred: '2020-10-18T00:05:00+04:00', stated: '2020-10-18T12:00:00+04:00' });
  await respond('r8', 'c9', 'denial', { by: 'B', about: 'B', assertion: 'complied', occurred: '2020-10-18T00:10:00+04:00', stated: '2020-10-18T13:00:00+04:00' });
  await respond('r5', 'c9', 'counter-accusation', {
    by: 'B',
    about: 'A',
    assertion: 'violated',
    occurred: '2020-10-17T23:50:00+04:00',
    stated: '2020-10-18T12:30:00+04:00',
  });
  await recordClaim('c10', {
    by: 'C',
    about: 'A',
    assertion: 'violated',
    occurred: '2020-10-20T06:00:00+04:00',
    stated: '2020-10-21T07:00:00+04:00',
    attributions: [source('Artsakhpress'), source('BBC', { confidential: true })],
  });
  await respond('r6', 'c10', 'denial', { by: 'A', about: 'A', assertion: 'complied', occurred: '2020-10-20T06:10:00+04:00', stated: '2020-10-21T09:00:00+04:00' });
  await respond('r7', 'c10', 'counter-accusation', {
    by: 'A',
    about: 'C',
    assertion: 'violated',
    occurred: '2020-10-20T05:00:00+04:00',
    stated: '2020-10-21T10:00:00+04:00',
  });
  await recordClaim('c11', {
    by: 'B',
    about: 'A',
    assertion: 'violated',
    occurred: '2020-10-25T23:00:00+04:00',
    stated: '2020-10-26T09:00:00+04:00',
    casualties: { civilian: { wounded: { min: 1, max: 2, raw: 'one or two' } } },
  });
  await recordClaim('c12', {
    by: 'A',
    about: 'B',
    assertion: 'violated',
    occurred: '2020-10-26T08:00:00+04:00',
    stated: '2020-10-26T10:00:00+04:00',
    attributions: [source('APA'), source('Sputnik')],
  });
  await recordClaim('c13', {
    by: 'B',
    about: 'A',
    assertion: 'violated',
    occurred: '2020-10-31T20:30:00Z',
    stated: '2020-11-01T10:00:00+04:00',
    attributions: [source('Armenpress'), source('TASS')],
  });

  // Casualty revisions: the latest figure counts.
  await onClaim('c1', 'casualties', { casualties: C1_REVISED, asOf: '2020-10-11T10:00:00+04:00', attributions: [source('Trend')] });
  await onClaim('c3', 'casualties', {
    casualties: { civilian: { killed: { min: 7, max: 7 }, wounded: { min: 10, max: 12 } } },
    asOf: '2020-10-12T12:00:00+04:00',
    attributions: [source('Artsakhpress')],
  });
  await onClaim('c3', 'casualties', { casualties: C3_LATEST, asOf: '2020-10-13T09:00:00+04:00', attributions: [source('news.am')] });
  // Retraction, void, duplicate.
  await onClaim('c4', 'retraction', { statedAt: '2020-10-14T09:00:00+04:00', attributions: [source('Trend')] });
  await onClaim('c5', 'void', { reason: 'No such statement was made.' });
  await onClaim('c6', 'duplicate-of', { claimId: m.claim.c1, reason: 'The same statement, from another outlet.' });
  await onClaim('r6', 'void', { reason: 'Entered against the wrong claim.' });
  // Assessments; r2 re-assessed from contested to refuted.
  await assess('c1', 'corroborated');
  await assess('c8', 'corroborated');
  await assess('c2', 'contested');
  await assess('r7', 'contested');
  await assess('c9', 'refuted');
  await assess('r2', 'contested');
  await assess('r2', 'refuted');
  // Sources added and withdrawn.
  await onClaim('c9', 'attributions', { attribution: source('TASS', { publishedAt: '2020-10-18T09:00:00+04:00' }) });
  const c12 = await read(`/api/claims/${m.claim.c12}`);
  const sputnik = c12.attributions.find((a: { outlet?: string }) => a.outlet === 'Sputnik');
  await write(`/api/claims/${m.claim.c12}/attributions/${sputnik.attributionId}/withdrawal`, { reason: 'The outlet deleted the report.' });

  const before = await read('/api/claims', { conflictId, limit: 200 });
  for (const item of before.items) m.agreementBeforeCorrections[nameOf(item.id)] = item.agreementId;

  // c8's occurred moves from 10-17 (M) to 10-19 (S); M's start moves an hour earlier.
  await onClaim('c8', 'corrections', {
    changes: { occurred: { from: '2020-10-19T02:00:00+04:00', precision: 'hour', raw: 'around 2 a.m.' } },
    reason: 'The report said the night of 18 to 19 October, not 17 to 18.',
  });
  await write(`/api/agreements/${m.agreement.M}/corrections`, {
    changes: { effectiveFrom: { at: '2020-10-10T12:00:00+04:00', raw: '12:00 on 10 October', timeZone: 'Asia/Baku', basis: 'stated' } },
    reason: 'The start was 12:00 local time (GMT+4), not Moscow time.',
  });
}

beforeAll(buildScenario);

const timeline = (query: Query) => read(`/api/conflicts/${m.conflictId}/timeline`, query);
const scorecard = (name: AgreementName) => read(`/api/agreements/${m.agreement[name]}/scorecard`);
const listNames = async (query: Query) => {
  const body = await read('/api/claims', { conflictId: m.conflictId, limit: 200, ...query });
  expect(body.nextCursor).toBeNull();
  return body.items.map((i: { id: string }) => nameOf(i.id));
};

// ---------------------------------------------------------------------------------------------
// The allegation timeline

describe('GET /api/conflicts/:id/timeline', () => {
  describe('when counted by occurred date per local day', () => {
    it('gives every series with each day of the conflict time zone, counts and casualty sums', async () => {
      const body = await timeline({ bucket: 'day', by: 'occurred' });
      expect(body).toMatchObject({ conflictId: m.conflictId, timeZone: 'Asia/Baku', bucket: 'day', by: 'occurred' });
      expect(seriesOf(body)).toEqual({
        'A→A complied': [p('2020-10-11', 1), p('2020-10-12', 1)],
        'A→B violated': [
          p('2020-10-09', 1),
          p('2020-10-10', 1, { corroborated: 1, killed: [2, 4], wounded: [2, 4] }),
          p('2020-10-13', 1, { retracted: 1, wounded: [2, 2] }),
          p('2020-10-18', 1, { refuted: 1 }),
          p('2020-10-26', 1),
        ],
        'A→C violated': [p('2020-10-20', 1, { contested: 1 })],
        'B→A violated': [
          p('2020-10-10', 1, { refuted: 1, killed: [0, 2] }),
          p('2020-10-11', 1, { contested: 1, wounded: [3, 3] }),
          p('2020-10-17', 1),
          p('2020-10-19', 1, { corroborated: 1, killed: [1, 1] }),
          p('2020-10-25', 1, { wounded: [1, 2] }),
          p('2020-11-01', 1),
        ],
        'B→B complied': [p('2020-10-10', 1), p('2020-10-18', 2)],
        'C→A violated': [p('2020-10-11', 1, { killed: [9, 10], wounded: [14, 14] }), p('2020-10-20', 1)],
      });
    });

    it('splits the casualties into civilian and military (military: the rest), only where some were claimed', async () => {
      type Split = { killed: { min: number; max: number }; wounded: { min: number; max: number } };
      const body = await timeline({ bucket: 'day', by: 'occurred' });
      const points = (key: string) =>
        (body.series as { claimant: string; subject: string; assertion: string; points: (Point & { civilian?: Split; military?: Split })[] }[]).find(
          (s) => `${letter(s.claimant)}→${letter(s.subject)} ${s.assertion}` === key,
        )!.points;
      const split = (killed: [number, number], wounded: [number, number]) => ({ killed: { min: killed[0], max: killed[1] }, wounded: { min: wounded[0], max: wounded[1] } });
      // c1 as revised: civilians 2–3 killed and 2–4 wounded, soldiers 0–1 killed.
      expect(points('A→B violated').find((q) => q.period === '2020-10-10')).toMatchObject({ civilian: split([2, 3], [2, 4]), military: split([0, 1], [0, 0]) });
      // r2: "up to two" soldiers killed.
      expect(points('B→A violated').find((q) => q.period === '2020-10-10')).toMatchObject({ civilian: split([0, 0], [0, 0]), military: split([0, 2], [0, 0]) });
      const none = points('A→B violated').find((q) => q.period === '2020-10-09')!;
      expect('civilian' in none || 'military' in none).toBe(false);
      for (const s of body.series as { points: (Point & { civilian?: Split; military?: Split })[] }[]) {
        for (const q of s.points) {
          if (!q.civilian || !q.military) continue;
          expect({ period: q.period, killed: { min: q.civilian.killed.min + q.military.killed.min, max: q.civilian.killed.max + q.military.killed.max } }).toEqual({ period: q.period, killed: q.killed });
          expect({ period: q.period, wounded: { min: q.civilian.wounded.min + q.military.wounded.min, max: q.civilian.wounded.max + q.military.wounded.max } }).toEqual({ period: q.period, wounded: q.wounded });
        }
      }
    });

    it('defaults to bucket=day and by=occurred', async () => {
      const explicit = await timeline({ bucket: 'day', by: 'occurred' });
      const defaults = await timeline({});
      expect(defaults).toEqual(explicit);
    });
  });

  describe('when counted by stated date per local day', () => {
    it('puts each claim on the local day it was said', async () => {
      const body = await timeline({ bucket: 'day', by: 'stated' });
      expect(body).toMatchObject({ conflictId: m.conflictId, timeZone: 'Asia/Baku', bucket: 'day', by: 'stated' });
      expect(seriesOf(body)).toEqual({
        'A→A complied': [p('2020-10-11', 1), p('2020-10-12', 1)],
        'A→B violated': [
          p('2020-10-10', 2, { corroborated: 1, killed: [2, 4], wounded: [2, 4] }),
          p('2020-10-13', 1, { retracted: 1, wounded: [2, 2] }),
          p('2020-10-18', 1, { refuted: 1 }),
          p('2020-10-26', 1),
        ],
        'A→C violated': [p('2020-10-21', 1, { contested: 1 })],
        'B→A violated': [
          p('2020-10-10', 1, { refuted: 1, killed: [0, 2] }),
          p('2020-10-11', 1, { contested: 1, wounded: [3, 3] }),
          p('2020-10-18', 1),
          p('2020-10-19', 1, { corroborated: 1, killed: [1, 1] }),
          p('2020-10-26', 1, { wounded: [1, 2] }),
          p('2020-11-01', 1),
        ],
        'B→B complied': [p('2020-10-10', 1), p('2020-10-18', 2)],
        'C→A violated': [p('2020-10-12', 1, { killed: [9, 10], wounded: [14, 14] }), p('2020-10-21', 1)],
      });
    });
  });

  describe('when rolled up by week', () => {
    it('by occurred: sums the local days into weeks that start on Monday', async () => {
      const body = await timeline({ bucket: 'week', by: 'occurred' });
      expect(body).toMatchObject({ bucket: 'week', by: 'occurred' });
      expect(seriesOf(body)).toEqual({
        'A→A complied': [p('2020-10-05', 1), p('2020-10-12', 1)],
        'A→B violated': [
          p('2020-10-05', 2, { corroborated: 1, killed: [2, 4], wounded: [2, 4] }),
          p('2020-10-12', 2, { retracted: 1, refuted: 1, wounded: [2, 2] }),
          p('2020-10-26', 1),
        ],
        'A→C violated': [p('2020-10-19', 1, { contested: 1 })],
        'B→A violated': [
          p('2020-10-05', 2, { contested: 1, refuted: 1, killed: [0, 2], wounded: [3, 3] }),
          p('2020-10-12', 1),
          p('2020-10-19', 2, { corroborated: 1, killed: [1, 1], wounded: [1, 2] }),
          p('2020-10-26', 1),
        ],
        'B→B complied': [p('2020-10-05', 1), p('2020-10-12', 2)],
        'C→A violated': [p('2020-10-05', 1, { killed: [9, 10], wounded: [14, 14] }), p('2020-10-19', 1)],
      });
    });

    it('by stated: sums the stated days into weeks that start on Monday', async () => {
      const body = await timeline({ bucket: 'week', by: 'stated' });
      expect(seriesOf(body)).toEqual({
        'A→A complied': [p('2020-10-05', 1), p('2020-10-12', 1)],
        'A→B violated': [
          p('2020-10-05', 2, { corroborated: 1, killed: [2, 4], wounded: [2, 4] }),
          p('2020-10-12', 2, { retracted: 1, refuted: 1, wounded: [2, 2] }),
          p('2020-10-26', 1),
        ],
        'A→C violated': [p('2020-10-19', 1, { contested: 1 })],
        'B→A violated': [
          p('2020-10-05', 2, { contested: 1, refuted: 1, killed: [0, 2], wounded: [3, 3] }),
          p('2020-10-12', 1),
          p('2020-10-19', 1, { corroborated: 1, killed: [1, 1] }),
          p('2020-10-26', 2, { wounded: [1, 2] }),
        ],
        'B→B complied': [p('2020-10-05', 1), p('2020-10-12', 2)],
        'C→A violated': [p('2020-10-12', 1, { killed: [9, 10], wounded: [14, 14] }), p('2020-10-19', 1)],
      });
    });
  });

  describe('when rolled up by month', () => {
    it('sums the local days into calendar months, 31 October 20:30 UTC falling in November', async () => {
      const body = await timeline({ bucket: 'month', by: 'occurred' });
      expect(body).toMatchObject({ bucket: 'month', by: 'occurred' });
      expect(seriesOf(body)).toEqual({
        'A→A complied': [p('2020-10-01', 2)],
        'A→B violated': [p('2020-10-01', 5, { retracted: 1, corroborated: 1, refuted: 1, killed: [2, 4], wounded: [4, 6] })],
        'A→C violated': [p('2020-10-01', 1, { contested: 1 })],
        'B→A violated': [p('2020-10-01', 5, { corroborated: 1, contested: 1, refuted: 1, killed: [1, 3], wounded: [4, 5] }), p('2020-11-01', 1)],
        'B→B complied': [p('2020-10-01', 3)],
        'C→A violated': [p('2020-10-01', 2, { killed: [9, 10], wounded: [14, 14] })],
      });
    });
  });

  describe('when filtered by agreementId', () => {
    it('keeps only the claims linked to M, after its start was corrected and c8 moved out', async () => {
      const body = await timeline({ bucket: 'day', by: 'occurred', agreementId: m.agreement.M });
      expect(seriesOf(body)).toEqual({
        'A→A complied': [p('2020-10-11', 1), p('2020-10-12', 1)],
        'A→B violated': [p('2020-10-10', 1, { corroborated: 1, killed: [2, 4], wounded: [2, 4] }), p('2020-10-13', 1, { retracted: 1, wounded: [2, 2] })],
        'B→A violated': [p('2020-10-10', 1, { refuted: 1, killed: [0, 2] }), p('2020-10-11', 1, { contested: 1, wounded: [3, 3] }), p('2020-10-17', 1)],
        'B→B complied': [p('2020-10-10', 1)],
        'C→A violated': [p('2020-10-11', 1, { killed: [9, 10], wounded: [14, 14] })],
      });
    });

    it('keeps only the claims linked to S, c8 moved in', async () => {
      const body = await timeline({ bucket: 'day', by: 'occurred', agreementId: m.agreement.S });
      expect(seriesOf(body)).toEqual({
        'A→B violated': [p('2020-10-18', 1, { refuted: 1 })],
        'A→C violated': [p('2020-10-20', 1, { contested: 1 })],
        'B→A violated': [p('2020-10-19', 1, { corroborated: 1, killed: [1, 1] }), p('2020-10-25', 1, { wounded: [1, 2] })],
        'B→B complied': [p('2020-10-18', 2)],
        'C→A violated': [p('2020-10-20', 1)],
      });
    });

    it('keeps only the claims linked to W, rolled up by week', async () => {
      const body = await timeline({ bucket: 'week', by: 'occurred', agreementId: m.agreement.W });
      expect(seriesOf(body)).toEqual({
        'A→B violated': [p('2020-10-26', 1)],
        'B→A violated': [p('2020-10-26', 1)],
      });
    });

    it('answers no series for an agreement no claim is linked to', async () => {
      const body = await timeline({ agreementId: randomUUID() });
      expect(body.series).toEqual([]);
    });
  });

  describe('when filtered by from and to local dates', () => {
    it('includes both ends (2020-10-11 … 2020-10-18 by occurred)', async () => {
      const body = await timeline({ bucket: 'day', by: 'occurred', from: '2020-10-11', to: '2020-10-18' });
      expect(seriesOf(body)).toEqual({
        'A→A complied': [p('2020-10-11', 1), p('2020-10-12', 1)],
        'A→B violated': [p('2020-10-13', 1, { retracted: 1, wounded: [2, 2] }), p('2020-10-18', 1, { refuted: 1 })],
        'B→A violated': [p('2020-10-11', 1, { contested: 1, wounded: [3, 3] }), p('2020-10-17', 1)],
        'B→B complied': [p('2020-10-18', 2)],
        'C→A violated': [p('2020-10-11', 1, { killed: [9, 10], wounded: [14, 14] })],
      });
    });

    it('filters stated days before rolling them up by week (2020-10-19 … 2020-10-26 by stated)', async () => {
      const body = await timeline({ bucket: 'week', by: 'stated', from: '2020-10-19', to: '2020-10-26' });
      expect(seriesOf(body)).toEqual({
        'A→B violated': [p('2020-10-26', 1)],
        'A→C violated': [p('2020-10-19', 1, { contested: 1 })],
        'B→A violated': [p('2020-10-19', 1, { corroborated: 1, killed: [1, 1] }), p('2020-10-26', 1, { wounded: [1, 2] })],
        'C→A violated': [p('2020-10-19', 1)],
      });
    });

    it('takes to alone as the last day, inclusive', async () => {
      expect(seriesOf(await timeline({ to: '2020-10-09' }))).toEqual({ 'A→B violated': [p('2020-10-09', 1)] });
    });

    it('takes from alone as the first day, inclusive', async () => {
      expect(seriesOf(await timeline({ from: '2020-11-01' }))).toEqual({ 'B→A violated': [p('2020-11-01', 1)] });
    });
  });

  describe('when the answer is built by PostgreSQL as JSON text', () => {
    // The answer's text comes from the database; it must be the very bytes Fastify's
    // JSON.stringify gave for the response object before: same key order, no spaces.
    const asObjects = (body: TimelineBody) => ({
      conflictId: body.conflictId,
      timeZone: body.timeZone,
      bucket: body.bucket,
      by: body.by,
      series: body.series.map((x) => ({
        claimant: x.claimant,
        subject: x.subject,
        assertion: x.assertion,
        points: x.points.map((pt) => ({
          period: pt.period,
          claims: pt.claims,
          retracted: pt.retracted,
          corroborated: pt.corroborated,
          contested: pt.contested,
          refuted: pt.refuted,
          killed: { min: pt.killed.min, max: pt.killed.max },
          wounded: { min: pt.wounded.min, max: pt.wounded.max },
          // The split comes only where casualties were claimed, civilian first.
          ...(pt.civilian && pt.military
            ? {
                civilian: { killed: { ...pt.civilian.killed }, wounded: { ...pt.civilian.wounded } },
                military: { killed: { ...pt.military.killed }, wounded: { ...pt.military.wounded } },
              }
            : {}),
        })),
      })),
    });

    it.each([
      {},
      { bucket: 'day', by: 'stated' },
      { bucket: 'week', by: 'occurred' },
      { bucket: 'month', by: 'stated', from: '2020-10-11', to: '2020-10-25' },
      { agreementId: randomUUID() },
    ] as Query[])('is JSON.stringify of the answer object, as application/json (%o)', async (query) => {
      const res = await get(`/api/conflicts/${m.conflictId}/timeline`, query, lastPosition);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.text).toBe(JSON.stringify(asObjects(JSON.parse(res.text) as TimelineBody)));
    });

    it('answers a conflict without claims with no series, and an unknown conflict with a 404', async () => {
      const { id } = await write('/api/conflicts', { name: `Quiet ${randomUUID()}`, timeZone: 'Europe/Kyiv' });
      const res = await get(`/api/conflicts/${id}/timeline`, {});
      expect(res.text).toBe(JSON.stringify({ conflictId: id, timeZone: 'Europe/Kyiv', bucket: 'day', by: 'occurred', series: [] }));
      expectProblem(await get(`/api/conflicts/${randomUUID()}/timeline`, {}, lastPosition), 404);
    });
  });
});

interface Range {
  min: number;
  max: number;
}

interface TimelineBody {
  conflictId: string;
  timeZone: string;
  bucket: string;
  by: string;
  series: {
    claimant: string;
    subject: string;
    assertion: string;
    points: {
      period: string;
      claims: number;
      retracted: number;
      corroborated: number;
      contested: number;
      refuted: number;
      killed: Range;
      wounded: Range;
      civilian?: { killed: Range; wounded: Range };
      military?: { killed: Range; wounded: Range };
    }[];
  }[];
}

// ---------------------------------------------------------------------------------------------
// Time zones (a conflict of their own in Asia/Baku, and one in UTC for contrast)

describe('local days in the conflict time zone', () => {
  const baku = { conflictId: '', claims: [] as string[] };
  const utc = { conflictId: '', claims: [] as string[] };

  beforeAll(async () => {
    for (const [target, zone] of [
      [baku, 'Asia/Baku'],
      [utc, 'UTC'],
    ] as const) {
      const { conflictId, parties } = await newConflict(`Probe ${zone}`, zone, ['Probe X', 'Probe Y']);
      target.conflictId = conflictId;
      letters.set(parties[0]!, 'X').set(parties[1]!, 'Y');
      for (const instant of ['2020-10-10T21:30:00Z', '2020-10-11T21:30:00Z']) {
        const written = await write('/api/claims', {
          conflictId,
          claimant: parties[0],
          subject: parties[1],
          assertion: 'violated',
          category: 'shelling',
          occurred: { from: instant, precision: 'minute' },
          statedAt: instant,
          summary: `X says Y shelled at ${instant}.`,
          attributions: [source('Probe wire')],
        });
        target.claims.push(written.id);
      }
    }
  });

  describe('when an event is at 21:30 UTC on 10 October in an Asia/Baku conflict', () => {
    it('counts it on 2020-10-11 by occurred', async () => {
      const body = await read(`/api/conflicts/${baku.conflictId}/timeline`, { by: 'occurred' });
      expect(body).toMatchObject({ timeZone: 'Asia/Baku' });
      expect(seriesOf(body)).toEqual({ 'X→Y violated': [p('2020-10-11', 1), p('2020-10-12', 1)] });
    });

    it('counts it on 2020-10-11 by stated', async () => {
      const body = await read(`/api/conflicts/${baku.conflictId}/timeline`, { by: 'stated' });
      expect(seriesOf(body)).toEqual({ 'X→Y violated': [p('2020-10-11', 1), p('2020-10-12', 1)] });
    });

    it('lists it under the local date 2020-10-11', async () => {
      const body = await read('/api/claims', { conflictId: baku.conflictId, from: '2020-10-11', to: '2020-10-11' });
      expect(body.items.map((i: { id: string }) => i.id)).toEqual([baku.claims[0]]);
    });
  });

  describe('when rolled up by week', () => {
    it('puts Sunday 11 October in the week of Monday 5 October and Monday 12 October in its own', async () => {
      const body = await read(`/api/conflicts/${baku.conflictId}/timeline`, { bucket: 'week', by: 'stated' });
      expect(seriesOf(body)).toEqual({ 'X→Y violated': [p('2020-10-05', 1), p('2020-10-12', 1)] });
    });
  });

  describe('when the same instants fall in a UTC conflict', () => {
    it('counts them on 10 and 11 October, both in the week of Monday 5 October', async () => {
      const days = await read(`/api/conflicts/${utc.conflictId}/timeline`, { bucket: 'day' });
      expect(days).toMatchObject({ timeZone: 'UTC' });
      expect(seriesOf(days)).toEqual({ 'X→Y violated': [p('2020-10-10', 1), p('2020-10-11', 1)] });
      const weeks = await read(`/api/conflicts/${utc.conflictId}/timeline`, { bucket: 'week' });
      expect(seriesOf(weeks)).toEqual({ 'X→Y violated': [p('2020-10-05', 2)] });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Agreement scorecards

describe('GET /api/agreements/:id/scorecard', () => {
  describe('when reading M (its start corrected from 12:00 Moscow to 12:00 local)', () => {
    it('gives its period and a row per claimant and subject of its counted claims', async () => {
      const body = await scorecard('M');
      expect(body).toMatchObject({ agreementId: m.agreement.M, effectiveFrom: '2020-10-10T08:00:00.000Z', endedAt: '2020-10-17T20:00:00.000Z' });
      expect(rowsOf(body)).toEqual({
        'A→A': row({ complianceAsserted: 2 }),
        'A→B': row({
          violationsAlleged: 2,
          denied: 1,
          counterAccused: 1,
          retracted: 1,
          corroborated: 1,
          firstViolationAllegedAt: '2020-10-10T08:30:00.000Z',
        }),
        'B→A': row({ violationsAlleged: 3, denied: 1, contested: 1, refuted: 1, firstViolationAllegedAt: '2020-10-10T08:15:00.000Z' }),
        'B→B': row({ complianceAsserted: 1 }),
        'C→A': row({ violationsAlleged: 1, firstViolationAllegedAt: '2020-10-11T19:00:00.000Z' }),
      });
    });
  });

  describe('when reading S (c8 moved in; a voided denial and two denials of one claim)', () => {
    it('counts a claim denied twice once and ignores the voided denial', async () => {
      const body = await scorecard('S');
      expect(body).toMatchObject({ agreementId: m.agreement.S, effectiveFrom: '2020-10-17T20:00:00.000Z', endedAt: '2020-10-26T04:00:00.000Z' });
      expect(rowsOf(body)).toEqual({
        'A→B': row({ violationsAlleged: 1, denied: 1, counterAccused: 1, refuted: 1, firstViolationAllegedAt: '2020-10-17T20:00:00.000Z' }),
        'A→C': row({ violationsAlleged: 1, contested: 1, firstViolationAllegedAt: '2020-10-20T01:00:00.000Z' }),
        'B→A': row({ violationsAlleged: 2, corroborated: 1, firstViolationAllegedAt: '2020-10-18T22:00:00.000Z' }),
        'B→B': row({ complianceAsserted: 2 }),
        'C→A': row({ violationsAlleged: 1, counterAccused: 1, firstViolationAllegedAt: '2020-10-20T02:00:00.000Z' }),
      });
    });
  });

  describe('when reading W (open; claims at and after its first instant)', () => {
    it('gives no end and its two rows', async () => {
      const body = await scorecard('W');
      expect(body).toMatchObject({ agreementId: m.agreement.W, effectiveFrom: '2020-10-26T04:00:00.000Z', endedAt: null });
      expect(rowsOf(body)).toEqual({
        'A→B': row({ violationsAlleged: 1, firstViolationAllegedAt: '2020-10-26T04:00:00.000Z' }),
        'B→A': row({ violationsAlleged: 1, firstViolationAllegedAt: '2020-10-31T20:30:00.000Z' }),
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The claims list and claim detail

/** Every claim of the scenario, newest alleged first, with what the list says of it. */
const LISTED: [ClaimName, string, AgreementName | null, string, { retracted?: true; voided?: true; duplicateOf?: ClaimName }][] = [
  ['c13', 'B→A violated', 'W', 'unverified', {}],
  ['c12', 'A→B violated', 'W', 'unverified', {}],
  ['c11', 'B→A violated', 'S', 'unverified', {}],
  ['r6', 'A→A complied', 'S', 'unverified', { voided: true }],
  ['c10', 'C→A violated', 'S', 'unverified', {}],
  ['r7', 'A→C violated', 'S', 'contested', {}],
  ['c8', 'B→A violated', 'S', 'corroborated', {}],
  ['r8', 'B→B complied', 'S', 'unverified', {}],
  ['r4', 'B→B complied', 'S', 'unverified', {}],
  ['c9', 'A→B violated', 'S', 'refuted', {}],
  ['r5', 'B→A violated', 'M', 'unverified', {}],
  ['c5', 'A→B violated', 'M', 'unverified', { voided: true }],
  ['c4', 'A→B violated', 'M', 'unverified', { retracted: true }],
  ['c7', 'A→A complied', 'M', 'unverified', {}],
  ['c3', 'C→A violated', 'M', 'unverified', {}],
  ['r3', 'A→A complied', 'M', 'unverified', {}],
  ['c2', 'B→A violated', 'M', 'contested', {}],
  ['r1', 'B→B complied', 'M', 'unverified', {}],
  ['c1', 'A→B violated', 'M', 'corroborated', {}],
  ['c6', 'A→B violated', 'M', 'unverified', { duplicateOf: 'c1' }],
  ['r2', 'B→A violated', 'M', 'refuted', {}],
  ['c0', 'A→B violated', null, 'unverified', {}],
];
const RESPONDS_TO: Partial<Record<ClaimName, [ClaimName, string]>> = {
  r1: ['c1', 'denial'],
  r2: ['c1', 'counter-accusation'],
  r3: ['c2', 'denial'],
  r4: ['c9', 'denial'],
  r8: ['c9', 'denial'],
  r5: ['c9', 'counter-accusation'],
  r6: ['c10', 'denial'],
  r7: ['c10', 'counter-accusation'],
};
const ALL_NEWEST_FIRST = LISTED.map(([name]) => name);

interface ListItem {
  id: string;
  claimant: string;
  subject: string;
  assertion: string;
  stance: string | null;
  respondsTo: string | null;
  agreementId: string | null;
  status: string;
  retracted: boolean;
  voided: boolean;
  duplicateOf: string | null;
  counted: boolean;
}

describe('GET /api/claims', () => {
  describe('when listing the conflict', () => {
    it('gives every claim newest alleged first, voided claims and duplicates included, flagged and not counted', async () => {
      const body = await read('/api/claims', { conflictId: m.conflictId, limit: 200 });
      expect(body.nextCursor).toBeNull();
      const seen = (body.items as ListItem[]).map((i) => [
        nameOf(i.id),
        `${letter(i.claimant)}→${letter(i.subject)} ${i.assertion}`,
        agreementName(i.agreementId),
        i.status,
        {
          ...(i.retracted ? { retracted: true } : {}),
          ...(i.voided ? { voided: true } : {}),
          ...(i.duplicateOf !== null ? { duplicateOf: nameOf(i.duplicateOf) } : {}),
        },
      ]);
      expect(seen).toEqual(LISTED);
      for (const item of body.items as ListItem[]) {
        const name = nameOf(item.id) as ClaimName;
        const [, , , , flags] = LISTED.find(([n]) => n === name)!;
        expect({ name, counted: item.counted, retracted: item.retracted, voided: item.voided }).toEqual({
          name,
          counted: !flags.voided && !flags.duplicateOf,
          retracted: flags.retracted ?? false,
          voided: flags.voided ?? false,
        });
        const answers = RESPONDS_TO[name];
        expect({ name, respondsTo: item.respondsTo && nameOf(item.respondsTo), stance: item.stance }).toEqual({
          name,
          respondsTo: answers?.[0] ?? null,
          stance: answers?.[1] ?? null,
        });
      }
    });

    it("shows each claim's latest casualty revision and corrected occurred time", async () => {
      const body = await read('/api/claims', { conflictId: m.conflictId, limit: 200 });
      const item = (name: ClaimName) => body.items.find((i: ListItem) => i.id === m.claim[name]);
      expect(item('c1').casualties).toEqual(C1_REVISED);
      expect(item('c3').casualties).toEqual(C3_LATEST);
      expect(item('c8').occurred).toEqual({ from: '2020-10-19T02:00:00+04:00', precision: 'hour', raw: 'around 2 a.m.' });
    });
  });

  describe('when filtered', () => {
    it('by claimant', async () => {
      expect(await listNames({ claimant: m.party.A })).toEqual(['c12', 'r6', 'r7', 'c9', 'c5', 'c4', 'c7', 'r3', 'c1', 'c6', 'c0']);
    });

    it('by subject', async () => {
      expect(await listNames({ subject: m.party.A })).toEqual(['c13', 'c11', 'r6', 'c10', 'c8', 'r5', 'c7', 'c3', 'r3', 'c2', 'r2']);
    });

    it('by assertion', async () => {
      expect(await listNames({ assertion: 'complied' })).toEqual(['r6', 'r8', 'r4', 'c7', 'r3', 'r1']);
    });

    it('by status (the latest assessment)', async () => {
      expect(await listNames({ status: 'refuted' })).toEqual(['c9', 'r2']);
      expect(await listNames({ status: 'corroborated' })).toEqual(['c8', 'c1']);
      expect(await listNames({ status: 'contested' })).toEqual(['r7', 'c2']);
    });

    it('by agreementId', async () => {
      expect(await listNames({ agreementId: m.agreement.M })).toEqual(['r5', 'c5', 'c4', 'c7', 'c3', 'r3', 'c2', 'r1', 'c1', 'c6', 'r2']);
      expect(await listNames({ agreementId: m.agreement.S })).toEqual(['c11', 'r6', 'c10', 'r7', 'c8', 'r8', 'r4', 'c9']);
      expect(await listNames({ agreementId: m.agreement.W })).toEqual(['c13', 'c12']);
    });

    it('by from and to, local occurred dates, both inclusive', async () => {
      expect(await listNames({ from: '2020-10-18', to: '2020-10-20' })).toEqual(['r6', 'c10', 'r7', 'c8', 'r8', 'r4', 'c9']);
      expect(await listNames({ from: '2020-10-11', to: '2020-10-11' })).toEqual(['c3', 'r3', 'c2']);
    });

    it('by several filters at once', async () => {
      expect(await listNames({ claimant: m.party.B, subject: m.party.A, assertion: 'violated' })).toEqual(['c13', 'c11', 'c8', 'r5', 'c2', 'r2']);
      expect(await listNames({ status: 'unverified', agreementId: m.agreement.W })).toEqual(['c13', 'c12']);
    });
  });

  describe('when paging with a cursor', () => {
    async function pages(query: Query): Promise<{ names: string[][]; cursors: (string | null)[] }> {
      const names: string[][] = [];
      const cursors: (string | null)[] = [];
      let cursor: string | null = null;
      do {
        const body = await read('/api/claims', { conflictId: m.conflictId, ...query, ...(cursor ? { cursor } : {}) });
        names.push(body.items.map((i: ListItem) => nameOf(i.id)));
        cursors.push(body.nextCursor);
        cursor = body.nextCursor;
        if (names.length > 30) throw new Error('paging does not end');
      } while (cursor !== null);
      return { names, cursors };
    }

    it('walks every claim once, in order, and ends with nextCursor null', async () => {
      const { names, cursors } = await pages({ limit: 5 });
      expect(names).toEqual([
        ['c13', 'c12', 'c11', 'r6', 'c10'],
        ['r7', 'c8', 'r8', 'r4', 'c9'],
        ['r5', 'c5', 'c4', 'c7', 'c3'],
        ['r3', 'c2', 'r1', 'c1', 'c6'],
        ['r2', 'c0'],
      ]);
      expect(cursors.slice(0, 4)).toEqual([expect.any(String), expect.any(String), expect.any(String), expect.any(String)]);
      expect(cursors[4]).toBeNull();
      expect(names.flat()).toEqual(ALL_NEWEST_FIRST);
    });

    it('gives nextCursor null when a page ends exactly at the last claim', async () => {
      expect((await pages({ limit: 11 })).names).toEqual([ALL_NEWEST_FIRST.slice(0, 11), ALL_NEWEST_FIRST.slice(11)]);
      expect((await pages({ limit: 22 })).names).toEqual([ALL_NEWEST_FIRST]);
    });

    it('keeps the filters across pages', async () => {
      expect((await pages({ claimant: m.party.A, limit: 4 })).names).toEqual([
        ['c12', 'r6', 'r7', 'c9'],
        ['c5', 'c4', 'c7', 'r3'],
        ['c1', 'c6', 'c0'],
      ]);
    });
  });

  describe('when several claims share one occurred time', () => {
    it('pages through all of them without duplicates or gaps', async () => {
      const { conflictId, parties } = await newConflict('Probe ties', 'Asia/Baku', ['Probe P', 'Probe Q']);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const written = await write('/api/claims', {
          conflictId,
          claimant: parties[0],
          subject: parties[1],
          assertion: 'violated',
          category: 'shelling',
          occurred: { from: '2020-10-15T10:00:00+04:00', precision: 'minute' },
          statedAt: '2020-10-15T12:00:00+04:00',
          summary: `Tie ${i}.`,
          attributions: [source('Probe wire')],
        });
        ids.push(written.id);
      }
      const whole = await read('/api/claims', { conflictId, limit: 200 });
      const paged: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const body = await read('/api/claims', { conflictId, limit: 2, ...(cursor ? { cursor } : {}) });
        paged.push(...body.items.map((i: ListItem) => i.id));
        sizes.push(body.items.length);
        cursor = body.nextCursor;
        if (sizes.length > 10) throw new Error('paging does not end');
      } while (cursor !== null);
      expect(sizes).toEqual([2, 2, 1]);
      expect(paged).toEqual(whole.items.map((i: ListItem) => i.id));
      expect([...paged].sort()).toEqual([...ids].sort());
    });
  });

  describe('when occurred times differ by less than a millisecond', () => {
    it('pages through them newest first without gaps', async () => {
      const { conflictId, parties } = await newConflict('Probe microseconds', 'Asia/Baku', ['Probe U', 'Probe V']);
      const id: Record<string, string> = {};
      for (const [name, from] of [
        ['t1', '2020-10-15T10:00:00.1231+04:00'],
        ['t2', '2020-10-15T10:00:00.1232+04:00'],
        ['t3', '2020-10-15T10:00:00.1233+04:00'],
      ] as const) {
        id[name] = (
          await write('/api/claims', {
            conflictId,
            claimant: parties[0],
            subject: parties[1],
            assertion: 'violated',
            category: 'shelling',
            occurred: { from, precision: 'minute' },
            statedAt: '2020-10-15T12:00:00+04:00',
            summary: `${name}.`,
            attributions: [source('Probe wire')],
          })
        ).id;
      }
      const name = (claimId: string) => Object.entries(id).find(([, v]) => v === claimId)?.[0];
      expect((await read('/api/claims', { conflictId })).items.map((i: ListItem) => name(i.id))).toEqual(['t3', 't2', 't1']);
      const paged: (string | undefined)[] = [];
      let cursor: string | null = null;
      do {
        const body = await read('/api/claims', { conflictId, limit: 1, ...(cursor ? { cursor } : {}) });
        paged.push(...body.items.map((i: ListItem) => name(i.id)));
        cursor = body.nextCursor;
        if (paged.length > 10) throw new Error('paging does not end');
      } while (cursor !== null);
      expect(paged).toEqual(['t3', 't2', 't1']);
    });
  });
});

describe('GET /api/claims/:id', () => {
  describe('when read for every claim of the scenario', () => {
    it('gives the same agreementId as the list', async () => {
      const list = await read('/api/claims', { conflictId: m.conflictId, limit: 200 });
      const fromList: Record<string, AgreementName | null> = {};
      for (const item of list.items as ListItem[]) fromList[nameOf(item.id)] = agreementName(item.agreementId);
      const fromDetail: Record<string, AgreementName | null> = {};
      for (const name of CLAIMS) fromDetail[name] = agreementName((await read(`/api/claims/${m.claim[name]}`)).agreementId);
      const expected = Object.fromEntries(LISTED.map(([name, , agreement]) => [name, agreement]));
      expect(fromList).toEqual(expected);
      expect(fromDetail).toEqual(expected);
    });
  });

  describe('when a claim was revised, re-assessed, answered, voided or marked a duplicate', () => {
    it('shows the latest revision, the latest assessment, its responses and its flags', async () => {
      const c1 = await read(`/api/claims/${m.claim.c1}`);
      expect(c1).toMatchObject({ casualties: C1_REVISED, status: 'corroborated', retracted: false, voided: false, duplicateOf: null });
      expect(c1.responses.map((r: { id: string }) => nameOf(r.id))).toEqual(['r1', 'r2']);
      expect((await read(`/api/claims/${m.claim.c3}`)).casualties).toEqual(C3_LATEST);
      expect((await read(`/api/claims/${m.claim.r2}`)).status).toBe('refuted');
      expect((await read(`/api/claims/${m.claim.c9}`)).responses.map((r: { id: string }) => nameOf(r.id))).toEqual(['r4', 'r8', 'r5']);
      expect(await read(`/api/claims/${m.claim.c4}`)).toMatchObject({ retracted: true, voided: false });
      expect(await read(`/api/claims/${m.claim.c5}`)).toMatchObject({ voided: true });
      expect((await read(`/api/claims/${m.claim.c6}`)).duplicateOf).toBe(m.claim.c1);
    });
  });

  describe("when an agreement's effectiveFrom or a claim's occurred time is corrected", () => {
    it('re-links the claims: none → M for c1, r1, r2, c6; M → S for c8', async () => {
      const before = Object.fromEntries(['c1', 'r1', 'r2', 'c6', 'c8'].map((n) => [n, agreementName(m.agreementBeforeCorrections[n])]));
      expect(before).toEqual({ c1: null, r1: null, r2: null, c6: null, c8: 'M' });
      const after: Record<string, AgreementName | null> = {};
      for (const n of ['c1', 'r1', 'r2', 'c6', 'c8'] as const) after[n] = agreementName((await read(`/api/claims/${m.claim[n]}`)).agreementId);
      expect(after).toEqual({ c1: 'M', r1: 'M', r2: 'M', c6: 'M', c8: 'S' });
    });
  });

  describe('when agreements are recorded, overlap and end after the claims exist', () => {
    it('links each claim to the agreement in force at occurred.from, the latest to take effect', async () => {
      const { conflictId, parties } = await newConflict('Probe links', 'Asia/Baku', ['Probe L1', 'Probe L2']);
      letters.set(parties[0]!, 'L1').set(parties[1]!, 'L2');
      const k: Record<string, string> = {};
      for (const [name, occurred] of [
        ['k1', '2020-10-16T10:00:00+04:00'],
        ['k2', '2020-10-12T10:00:00+04:00'],
      ] as const) {
        k[name] = (
          await write('/api/claims', {
            conflictId,
            claimant: parties[0],
            subject: parties[1],
            assertion: 'violated',
            category: 'shelling',
            occurred: { from: occurred, precision: 'hour' },
            statedAt: '2020-10-20T10:00:00+04:00',
            summary: `${name}.`,
            attributions: [source('Probe wire')],
          })
        ).id;
      }
      const e: Record<string, string> = {};
      const agreement = async (name: string, at: string) => {
        e[name] = (
          await write(`/api/conflicts/${conflictId}/agreements`, {
            title: name,
            kind: 'ceasefire',
            signatories: parties,
            effectiveFrom: { at, timeZone: 'Asia/Baku', basis: 'stated' },
          })
        ).id;
      };
      const links = async () => {
        const names = (id: unknown) => (id === null ? null : (Object.entries(e).find(([, v]) => v === id)?.[0] ?? String(id)));
        const list = await read('/api/claims', { conflictId });
        const fromList = Object.fromEntries(list.items.map((i: ListItem) => [i.id === k.k1 ? 'k1' : 'k2', names(i.agreementId)]));
        const fromDetail = { k1: names((await read(`/api/claims/${k.k1}`)).agreementId), k2: names((await read(`/api/claims/${k.k2}`)).agreementId) };
        return { fromList, fromDetail };
      };
      const both = (k1: string | null, k2: string | null) => ({ fromList: { k1, k2 }, fromDetail: { k1, k2 } });

      expect(await links()).toEqual(both(null, null));
      await agreement('E1', '2020-10-10T12:00:00+04:00');
      expect(await links()).toEqual(both('E1', 'E1'));
      await agreement('E2', '2020-10-15T00:00:00+04:00');
      expect(await links()).toEqual(both('E2', 'E1'));
      // Recorded last but taking effect before E2: k1 stays with E2, k2 moves to E0.
      await agreement('E0', '2020-10-11T00:00:00+04:00');
      expect(await links()).toEqual(both('E2', 'E0'));
      await write(`/api/agreements/${e.E2}/end`, { endedAt: '2020-10-16T10:00:00+04:00', reason: 'Collapsed' });
      expect(await links()).toEqual(both('E0', 'E0'));

      const rows = async (name: string) => rowsOf(await read(`/api/agreements/${e[name]}/scorecard`));
      expect(await rows('E0')).toEqual({ 'L1→L2': row({ violationsAlleged: 2, firstViolationAllegedAt: '2020-10-12T06:00:00.000Z' }) });
      expect(await rows('E1')).toEqual({});
      expect(await rows('E2')).toEqual({});
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The source ledger

describe('GET /api/sources', () => {
  describe('when the scenario is recorded', () => {
    it('gives each outlet its claims, claims per claimant and first/last seen; duplicates count for their original', async () => {
      const body = await read('/api/sources');
      const ledger: Record<string, unknown> = {};
      for (const item of body.items as { outlet: string; claimants: Record<string, number> }[]) {
        if (item.outlet.startsWith('Probe')) continue;
        const { outlet, claimants, ...rest } = item;
        if (outlet in ledger) throw new Error(`${outlet} appears twice`);
        ledger[outlet] = { ...rest, claimants: Object.fromEntries(Object.entries(claimants).map(([id, n]) => [letter(id), n])) };
      }
      const entry = (claims: number, claimants: Record<string, number>, firstSeen: string, lastSeen: string) => ({ claims, claimants, firstSeen, lastSeen });
      expect(ledger).toEqual({
        APA: entry(8, { A: 8 }, '2020-10-10T05:00:00.000Z', '2020-10-26T06:00:00.000Z'),
        Armenpress: entry(9, { B: 9 }, '2020-10-10T12:00:00.000Z', '2020-11-01T06:00:00.000Z'),
        Artsakhpress: entry(2, { C: 2 }, '2020-10-12T04:00:00.000Z', '2020-10-21T03:00:00.000Z'),
        TASS: entry(3, { A: 2, B: 1 }, '2020-10-10T10:00:00.000Z', '2020-11-01T06:00:00.000Z'),
        Trend: entry(2, { A: 2 }, '2020-10-11T06:00:00.000Z', '2020-10-14T05:00:00.000Z'),
        'Report.az': entry(1, { A: 1 }, '2020-10-10T11:00:00.000Z', '2020-10-10T11:00:00.000Z'),
        'news.am': entry(1, { C: 1 }, '2020-10-13T05:00:00.000Z', '2020-10-13T05:00:00.000Z'),
        'confidential source': entry(2, { C: 2 }, '2020-10-12T04:00:00.000Z', '2020-10-21T03:00:00.000Z'),
      });
    });
  });

  describe('when an attribution is confidential', () => {
    it('appears under "confidential source", never under its outlet name', async () => {
      const body = await read('/api/sources');
      const outlets = body.items.map((i: { outlet: string }) => i.outlet);
      expect(outlets).toContain('confidential source');
      expect(outlets).not.toContain('Reuters');
      expect(outlets).not.toContain('BBC');
      expect(JSON.stringify(body)).not.toMatch(/Reuters|BBC|district official/);
    });
  });

  describe('when a claim is voided or an attribution withdrawn', () => {
    it('no longer counts the outlets cited only there', async () => {
      const body = await read('/api/sources');
      const claimsOf = (outlet: string) => body.items.find((i: { outlet: string }) => i.outlet === outlet)?.claims ?? 0;
      expect({ Caliber: claimsOf('Caliber'), Sputnik: claimsOf('Sputnik') }).toEqual({ Caliber: 0, Sputnik: 0 });
    });
  });

  const dupClaim = async (conflictId: string, parties: string[], outlet: string) =>
    (
      await write('/api/claims', {
        conflictId,
        claimant: parties[0],
        subject: parties[1],
        assertion: 'violated',
        category: 'shelling',
        occurred: { from: '2020-10-12T10:00:00+04:00', precision: 'hour' },
        statedAt: '2020-10-12T11:00:00+04:00',
        summary: `Cited by ${outlet}.`,
        attributions: [source(outlet)],
      })
    ).id;
  const claimsOf = async (outlet: string) => (await read('/api/sources')).items.find((i: { outlet: string }) => i.outlet === outlet)?.claims ?? 0;

  describe('when the original of a duplicate is voided after the duplicate mark', () => {
    it("counts the duplicate's sources for nothing", async () => {
      const { conflictId, parties } = await newConflict('Probe duplicates', 'Asia/Baku', ['Probe D1', 'Probe D2']);
      const original = await dupClaim(conflictId, parties, 'Probe original wire');
      const duplicate = await dupClaim(conflictId, parties, 'Probe duplicate wire');
      await write(`/api/claims/${duplicate}/duplicate-of`, { claimId: original, reason: 'Same statement.' });
      expect(await claimsOf('Probe duplicate wire')).toBe(1);
      await write(`/api/claims/${original}/void`, { reason: 'Never said.' });
      expect({ original: await claimsOf('Probe original wire'), duplicate: await claimsOf('Probe duplicate wire') }).toEqual({ original: 0, duplicate: 0 });
    });
  });

  describe('when a claim would be marked a duplicate of an already voided claim', () => {
    it('is refused, and the would-be duplicate keeps counting for itself', async () => {
      const { conflictId, parties } = await newConflict('Probe duplicates 2', 'Asia/Baku', ['Probe D3', 'Probe D4']);
      const original = await dupClaim(conflictId, parties, 'Probe original wire 2');
      const duplicate = await dupClaim(conflictId, parties, 'Probe duplicate wire 2');
      await write(`/api/claims/${original}/void`, { reason: 'Never said.' });
      const res = await request(app.server)
        .post(`/api/claims/${duplicate}/duplicate-of`)
        .set(bearer(app.tokens.editor))
        .send({ claimId: original, reason: 'Same statement.' });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'claim.duplicate_of_voided' });
      expect({ original: await claimsOf('Probe original wire 2'), duplicate: await claimsOf('Probe duplicate wire 2') }).toEqual({ original: 0, duplicate: 1 });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Read-your-writes

describe('read-your-writes (minPosition)', () => {
  const r = { conflictId: '', A: '', B: '', agreementId: '', claimId: '' };

  beforeAll(async () => {
    const { conflictId, parties } = await newConflict('Probe read-your-writes', 'Asia/Baku', ['Probe R', 'Probe T']);
    Object.assign(r, { conflictId, A: parties[0]!, B: parties[1]! });
    letters.set(r.A, 'R').set(r.B, 'T');
    r.agreementId = (
      await write(`/api/conflicts/${conflictId}/agreements`, {
        title: 'Probe truce',
        kind: 'ceasefire',
        signatories: [r.A, r.B],
        effectiveFrom: { at: '2020-10-10T12:00:00+04:00', timeZone: 'Asia/Baku', basis: 'stated' },
      })
    ).id;
  });

  const sourcesEntry = async (minPosition: number) =>
    (await read('/api/sources', {}, minPosition)).items.find((i: { outlet: string }) => i.outlet === 'Probe RYW desk') ?? null;

  describe('when a claim is recorded and read straight after with minPosition = its position', () => {
    it('is in the timeline, the scorecard, the list and the source ledger', async () => {
      const { id, position } = await write('/api/claims', {
        conflictId: r.conflictId,
        claimant: r.A,
        subject: r.B,
        assertion: 'violated',
        category: 'shelling',
        occurred: { from: '2020-10-12T10:00:00+04:00', precision: 'hour' },
        statedAt: '2020-10-12T11:00:00+04:00',
        summary: 'R says T shelled.',
        attributions: [source('Probe RYW desk')],
      });
      r.claimId = id;
      expect(seriesOf(await read(`/api/conflicts/${r.conflictId}/timeline`, {}, position))).toEqual({ 'R→T violated': [p('2020-10-12', 1)] });
      expect(rowsOf(await read(`/api/agreements/${r.agreementId}/scorecard`, {}, position))).toEqual({
        'R→T': row({ violationsAlleged: 1, firstViolationAllegedAt: '2020-10-12T06:00:00.000Z' }),
      });
      expect((await read('/api/claims', { conflictId: r.conflictId }, position)).items.map((i: ListItem) => i.id)).toEqual([id]);
      expect(await sourcesEntry(position)).toMatchObject({ claims: 1, claimants: { [r.A]: 1 } });
    });
  });

  describe('when the claim is assessed and then voided', () => {
    it('each read straight after each write shows it', async () => {
      const assessed = await write(`/api/claims/${r.claimId}/assessments`, { status: 'corroborated', rationale: 'Imagery.' });
      expect(rowsOf(await read(`/api/agreements/${r.agreementId}/scorecard`, {}, assessed.position))).toEqual({
        'R→T': row({ violationsAlleged: 1, corroborated: 1, firstViolationAllegedAt: '2020-10-12T06:00:00.000Z' }),
      });
      expect(seriesOf(await read(`/api/conflicts/${r.conflictId}/timeline`, {}, assessed.position))).toEqual({
        'R→T violated': [p('2020-10-12', 1, { corroborated: 1 })],
      });
      expect((await read('/api/claims', { conflictId: r.conflictId }, assessed.position)).items[0].status).toBe('corroborated');

      const voided = await write(`/api/claims/${r.claimId}/void`, { reason: 'Never said.' });
      expect((await read(`/api/conflicts/${r.conflictId}/timeline`, {}, voided.position)).series).toEqual([]);
      expect((await read(`/api/agreements/${r.agreementId}/scorecard`, {}, voided.position)).rows).toEqual([]);
      expect((await read('/api/claims', { conflictId: r.conflictId }, voided.position)).items[0]).toMatchObject({ voided: true, counted: false });
      expect((await sourcesEntry(voided.position))?.claims ?? 0).toBe(0);
    });
  });

  describe('when minPosition is far beyond the head of the log', () => {
    it('answers 503 problem+json with Retry-After once the wait runs out', async () => {
      const res = await get(`/api/conflicts/${r.conflictId}/timeline`, {}, (await app.head()) + 1_000_000);
      expectProblem(res, 503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    }, 30_000);
  });
});

// ---------------------------------------------------------------------------------------------
// Bad query input

describe('dashboard reads with bad input', () => {
  const timelinePath = () => `/api/conflicts/${m.conflictId}/timeline`;
  const scorecardPath = () => `/api/agreements/${m.agreement.M}/scorecard`;
  const cases: [string, () => string, Query, string][] = [
    ['timeline bucket=year', timelinePath, { bucket: 'year' }, 'bucket'],
    ['timeline by=x', timelinePath, { by: 'x' }, 'by'],
    ['timeline from=2020-13-01', timelinePath, { from: '2020-13-01' }, 'from'],
    ['timeline to=2020-13-01', timelinePath, { to: '2020-13-01' }, 'to'],
    ['timeline from=2020-02-30 (no such day)', timelinePath, { from: '2020-02-30' }, 'from'],
    ['timeline agreementId=not-a-uuid', timelinePath, { agreementId: 'not-a-uuid' }, 'agreementId'],
    ['timeline minPosition=-1', timelinePath, { minPosition: -1 }, 'minPosition'],
    ['scorecard minPosition=-1', scorecardPath, { minPosition: -1 }, 'minPosition'],
    ['claims limit=0', () => '/api/claims', { limit: 0 }, 'limit'],
    ['claims limit=201', () => '/api/claims', { limit: 201 }, 'limit'],
    ['claims cursor=garbage', () => '/api/claims', { cursor: 'garbage' }, 'cursor'],
    ['claims from=2020-13-01', () => '/api/claims', { from: '2020-13-01' }, 'from'],
    ['claims to=2021-02-29 (no such day)', () => '/api/claims', { to: '2021-02-29' }, 'to'],
    ['claims agreementId=not-a-uuid', () => '/api/claims', { agreementId: 'not-a-uuid' }, 'agreementId'],
    ['claims minPosition=-1', () => '/api/claims', { minPosition: -1 }, 'minPosition'],
    ['sources minPosition=-1', () => '/api/sources', { minPosition: -1 }, 'minPosition'],
  ];

  describe('when a query parameter is invalid', () => {
    it.each(cases)('%s answers 400 problem+json naming the field', async (_, path, query, field) => {
      const res = await request(app.server).get(path()).set(bearer(app.tokens.reader)).query(query);
      expectProblem(res, 400, field);
    });
  });

  describe('when the conflict or agreement does not exist', () => {
    it('answers 404 problem+json for the timeline of an unknown conflict', async () => {
      expectProblem(await get(`/api/conflicts/${randomUUID()}/timeline`), 404);
    });

    it('answers 404 problem+json for the scorecard of an unknown agreement', async () => {
      expectProblem(await get(`/api/agreements/${randomUUID()}/scorecard`), 404);
    });

    // An id that is not a UUID names nothing: 404, as GET /api/claims/:id answers for one.
    it('answers 404 problem+json for the timeline of a conflict id that is not a UUID', async () => {
      expectProblem(await get('/api/claims/not-a-uuid'), 404);
      expectProblem(await get('/api/conflicts/not-a-uuid/timeline'), 404);
    });

    it('answers 404 problem+json for the scorecard of an agreement id that is not a UUID', async () => {
      expectProblem(await get('/api/agreements/not-a-uuid/scorecard'), 404);
    });
  });
});
