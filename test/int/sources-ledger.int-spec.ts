import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventStore } from '../../src/event-store/event-store.service';
import type { JsonObject, NewEvent, RecordedEvent } from '../../src/event-store/event-store.types';
import { ProjectionRunner } from '../../src/projections/projection-runner.service';
import { SourcesProjector } from '../../src/read-models/sources/sources.projector';
import { type ApiApp, bearer, claimBody, type Scenario, seedScenario, startApiApp } from '../support/api';
import { appDatabase, type AppDatabase, type DatabaseKind, databaseKinds } from '../support/database';

/**
 * The source ledger kept by deltas (sources projector, version 2): a claim recorded, cited,
 * marked a duplicate and voided, with its duplicates, all in one batch or one event per batch,
 * gives the ledger that aggregating the citations gives, and a rebuild from position 0 gives
 * the same tables.
 */

interface LedgerItem {
  outlet: string;
  claims: number;
  claimants: Record<string, number>;
  firstSeen: string;
  lastSeen: string;
}

/** Version 1's ledger, aggregated from every counted citation. */
const AGGREGATED = `
  SELECT c.outlet, count(DISTINCT c.counts_for)::int AS claims,
         (SELECT jsonb_object_agg(claimant, n)
            FROM (SELECT claimant, count(DISTINCT counts_for) AS n FROM source_citations_v1 p
                   WHERE p.outlet = c.outlet AND p.active AND p.counts_for IS NOT NULL
                   GROUP BY claimant) per_claimant) AS claimants,
         min(c.seen_at) AS first_seen, max(c.seen_at) AS last_seen
    FROM source_citations_v1 c
   WHERE c.active AND c.counts_for IS NOT NULL
   GROUP BY c.outlet
   ORDER BY c.outlet`;

