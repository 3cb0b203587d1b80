import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { type ApiApp, bearer, claimBody, denialBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, postgresAvailable } from '../support/database';

/**
 * Property: whatever body a journalist posts to the claim routes, the API answers without a 5xx,
 * every failure is problem+json with its status, every 400 names its fields, and the event log
 * grows by exactly one event on a 201 and not at all otherwise.
 *
 * Bodies are mostly mutations of valid claim, response and correction bodies, plus random JSON.
 * Each generated case is a list of small edits (ops) applied to a valid body, so fast-check
 * shrinks a failure to the fewest, smallest edits; deep and huge values are built only when the
 * request is sent, which keeps counterexamples short enough to read.
 */

const SEED = Number(process.env.CLAIMS_PROPERTY_SEED ?? 20201010);
/** One request per run (plus one per shrinking step); the set-up requests are not counted. */
const RUNS = 2000;
const MIN_REQUESTS = 1000;

type Path = readonly (string | number)[];

/** A JSON text built only when the request is sent (too deep or too big to print or stringify). */
type RawJson =
  | { kind: 'deep'; depth: number; shape: 'array' | 'object' | 'mixed' }
  | { kind: 'huge'; length: number; char: string }
  | { kind: 'literal'; text: string };

type Op =
  | { op: 'drop'; path: Path }
  | { op: 'set'; path: Path; value: unknown }
  | { op: 'raw'; path: Path; json: RawJson }
  | { op: 'insert'; path: Path; at: number; chars: string }
  /** An instant relative to the moment of sending (the clock the server checks against). */
  | { op: 'now'; path: Path; seconds: number; offsetMinutes: number };

type Route = 'claims' | 'responses' | 'corrections';

interface Case {
  route: Route;
  /** A valid body to edit, or a random JSON value sent as it is. */
  base: 'valid' | 'random';
  /** For corrections: the claim fields the `changes` start with. */
  keys?: string[];
  ops: Op[];
  random?: unknown;
}

// ---------------------------------------------------------------------------------------------
// Sample texts and values

const TEXTS = [
  'Ադրբեջանական զինուժը հրետակոծել է Ստեփանակերտը', // Armenian
  'Ermənistan silahlı qüvvələri Tərtər şəhərini atəşə tutub', // Azerbaijani (Latin)
  'Xankəndi', // Azerbaijani name of Stepanakert
  'Ստեփանակերտ',
  'Армянские силы обстреляли Тертер, сообщило Минобороны Азербайджана', // Russian
  'Гянджа',
  '💥🚀🏚️ 👩‍👩‍👧‍👦 🇦🇲🇦🇿',
  'Tərtər / Թարթառ / Тертер',
  'zero\u200bwidth\u200djoiner\ufeffbom\u2028line',
  'ملاحظة بالعربية',
  ' ',
  'a',
];

const BAD_CHARS = ['\u0000', '\uD800', '\uDFFF', '\uDBFF', 'a\u0000b', '\uD83D', '\uDE00\uD83D', '\u0000\uD800'];

const BAD_DATES = [
  '2020-10-11T01:00:00', // no offset
  '2020-10-11', // a date, not an instant
  '2020-10-11T01:00', // no offset, no seconds
  '2020-13-01T00:00:00Z',
  '2020-10-32T00:00:00Z',
  '2020-10-11T25:00:00Z',
  '2020-10-11T24:30:00Z',
  '2020-10-11T00:60:00Z',
  '2020-10-11T00:00:00+99:00',
  '2020-10-11T01:00:00+04',
  '2020-10-11 01:00:00+04:00',
  '2020-10-11t01:00:00z',
  '20201011T010000Z',
  '2020-10-11T01:00:00.1234567890Z',
  '+275760-09-13T00:00:00Z',
  'not a date',
  'yesterday',
  '',
  '2999-01-01T00:00:00+04:00', // far future
  '9999-12-31T23:59:59-12:00', // far future
];

const ODD_VALID_DATES = [
  '2020-02-30T00:00:00+04:00', // Date.parse rolls it over: accepted as an instant
  '2020-10-11T24:00:00Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2020-10-11T01:00:00-00:00',
  '2020-10-11T01:00:00.123456789+04:00',
  '2020-10-11T01:00Z',
  '1900-01-01T00:00:00+14:00',
];

