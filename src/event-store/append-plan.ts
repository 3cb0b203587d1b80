import { ConcurrencyError, EventIdConflictError } from './event-store.errors';
import type { AppendResult, ExpectedVersion, NewEvent, RecordedEvent } from './event-store.types';
import { chainHash } from './hash-chain';

/** An event checked and brought to its stored JSON form, not yet placed in the log. */
export type PreparedEvent = Required<Pick<NewEvent, 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata'>>;

export interface PreparedAppend {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: PreparedEvent[];
}

/** The log as read under the append lock: where the chain continues and when appends are recorded. */
export interface ChainStart {
  position: number;
  hash: Buffer;
  recordedAt: string;
}

export interface AppendHead {
  start: ChainStart;
  /** Current version of every stream the batch names (0: no stream). */
  versions: ReadonlyMap<string, number>;
  /** Events already stored whose ids the batch uses, by event id. */
  stored: ReadonlyMap<string, RecordedEvent>;
}

export type PlannedOutcome =
  | { kind: 'appended'; result: AppendResult }
  | { kind: 'duplicate'; result: AppendResult }
  | { kind: 'rejected'; error: ConcurrencyError | EventIdConflictError };

export interface AppendPlan {
  /** One outcome per request, in the order given. */
  outcomes: PlannedOutcome[];
  /** The rows to insert, in position order, chained from `head.start`. */
  recorded: RecordedEvent[];
}

export function meetsExpectation(expected: ExpectedVersion, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return current === 0;
    case 'stream-exists':
      return current > 0;
    default:
      return expected === current;
  }
}

/**
 * Decides a batch of appends as if they had run one after the other in the order given (group
 * commit, DESIGN §3): each request is checked against the stream heads *and* the appends before
 * it in the batch, so exactly one of several requests expecting the same version wins, and a
 * request whose event ids are all stored already — or appended earlier in the batch — is
 * answered with those events and appends nothing. A rejected request leaves no trace in the
 * plan. Pure: no I/O, no clock.
 */
export function planAppends(head: AppendHead, requests: readonly PreparedAppend[]): AppendPlan {
  const versions = new Map(head.versions);
  const known = new Map(head.stored);
  let position = head.start.position;
  let prevHash = head.start.hash;
  const recorded: RecordedEvent[] = [];
  const outcomes = requests.map((request): PlannedOutcome => {
    const seen = request.events.map((e) => known.get(e.eventId)).filter((e): e is RecordedEvent => e !== undefined);
    if (seen.length === request.events.length) {
      // A replay of an append that already happened: answer as the first time did.
      const events = [...seen].sort((a, b) => a.position - b.position);
      const last = events[events.length - 1]!;
      return { kind: 'duplicate', result: { streamId: last.streamId, streamVersion: last.streamVersion, position: last.position, events, duplicate: true } };
    }
    if (seen.length > 0) return { kind: 'rejected', error: new EventIdConflictError(seen.map((e) => e.eventId)) };

    const { streamId } = request;
    const current = versions.get(streamId) ?? 0;
    if (!meetsExpectation(request.expectedVersion, current)) {
      return { kind: 'rejected', error: new ConcurrencyError(streamId, request.expectedVersion, current) };
    }
    const own = request.events.map((e, i): RecordedEvent => {
      position += 1;
      const fields = { ...e, position, streamId, streamVersion: current + i + 1, recordedAt: head.start.recordedAt };
      const hash = chainHash(prevHash, fields);
      const event = { ...fields, prevHash: prevHash.toString('hex'), hash: hash.toString('hex') };
      prevHash = hash;
      known.set(e.eventId, event);
      return event;
    });
    recorded.push(...own);
    versions.set(streamId, current + own.length);
    const last = own[own.length - 1]!;
    return { kind: 'appended', result: { streamId, streamVersion: last.streamVersion, position: last.position, events: own, duplicate: false } };
  });
  return { outcomes, recorded };
}
