import type { EntityManager } from 'typeorm';
import type { ProjectedEvent } from '../event-store/event-store.types';

/** Maps a read-model table's name to the table to write: itself, or its copy during a rebuild. */
export type TableName = (table: string) => string;

/**
 * `live`: every table is current after each batch. `bulk`: the batches of a rebuild (or of a
 * replay) before its end, which may leave tables derived from others to `finishBulk`.
 */
export type ApplyMode = 'live' | 'bulk';

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
  /**
   * Whether a rebuild may leave the secondary indexes of its tables out until the last bulk
   * batch (its own queries during bulk batches do not need them), building each once at the end.
   */
  readonly defersIndexes?: boolean;
  /** Applies a batch of events, in position order, inside `tx`. A recorded fact never makes it throw. */
  apply(events: ProjectedEvent[], tx: EntityManager, table: TableName, mode?: ApplyMode): Promise<void>;
  /** After the last bulk batch: completes what bulk batches left, so that live batches can follow. */
  finishBulk?(tx: EntityManager, table: TableName): Promise<void>;
}

export const PROJECTORS = Symbol('PROJECTORS');