const BAD_NUMBERS = [0, 7, 2.5, -1, 6.000001, 0.5, 1e21, 91, -91, 90.00001, 181, -180.5, 10_000_001, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -0];
const BIG_LITERALS = ['1e400', '-1e400', '123456789012345678901234567890', '1.0', '3.0e0', '0.0000000000000000000001', '-0'];
const ENUM_JUNK = ['VIOLATED', 'violated ', ' shelling', 'Shelling', 'violation', 'nuclear-strike', 'A+', 'G', 'a', 'HOUR', 'exact ', 'denied', 'null', 'undefined', '0', ''];
const EXTRA_KEYS = [
  'id',
  'claimId',
  'respondsTo',
  'stance',
  'conflictId',
  'attributionId',
  'position',
  'streamVersion',
  'isAdmin',
  'role',
  'extra',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'then',
  '',
  ' ',
  'summary ',
  'Summary',
  '\u0000',
  '\uD800',
  'ключ',
];

// ---------------------------------------------------------------------------------------------
// Paths into a claim body (relative to the claim object)

const CLAIM_PATHS: Path[] = [
  ['conflictId'],
  ['claimant'],
  ['subject'],
  ['assertion'],
  ['category'],
  ['occurred'],
  ['occurred', 'from'],
  ['occurred', 'to'],
  ['occurred', 'precision'],
  ['occurred', 'raw'],
  ['statedAt'],
  ['location'],
  ['location', 'name'],
  ['location', 'altNames'],
  ['location', 'altNames', 0],
  ['location', 'lat'],
  ['location', 'lon'],
  ['location', 'precision'],
  ['casualties'],
  ['casualties', 'civilian'],
  ['casualties', 'civilian', 'killed'],
  ['casualties', 'civilian', 'killed', 'min'],
  ['casualties', 'civilian', 'wounded', 'max'],
  ['casualties', 'military', 'killed'],
  ['summary'],
  ['attributions'],
  ['attributions', 0],
  ['attributions', 0, 'outlet'],
  ['attributions', 0, 'speaker'],
  ['attributions', 0, 'url'],
  ['attributions', 0, 'publishedAt'],
  ['attributions', 0, 'quote'],
  ['attributions', 0, 'language'],
  ['attributions', 0, 'reliability'],
  ['attributions', 0, 'credibility'],
  ['attributions', 0, 'confidential'],
  ['attributions', 0, 'protectedIdentity'],
];
const OPTIONAL_PATHS: Path[] = [
  ['occurred', 'to'],
  ['occurred', 'raw'],
  ['location'],
  ['location', 'altNames'],
  ['location', 'lat'],
  ['location', 'lon'],
  ['location', 'precision'],
  ['casualties'],
  ['casualties', 'civilian', 'killed'],
  ['attributions', 0, 'speaker'],
  ['attributions', 0, 'language'],
];
const OBJECT_PATHS: Path[] = [[], ['occurred'], ['location'], ['casualties'], ['casualties', 'civilian'], ['casualties', 'civilian', 'killed'], ['attributions', 0]];
const ENUM_PATHS: Path[] = [['assertion'], ['category'], ['occurred', 'precision'], ['location', 'precision'], ['attributions', 0, 'reliability'], ['stance']];
const NUMBER_PATHS: Path[] = [
  ['location', 'lat'],
  ['location', 'lon'],
  ['casualties', 'civilian', 'killed', 'min'],
  ['casualties', 'civilian', 'killed', 'max'],
  ['casualties', 'civilian', 'wounded', 'min'],
  ['casualties', 'military', 'wounded', 'max'],
  ['attributions', 0, 'credibility'],
];
const RANGE_PATHS: Path[] = [
  ['casualties', 'civilian', 'killed'],
  ['casualties', 'civilian', 'wounded'],
  ['casualties', 'military', 'killed'],
  ['casualties', 'military', 'wounded'],
];
const DATE_PATHS: Path[] = [['occurred', 'from'], ['occurred', 'to'], ['statedAt'], ['attributions', 0, 'publishedAt']];
const TEXT_PATHS: Path[] = [
  ['summary'],
  ['occurred', 'raw'],
  ['location', 'name'],
  ['location', 'altNames', 0],
  ['casualties', 'civilian', 'killed', 'raw'],
  ['attributions', 0, 'outlet'],
  ['attributions', 0, 'speaker'],
  ['attributions', 0, 'quote'],
  ['attributions', 0, 'url'],
  ['attributions', 0, 'language'],
];

