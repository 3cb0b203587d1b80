import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { APPLICATION_NAME } from '../database/data-source-options';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/database.module';
import { EventStore, EVENTS_CHANNEL } from '../event-store/event-store.service';
import { PositionWaitGate } from '../hardening/position-wait-gate';
import { isDatabaseUnavailable, outageLog } from '../shared/database-unavailable';
import { DomainError, NotFoundError, NotYetProjectedError } from '../shared/domain-error';
import { loggableError } from '../shared/log-safe';
import { type ApplyMode, PROJECTORS, type Projector, type TableName } from './projector';

const BATCH_SIZE = 2000;
const REBUILD_BATCH_SIZE = 10_000;
/** Polling is the fallback when no notification arrives (and the only wake-up on the embedded database). */
const POLL_MS = 1000;
const NEXT_SUFFIX = '__next';
const READ_YOUR_WRITES_TIMEOUT_MS = 5000;

/** Channel on which a projector announces that it changed its read models: `{"name", "position"}`. */
export const READ_MODELS_CHANNEL = 'ceasefire_read_models';

/** Whether this process runs the projectors' loops (the server) or only uses the runner (the CLI). */
export const PROJECTION_LOOPS = Symbol('PROJECTION_LOOPS');

export interface ProjectionStatus {
  name: string;
  version: number;
  checkpoint: number;
  head: number;
  lagEvents: number;
  lagSeconds: number;
  readModels: { name: string; digest: string }[];
}

export interface RebuildProgress {
  position: number;
  head: number;
}

export class RebuildRunningError extends DomainError {
  readonly kind = 'conflict';
  constructor(name: string) {
    super('projection.rebuild_running', `A rebuild of ${name} is already running`);
  }
}

const liveTable: TableName = (table) => table;
const nextTable: TableName = (table) => `${table}${NEXT_SUFFIX}`;

