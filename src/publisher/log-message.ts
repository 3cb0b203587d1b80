import type { RecordedEvent } from '../event-store/event-store.types';
import { chainHash } from '../event-store/hash-chain';

/** Headers each published event carries beside Nats-Msg-Id (= the event id). */
export const POSITION_HEADER = 'Ceasefire-Position';
export const STREAM_VERSION_HEADER = 'Ceasefire-Stream-Version';
export const PREV_HASH_HEADER = 'Ceasefire-Prev-Hash';
export const HASH_HEADER = 'Ceasefire-Hash';

/** The subject token for events outside any conflict (tokens, signed checkpoints). */
export const NO_CONFLICT = '_';

/**
 * `<prefix>.<conflictId>.<stream kind>.<EventType>`: a consumer subscribes to one conflict
 * (`ceasefire.<id>.>`), one kind of stream (`ceasefire.*.claim.>`) or one type of event.
 */
export function subjectFor(prefix: string, event: Pick<RecordedEvent, 'streamId' | 'type'>, conflictId: string | null): string {
  return [prefix, subjectToken(conflictId ?? NO_CONFLICT), subjectToken(streamKind(event.streamId)), subjectToken(event.type)].join('.');
}

/** `claim-<uuid>` → `claim`; a stream without an id part (`checkpoints`, `access`) is its own kind. */
export function streamKind(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}

/** Subject tokens cannot hold dots, wildcards or white space. */
function subjectToken(text: string): string {
  const token = text.replace(/[^A-Za-z0-9_-]/g, '_');
  return token.length > 0 ? token : NO_CONFLICT;
}

/** The message body: the event exactly as the audit export writes it (sealed fields stay sealed). */
export function messageBody(event: RecordedEvent): string {
  return JSON.stringify(event);
}

export function messageHeaders(event: RecordedEvent): [string, string][] {
  return [
    [POSITION_HEADER, String(event.position)],
    [STREAM_VERSION_HEADER, String(event.streamVersion)],
    [PREV_HASH_HEADER, event.prevHash],
    [HASH_HEADER, event.hash],
  ];
}

export class ChainBrokenError extends Error {}

/**
 * Checks a run of published events from the messages alone: positions one after another, each
 * linking to the previous hash and hashing to its own. The first message anchors the run (its
 * prevHash is taken as given, unless it is position 1); compare the last hash with a signed
 * checkpoint to trust the whole run.
 */
export class MessageChain {
  private last: { position: number; hash: string } | null = null;

  get head(): { position: number; hash: string } | null {
    return this.last;
  }

  accept(event: RecordedEvent, headers: { position: string | undefined; hash: string | undefined; prevHash: string | undefined }): void {
    if (headers.position !== String(event.position) || headers.hash !== event.hash || headers.prevHash !== event.prevHash) {
      throw new ChainBrokenError(`position ${event.position}: the message's headers do not match its body`);
    }
    if (this.last && event.position !== this.last.position + 1) {
      throw new ChainBrokenError(`position ${event.position} where ${this.last.position + 1} was expected`);
    }
    if (this.last ? event.prevHash !== this.last.hash : event.position === 1 && event.prevHash !== '0'.repeat(64)) {
      throw new ChainBrokenError(`position ${event.position}: prevHash does not match the hash of position ${event.position - 1}`);
    }
    const hash = chainHash(Buffer.from(event.prevHash, 'hex'), event).toString('hex');
    if (hash !== event.hash) throw new ChainBrokenError(`position ${event.position}: the event does not hash to its hash: it was altered`);
    this.last = { position: event.position, hash };
  }
}
