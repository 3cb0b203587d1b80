/** A JSON value as stored in `data` and `metadata`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * What the appender expects of the stream: its exact current version (0 = no stream yet),
 * that it does not exist, that it does, or anything.
 */
export type ExpectedVersion = number | 'no-stream' | 'stream-exists' | 'any';

export interface NewEvent {
  /** The event's idempotency key; generated when omitted. */
  eventId?: string;
  type: string;
  schemaVersion?: number;
  data: JsonObject;
  /** Merged over the metadata given to `append` for the whole batch. */
  metadata?: JsonObject;
}

export interface RecordedEvent {
  position: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: JsonObject;
  metadata: JsonObject;
  /** ISO 8601, UTC, millisecond precision: the server clock at append. */
  recordedAt: string;
  /** Hex. */
  prevHash: string;
  /** Hex. */
  hash: string;
}

/** What projectors read of an event: its place, its kind, its facts and when it was recorded. */
export type ProjectedEvent = Pick<RecordedEvent, 'position' | 'streamId' | 'type' | 'data' | 'recordedAt'>;

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append: that of its last event. */
  streamVersion: number;
  /** The global position of the last appended event. */
  position: number;
  events: RecordedEvent[];
  /** True when every event id was already stored: nothing was appended and the original events are returned. */
  duplicate: boolean;
}

export interface ChainMismatch {
  position: number;
  /** The hash recomputed from the event and its predecessor (hex). */
  expectedHash: string;
  /** The hash stored in the row (hex). */
  actualHash: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** Last position of the verified range, and its stored hash (hex); 0 and null on an empty log. */
  headPosition: number;
  headHash: string | null;
  firstMismatch: ChainMismatch | null;
}
