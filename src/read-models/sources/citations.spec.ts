import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  applyLedgerDelta,
  type Citation,
  CitationSet,
  isCounted,
  type LedgerCounts,
  mentionedClaims,
  originalsToLoad,
} from './citations';

const CONFIDENTIAL = 'confidential source';
const T0 = '2020-10-10T00:00:00.000Z';
const REC = '2020-11-01T00:00:00.000Z';

// Readable stand-ins for ids (the pure code never parses them).
const claim = (n: number) => `c${n}`;
const party = (n: number) => `p${n}`;

interface Source {
  attributionId: string;
  outlet: string;
  confidential?: boolean;
  publishedAt?: string;
}
const src = (attributionId: string, outlet: string, extra: Partial<Source> = {}) => ({ attributionId, outlet, reliability: 'B', credibility: 3, confidential: false, ...extra });

type Ev = { type: string; data: Record<string, unknown>; recordedAt: string };
const ev = (type: string, data: Record<string, unknown>, recordedAt = REC): Ev => ({ type, data, recordedAt });
const recorded = (id: string, claimant: string, attributions: Source[], statedAt = T0) =>
  ev('ClaimRecorded', { claimId: id, conflictId: 'k', claimant, statedAt, attributions });
const added = (id: string, attribution: Source, at = REC) => ev('AttributionAdded', { claimId: id, attribution }, at);
const withdrawn = (id: string, attributionId: string) => ev('AttributionWithdrawn', { claimId: id, attributionId, reason: 'r' });
const revised = (id: string, attributions: Source[], asOf = T0) => ev('CasualtiesRevised', { claimId: id, casualties: {}, asOf, attributions });
const retracted = (id: string, attributions: Source[], statedAt = T0) => ev('ClaimRetracted', { claimId: id, statedAt, attributions });
const corrected = (id: string, changes: { claimant?: string; statedAt?: string; attributions?: Source[] }, at = REC) => ev('ClaimCorrected', { claimId: id, changes, reason: 'r' }, at);
const voided = (id: string) => ev('ClaimVoided', { claimId: id, reason: 'r' });
const duplicate = (id: string, of: string) => ev('ClaimMarkedDuplicate', { claimId: id, duplicateOf: of, reason: 'r' });

// ---------------------------------------------------------------------------------------------
// A model of the two tables: the citations, kept as rows, and the ledger

const keyOf = (c: Pick<Citation, 'claimId' | 'attributionId'>) => `${c.claimId}/${c.attributionId}`;

/** Version 1's ledger: aggregated from every counted citation. */
function ledgerFrom(rows: Iterable<Citation>): Record<string, { claims: number; claimants: Record<string, number>; first: number; last: number }> {
  const by = new Map<string, Citation[]>();
  for (const c of rows) if (isCounted(c)) by.set(c.outlet, [...(by.get(c.outlet) ?? []), c]);
  const out: Record<string, { claims: number; claimants: Record<string, number>; first: number; last: number }> = {};
  for (const [outlet, cs] of by) {
    const perClaimant = new Map<string, Set<string>>();
    for (const c of cs) perClaimant.set(c.claimant, (perClaimant.get(c.claimant) ?? new Set()).add(c.countsFor!));
    const times = cs.map((c) => new Date(c.seenAt).getTime());
    out[outlet] = {
      claims: new Set(cs.map((c) => c.countsFor)).size,
      claimants: Object.fromEntries([...perClaimant].map(([k, v]) => [k, v.size])),
      first: Math.min(...times),
      last: Math.max(...times),
    };
  }
  return out;
}

/** The database, as the projector reads and writes it: rows by key, and the ledger. */
class Store {
  readonly rows = new Map<string, Citation>();
  readonly ledger = new Map<string, LedgerCounts & { first: number; last: number }>();

