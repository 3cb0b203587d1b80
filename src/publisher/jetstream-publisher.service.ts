import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager, type PubAck } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { DataSource } from 'typeorm';
import { appConfig, type AppConfig } from '../config/env';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/database.module';
import { SessionLock } from '../database/session-lock';
import { EventStore } from '../event-store/event-store.service';
import { isDatabaseUnavailable, outageLog } from '../shared/database-unavailable';
import { loggableError } from '../shared/log-safe';
import { messageBody, messageHeaders, POSITION_HEADER, subjectFor } from './log-message';

/** Whether this process publishes (a worker, or ROLE=all) — the command line never does. */
export const PUBLISHING = Symbol('PUBLISHING');

const BATCH = 500;
const IDLE_MS = 1000;
const RETRY_MS = 1000;
/** JetStream keeps message ids this long for de-duplication: re-sends within it are dropped. */
const DUPLICATE_WINDOW_NS = 2 * 60 * 1_000_000_000;

export interface PublisherStatus {
  enabled: boolean;
  /** Whether this process is the one publishing now. */
  active: boolean;
  connected: boolean;
  published: number;
}

/**
 * Publishes the log, in position order, to a NATS JetStream stream (README, "Scaling out"): one
 * message per event, Nats-Msg-Id = event id (JetStream drops re-sends), each message expecting the
 * previous event's id as the stream's last (so a lost message can never be overtaken by a later
 * one), and the published position checkpointed once JetStream has acknowledged. One publisher
 * runs at a time (a session advisory lock on a real server); NATS being away only pauses it.
 */
