import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Client } from 'pg';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/database.module';
import { APPLICATION_NAME } from '../database/data-source-options';
import { loggableError } from '../shared/log-safe';
import { EventStore, EVENTS_CHANNEL } from './event-store.service';

const RECONNECT_MS = 1000;

/**
 * Hears the appends other processes commit (PostgreSQL NOTIFY) and announces them to this
 * process's listeners as if they were its own: the live feed of an API instance, the signer and
 * the publisher of a worker. Without it they still poll; with it they wake at once. The embedded
 * database serves one process, whose own appends are announced already.
 */
@Injectable()
export class RemoteAppends implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RemoteAppends');
  private client: Client | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: EventStore,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.connection.embedded) void this.listen();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: (this.connection.dataSource.options as { url?: string }).url, application_name: APPLICATION_NAME, keepAlive: true });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      void client.end().catch(() => undefined);
      this.retry();
    };
    client.on('notification', (message) => {
      const position = Number((JSON.parse(message.payload ?? '{}') as { position?: unknown }).position);
      if (Number.isSafeInteger(position)) this.store.announce(position);
    });
    client.on('error', (error) => {
      this.logger.warn({ err: loggableError(error) }, 'Lost the append listener; listeners poll until it is back');
      lost();
    });
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.stopped) return void (await client.end());
      this.client = client;
    } catch {
      await client.end().catch(() => undefined);
      this.retry();
    }
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.listen();
    }, RECONNECT_MS);
  }
}
