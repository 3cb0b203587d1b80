import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/database.module';
import { loggableError } from '../shared/log-safe';
import type { Principal } from './roles';

/** Channel on which a committed revocation is announced with the token id. */
export const TOKENS_CHANNEL = 'ceasefire_token_revoked';

const MAX_ENTRIES = 10_000;
const RECONNECT_MS = 1000;

/**
 * Tokens that authenticated, by hash, so that a request does not cost a database round trip.
 * Revocation is not a TTL: the revoking transaction NOTIFYs every instance, each drops the token
 * on the notification, and an instance that is not listening (its connection lost) caches
 * nothing until it listens again. The embedded database serves one process, whose own
 * revocations drop the token directly (PGlite delivers no notification to another connection).
 * A lookup is cached only if no revocation arrived while it ran: one that raced it may have read
 * the token before it was revoked.
 */
@Injectable()
export class TokenCache implements BeforeApplicationShutdown {
  private readonly logger = new Logger('TokenCache');
  private readonly byHash = new Map<string, Principal>();
  private revocations = 0;
  private listener: Client | null = null;
  private connecting: Promise<void> | null = null;
  private lastAttempt = 0;
  private stopped = false;

  constructor(@Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection) {}

  /** Whether cached answers can be trusted now; starts listening when they cannot. */
  private get active(): boolean {
    if (this.connection.embedded) return true;
    if (this.listener) return true;
    this.listen();
    return false;
  }

  get(hash: string): Principal | undefined {
    return this.active ? this.byHash.get(hash) : undefined;
  }

  /** A mark to pass to `remember`: lookups that a revocation overtook are not cached. */
  mark(): number {
    return this.revocations;
  }

  remember(hash: string, principal: Principal, mark: number): void {
    if (mark !== this.revocations || !this.active) return;
    if (this.byHash.size >= MAX_ENTRIES) this.byHash.delete(this.byHash.keys().next().value!);
    this.byHash.set(hash, principal);
  }

  /** Drops a revoked token, after its revocation committed. */
  forget(tokenId: string): void {
    this.revocations += 1;
    for (const [hash, principal] of this.byHash) if (principal.tokenId === tokenId) this.byHash.delete(hash);
  }

  /** Cached tokens now (for tests and metrics). */
  get size(): number {
    return this.byHash.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.connecting;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  private listen(): void {
    if (this.stopped || this.connecting || Date.now() - this.lastAttempt < RECONNECT_MS) return;
    this.lastAttempt = Date.now();
    const client = new Client({ connectionString: (this.connection.dataSource.options as { url?: string }).url });
    const lost = () => {
      if (this.listener !== client) return;
      // Anything may have been revoked while nobody listened.
      this.listener = null;
      this.byHash.clear();
      this.revocations += 1;
      void client.end().catch(() => undefined);
    };
    client.on('notification', (message) => {
      if (message.payload) this.forget(message.payload);
    });
    client.on('error', (error) => {
      this.logger.warn({ err: loggableError(error) }, 'Lost the token revocation listener; tokens are checked in the database until it is back');
      lost();
    });
    client.on('end', lost);
    this.connecting = (async () => {
      try {
        await client.connect();
        await client.query(`LISTEN ${TOKENS_CHANNEL}`);
        if (this.stopped) await client.end();
        else {
          this.byHash.clear();
          this.listener = client;
        }
      } catch (error) {
        this.logger.warn({ err: loggableError(error) }, 'Could not listen for token revocations; tokens are checked in the database');
        await client.end().catch(() => undefined);
      } finally {
        this.connecting = null;
      }
    })();
  }
}