// ---------------------------------------------------------------------------------------------
// Building a body from a case

const pad = (n: number) => String(n).padStart(2, '0');

/** `ms` as an ISO 8601 instant written in the given UTC offset. */
function isoAt(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function rawText(json: RawJson): string {
  switch (json.kind) {
    case 'deep': {
      const open = json.shape === 'array' ? '[' : json.shape === 'object' ? '{"a":' : '[{"a":';
      const close = json.shape === 'array' ? ']' : json.shape === 'object' ? '}' : '}]';
      return `${open.repeat(json.depth)}0${close.repeat(json.depth)}`;
    }
    case 'huge':
      return JSON.stringify(json.char.repeat(json.length));
    case 'literal':
      return json.text;
  }
}

const isContainer = (v: unknown): v is Record<string | number, unknown> => typeof v === 'object' && v !== null;

/** Sets `obj[key]` as an own, enumerable property (so that "__proto__" stays a plain key). */
function define(obj: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The container holding the last key of `path`, creating missing objects on the way; null if blocked. */
function parentOf(root: unknown, path: Path): Record<string | number, unknown> | null {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!isContainer(node)) return null;
    if (!Object.prototype.hasOwnProperty.call(node, key) || node[key] === undefined) define(node, key, {});
    node = node[key];
  }
  return isContainer(node) ? node : null;
}

/** Applies the ops to a copy of `base` and returns the JSON text to send. */
function buildJson(base: unknown, ops: readonly Op[]): string {
  const root = { body: structuredClone(base) as unknown };
  const raws: string[] = [];
  for (const o of ops) {
    const path = ['body', ...o.path];
    const parent = parentOf(root, path);
    const key = path[path.length - 1]!;
    if (!parent) continue;
    switch (o.op) {
      case 'drop':
        delete parent[key];
        break;
      case 'set':
        define(parent, key, structuredClone(o.value));
        break;
      case 'raw':
        define(parent, key, `@@RAW${raws.length}@@`);
        raws.push(rawText(o.json));
        break;
      case 'insert': {
        const old = typeof parent[key] === 'string' ? (parent[key] as string) : '';
        const at = Math.min(o.at, old.length);
        define(parent, key, old.slice(0, at) + o.chars + old.slice(at));
        break;
      }
      case 'now':
        define(parent, key, isoAt(Date.now() + o.seconds * 1000, o.offsetMinutes));
        break;
    }
  }
  let json = JSON.stringify(root.body) ?? 'null';
  raws.forEach((text, i) => {
    json = json.replace(`"@@RAW${i}@@"`, () => text);
  });
  return json;
}

const truncate = (text: string, max = 1200) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

// ---------------------------------------------------------------------------------------------
// Arbitraries

