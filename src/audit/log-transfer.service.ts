import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '../event-store/event-store.service';
import type { RecordedEvent } from '../event-store/event-store.types';
import { DomainError } from '../shared/domain-error';
import { ChainFollower, parseExportLine } from './log-file';

const IMPORT_BATCH = 500;

export class StoreNotEmptyError extends DomainError {
  readonly kind = 'conflict';
  constructor(head: number) {
    super('import.store_not_empty', `The store already holds ${head} events; import only into an empty store`);
  }
}

/** Export and import of the whole log as NDJSON, one event a line, hashes in hex (DESIGN §6). */
@Injectable()
export class LogTransfer {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  /** NDJSON lines of the whole log, read in batches: memory does not grow with the log. */
  async *exportLines(): AsyncGenerator<string> {
    for await (const event of this.store.streamAll()) yield `${JSON.stringify(event)}\n`;
  }

  /**
   * Imports an export into an empty store. The whole file is verified first — a file whose
   * chain does not verify is refused whole, naming the line — then inserted in one transaction,
   * so a failure leaves nothing behind.
   */
  async importFile(file: string, onProgress: (phase: 'verify' | 'import', events: number) => void = () => {}) {
    const head = await this.store.headPosition();
    if (head > 0) throw new StoreNotEmptyError(head);
    const follower = new ChainFollower();
    let count = 0;
    for await (const { event, line } of readEvents(file)) {
      follower.accept(event, line);
      if (++count % 10_000 === 0) onProgress('verify', count);
    }
    onProgress('verify', count);
    let imported = 0;
    await this.dataSource.transaction(async (tx) => {
      if ((await this.store.headPosition(tx)) > 0) throw new StoreNotEmptyError(head);
      // The file is read twice; the second reading is checked again, in case it changed meanwhile.
      // One insert is in flight while the next batch is read and checked, so that PostgreSQL and
      // Node work at the same time; at most two batches are held.
      const again = new ChainFollower();
      let inFlight: Promise<void> = Promise.resolve();
      const insert = async (batch: RecordedEvent[]) => {
        await inFlight;
        inFlight = this.store.insertVerified(tx, batch).then(() => {
          imported += batch.length;
          onProgress('import', imported);
        });
        inFlight.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      };
      try {
        let batch: RecordedEvent[] = [];
        for await (const { event, line } of readEvents(file)) {
          again.accept(event, line);
          batch.push(event);
          if (batch.length === IMPORT_BATCH) {
            await insert(batch);
            batch = [];
          }
        }
        await insert(batch);
        await inFlight;
      } catch (error) {
        // Let the statement under way end before the transaction is rolled back.
        await inFlight.catch(() => undefined);
        throw error;
      }
    });
    onProgress('import', imported);
    this.store.announce(imported);
    return { imported, head: follower.head };
  }
}

async function* readEvents(file: string): AsyncGenerator<{ event: RecordedEvent; line: number }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    yield { event: parseExportLine(text, line), line };
  }
}