  /** What `loadFamilies` reads: the claims' own citations and those counting for them. */
  families(ids: readonly string[]): Citation[] {
    const wanted = new Set(ids);
    return [...this.rows.values()].filter((c) => wanted.has(c.claimId) || (c.countsFor !== null && wanted.has(c.countsFor))).map((c) => ({ ...c }));
  }

  /** One batch, the way the projector runs it. */
  batch(events: Ev[]): void {
    const mentioned = mentionedClaims(events);
    const loaded = this.families(mentioned);
    loaded.push(...this.families(originalsToLoad(loaded, mentioned)));
    const set = new CitationSet(loaded, CONFIDENTIAL);
    for (const e of events) set.apply(e);
    const { added, changed } = set.changes();
    for (const row of added) {
      if (this.rows.has(keyOf(row))) throw new Error(`${keyOf(row)} is there already`);
      this.rows.set(keyOf(row), { ...row });
    }
    for (const row of changed) {
      const stored = this.rows.get(keyOf(row))!;
      // Outlet, listing and seen time are never rewritten.
      this.rows.set(keyOf(row), { ...stored, claimant: row.claimant, statedAt: row.statedAt, active: row.active, countsFor: row.countsFor });
    }
    const counted = ledgerFrom(this.rows.values());
    for (const [outlet, delta] of set.ledgerDeltas()) {
      const next = applyLedgerDelta(outlet, this.ledger.get(outlet), delta);
      if (!next) this.ledger.delete(outlet);
      else this.ledger.set(outlet, { ...next, first: counted[outlet]!.first, last: counted[outlet]!.last });
    }
  }

  ledgerView() {
    return Object.fromEntries([...this.ledger].map(([outlet, r]) => [outlet, { claims: r.claims, claimants: r.claimants, first: r.first, last: r.last }]));
  }
}

/** Version 1, statement by statement, over all the rows: the reference for the citations. */
function referenceRows(events: Ev[]): Map<string, Citation> {
  const rows = new Map<string, Citation>();
  const all = () => [...rows.values()];
  for (const e of events) {
    const d = e.data as Record<string, never>;
    const id = d.claimId as string;
    const cite = (
      attributions: Source[],
      listed: boolean,
      seenAt: string | undefined,
      known?: { claimant: string; conflictId: string; countsFor: string; statedAt: string },
    ) => {
      if (attributions.length === 0) return;
      const first = all().find((c) => c.claimId === id);
      const k = known ?? (first && { claimant: first.claimant, conflictId: first.conflictId, countsFor: first.countsFor, statedAt: first.statedAt });
      if (!k) return;
      for (const a of attributions) {
        const key = `${id}/${a.attributionId}`;
        if (rows.has(key)) continue;
        rows.set(key, {
          claimId: id,
          attributionId: a.attributionId,
          outlet: a.confidential ? CONFIDENTIAL : a.outlet,
          claimant: k.claimant,
          conflictId: k.conflictId,
          seenAt: a.publishedAt ?? seenAt ?? k.statedAt,
          statedAt: k.statedAt,
          active: true,
          listed,
          countsFor: k.countsFor,
        });
      }
    };
    switch (e.type) {
      case 'ClaimRecorded':
        cite(d.attributions, true, d.statedAt, { claimant: d.claimant, conflictId: d.conflictId, countsFor: id, statedAt: d.statedAt });
        break;
      case 'AttributionAdded':
        cite([d.attribution], true, undefined);
        break;
      case 'CasualtiesRevised':
        cite(d.attributions, false, d.asOf);
        break;
      case 'ClaimRetracted':
        cite(d.attributions, false, d.statedAt);
        break;
      case 'AttributionWithdrawn':
        for (const c of all()) if (c.claimId === id && c.attributionId === d.attributionId) c.active = false;
        break;
      case 'ClaimCorrected': {
        const changes = d.changes as { claimant?: string; statedAt?: string; attributions?: Source[] };
        if (changes.claimant) for (const c of all()) if (c.claimId === id) c.claimant = changes.claimant;
        if (changes.statedAt) for (const c of all()) if (c.claimId === id) c.statedAt = changes.statedAt;
        if (changes.attributions) {
          for (const c of all()) if (c.claimId === id && c.listed) c.active = false;
          cite(changes.attributions, true, undefined);
        }
        break;
      }
      case 'ClaimVoided':
        for (const c of all()) if (c.claimId === id || c.countsFor === id) c.countsFor = null;
        break;
      case 'ClaimMarkedDuplicate': {
        const voidedOriginal = all().some((o) => o.claimId === d.duplicateOf && o.countsFor === null);
        for (const c of all()) if (c.claimId === id && c.countsFor !== null) c.countsFor = voidedOriginal ? null : d.duplicateOf;
        break;
      }
    }
  }
  return rows;
}