function arbitraries(s: Scenario) {
  const parties = [s.azerbaijan, s.armenia, s.artsakh, s.russia];
  const claimBase = claimBody(s);
  const responseBase = JSON.parse(JSON.stringify(denialBody(s))) as Record<string, unknown>;
  const stated = Date.parse(claimBase.statedAt);
  const from = Date.parse(claimBase.occurred.from);

  const anyPath = fc.constantFrom(...CLAIM_PATHS);
  const offset = fc.integer({ min: -14 * 4, max: 14 * 4 }).map((q) => q * 15);
  const text = fc.oneof(fc.constantFrom(...TEXTS), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), fc.string({ maxLength: 20 }));
  const wrongType = fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 20 }),
    fc.constant(null),
    fc.boolean(),
    fc.constant(''),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    fc.constant([]),
    fc.constant({}),
  );
  const deep = fc.record({
    kind: fc.constant('deep' as const),
    // Past 40 levels the depth shrinks towards the smallest one that still fails.
    depth: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 40 }) }, { weight: 1, arbitrary: fc.integer({ min: 41, max: 40_000 }) }),
    shape: fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
  });
  const huge = fc.record({
    kind: fc.constant('huge' as const),
    length: fc.oneof(
      fc.constantFrom(201, 301, 501, 2_001, 5_001, 10_001, 300_000),
      fc.integer({ min: 1, max: 12_000 }),
    ),
    char: fc.constantFrom('x', 'ա', '💥', ' '),
  });
  const dateValue = fc.oneof(
    fc.constantFrom(...BAD_DATES),
    fc.constantFrom(...ODD_VALID_DATES),
    fc
      .tuple(fc.integer({ min: Date.parse('1900-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }), offset)
      .map(([ms, off]) => isoAt(ms, off)),
    fc.tuple(fc.integer({ min: -72, max: 72 }), offset).map(([h, off]) => isoAt(stated + h * 3_600_000, off)),
    fc.integer(),
  );

  /** Edits of a claim body; each is a short list of ops with paths relative to the claim. */
  const claimEdit = (forResponse: boolean): fc.Arbitrary<Op[]> =>
    fc.oneof(
      anyPath.map((path) => [{ op: 'drop', path }] as Op[]),
      fc.constantFrom(...OPTIONAL_PATHS).map((path) => [{ op: 'drop', path }] as Op[]),
      fc.tuple(anyPath, wrongType).map(([path, value]) => [{ op: 'set', path, value }] as Op[]),
      fc
        .tuple(fc.constantFrom(...OBJECT_PATHS), fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ minLength: 1, maxLength: 10 })), fc.jsonValue({ maxDepth: 2 }))
        .map(([path, key, value]) => [{ op: 'set', path: [...path, key], value }] as Op[]),
      fc
        .tuple(fc.constantFrom(...ENUM_PATHS), fc.oneof(fc.constantFrom(...ENUM_JUNK), fc.string({ maxLength: 12 })))
        .map(([path, value]) => [{ op: 'set', path, value }] as Op[]),
      fc
        .tuple(fc.constantFrom(...NUMBER_PATHS), fc.oneof(fc.constantFrom(...BAD_NUMBERS), fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true })))
        .map(([path, value]) => [{ op: 'set', path, value }] as Op[]),
      fc
        .tuple(fc.constantFrom(...NUMBER_PATHS), fc.constantFrom(...BIG_LITERALS))
        .map(([path, t]) => [{ op: 'raw', path, json: { kind: 'literal', text: t } }] as Op[]),
      fc.tuple(fc.constantFrom(...RANGE_PATHS), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 })).map(
        ([path, max, more]) =>
          [
            { op: 'set', path: [...path, 'min'], value: max + more },
            { op: 'set', path: [...path, 'max'], value: max },
          ] as Op[],
      ),
      fc.tuple(fc.constantFrom(...DATE_PATHS), dateValue).map(([path, value]) => [{ op: 'set', path, value }] as Op[]),
      fc
        .tuple(fc.constantFrom(...DATE_PATHS), fc.integer({ min: -600, max: 86_400 * 400 }), offset)
        .map(([path, seconds, offsetMinutes]) => [{ op: 'now', path, seconds, offsetMinutes }] as Op[]),
      // occurred after statedAt, and occurred.to before occurred.from
      fc.integer({ min: 1, max: 24 * 30 }).map((h) => [{ op: 'set', path: ['occurred', 'from'], value: isoAt(stated + h * 3_600_000, 240) }] as Op[]),
      fc.integer({ min: 1, max: 24 * 60 }).map((m) => [{ op: 'set', path: ['occurred', 'to'], value: isoAt(from - m * 60_000, 180) }] as Op[]),
      fc
        .tuple(fc.constantFrom(...TEXT_PATHS), fc.nat({ max: 80 }), fc.constantFrom(...BAD_CHARS))
        .map(([path, at, chars]) => [{ op: 'insert', path, at, chars }] as Op[]),
      fc.tuple(fc.constantFrom(...TEXT_PATHS), text).map(([path, value]) => [{ op: 'set', path, value }] as Op[]),
      fc
        .tuple(fc.constantFrom(['claimant'], ['subject']), fc.oneof(fc.uuid(), fc.constantFrom(...parties, s.conflictId, s.agreementId, s.armenia.toUpperCase(), 'not-a-uuid')))
        .map(([path, value]) => [{ op: 'set', path, value }] as Op[]),
      // claimant = subject, assertion violated (with stance acknowledgement a response may do it)
      fc.constantFrom(...parties).map(
        (party) =>
          [
            { op: 'set', path: ['claimant'], value: party },
            { op: 'set', path: ['subject'], value: party },
            { op: 'set', path: ['assertion'], value: 'violated' },
          ] as Op[],
      ),
      fc.oneof(fc.uuid(), fc.constantFrom(s.azerbaijan, 'not-a-uuid', s.conflictId.toUpperCase())).map((value) => [{ op: 'set', path: ['conflictId'], value }] as Op[]),
      fc.tuple(anyPath, deep).map(([path, json]) => [{ op: 'raw', path, json }] as Op[]),
      fc
        .tuple(fc.constantFrom(...OBJECT_PATHS), fc.constantFrom('junk', 'nested', '__proto__'), deep)
        .map(([path, key, json]) => [{ op: 'raw', path: [...path, key], json }] as Op[]),
      fc.tuple(fc.constantFrom(...TEXT_PATHS, ['location', 'altNames']), huge).map(([path, json]) => [{ op: 'raw', path, json }] as Op[]),
      fc.nat({ max: 60 }).map((n) => [{ op: 'set', path: ['attributions'], value: Array.from({ length: n }, () => claimBase.attributions[0]) }] as Op[]),
      fc
        .array(fc.oneof(text, fc.constant('')), { maxLength: 25 })
        .map((names) => [{ op: 'set', path: ['location', 'altNames'], value: names }] as Op[]),
      // a confidential source, with or without confidential: true
      fc.tuple(fc.boolean(), text).map(
        ([confidential, identity]) =>
          [
            { op: 'set', path: ['attributions', 0, 'confidential'], value: confidential },
            { op: 'set', path: ['attributions', 0, 'protectedIdentity'], value: identity },
          ] as Op[],
      ),
      ...(forResponse
        ? [fc.constantFrom('denial', 'counter-accusation', 'acknowledgement', 'justification').map((value) => [{ op: 'set', path: ['stance'], value }] as Op[])]
        : []),
    );

  const edits = (forResponse: boolean) =>
    fc
      .oneof({ weight: 1, arbitrary: fc.constant([] as Op[][]) }, { weight: 6, arbitrary: fc.array(claimEdit(forResponse), { minLength: 1, maxLength: 4 }) })
      .map((list) => list.flat());

  const under = (prefix: string, ops: Op[]): Op[] => ops.map((o) => ({ ...o, path: [prefix, ...o.path] }));
  const claimFields = Object.keys(claimBase).filter((k) => k !== 'conflictId');

  const randomJson = fc.oneof(
    fc.jsonValue({ maxDepth: 6 }),
    fc.jsonValue({ maxDepth: 4, stringUnit: 'grapheme' }),
    fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }),
    fc.string({ maxLength: 40 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(null, true, false, 0, '', [], {}),
    fc.dictionary(fc.constantFrom(...Object.keys(claimBase), 'stance', 'changes', 'reason', 'expectedVersion'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 12 }),
  );

  const claimCase: fc.Arbitrary<Case> = edits(false).map((ops) => ({ route: 'claims', base: 'valid', ops }));
  const responseCase: fc.Arbitrary<Case> = edits(true).map((ops) => ({ route: 'responses', base: 'valid', ops }));
  const correctionCase: fc.Arbitrary<Case> = fc
    .record({
      keys: fc.subarray(claimFields, { minLength: 0 }),
      claimOps: edits(true),
      wrapperOps: fc.array(
        fc.oneof(
          fc.constantFrom(['changes'], ['reason']).map((path) => ({ op: 'drop', path }) as Op),
          fc.tuple(fc.constantFrom(['changes'], ['reason'], ['expectedVersion']), wrongType).map(([path, value]) => ({ op: 'set', path, value }) as Op),
          fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constantFrom(2_147_483_648, 1.5, '1')).map((value) => ({ op: 'set', path: ['expectedVersion'], value }) as Op),
          fc.tuple(fc.constantFrom(...EXTRA_KEYS), fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => ({ op: 'set', path: [key], value }) as Op),
          fc.tuple(fc.nat({ max: 40 }), fc.constantFrom(...BAD_CHARS)).map(([at, chars]) => ({ op: 'insert', path: ['reason'], at, chars }) as Op),
          text.map((value) => ({ op: 'set', path: ['reason'], value }) as Op),
        ),
        { maxLength: 2 },
      ),
    })
    .map(({ keys, claimOps, wrapperOps }) => ({ route: 'corrections', base: 'valid', keys, ops: [...under('changes', claimOps), ...wrapperOps] }));
  const randomCase: fc.Arbitrary<Case> = fc
    .tuple(fc.constantFrom<Route>('claims', 'claims', 'claims', 'responses', 'corrections'), randomJson)
    .map(([route, random]) => ({ route, base: 'random', ops: [], random }));

  const anyCase = fc.oneof(
    { weight: 60, arbitrary: claimCase },
    { weight: 16, arbitrary: randomCase },
    { weight: 12, arbitrary: responseCase },
    { weight: 12, arbitrary: correctionCase },
  );

  /** The JSON text a case sends. */
  const jsonFor = (c: Case): string => {
    if (c.base === 'random') return JSON.stringify(c.random) ?? 'null';
    if (c.route === 'claims') return buildJson(claimBase, c.ops);
    if (c.route === 'responses') return buildJson(responseBase, c.ops);
    const changes = Object.fromEntries((c.keys ?? []).map((k) => [k, (claimBase as Record<string, unknown>)[k]]));
    return buildJson({ changes, reason: 'The entry misread the source.' }, c.ops);
  };

  return { anyCase, jsonFor };
}

