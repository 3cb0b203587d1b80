import { createHash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import canonicalize from 'canonicalize';
import type { AuthenticatedRequest } from '../auth/access.guard';
import { metaFor } from './command';
import { ValidationError } from './domain-error';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/**
 * The request in RFC 8785 form, so that key order and number spelling do not make a replay look
 * like a different request. A body JCS cannot hold (lone surrogates, overflowing numbers, absurd
 * depth) is refused by validation later; its hash only needs to be stable.
 */
function canonicalRequest(request: AuthenticatedRequest): string {
  const subject = { method: request.method, url: request.url, body: request.body ?? null };
  try {
    return canonicalize(subject) ?? '';
  } catch {
    try {
      return JSON.stringify(subject);
    } catch {
      return `${request.method} ${request.url} (unserialisable body)`;
    }
  }
}

/**
 * The CommandMeta of a write, from its request: the principal the guard found, the request id,
 * X-Correlation-Id (else the request id), Idempotency-Key, and a hash of the request as sent.
 */
export const Meta = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new Error('Meta used on a route without a principal');
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const idempotencyKey = header('idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new ValidationError('Idempotency-Key must be 1 to 200 visible ASCII characters', [
      { field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' },
    ]);
  }
  const correlation = header('x-correlation-id');
  const requestId = String(request.id);
  const requestHash = createHash('sha256').update(canonicalRequest(request)).digest('hex');
  return metaFor(request.principal, {
    requestId,
    correlationId: correlation && CORRELATION_ID.test(correlation) ? correlation : requestId,
    causationId: null,
    idempotencyKey: idempotencyKey ?? null,
    requestHash,
  });
});
