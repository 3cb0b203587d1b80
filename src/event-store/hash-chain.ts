import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The prev_hash of the first event: 32 zero bytes. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** The fields of an event that its hash covers (DESIGN §3). */
export interface HashedEventFields {
  position: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  /** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  recordedAt: string;
}

/** RFC 8785 (JCS) canonical JSON of the hashed fields: sorted keys, ECMAScript number spelling. */
export function canonicalEventJson(e: HashedEventFields): string {
  const json = canonicalize({
    position: e.position,
    eventId: e.eventId,
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt,
  });
  if (json === undefined) throw new TypeError('event fields are not serialisable as JSON');
  return json;
}

/** hash = sha256(prev_hash ‖ canonical JSON of the event). */
export function chainHash(prevHash: Buffer, e: HashedEventFields): Buffer {
  return createHash('sha256').update(prevHash).update(canonicalEventJson(e), 'utf8').digest();
}