/**
 * Runs every projector: reads the log after its checkpoint in batches, applies a batch and
 * moves the checkpoint in one transaction, wakes on NOTIFY (and on this process's own appends),
 * polls as a fallback. On a real server a session advisory lock per projector keeps it in one
 * process at a time; the embedded database serves one process, which needs no lock.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private stopped = false;
  private loops: Promise<void>[] = [];
  private lockClient: Client | null = null;
  private readonly held = new Set<string>();
  private readonly versionChecked = new Set<string>();
  private wakers = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  private reconnecting = false;
  /**
   * Where each projector last changed its read models, as this process last learned it: from
   * its own commits and from the other instances' notifications. Trusted only while those
   * notifications can arrive (see changedPosition).
   */
  private readonly changes = new Map<string, { position: number; version: number }>();
  /** Rebuilds under way in this process, by projection. */
  private readonly rebuilding = new Set<string>();
  @Inject(PositionWaitGate) private readonly waitGate!: PositionWaitGate;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    @Inject(PROJECTORS) private readonly projectors: Projector[],
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    @Inject(PROJECTION_LOOPS) private readonly runLoops: boolean,
  ) {}

  /** Whether a rebuild of this projection runs in this process now. */
  isRebuilding(name: string): boolean {
    return this.rebuilding.has(name);
  }

  get names(): string[] {
    return this.projectors.map((p) => p.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureCheckpoints();
    if (!this.runLoops) return;
    this.unsubscribe = this.store.onAppended(() => this.wakeAll());
    if (!this.connection.embedded) await this.connectLockClient();
    this.loops = this.projectors.map((p) => this.loop(p));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wakeAll();
    await Promise.all(this.loops);
    await this.lockClient?.end().catch(() => undefined);
  }

  /** Catches every projector up to the head now, in this process (tests, CLI). */
  async catchUp(): Promise<void> {
    for (const p of this.projectors) {
      while (await this.step(p)) continue;
    }
  }

  /**
   * Waits until every projector has passed `position` (read-your-writes); false on timeout.
   */
  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await this.dataSource.query('SELECT coalesce(min(position), 0) AS position FROM projection_checkpoints WHERE name = ANY($1)', [
        this.names,
      ]);
      if (Number(row.position) >= position) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.nextWake(Math.min(left, 50));
    }
  }

  /** For reads with minPosition: waits up to 5 s, then 503 with Retry-After. */
  async ensureProjected(minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined) return;
    if (!(await this.waitGate.run(() => this.waitFor(minPosition, READ_YOUR_WRITES_TIMEOUT_MS)))) throw new NotYetProjectedError(minPosition, 1);
  }

  /**
   * The position at which a projector last changed its read models, and its version: what an
   * answer read from them depends on. Read before the answer's query, so an answer is never
   * older than the position it is labelled with.
   */
  async changedPosition(name: string, { fresh = false }: { fresh?: boolean } = {}): Promise<{ position: number; version: number }> {
    // Without a database round trip when this process hears of every change: it runs the
    // projectors itself (embedded) or listens to the instance that does. `fresh` (a reader
    // waiting for its own write) always asks the database: a notification may still be on its way.
    const known = this.changes.get(name);
    if (known && !fresh && this.hearsChanges()) return known;
    const [row] = await this.dataSource.query('SELECT changed_position, version FROM projection_checkpoints WHERE name = $1', [name]);
    const read = row ? { position: Number(row.changed_position), version: Number(row.version) } : { position: 0, version: 0 };
    if (this.hearsChanges()) this.learnChange(name, read);
    return read;
  }

  private hearsChanges(): boolean {
    return this.runLoops && !this.stopped && (this.connection.embedded !== null || this.lockClient !== null);
  }

  /** Positions only grow, except when a rebuild installs a new version. */
  private learnChange(name: string, change: { position: number; version: number }): void {
    const known = this.changes.get(name);
    if (!known || change.version !== known.version || change.position > known.position) this.changes.set(name, change);
  }

  /** Each projector's checkpoint and lag, cheap enough for every metrics scrape. */
  async progress(): Promise<Omit<ProjectionStatus, 'readModels'>[]> {
    const head = await this.store.headPosition();
    const rows: { name: string; position: string }[] = await this.dataSource.query(
      'SELECT name, position FROM projection_checkpoints WHERE name = ANY($1)',
      [this.names],
    );
    const checkpoints = new Map(rows.map((r) => [r.name, Number(r.position)]));
    return Promise.all(
      this.projectors.map(async (p) => {
        const checkpoint = checkpoints.get(p.name) ?? 0;
        // The lag in seconds is the age of the oldest event the projector has not applied yet.
        const [oldest] = checkpoint < head ? await this.dataSource.query('SELECT recorded_at FROM events WHERE position = $1', [checkpoint + 1]) : [];
        const lagSeconds = oldest ? Math.max(0, (Date.now() - new Date(oldest.recorded_at).getTime()) / 1000) : 0;
        return { name: p.name, version: p.version, checkpoint, head, lagEvents: Math.max(0, head - checkpoint), lagSeconds };
      }),
    );
  }

  /** Progress, and the content digest of every read model (reads each table whole). */
  async status(): Promise<ProjectionStatus[]> {
    const progress = await this.progress();
    return Promise.all(
      progress.map(async (p) => ({
        ...p,
        readModels: await Promise.all(
          this.projectors.find((candidate) => candidate.name === p.name)!.readModels.map(async (table) => ({ name: table, digest: await this.digest(table) })),
        ),
      })),
    );
  }

  /**
   * Builds the projector's tables afresh from position 0 beside the live ones, which keep
   * answering reads, then swaps them in atomically with the checkpoint.
   */
  async rebuild(name: string, onProgress: (progress: RebuildProgress) => void = () => {}): Promise<ProjectionStatus> {
    const p = this.projectors.find((candidate) => candidate.name === name);
    if (!p) throw new NotFoundError('projection.not_found', `No projection ${name}; there are ${this.names.join(', ')}`);
    return this.exclusiveRebuild(p, () => this.rebuildNow(p, onProgress));
  }

  /**
   * One rebuild of a projection at a time, in this process and (on a real server, through a
   * session advisory lock) in every other: two would build into the same copies.
   */
  private async exclusiveRebuild<T>(p: Projector, work: () => Promise<T>): Promise<T> {
    const busy = () => new RebuildRunningError(p.name);
    if (this.rebuilding.has(p.name)) throw busy();
    this.rebuilding.add(p.name);
    const client = this.connection.embedded ? null : this.newClient();
    try {
      if (client) {
        await client.connect();
        const [row] = (await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`rebuild:${p.name}`])).rows;
        if (!row.ok) throw busy();
      }
      return await work();
    } finally {
      this.rebuilding.delete(p.name);
      // Ending the session releases its advisory lock.
      await client?.end().catch(() => undefined);
    }
  }

  private async rebuildNow(p: Projector, onProgress: (progress: RebuildProgress) => void): Promise<ProjectionStatus> {
    const later = await this.maintenance((tx) => this.createCopies(p, tx));
    // Bulk batches: each range is read (committed events never change) while the one before is
    // applied, so that PostgreSQL and Node work at the same time.
    let position = 0;
    let head = await this.store.headPosition();
    const read = (after: number) => {
      const upTo = Math.min(head, after + REBUILD_BATCH_SIZE);
      const events = this.store.readRange(this.dataSource.manager, { after, upTo, types: p.handles });
      events.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      return { upTo, events };
    };
    let pending = position < head ? read(position) : null;
    while (pending) {
      const events = await pending.events;
      position = pending.upTo;
      if (position >= head) head = await this.store.headPosition();
      pending = position < head ? read(position) : null;
      if (events.length > 0) await this.maintenance((tx) => p.apply(events, tx, nextTable, 'bulk'));
      onProgress({ position, head });
    }
    await this.maintenance(async (tx) => {
      await p.finishBulk?.(tx, nextTable);
      for (const sql of later) await tx.query(sql);
      for (const table of p.tables) await tx.query(`ANALYZE ${nextTable(table)}`);
    });
    // The checkpoint row's lock orders the swap with every live batch, in this process or another.
    await this.maintenance(async (tx) => {
      await tx.query('SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [p.name]);
      const head = await this.store.headPosition(tx);
      while (position < head) position = await this.applyRange(p, tx, position, head, REBUILD_BATCH_SIZE, nextTable, 'live');
      for (const table of p.tables) {
        const names = await tableIndexes(tx, nextTable(table));
        await tx.query(`DROP TABLE ${table}`);
        await tx.query(`ALTER TABLE ${nextTable(table)} RENAME TO ${table}`);
        // The copies' indexes and constraints take the names the live ones had.
        for (const { name, constraint } of names) {
          if (!name.endsWith(NEXT_SUFFIX)) continue;
          const liveName = name.slice(0, -NEXT_SUFFIX.length);
          await tx.query(constraint ? `ALTER TABLE ${table} RENAME CONSTRAINT ${name} TO ${liveName}` : `ALTER INDEX ${name} RENAME TO ${liveName}`);
        }
      }
      await tx.query('UPDATE projection_checkpoints SET position = $2, changed_position = $2, version = $3, updated_at = now() WHERE name = $1', [
        p.name,
        position,
        p.version,
      ]);
      await tx.query('SELECT pg_notify($1, $2)', [READ_MODELS_CHANNEL, JSON.stringify({ name: p.name, position, version: p.version })]);
    });
    this.learnChange(p.name, { position, version: p.version });
    onProgress({ position, head: position });
    this.logger.log(`Rebuilt ${p.name} up to position ${position}`);
    this.wakeAll();
    return (await this.status()).find((s) => s.name === p.name)!;
  }

  /**
   * Creates each table's empty copy with the live table's columns, storage options, constraints
   * and indexes (named with the copy's suffix). Returns the statements for the secondary indexes
   * a projector that defers them gets only after its last bulk batch: building an index once is
   * far cheaper than keeping it up to date row by row.
   */
  private async createCopies(p: Projector, tx: EntityManager): Promise<string[]> {
    const later: string[] = [];
    for (const table of p.tables) {
      const copy = nextTable(table);
      await tx.query(`DROP TABLE IF EXISTS ${copy}`);
      await tx.query(`CREATE TABLE ${copy} (LIKE ${table} INCLUDING ALL EXCLUDING INDEXES)`);
      const [{ reloptions }] = await tx.query('SELECT reloptions FROM pg_class WHERE oid = $1::regclass', [table]);
      if (reloptions?.length) await tx.query(`ALTER TABLE ${copy} SET (${(reloptions as string[]).join(', ')})`);
      for (const index of await tableIndexes(tx, table)) {
        const name = `${index.name}${NEXT_SUFFIX}`;
        if (index.constraint) {
          await tx.query(`ALTER TABLE ${copy} ADD CONSTRAINT ${name} ${index.constraintDef}`);
          continue;
        }
        const sql = index.def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ /, `CREATE $1INDEX ${name} ON ${copy} `);
        if (p.defersIndexes && !index.unique) later.push(sql);
        else await tx.query(sql);
      }
    }
    return later;
  }

  /**
   * A transaction for a rebuild's bulk work. Building a read model of a million claims takes
   * statements far longer than DB_STATEMENT_TIMEOUT_MS, which bounds what requests may cost; a
   * rebuild is not a request, and cut off it would start over on every restart.
   */
  private maintenance<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query('SET LOCAL statement_timeout = 0');
      return work(tx);
    });
  }

  /** An order-independent digest of a table's content: its row count and a sum of row hashes. */
  async digest(table: string, manager?: EntityManager): Promise<string> {
    if (!manager) return this.maintenance((tx) => this.digest(table, tx));
    const [row] = await manager.query(
      `SELECT count(*) AS n, coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint::numeric), 0) AS sum FROM ${table} t`,
    );
    return `${row.n}:${BigInt(row.sum).toString(16)}`;
  }

  private async loop(p: Projector): Promise<void> {
    while (!this.stopped) {
      try {
        if (!(await this.lead(p))) {
          await this.nextWake(POLL_MS);
          continue;
        }
        if (!this.versionChecked.has(p.name)) {
          if (await this.isOutdated(p)) {
            this.logger.log(`Projection ${p.name} is now version ${p.version}: rebuilding it from position 0`);
            await this.rebuild(p.name);
          }
          this.versionChecked.add(p.name);
        }
        const moved = await this.step(p);
        if (!moved) await this.nextWake(POLL_MS);
      } catch (error) {
        if (isDatabaseUnavailable(error)) outageLog.report(error, `projector ${p.name}`);
        else this.logger.error({ err: loggableError(error), projector: p.name }, `Projector ${p.name} failed; retrying`);
        await this.nextWake(POLL_MS);
      }
    }
    if (this.held.has(p.name)) {
      await this.lockClient?.query('SELECT pg_advisory_unlock(hashtext($1))', [`projector:${p.name}`]).catch(() => undefined);
      this.held.delete(p.name);
    }
  }

  /** One batch after the checkpoint, applied with the checkpoint's move; false when already at the head. */
  private async step(p: Projector): Promise<boolean> {
    const moved = await this.dataSource.transaction(async (tx) => {
      const [checkpoint] = await tx.query('SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [p.name]);
      const from = Number(checkpoint.position);
      const head = await this.store.headPosition(tx);
      if (head <= from) return null;
      const changed = { at: 0 };
      const to = await this.applyRange(p, tx, from, head, BATCH_SIZE, liveTable, 'live', changed);
      const [row] = await tx.query(
        `UPDATE projection_checkpoints SET position = $2, changed_position = greatest(changed_position, $3), updated_at = now() WHERE name = $1
         RETURNING changed_position, version`,
        [p.name, to, changed.at],
      );
      const change = { position: Number(row.changed_position), version: Number(row.version) };
      // Every instance's read caches learn of it when, and only if, this commits.
      if (changed.at > 0) await tx.query('SELECT pg_notify($1, $2)', [READ_MODELS_CHANNEL, JSON.stringify({ name: p.name, ...change })]);
      return { to, head, change };
    });
    if (!moved) return false;
    this.learnChange(p.name, moved.change);
    if (moved.to >= moved.head) this.wakeAll();
    return true;
  }

  /**
   * Applies the projector's events in (from, min(head, from + limit)]; returns the position
   * reached. A head read before the events is safe: appends commit in position order, so nothing
   * at or below it can still appear.
   */
  private async applyRange(
    p: Projector,
    tx: EntityManager,
    from: number,
    head: number,
    limit: number,
    table: TableName,
    mode: ApplyMode = 'live',
    changed: { at: number } = { at: 0 },
  ): Promise<number> {
    const to = Math.min(head, from + limit);
    const events = await this.store.readRange(tx, { after: from, upTo: to, types: p.handles });
    if (events.length > 0) {
      await p.apply(events, tx, table, mode);
      changed.at = events[events.length - 1]!.position;
    }
    return to;
  }

  private async lead(p: Projector): Promise<boolean> {
    if (this.connection.embedded) return true;
    const client = this.lockClient;
    if (!client) return false;
    if (this.held.has(p.name)) return true;
    try {
      const [row] = (await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`projector:${p.name}`])).rows;
      if (row.ok) this.held.add(p.name);
      return row.ok;
    } catch (error) {
      this.dropLockClient(client);
      throw error;
    }
  }

  private async isOutdated(p: Projector): Promise<boolean> {
    const [row] = await this.dataSource.query('SELECT version FROM projection_checkpoints WHERE name = $1', [p.name]);
    return row.version !== p.version;
  }

  private async ensureCheckpoints(): Promise<void> {
    for (const p of this.projectors) {
      await this.dataSource.query(
        'INSERT INTO projection_checkpoints (name, version, position) VALUES ($1, $2, 0) ON CONFLICT (name) DO NOTHING',
        [p.name, p.version],
      );
    }
  }

  /** A connection of its own for the session advisory locks and LISTEN (real server only). */
  private async connectLockClient(): Promise<void> {
    const client = this.newClient();
    client.on('notification', (message) => {
      if (message.channel !== READ_MODELS_CHANNEL) return this.wakeAll();
      const change = JSON.parse(message.payload ?? '{}') as { name?: string; position?: number; version?: number };
      if (typeof change.name === 'string' && typeof change.position === 'number' && typeof change.version === 'number') {
        this.learnChange(change.name, { position: change.position, version: change.version });
      }
    });
    client.on('error', (error) => {
      this.logger.warn({ err: loggableError(error) }, 'Lost the projection lock connection; projectors pause until it is back');
      this.dropLockClient(client);
    });
    client.on('end', () => this.dropLockClient(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      await client.query(`LISTEN ${READ_MODELS_CHANNEL}`);
      // Changes made while nobody listened are read afresh.
      this.changes.clear();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.lockClient = client;
  }

  /** Forgets a dead lock connection once (it may report its death more than once) and reconnects. */
  private dropLockClient(client: Client): void {
    if (this.lockClient !== client) return;
    this.lockClient = null;
    this.changes.clear();
    this.held.clear();
    void client.end().catch(() => undefined);
    void this.reconnectLater();
  }

  private async reconnectLater(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      while (!this.stopped && !this.lockClient) {
        await this.nextWake(POLL_MS);
        await this.connectLockClient().catch(() => undefined);
      }
    } finally {
      this.reconnecting = false;
    }
  }

  private newClient(): Client {
    return new Client({ connectionString: (this.dataSource.options as { url?: string }).url, application_name: APPLICATION_NAME, keepAlive: true });
  }

  private wakeAll(): void {
    const wakers = this.wakers;
    this.wakers = new Set();
    for (const wake of wakers) wake();
  }

  private nextWake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}

interface IndexInfo {
  name: string;
  /** CREATE INDEX statement. */
  def: string;
  unique: boolean;
  /** Set when the index backs a constraint (primary key, unique): its definition. */
  constraint: boolean;
  constraintDef: string | null;
}

/** A table's indexes, those backing a constraint first (their columns may be needed by others). */
async function tableIndexes(tx: EntityManager, table: string): Promise<IndexInfo[]> {
  const rows: { name: string; def: string; unique: boolean; constraint_def: string | null }[] = await tx.query(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def, x.indisunique AS unique, pg_get_constraintdef(c.oid) AS constraint_def
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
      WHERE x.indrelid = $1::regclass
      ORDER BY c.oid IS NULL, i.relname`,
    [table],
  );
  return rows.map((r) => ({ name: r.name, def: r.def, unique: r.unique, constraint: r.constraint_def !== null, constraintDef: r.constraint_def }));
}
