import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { loggableError } from '../shared/log-safe';
import { APPLICATION_NAME } from './data-source-options';

/**
 * A session-level advisory lock on a connection of its own: whoever holds it does a job that
 * must run in one process at a time (the checkpoint signer, the publisher). When the holder dies
 * its session ends and PostgreSQL releases the lock, so another process takes the job over on
 * its next try. TCP keepalives end the session of a holder whose machine vanished.
 */
export class SessionLock {
  private readonly logger = new Logger('SessionLock');
  private client: Client | null = null;
  private held = false;

  constructor(
    private readonly url: string,
    readonly name: string,
  ) {}

  /** Whether this process holds the lock now, taking it if it is free. */
  async hold(): Promise<boolean> {
    if (this.held && this.client) return true;
    const client = this.client ?? (await this.connect());
    try {
      const [row] = (await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS taken', [this.name])).rows;
      this.held = row.taken === true;
      if (this.held) this.logger.log(`This process now runs ${this.name}`);
      return this.held;
    } catch (error) {
      this.drop(client);
      throw error;
    }
  }

  get isHeld(): boolean {
    return this.held && this.client !== null;
  }

  /** Ends the session, which releases the lock. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.url, application_name: APPLICATION_NAME, keepAlive: true, keepAliveInitialDelayMillis: 10_000, connectionTimeoutMillis: 5000 });
    client.on('error', (error) => {
      this.logger.warn({ err: loggableError(error) }, `Lost the connection holding ${this.name}; another process may take it over`);
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    await client.connect();
    this.client = client;
    return client;
  }

  private drop(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.held = false;
    void client.end().catch(() => undefined);
  }
}