describe.each(databaseKinds())('the source ledger by deltas on %s', (kind: DatabaseKind) => {
  let db: AppDatabase;
  let app: ApiApp;
  let store: EventStore;
  let runner: ProjectionRunner;
  let dataSource: DataSource;
  let s: Scenario;
  let template: JsonObject;
  /** The positions of each batch the sources projector applied. */
  const batches: number[][] = [];

  beforeAll(async () => {
    db = await appDatabase(kind);
    app = await startApiApp(db.env);
    store = app.app.get(EventStore);
    runner = app.app.get(ProjectionRunner);
    dataSource = app.app.get(DataSource);
    const projector = app.app.get(SourcesProjector);
    const apply = projector.apply.bind(projector);
    jest.spyOn(projector, 'apply').mockImplementation(async (...args) => {
      await apply(...args);
      batches.push(args[0].map((e) => e.position));
    });
    s = await seedScenario(app);
    const res = await request(app.server).post('/api/claims').set(bearer(app.tokens.journalist)).send(claimBody(s)).expect(201);
    const [recorded] = (await store.readStream(`claim-${res.body.id}`)) as RecordedEvent[];
    template = recorded!.data;
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
    await db?.close();
  });

  const caughtUp = async () => {
    const head = await app.head();
    if (!(await runner.waitFor(head, 30_000))) throw new Error(`the projections did not reach ${head}`);
  };

  /** Appends each group of events in a transaction of its own, announcing it; returns the positions. */
  const append = async (events: { claimId: string; event: NewEvent }[]): Promise<number[]> => {
    const positions: number[] = [];
    await dataSource.transaction(async (tx) => {
      for (const { claimId, event } of events) {
        const result = await store.appendInTransaction(tx, { streamId: `claim-${claimId}`, expectedVersion: 'any', events: [event] });
        positions.push(result.position);
      }
    });
    store.announce(positions.at(-1)!);
    return positions;
  };

  const source = (outlet: string, extra: JsonObject = {}): JsonObject => ({
    attributionId: randomUUID(),
    outlet,
    reliability: 'B',
    credibility: 3,
    confidential: false,
    ...extra,
  });

  /**
   * One story, in order: O recorded; X recorded and given a source, then marked a duplicate of O;
   * Y recorded and marked a duplicate of O; sources of X withdrawn and added; O voided (so X and Y count
   * for nothing); Z recorded, given a source and marked a duplicate of the voided O; W recorded.
   * Returns the events and, for some of them, the ledger after them.
   */
  function story(prefix: string) {
    const [o, x, y, z, w] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const outlet = (name: string) => `${prefix} ${name}`;
    const day = (d: number, hour = 1) => `2020-10-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const recorded = (claimId: string, claimant: string, statedAt: string, attributions: JsonObject[]) => ({
      claimId,
      event: { type: 'ClaimRecorded', data: { ...template, claimId, claimant, statedAt, summary: `Claim ${claimId}`, attributions } },
    });
    const on = (claimId: string, type: string, data: JsonObject) => ({ claimId, event: { type, data: { claimId, ...data } } });
    const reutersOfX = source(outlet('Reuters'));
    const tassOfX = source(outlet('TASS'), { publishedAt: day(10) });
    const events = [
      recorded(o, s.armenia, day(11), [source(outlet('TASS')), source(outlet('APA'))]),
      recorded(x, s.azerbaijan, day(12), [tassOfX, reutersOfX]),
      on(x, 'AttributionAdded', { attribution: source(outlet('Interfax'), { publishedAt: day(12, 6) }) }),
      on(x, 'ClaimMarkedDuplicate', { duplicateOf: o, reason: 'The same statement.' }),
      recorded(y, s.artsakh, day(13), [source(outlet('APA'))]),
      on(y, 'ClaimMarkedDuplicate', { duplicateOf: o, reason: 'The same statement.' }),
      on(x, 'AttributionWithdrawn', { attributionId: reutersOfX.attributionId as string, reason: 'Deleted.' }),
      // The duplicate comes to cite an outlet its original cites, and stops citing another: O's count stays one.
      on(x, 'AttributionAdded', { attribution: source(outlet('APA'), { publishedAt: day(12, 8) }) }),
      on(x, 'AttributionWithdrawn', { attributionId: tassOfX.attributionId as string, reason: 'Deleted.' }),
      on(o, 'ClaimVoided', { reason: 'Never said.' }),
      recorded(z, s.azerbaijan, day(14), [source(outlet('TASS'))]),
      on(z, 'AttributionAdded', { attribution: source(outlet('Interfax'), { publishedAt: day(14, 6) }) }),
      on(z, 'ClaimMarkedDuplicate', { duplicateOf: o, reason: 'The same statement.' }),
      recorded(w, s.armenia, day(15), [source(outlet('APA')), source(outlet('BBC'), { confidential: true })]),
    ];
    const item = (name: string, claims: number, claimants: Record<string, number>, firstSeen: string, lastSeen: string): LedgerItem => ({
      outlet: outlet(name),
      claims,
      claimants,
      firstSeen,
      lastSeen,
    });
    // After the first duplicate mark: X's sources count for O, once per outlet, and for X's claimant.
    const afterFirstDuplicate = [
      item('TASS', 1, { [s.armenia]: 1, [s.azerbaijan]: 1 }, day(10), day(11)),
      item('APA', 1, { [s.armenia]: 1 }, day(11), day(11)),
      item('Reuters', 1, { [s.azerbaijan]: 1 }, day(12), day(12)),
      item('Interfax', 1, { [s.azerbaijan]: 1 }, day(12, 6), day(12, 6)),
    ];
    // After the withdrawals, before the void.
    const beforeVoid = [
      item('TASS', 1, { [s.armenia]: 1 }, day(11), day(11)),
      item('APA', 1, { [s.armenia]: 1, [s.artsakh]: 1, [s.azerbaijan]: 1 }, day(11), day(13)),
      item('Interfax', 1, { [s.azerbaijan]: 1 }, day(12, 6), day(12, 6)),
    ];
    // At the end only W counts: its listed outlet, and its confidential source under that name alone.
    const atEnd = [item('APA', 1, { [s.armenia]: 1 }, day(15), day(15))];
    return { events, afterFirstDuplicate: { at: 3, ledger: afterFirstDuplicate }, beforeVoid: { at: 8, ledger: beforeVoid }, atEnd, outlet };
  }

  const ledgerOf = async (prefix: string): Promise<LedgerItem[]> => {
    const res = await request(app.server).get('/api/sources').set(bearer(app.tokens.reader)).expect(200);
    return (res.body.items as LedgerItem[]).filter((i) => i.outlet.startsWith(`${prefix} `)).sort((a, b) => a.outlet.localeCompare(b.outlet));
  };
  const sorted = (items: LedgerItem[]) => [...items].sort((a, b) => a.outlet.localeCompare(b.outlet));

  const expectLedgerIsTheAggregate = async () => {
    const ledger = await dataSource.query('SELECT outlet, claims, claimants, first_seen, last_seen FROM source_ledger_v1 ORDER BY outlet');
    expect(ledger).toEqual(await dataSource.query(AGGREGATED));
  };

  it('applies the whole story in one batch', async () => {
    await caughtUp();
    const { events, atEnd } = story('One batch');
    const positions = await append(events);
    await caughtUp();
    expect(batches.some((batch) => positions.every((p) => batch.includes(p)))).toBe(true);
    expect(await ledgerOf('One batch')).toEqual(atEnd);
    await expectLedgerIsTheAggregate();
  });

  it('applies it one event per batch, with the same ledger at every step as aggregating the citations', async () => {
    await caughtUp();
    const { events, afterFirstDuplicate, beforeVoid, atEnd } = story('Event by event');
    for (const [i, event] of events.entries()) {
      const [position] = await append([event]);
      await caughtUp();
      expect(batches.at(-1)).toEqual([position]);
      if (i === afterFirstDuplicate.at) expect(await ledgerOf('Event by event')).toEqual(sorted(afterFirstDuplicate.ledger));
      if (i === beforeVoid.at) expect(await ledgerOf('Event by event')).toEqual(sorted(beforeVoid.ledger));
      await expectLedgerIsTheAggregate();
    }
    expect(await ledgerOf('Event by event')).toEqual(atEnd);
  });

  it('applies it in batches that split the claims from their duplicates and the void', async () => {
    await caughtUp();
    const { events, atEnd } = story('Split');
    // The third batch changes X's sources without naming O.
    for (const group of [events.slice(0, 2), events.slice(2, 6), events.slice(6, 9), events.slice(9)]) {
      await append(group);
      await caughtUp();
      await expectLedgerIsTheAggregate();
    }
    expect(await ledgerOf('Split')).toEqual(atEnd);
  });

  it('keeps outlet names exactly as given, whatever characters they hold', async () => {
    await caughtUp();
    const names = ['Odd "quoted", {braced} \\ name', 'Odd NULL', 'Odd  spaced  ', 'Odd Ünïcode'];
    const claimId = randomUUID();
    const data = { ...template, claimId, claimant: s.russia, statedAt: '2020-10-20T00:00:00.000Z', attributions: names.map((n) => source(n)) };
    await append([{ claimId, event: { type: 'ClaimRecorded', data } }]);
    await caughtUp();
    const res = await request(app.server).get('/api/sources').set(bearer(app.tokens.reader)).expect(200);
    const odd = (res.body.items as LedgerItem[]).filter((i) => i.outlet.startsWith('Odd '));
    expect(odd.map((i) => i.outlet).sort()).toEqual([...names].sort());
    for (const item of odd) expect(item).toMatchObject({ claims: 1, claimants: { [s.russia]: 1 } });
    await expectLedgerIsTheAggregate();
  });

  it('gives the same tables on a rebuild from position 0 as live, twice', async () => {
    await caughtUp();
    const projector = app.app.get(SourcesProjector);
    const digests = async () => Object.fromEntries(await Promise.all(projector.tables.map(async (t) => [t, await runner.digest(t)])));
    const live = await digests();
    const answer = (await request(app.server).get('/api/sources').set(bearer(app.tokens.reader)).expect(200)).body;
    await runner.rebuild('sources');
    expect(await digests()).toEqual(live);
    await runner.rebuild('sources');
    expect(await digests()).toEqual(live);
    expect((await request(app.server).get('/api/sources').set(bearer(app.tokens.reader)).expect(200)).body).toEqual(answer);
    await expectLedgerIsTheAggregate();
  });
});
