import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { appConfig, type AppConfig } from '../config/env';
import { hardeningConfig, type HardeningConfig } from '../hardening/hardening.config';
import { loggableError } from '../shared/log-safe';
import { dataSourceOptions } from './data-source-options';
import { DATABASE_CONNECTION, type DatabaseConnection } from './database.module';

const CHECK_EVERY_MS = 1000;
const POLL_MS = 20;

/** Which database answered a read: `primary`, or `replica-1`, `replica-2`… in DATABASE_READ_URL's order. */
export const SERVED_BY_HEADER = 'X-Served-By';

export interface ReplicaState {
  name: string;
  /** Answering, and not lagging past REPLICA_MAX_LAG_SECONDS. */
  inRotation: boolean;
  /** The lowest projector checkpoint it has replayed. */
  position: number;
  lagEvents: number;
  lagSeconds: number;
  error?: string;
}

interface Replica {
  name: string;
  dataSource: DataSource;
  state: ReplicaState;
}

/** Where a read runs: set for one request by the read cache interceptor. */
export interface ReadTarget {
  manager: EntityManager;
  servedBy: string;
}

/**
 * PostgreSQL streaming replicas for read-model queries (DATABASE_READ_URL). Each is checked every
 * second: one that does not answer, or whose replayed projector checkpoints are older than
 * REPLICA_MAX_LAG_SECONDS, leaves the rotation until a check finds it well again. A read that
 * must see position N (minPosition) waits up to REPLICA_WAIT_MS for a replica to replay it, then
 * reads from the primary. Writes, audit reads and folds of the log never come here.
 */
@Injectable()
export class ReadReplicas implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplicas');
  private readonly replicas: Replica[] = [];
  private readonly target = new AsyncLocalStorage<ReadTarget>();
  private timer: NodeJS.Timeout | null = null;
  private next = 0;
  private checking: Promise<void> = Promise.resolve();

  constructor(
    private readonly primary: DataSource,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    @Inject(hardeningConfig.KEY) private readonly hardening: HardeningConfig,
  ) {}

  get configured(): boolean {
    return this.replicas.length > 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    const urls = (this.config.DATABASE_READ_URL ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    if (urls.length === 0) return;
    if (this.connection.embedded) {
      this.logger.warn('DATABASE_READ_URL is ignored on the embedded database: set DATABASE_URL to use read replicas');
      return;
    }
    urls.forEach((url, i) => {
      const dataSource = new DataSource(
        dataSourceOptions(url, {
          embedded: false,
          timeouts: { connectMs: this.hardening.DB_CONNECT_TIMEOUT_MS, statementMs: this.hardening.DB_STATEMENT_TIMEOUT_MS, idleInTransactionMs: this.hardening.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS },
        }),
      );
      const name = `replica-${i + 1}`;
      this.replicas.push({ name, dataSource, state: { name, inRotation: false, position: 0, lagEvents: 0, lagSeconds: 0, error: 'not checked yet' } });
    });
    await this.check();
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    await Promise.all(this.replicas.map((r) => (r.dataSource.isInitialized ? r.dataSource.destroy() : undefined)));
  }

  states(): ReplicaState[] {
    return this.replicas.map((r) => ({ ...r.state }));
  }

  /** The manager the current request's read-model queries run on: its chosen replica, or the primary. */
  manager(): EntityManager {
    return this.target.getStore()?.manager ?? this.primary.manager;
  }

  /**
   * Picks the database for a read that must reflect position `minPosition` (if given): the next
   * replica in rotation that has replayed it within REPLICA_WAIT_MS, else the primary.
   */
  async choose(minPosition: number | undefined): Promise<ReadTarget> {
    const primary = { manager: this.primary.manager, servedBy: 'primary' };
    const candidates = this.replicas.filter((r) => r.state.inRotation);
    if (candidates.length === 0) return primary;
    const replica = candidates[this.next++ % candidates.length]!;
    const target = { manager: replica.dataSource.manager, servedBy: replica.name };
    if (minPosition === undefined) return target;
    const deadline = Date.now() + this.config.REPLICA_WAIT_MS;
    for (;;) {
      try {
        if ((await this.replayedPosition(replica.dataSource)) >= minPosition) return target;
      } catch {
        return primary;
      }
      if (Date.now() >= deadline) return primary;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Runs `work` with its read-model queries on `target`. */
  run<T>(target: ReadTarget, work: () => T): T {
    return this.target.run(target, work);
  }

  /** The lowest checkpoint of the projectors as `dataSource` has it: every read model there is at least that far. */
  private async replayedPosition(dataSource: DataSource): Promise<number> {
    const [row] = await dataSource.query('SELECT coalesce(min(position), 0) AS position FROM projection_checkpoints');
    return Number(row.position);
  }

  private check(): Promise<void> {
    this.checking = this.checking.then(async () => {
      let primaryPosition: number;
      try {
        primaryPosition = await this.replayedPosition(this.primary);
      } catch {
        return; // the primary's own outage is the readiness check's business
      }
      await Promise.all(this.replicas.map((r) => this.checkReplica(r, primaryPosition)));
    });
    return this.checking;
  }

  private async checkReplica(replica: Replica, primaryPosition: number): Promise<void> {
    const was = replica.state.inRotation;
    try {
      if (!replica.dataSource.isInitialized) await replica.dataSource.initialize();
      const position = await this.replayedPosition(replica.dataSource);
      const lagEvents = Math.max(0, primaryPosition - position);
      // How old its view is: the time since the last transaction it replayed, while it is behind.
      const [row] = lagEvents === 0 ? [{ seconds: 0 }] : await replica.dataSource.query(`SELECT coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)::float AS seconds`);
      const lagSeconds = Math.max(0, Number(row.seconds));
      replica.state = { name: replica.name, inRotation: lagSeconds <= this.config.REPLICA_MAX_LAG_SECONDS, position, lagEvents, lagSeconds };
    } catch (error) {
      replica.state = { ...replica.state, inRotation: false, error: 'does not answer' };
      if (was) this.logger.warn({ err: loggableError(error) }, `Read replica ${replica.name} does not answer: reads go elsewhere until it is back`);
      return;
    }
    if (was !== replica.state.inRotation) {
      this.logger.log(replica.state.inRotation ? `Read replica ${replica.name} is back in rotation` : `Read replica ${replica.name} lags ${replica.state.lagSeconds.toFixed(1)} s: out of rotation`);
    }
  }
}
