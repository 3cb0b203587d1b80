import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { appConfig, type AppConfig } from '../config/env';
import { StreamWriter, type WriteOutcome } from '../event-store/stream-writer.service';
import type { CommandMeta } from '../shared/command';
import { ACCESS_STREAM, accessDecider } from './domain/access';
import type { Principal, Role } from './roles';
import { TokenCache, TOKENS_CHANNEL } from './token-cache';

const TOKEN_PREFIX = 'cft_';
/** The principal that ADMIN_TOKEN stands for. */
export const ENVIRONMENT_ADMIN: Principal = { tokenId: 'environment-admin', name: 'ADMIN_TOKEN', role: 'admin' };

const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Bearer tokens (DESIGN §7): 32 random bytes, shown once, stored only as a sha256 hash. Issuing
 * and revoking are events in the `access` stream; the token table beside the log is what
 * requests are checked against, written in the same transaction.
 */
@Injectable()
export class TokenService {
  private readonly adminTokenHash: Buffer | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: StreamWriter,
    private readonly cache: TokenCache,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.adminTokenHash = config.ADMIN_TOKEN ? hashToken(config.ADMIN_TOKEN) : null;
  }

  /** The principal a token stands for, or null when it is unknown or revoked. Checked on every request. */
  async authenticate(token: string): Promise<Principal | null> {
    const hash = hashToken(token);
    if (this.adminTokenHash && timingSafeEqual(hash, this.adminTokenHash)) return ENVIRONMENT_ADMIN;
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const key = hash.toString('base64');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const mark = this.cache.mark();
    const [row] = await this.dataSource.query(
      'SELECT id, name, role FROM access_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    if (!row) return null;
    const principal: Principal = { tokenId: row.id, name: row.name, role: row.role };
    this.cache.remember(key, principal, mark);
    return principal;
  }

  async issue(name: string, role: Role, meta: CommandMeta): Promise<WriteOutcome & { token: string | null; role: Role; name: string }> {
    const tokenId = randomUUID();
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const outcome = await this.writer.write({
      streamId: ACCESS_STREAM,
      decider: accessDecider,
      command: { type: 'IssueToken', tokenId, name, role },
      meta,
      resultId: tokenId,
      afterAppend: (tx, appended) =>
        tx.query(
          `INSERT INTO access_tokens (id, name, role, token_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
          [tokenId, name, role, hashToken(token), appended.events[0]!.recordedAt, meta.actor.tokenId],
        ),
    });
    // A replayed request cannot show the token again: only its hash was kept.
    const issuedNow = outcome.id === tokenId;
    return { ...outcome, token: issuedNow ? token : null, role, name };
  }

  async revoke(tokenId: string, meta: CommandMeta): Promise<WriteOutcome> {
    const outcome = await this.writer.write({
      streamId: ACCESS_STREAM,
      decider: accessDecider,
      command: { type: 'RevokeToken', tokenId },
      meta,
      resultId: tokenId,
      afterAppend: async (tx, appended) => {
        await tx.query('UPDATE access_tokens SET revoked_at = $2 WHERE id = $1', [tokenId, appended.events[0]!.recordedAt]);
        // Delivered to every instance's token cache when, and only if, the revocation commits.
        await tx.query('SELECT pg_notify($1, $2)', [TOKENS_CHANNEL, tokenId]);
      },
    });
    this.cache.forget(tokenId);
    return outcome;
  }
}
