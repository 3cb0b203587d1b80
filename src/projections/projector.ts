import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store/event-store.types';

/** Maps a read-model table's name to the table to write: itself, or its copy during a rebuild. */
export type TableName = (table: string) => string;

/**
 * A read model's writer (STYLE C7): reads the log by position and is applied in the same
 * transaction that moves its checkpoint, so every event counts exactly once.
 */
export interface Projector {
  readonly name: string;
  /** Bump when the logic changes: the runner then rebuilds from position 0. */
  readonly version: number;
  /** The event types it reads; the others only move its checkpoint. */
  readonly handles: readonly string[];
  /** Every table it writes, which a rebuild builds afresh beside the live ones and swaps in. */
  readonly tables: readonly string[];
  /** The read models it serves, whose content digests are reported. */
  readonly readModels: readonly string[];
  /** Applies a batch of events, in position order, inside `tx`. A recorded fact never makes it throw. */
  apply(events: RecordedEvent[], tx: EntityManager, table: TableName): Promise<void>;
}

export const PROJECTORS = Symbol('PROJECTORS');
