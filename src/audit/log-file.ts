import type { RecordedEvent } from '../event-store/event-store.types';
import { chainHash, GENESIS_HASH } from '../event-store/hash-chain';
import { DomainError } from '../shared/domain-error';

/** An import refused whole: the file's line `line` is not what the chain says it must be. */
export class ImportRefusedError extends DomainError {
  readonly kind = 'validation';
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super('import.refused', `Line ${line}: ${reason}; nothing was imported`, { line });
  }
}

const HEX32 = /^[0-9a-f]{64}$/;

/** One NDJSON export line as an event, with its shape checked. */
export function parseExportLine(text: string, line: number): RecordedEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ImportRefusedError(line, 'not valid JSON');
  }
  const e = value as Partial<RecordedEvent> | null;
  const ok =
    e !== null &&
    typeof e === 'object' &&
    Number.isSafeInteger(e.position) &&
    typeof e.eventId === 'string' &&
    typeof e.streamId === 'string' &&
    Number.isSafeInteger(e.streamVersion) &&
    typeof e.type === 'string' &&
    Number.isSafeInteger(e.schemaVersion) &&
    typeof e.data === 'object' && e.data !== null &&
    typeof e.metadata === 'object' && e.metadata !== null &&
    typeof e.recordedAt === 'string' &&
    typeof e.prevHash === 'string' && HEX32.test(e.prevHash) &&
    typeof e.hash === 'string' && HEX32.test(e.hash);
  if (!ok) throw new ImportRefusedError(line, 'not an exported event (position, eventId, streamId, streamVersion, type, schemaVersion, data, metadata, recordedAt, prevHash, hash)');
  return e as RecordedEvent;
}

/** Walks an exported log line by line and checks that each event extends the chain. */
export class ChainFollower {
  private position = 0;
  private prevHash = GENESIS_HASH;

  get head(): { position: number; hash: string | null } {
    return { position: this.position, hash: this.position === 0 ? null : this.prevHash.toString('hex') };
  }

  accept(event: RecordedEvent, line: number): void {
    if (event.position !== this.position + 1) {
      throw new ImportRefusedError(line, `position ${event.position} where ${this.position + 1} was expected`);
    }
    if (event.prevHash !== this.prevHash.toString('hex')) {
      throw new ImportRefusedError(line, `prevHash does not match the hash of position ${this.position}`);
    }
    const hash = chainHash(this.prevHash, event);
    if (hash.toString('hex') !== event.hash) {
      throw new ImportRefusedError(line, `the event at position ${event.position} does not hash to its recorded hash: it was altered`);
    }
    this.position = event.position;
    this.prevHash = hash;
  }
}