const run = (batches: Ev[][]) => {
  const store = new Store();
  for (const b of batches) store.batch(b);
  return store;
};

const ledgerOf = (events: Ev[]) =>
  Object.fromEntries(Object.entries(run([events]).ledgerView()).map(([outlet, r]) => [outlet, { claims: r.claims, claimants: r.claimants }]));

// ---------------------------------------------------------------------------------------------

describe('the source ledger by deltas', () => {
  it('counts a claim once per outlet, however many of its citations name the outlet', () => {
    const events = [
      recorded(claim(1), party(1), [src('a1', 'TASS'), src('a2', 'TASS')]),
      added(claim(1), src('a3', 'TASS')),
      revised(claim(1), [src('a4', 'TASS')]),
      recorded(claim(2), party(1), [src('b1', 'TASS')]),
      recorded(claim(3), party(2), [src('d1', 'Reuters')]),
    ];
    expect(ledgerOf(events)).toEqual({
      TASS: { claims: 2, claimants: { p1: 2 } },
      Reuters: { claims: 1, claimants: { p2: 1 } },
    });
  });

  it('cites a confidential source only as the confidential outlet', () => {
    const store = run([[recorded(claim(1), party(1), [src('a1', 'Reuters', { confidential: true }), src('a2', 'APA')])]]);
    expect([...store.rows.values()].map((c) => c.outlet).sort()).toEqual(['APA', CONFIDENTIAL]);
    expect(Object.keys(store.ledgerView()).sort()).toEqual(['APA', CONFIDENTIAL]);
  });

  it('sees an outlet at its publication time, else at the statement’s, revision’s or retraction’s, never at the server’s clock', () => {
    const store = run([
      [
        recorded(claim(1), party(1), [src('a1', 'TASS', { publishedAt: '2020-10-09T10:00:00.000Z' }), src('a2', 'APA')], '2020-10-09T20:00:00.000Z'),
        added(claim(1), src('a3', 'BBC'), '2020-10-12T00:00:00.000Z'),
        revised(claim(1), [src('a4', 'Trend')], '2020-10-13T00:00:00.000Z'),
        retracted(claim(1), [src('a5', 'news.am')], '2020-10-14T00:00:00.000Z'),
        corrected(claim(1), { attributions: [src('a6', 'Interfax')] }, '2020-10-15T00:00:00.000Z'),
      ],
    ]);
    const seen = Object.fromEntries([...store.rows.values()].map((c) => [c.outlet, c.seenAt]));
    // A source added later, or by a correction, without a publication date: seen when the claim
    // was stated, not when the event was recorded (2020-10-12 and 2020-10-15 here).
    expect(seen).toEqual({
      TASS: '2020-10-09T10:00:00.000Z',
      APA: '2020-10-09T20:00:00.000Z',
      BBC: '2020-10-09T20:00:00.000Z',
      Trend: '2020-10-13T00:00:00.000Z',
      'news.am': '2020-10-14T00:00:00.000Z',
      Interfax: '2020-10-09T20:00:00.000Z',
    });
    // The correction replaced the listed sources (the recorded and the added ones), not the others.
    expect(Object.keys(store.ledgerView()).sort()).toEqual(['Interfax', 'Trend', 'news.am']);
  });

  it('sees a source added after a correction of statedAt at the corrected time, in a later batch too', () => {
    const store = run([
      [recorded(claim(1), party(1), [src('a1', 'APA')], '2020-10-09T20:00:00.000Z')],
      [corrected(claim(1), { statedAt: '2020-10-09T18:00:00.000Z' })],
      [added(claim(1), src('a2', 'BBC'))],
    ]);
    const seen = Object.fromEntries([...store.rows.values()].map((c) => [c.outlet, c.seenAt]));
    expect(seen).toEqual({ APA: '2020-10-09T20:00:00.000Z', BBC: '2020-10-09T18:00:00.000Z' });
  });

  it('counts a duplicate’s citations for its original, for its own claimant, and for nothing once the original is voided', () => {
    const batches = [
      [recorded(claim(1), party(1), [src('a1', 'TASS')]), recorded(claim(2), party(2), [src('b1', 'TASS'), src('b2', 'APA')])],
      [duplicate(claim(2), claim(1))],
    ];
    expect(run(batches).ledgerView()).toMatchObject({ TASS: { claims: 1, claimants: { p1: 1, p2: 1 } }, APA: { claims: 1, claimants: { p2: 1 } } });
    expect(run([...batches, [voided(claim(1))]]).ledgerView()).toEqual({});
    // A duplicate of a voided claim counts for nothing; its sources added later neither.
    const late = run([...batches, [voided(claim(1)), recorded(claim(3), party(3), [src('e1', 'BBC')]), duplicate(claim(3), claim(1)), added(claim(3), src('e2', 'BBC'))]]);
    expect(late.ledgerView()).toEqual({});
    expect([...late.rows.values()].filter((c) => c.claimId === claim(3)).map((c) => c.countsFor)).toEqual([null, null]);
  });

  it('changes nothing when a duplicate cites an outlet its original already counts in, in a batch that does not name the original', () => {
    const store = run([
      [recorded(claim(1), party(1), [src('a1', 'TASS')]), recorded(claim(2), party(1), [src('b1', 'APA')]), duplicate(claim(2), claim(1))],
      [added(claim(2), src('b2', 'TASS'))],
    ]);
    expect(store.ledgerView()).toMatchObject({ TASS: { claims: 1, claimants: { p1: 1 } }, APA: { claims: 1, claimants: { p1: 1 } } });
    // And a source withdrawn from the duplicate leaves the original's count alone.
    store.batch([withdrawn(claim(2), 'b2'), withdrawn(claim(2), 'b1')]);
    expect(store.ledgerView()).toMatchObject({ TASS: { claims: 1, claimants: { p1: 1 } } });
    expect(store.ledgerView().APA).toBeUndefined();
  });

  it('gives no citation to events about a claim it never saw cited', () => {
    const store = run([[added(claim(9), src('x', 'TASS')), recorded(claim(1), party(1), []), added(claim(1), src('y', 'TASS'))]]);
    expect(store.rows.size).toBe(0);
    expect(store.ledgerView()).toEqual({});
  });

  it('leaves an attribution already cited as it is, withdrawn or not', () => {
    const store = run([[recorded(claim(1), party(1), [src('a1', 'TASS'), src('a2', 'APA')]), withdrawn(claim(1), 'a1')], [added(claim(1), src('a1', 'TASS'))]]);
    expect(store.rows.get(`${claim(1)}/a1`)!.active).toBe(false);
    expect(Object.keys(store.ledgerView())).toEqual(['APA']);
  });

  it('moves a claim between claimants when its claimant is corrected', () => {
    const store = run([[recorded(claim(1), party(1), [src('a1', 'TASS')]), recorded(claim(2), party(2), [src('b1', 'TASS')])], [corrected(claim(1), { claimant: party(2) })]]);
    expect(store.ledgerView()).toMatchObject({ TASS: { claims: 2, claimants: { p2: 2 } } });
  });

  it('recomputes first and last seen when the earliest citation leaves and a later one comes in the same batch', () => {
    const store = run([
      [recorded(claim(1), party(1), [src('a1', 'TASS', { publishedAt: '2020-10-01T00:00:00.000Z' })]), recorded(claim(2), party(1), [src('b1', 'TASS', { publishedAt: '2020-10-05T00:00:00.000Z' })])],
      [withdrawn(claim(1), 'a1'), added(claim(1), src('a2', 'TASS', { publishedAt: '2020-10-07T00:00:00.000Z' }))],
    ]);
    expect(store.ledgerView().TASS).toEqual({
      claims: 2,
      claimants: { p1: 2 },
      first: Date.parse('2020-10-05T00:00:00.000Z'),
      last: Date.parse('2020-10-07T00:00:00.000Z'),
    });
  });

  it('handles a claim recorded, cited, marked a duplicate and voided within one batch as across batches', () => {
    const events = [
      recorded(claim(1), party(1), [src('a1', 'TASS')]),
      recorded(claim(2), party(2), [src('b1', 'APA')]),
      added(claim(2), src('b2', 'TASS')),
      duplicate(claim(2), claim(1)),
      recorded(claim(3), party(3), [src('d1', 'TASS')]),
      duplicate(claim(3), claim(1)),
      voided(claim(3)),
      added(claim(2), src('b3', 'BBC')),
      voided(claim(1)),
      recorded(claim(4), party(1), [src('f1', 'TASS')]),
    ];
    const whole = run([events]);
    const single = run(events.map((e) => [e]));
    expect(whole.ledgerView()).toEqual(single.ledgerView());
    expect(whole.ledgerView()).toEqual({ TASS: { claims: 1, claimants: { p1: 1 }, first: Date.parse(T0), last: Date.parse(T0) } });
    expect(whole.rows).toEqual(referenceRows(events));
  });

  it('drops a claimant, then the outlet, when nothing counts for them any more', () => {
    expect(applyLedgerDelta('TASS', { outlet: 'TASS', claims: 2, claimants: { p1: 1, p2: 1 } }, { claims: -1, claimants: new Map([['p2', -1]]), membership: true })).toEqual({
      outlet: 'TASS',
      claims: 1,
      claimants: { p1: 1 },
    });
    expect(applyLedgerDelta('TASS', { outlet: 'TASS', claims: 1, claimants: { p1: 1 } }, { claims: -1, claimants: new Map([['p1', -1]]), membership: true })).toBeNull();
    expect(applyLedgerDelta('BBC', undefined, { claims: 1, claimants: new Map([['p3', 1]]), membership: true })).toEqual({ outlet: 'BBC', claims: 1, claimants: { p3: 1 } });
  });

  it('loads the claims events name and the originals duplicates are marked of', () => {
    expect(mentionedClaims([recorded(claim(1), party(1), []), duplicate(claim(2), claim(3)), voided(claim(1))]).sort()).toEqual([claim(1), claim(2), claim(3)]);
    const row = (claimId: string, countsFor: string | null): Citation => ({
      claimId, attributionId: 'a', outlet: 'o', claimant: 'p', conflictId: 'k', seenAt: T0, statedAt: T0, active: true, listed: true, countsFor,
    });
    expect(originalsToLoad([row(claim(1), claim(1)), row(claim(2), claim(5)), row(claim(3), null)], [claim(1), claim(2), claim(3)])).toEqual([claim(5)]);
  });

  // -------------------------------------------------------------------------------------------

  /**
   * Random histories over three claims, three parties, two outlets (and the confidential one) and
   * six attribution ids, so that everything collides: duplicates' families span batches, claims
   * are recorded twice or marked duplicates of themselves or of unrecorded claims (logs no decider
   * writes, which must still give version 1's rows).
   */
  const sources = (maxLength: number) =>
    fc.array(fc.tuple(fc.nat(5), fc.nat(1), fc.boolean(), fc.option(fc.nat(20), { nil: undefined })), { maxLength });
  const history = fc.array(
    fc.oneof(
      { arbitrary: fc.record({ t: fc.constant('rec'), c: fc.nat(2), p: fc.nat(2), srcs: sources(3), at: fc.nat(20) }), weight: 4 },
      { arbitrary: fc.record({ t: fc.constantFrom('add', 'rev', 'ret'), c: fc.nat(2), srcs: sources(2), at: fc.nat(20) }), weight: 4 },
      { arbitrary: fc.record({ t: fc.constant('wd'), c: fc.nat(2), a: fc.nat(5) }), weight: 1 },
      {
        arbitrary: fc.record({
          t: fc.constant('cor'),
          c: fc.nat(2),
          p: fc.option(fc.nat(2), { nil: undefined }),
          stated: fc.option(fc.nat(20), { nil: undefined }),
          srcs: fc.option(sources(2), { nil: undefined }),
          at: fc.nat(20),
        }),
        weight: 1,
      },
      { arbitrary: fc.record({ t: fc.constant('void'), c: fc.nat(2) }), weight: 1 },
      { arbitrary: fc.record({ t: fc.constant('dup'), c: fc.nat(2), of: fc.nat(2) }), weight: 3 },
    ),
    { maxLength: 60, size: 'medium' },
  );
  const time = (n: number) => new Date(Date.parse(T0) + n * 3_600_000).toISOString();
  const toSources = (srcs: [number, number, boolean, number | undefined][]) =>
    srcs.map(([a, o, confidential, published]) => src(`a${a}`, `outlet${o}`, { confidential, ...(published === undefined ? {} : { publishedAt: time(published) }) }));
  type Step = typeof history extends fc.Arbitrary<(infer T)[]> ? T : never;
  const toEvents = (steps: Step[]): Ev[] =>
    steps.map((s) => {
      const c = claim(s.c);
      switch (s.t) {
        case 'rec':
          return recorded(c, party(s.p), toSources(s.srcs), time(s.at));
        case 'add':
          return s.srcs.length ? added(c, toSources(s.srcs)[0]!, time(s.at)) : added(c, src('a0', 'outlet0'), time(s.at));
        case 'rev':
          return revised(c, toSources(s.srcs), time(s.at));
        case 'ret':
          return retracted(c, toSources(s.srcs), time(s.at));
        case 'wd':
          return withdrawn(c, `a${s.a}`);
        case 'cor':
          return corrected(
            c,
            {
              ...(s.p === undefined ? {} : { claimant: party(s.p) }),
              ...(s.stated === undefined ? {} : { statedAt: time(s.stated) }),
              ...(s.srcs === undefined ? {} : { attributions: toSources(s.srcs) }),
            },
            time(s.at),
          );
        case 'void':
          return voided(c);
        default:
          return duplicate(c, claim(s.of));
      }
    });

  it('builds, in batches of any size, the citations of version 1 and the ledger aggregated from them', () => {
    fc.assert(
      fc.property(history, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 10 }), (steps, sizes) => {
        const events = toEvents(steps);
        const batches: Ev[][] = [];
        for (let i = 0, k = 0; i < events.length; k++) {
          const size = sizes[k % sizes.length]!;
          batches.push(events.slice(i, i + size));
          i += size;
        }
        const store = run(batches);
        expect(store.rows).toEqual(referenceRows(events));
        expect(store.ledgerView()).toEqual(ledgerFrom(store.rows.values()));
        expect(run([events]).ledgerView()).toEqual(store.ledgerView());
      }),
      { numRuns: 1000 },
    );
  });
});
