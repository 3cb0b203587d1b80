import type { FastifyReply } from 'fastify';
import type { WriteOutcome } from '../event-store/stream-writer.service';
import type { WriteResult } from './command';
import { ValidationError } from './domain-error';

/**
 * 201 when the write appended events; 200 when its outcome already held or it was a replay.
 * A DELETE answers 200 either way: nothing is created.
 */
export function answerWrite(reply: FastifyReply, outcome: WriteOutcome, { creates = true }: { creates?: boolean } = {}): WriteResult {
  void reply.status(outcome.appended && creates ? 201 : 200);
  return { id: outcome.id, streamVersion: outcome.streamVersion, position: outcome.position };
}

/** The expected stream version from the body's `expectedVersion` or an `If-Match: "N"` header. */
export function expectedVersionOf(fromBody: number | undefined, ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return fromBody;
  const match = /^(?:W\/)?"?(\d{1,10})"?$/.exec(ifMatch.trim());
  if (!match) {
    throw new ValidationError('If-Match must be a stream version such as "3"', [
      { field: 'If-Match', message: 'must be a stream version such as "3"' },
    ]);
  }
  const version = Number(match[1]);
  if (fromBody !== undefined && fromBody !== version) {
    throw new ValidationError('If-Match and expectedVersion disagree', [
      { field: 'expectedVersion', message: 'disagrees with If-Match' },
    ]);
  }
  return version;
}

/**
 * Drops undefined and null members, so that domain values hold only what was sent: a null is
 * "not given" (an optional field cannot be cleared by a correction, only replaced).
 */
export function defined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_, v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutNulls(v) : v)) as T;
}

function withoutNulls(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null));
}