// ---------------------------------------------------------------------------------------------

describe('claim routes under random and mutated bodies', () => {
  const kind = postgresAvailable() ? 'postgres' : 'embedded';
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

  it(`never answers 5xx, answers failures as problem+json and appends exactly on 201 (${kind})`, async () => {
    const journalist = bearer(app.tokens.journalist);
    const post = (path: string, json: string) => request(app.server).post(path).set(journalist).set('Content-Type', 'application/json').send(json);
    const answered = (await post('/api/claims', JSON.stringify(claimBody(s))).expect(201)).body.id as string;
    const corrected = (await post('/api/claims', JSON.stringify(claimBody(s))).expect(201)).body.id as string;
    const paths: Record<Route, string> = {
      claims: '/api/claims',
      responses: `/api/claims/${answered}/responses`,
      corrections: `/api/claims/${corrected}/corrections`,
    };

    const { anyCase, jsonFor } = arbitraries(s);
    const statuses = new Map<number, number>();
    let requests = 0;

    const summary = () =>
      [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(', ');

    console.log(`claims property: fast-check seed ${SEED}, ${RUNS} runs on ${kind}`);
    try {
      await fc.assert(
        fc.asyncProperty(anyCase, async (c) => {
          const route = paths[c.route];
          const json = jsonFor(c);
          const before = await app.head();
          const res = await post(route, json);
          const head = await app.head();
          requests++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);

          const context = `POST ${route} → ${res.status}\nbody sent: ${truncate(json)}\nresponse: ${truncate(res.text ?? '')}`;
          const fail = (why: string) => {
            throw new Error(`${why}\n${context}`);
          };
          if (res.status >= 500) fail('server error');
          if (res.status < 200 || res.status >= 300) {
            if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) fail(`not problem+json: ${res.headers['content-type']}`);
            if (typeof res.body?.status !== 'number' || res.body.status !== res.status) fail('problem status differs from the HTTP status');
          }
          if (res.status === 400) {
            const errors: unknown = res.body?.errors;
            const wellFormed =
              Array.isArray(errors) &&
              errors.length > 0 &&
              errors.every((e) => typeof e === 'object' && e !== null && typeof e.field === 'string' && typeof e.message === 'string');
            if (!wellFormed) fail('400 without a non-empty errors list of {field, message}');
          }
          if (res.status === 201) {
            if (head !== before + 1) fail(`201 but the head moved from ${before} to ${head}`);
            if (res.body?.position !== head) fail(`201 names position ${res.body?.position}, the head is ${head}`);
          } else if (head !== before) {
            fail(`${res.status} but the head moved from ${before} to ${head}`);
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
    } finally {
      console.log(`claims property: ${requests} requests, statuses ${summary()}`);
    }
    expect(requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
  }, 300_000);
});
