import { createHash } from 'node:crypto';
import { applyDecorators, type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, mergeAll, Observable, of, tap, throwError } from 'rxjs';
import { appConfig, type AppConfig } from '../config/env';
import { ReadReplicas, type ReadTarget, SERVED_BY_HEADER } from '../database/read-replicas.service';
import { isDatabaseUnavailable } from '../shared/database-unavailable';
import { ProjectionRunner } from '../projections/projection-runner.service';
import { APP_VERSION } from '../version';

const READ_MODEL = Symbol('READ_MODEL');

/** The headers a cached read answers with, for the OpenAPI document. */
export const CACHED_READ_HEADERS = {
  ETag: { description: 'Changes exactly when the read model behind the answer changes: send it as If-None-Match for a 304', schema: { type: 'string' } },
  'Cache-Control': { description: '`public, max-age=READ_CACHE_SECONDS` without a token, `private, no-cache` with one', schema: { type: 'string' } },
  [SERVED_BY_HEADER]: {
    description: 'Which database answered: `primary`, or `replica-N` (the Nth of DATABASE_READ_URL); with minPosition, a replica only once it has replayed that position',
    schema: { type: 'string' },
  },
} as const;

/**
 * A read answered from the read models of projector `projector`: it carries an ETag and a
 * Cache-Control, and a matching If-None-Match is answered 304 without running the query.
 */
export const CachedRead = (projector: string) =>
  applyDecorators(
    SetMetadata(READ_MODEL, projector),
    UseInterceptors(ReadCacheInterceptor),
    ApiResponse({ status: 304, description: 'Not modified: the If-None-Match ETag is current', headers: CACHED_READ_HEADERS }),
  );

/**
 * HTTP caching for read models (DESIGN §6). The ETag names the projector, its version, the
 * position at which it last changed its tables and the request's path and query (without
 * minPosition, which only says how long to wait); that position is read after any minPosition
 * wait and before the query runs, so a body is never older than its tag and a 304 never hides a
 * write the client has seen. Answers to requests with a token are private, for the browser only.
 */
@Injectable()
export class ReadCacheInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly projections: ProjectionRunner,
    private readonly replicas: ReadReplicas,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const projector = this.reflector.get<string | undefined>(READ_MODEL, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const query = (request.query ?? {}) as Record<string, unknown>;
    const minPosition = typeof query.minPosition === 'string' && /^\d{1,15}$/.test(query.minPosition) ? Number(query.minPosition) : undefined;
    // asOf replays the log (auditors only); a malformed minPosition is the handler's 400.
    if (!projector || query.asOf !== undefined || (query.minPosition !== undefined && minPosition === undefined)) return next.handle();

    // A replica that has replayed minPosition, or the primary (which waits for its projectors).
    const target = await this.replicas.choose(minPosition);
    if (target.servedBy !== 'primary') {
      try {
        // The tag comes from the database that answers: the replica's own replayed checkpoint.
        const [row] = await target.manager.query('SELECT changed_position, version FROM projection_checkpoints WHERE name = $1', [projector]);
        const changed = row ? { position: Number(row.changed_position), version: Number(row.version) } : { position: 0, version: 0 };
        const answer = this.answer(context, next, changed, target);
        // A replica that fails mid-request: the primary answers instead (the check takes it out of rotation).
        return answer.pipe(catchError((error: unknown) => (isDatabaseUnavailable(error) ? from(this.fromPrimary(context, next, minPosition)).pipe(mergeAll()) : throwError(() => error))));
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
      }
    }
    return this.fromPrimary(context, next, minPosition);
  }

  private async fromPrimary(context: ExecutionContext, next: CallHandler, minPosition: number | undefined): Promise<Observable<unknown>> {
    const projector = this.reflector.get<string>(READ_MODEL, context.getHandler());
    await this.projections.ensureProjected(minPosition);
    const changed = await this.projections.changedPosition(projector, { fresh: minPosition !== undefined });
    return this.answer(context, next, changed, null);
  }

  /** The answer, or a 304, tagged with `changed`; the handler's read-model queries run on `replica` when given. */
  private answer(context: ExecutionContext, next: CallHandler, changed: { position: number; version: number }, replica: ReadTarget | null): Observable<unknown> {
    const projector = this.reflector.get<string>(READ_MODEL, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const etag = `"${projector}.${changed.version}.${changed.position}.${answerKey(request.url)}"`;
    const cacheControl = request.headers.authorization === undefined ? `public, max-age=${this.config.READ_CACHE_SECONDS}` : 'private, no-cache';
    const headers = { ETag: etag, 'Cache-Control': cacheControl, Vary: 'Authorization', [SERVED_BY_HEADER]: replica?.servedBy ?? 'primary' };
    if (matches(request.headers['if-none-match'], etag)) return of(new Response(null, { status: 304, headers }));
    // The handler runs on subscription: inside the replica's context, its queries go there.
    const answer = replica ? new Observable<unknown>((subscriber) => this.replicas.run(replica, () => next.handle().subscribe(subscriber))) : next.handle();
    return answer.pipe(tap(() => void reply.headers(headers)));
  }
}

/** What identifies one answer of a read model: the path and the query, minPosition aside, and the app version. */
function answerKey(url: string): string {
  const [path, search = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(search);
  params.delete('minPosition');
  params.sort();
  return createHash('sha256').update(`${APP_VERSION}\n${path}?${params.toString()}`).digest('base64url').slice(0, 22);
}

/** If-None-Match: `*` or a list of (possibly weak) tags (RFC 9110 §13.1.2, weak comparison). */
function matches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  return value.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