@Injectable()
export class JetStreamPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Publisher');
  private stopped = false;
  private loop: Promise<void> | null = null;
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  private lock: SessionLock | null = null;
  private wake: () => void = () => {};
  private unsubscribe: (() => void) | null = null;
  private published = 0;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    @Inject(PUBLISHING) private readonly publishing: boolean,
  ) {}

  get enabled(): boolean {
    return this.publishing && !!this.config.NATS_URL;
  }

  status(): PublisherStatus {
    return { enabled: this.enabled, active: this.enabled && (this.lock?.isHeld ?? this.js !== null), connected: this.nc !== null && !this.nc.isClosed(), published: this.published };
  }

  onApplicationBootstrap(): void {
    // NATS_URL unset: nothing connects to NATS.
    if (!this.enabled) return;
    if (!this.connection.embedded) this.lock = new SessionLock((this.dataSource.options as { url?: string }).url!, `publisher:${this.config.NATS_STREAM}`);
    this.unsubscribe = this.store.onAppended(() => this.wake());
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
    await this.nc?.drain().catch(() => undefined);
    await this.lock?.release();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.lock && !(await this.lock.hold())) {
          await this.pause(RETRY_MS);
          continue;
        }
        const js = await this.jetStream();
        const moved = await this.publishBatch(js);
        if (!moved) await this.pause(IDLE_MS);
      } catch (error) {
        if (isDatabaseUnavailable(error)) outageLog.report(error, 'publisher');
        else this.logger.warn({ err: loggableError(error) }, 'Publishing to NATS JetStream failed; retrying');
        await this.pause(RETRY_MS);
      }
    }
  }

  /** Connects (once; the client reconnects by itself) and makes sure the stream exists. */
  private async jetStream(): Promise<JetStreamClient> {
    if (this.js && this.nc && !this.nc.isClosed()) return this.js;
    const nc = await connect({ servers: this.config.NATS_URL!.split(','), name: 'ceasefire-publisher', maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
    try {
      const jsm = await jetstreamManager(nc);
      const subjects = [`${this.config.NATS_SUBJECT_PREFIX}.>`];
      try {
        await jsm.streams.info(this.config.NATS_STREAM);
      } catch (error) {
        if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
        await jsm.streams.add({ name: this.config.NATS_STREAM, subjects, duplicate_window: DUPLICATE_WINDOW_NS });
        this.logger.log(`Created the JetStream stream ${this.config.NATS_STREAM} (${subjects.join(', ')})`);
      }
      this.nc = nc;
      this.jsm = jsm;
      this.js = jetstream(nc);
      this.logger.log(`Publishing the log to NATS JetStream stream ${this.config.NATS_STREAM}`);
      return this.js;
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  private async publishedPosition(): Promise<number> {
    await this.dataSource.query('INSERT INTO published_positions (stream) VALUES ($1) ON CONFLICT (stream) DO NOTHING', [this.config.NATS_STREAM]);
    const [row] = await this.dataSource.query('SELECT position FROM published_positions WHERE stream = $1', [this.config.NATS_STREAM]);
    return Number(row.position);
  }

  private async checkpoint(position: number): Promise<void> {
    await this.dataSource.query('UPDATE published_positions SET position = $2, updated_at = now() WHERE stream = $1', [this.config.NATS_STREAM, position]);
    this.published = position;
  }

  /** Publishes the next batch after the checkpoint; false when there was nothing to publish. */
  private async publishBatch(js: JetStreamClient): Promise<boolean> {
    const from = await this.publishedPosition();
    this.published = from;
    const rows = await this.store.readWithConflicts(from, BATCH);
    if (rows.length === 0) return false;
    let previousId = from === 0 ? null : await this.eventIdAt(from);
    // Sent one after another without waiting (JetStream keeps a connection's order); each one
    // expects its predecessor as the stream's last message, so after a failure nothing later lands.
    const acks = rows.map(({ event, conflictId }) => {
      const h = natsHeaders();
      for (const [name, value] of messageHeaders(event)) h.set(name, value);
      const ack = js.publish(subjectFor(this.config.NATS_SUBJECT_PREFIX, event, conflictId), messageBody(event), {
        msgID: event.eventId,
        headers: h,
        expect: previousId === null ? { lastSequence: 0 } : { lastMsgID: previousId },
        timeout: 10_000,
      });
      previousId = event.eventId;
      return ack;
    });
    const settled = await Promise.allSettled<PubAck>(acks);
    let reached = from;
    for (let i = 0; i < settled.length; i++) {
      if (settled[i]!.status !== 'fulfilled') break;
      reached = rows[i]!.event.position;
    }
    if (reached > from) await this.checkpoint(reached);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      if (reached === from && isWrongLast(failed.reason)) await this.realign(from);
      else throw failed.reason;
    }
    return true;
  }

  /**
   * The stream's last message is not the event at the checkpoint: a publisher died after
   * JetStream stored messages and before it checkpointed them (beyond the de-duplication
   * window), or the stream was recreated. The stream says what it holds: resume after it.
   */
  private async realign(checkpoint: number): Promise<void> {
    const info = await this.jsm!.streams.info(this.config.NATS_STREAM);
    let position = 0;
    if (info.state.messages > 0) {
      const last = await this.jsm!.streams.getMessage(this.config.NATS_STREAM, { seq: info.state.last_seq });
      position = Number(last?.header.get(POSITION_HEADER));
      const id = last?.header.get('Nats-Msg-Id');
      if (!Number.isSafeInteger(position) || id !== (await this.eventIdAt(position))) {
        throw new Error(`The stream ${this.config.NATS_STREAM} ends with a message that is not an event of this log; publishing stops until it is fixed`);
      }
    }
    this.logger.warn(`The stream ${this.config.NATS_STREAM} holds the log up to position ${position}, the checkpoint said ${checkpoint}: resuming after ${position}`);
    await this.checkpoint(position);
  }

  private async eventIdAt(position: number): Promise<string | null> {
    const [row] = await this.dataSource.query('SELECT event_id FROM events WHERE position = $1', [position]);
    return row?.event_id ?? null;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** JetStream refused a message because the stream's last message or sequence was not the expected one. */
function isWrongLast(error: unknown): boolean {
  // 10070: wrong last msg ID; 10071: wrong last sequence.
  return error instanceof JetStreamApiError && (error.code === 10070 || error.code === JetStreamApiCodes.StreamWrongLastSequence);
}
