import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import canonicalize from 'canonicalize';
import type { EntityManager } from 'typeorm';
import type { ChainVerification } from './event-store.types';
import { chainHash, GENESIS_HASH, type HashedEventFields } from './hash-chain';

/** A row as the verifier reads it: data and metadata as text, parsed where they are hashed. */
interface ChainRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: Uint8Array;
  hash: Uint8Array;
}

/** The first row of a batch whose stored hash is not sha256(its prev_hash ‖ its canonical JSON). */
type HashCheck = { bad: number; expected: string } | null;

export interface VerifyOptions {
  from?: number;
  to?: number;
  /** Worker threads hashing batches in parallel (default: one per core, at most 4). */
  workers?: number;
  /** Below this many events the work stays on this thread: starting workers costs more. */
  parallelFrom?: number;
}

const BATCH = 5000;
const READ_COLUMNS = `position, event_id, stream_id, stream_version, type, schema_version, data::text AS data, metadata::text AS metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at, prev_hash, hash`;

const fieldsOf = (r: ChainRow): HashedEventFields => ({
  position: Number(r.position),
  eventId: r.event_id,
  streamId: r.stream_id,
  streamVersion: r.stream_version,
  type: r.type,
  schemaVersion: r.schema_version,
  data: JSON.parse(r.data),
  metadata: JSON.parse(r.metadata),
  recordedAt: r.recorded_at,
});

// The workers run canonicalize's own function (it is self-contained), given to them as source,
// over the same fields as hash-chain.ts; a test keeps the two answers equal.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const canonicalize = ${canonicalize.toString()};
const fieldsOf = ${fieldsOf.toString()};
parentPort.on('message', ({ id, rows }) => {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const h = createHash('sha256').update(r.prev_hash).update(canonicalize(fieldsOf(r)), 'utf8').digest();
    if (!h.equals(r.hash)) return parentPort.postMessage({ id, check: { bad: i, expected: h.toString('hex') } });
  }
  parentPort.postMessage({ id, check: null });
});`;

function checkHere(rows: ChainRow[]): HashCheck {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const h = chainHash(Buffer.from(r.prev_hash), fieldsOf(r));
    if (!h.equals(r.hash)) return { bad: i, expected: h.toString('hex') };
  }
  return null;
}

/** Worker threads that hash batches; each answers its batches in the order it got them. */
class HashPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve(check: HashCheck): void; reject(error: unknown): void }>();
  private next = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', ({ id, check }: { id: number; check: HashCheck }) => {
        this.waiting.get(id)?.resolve(check);
        this.waiting.delete(id);
      });
      worker.on('error', (error) => {
        for (const w of this.waiting.values()) w.reject(error);
        this.waiting.clear();
      });
      return worker;
    });
  }

  check(rows: ChainRow[]): Promise<HashCheck> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, rows });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Recomputes the hash chain over positions `from`..`to` and names the first position whose
 * stored hash or link does not match (DESIGN §3). The links (position order, prev_hash equal to
 * the stored hash before) are checked here, in order; the hashes of a row depend only on that
 * row, so batches are hashed in parallel by worker threads while the next ones are read. At most
 * a few batches are held at once, whatever the length of the log.
 */
export async function verifyChain(
  manager: EntityManager,
  end: number,
  { from = 1, workers = Math.min(4, availableParallelism()), parallelFrom = 20_000 }: VerifyOptions,
  onProgress: (checked: number, total: number) => void,
): Promise<ChainVerification> {
  let expectedPrev: Buffer = GENESIS_HASH;
  if (from > 1) {
    const [row] = await manager.query('SELECT hash FROM events WHERE position = $1', [from - 1]);
    if (row) expectedPrev = row.hash;
  }
  const total = end - from + 1;
  const pool = total >= parallelFrom && workers > 0 ? new HashPool(workers) : null;
  const check = (rows: ChainRow[]): Promise<HashCheck> => (pool ? pool.check(rows) : Promise.resolve().then(() => checkHere(rows)));
  const read = (after: number): Promise<ChainRow[]> => {
    if (after >= end) return Promise.resolve([]);
    const rows: Promise<ChainRow[]> = manager.query(
      `SELECT ${READ_COLUMNS} FROM events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT ${BATCH}`,
      [after, end],
    );
    rows.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    return rows;
  };

  const depth = pool ? workers * 2 : 1;
  const inFlight: { rows: ChainRow[]; check: Promise<HashCheck> }[] = [];
  let cursor = from - 1;
  let reading: Promise<ChainRow[]> | null = read(cursor);
  let broken: { rows: ChainRow[]; index: number; expectedPrev: Buffer } | null = null;
  let checked = 0;
  let head: { position: number; hash: string } | null = null;
  try {
    for (;;) {
      while (reading && !broken && inFlight.length < depth) {
        const rows: ChainRow[] = await reading;
        if (rows.length === 0) {
          reading = null;
          break;
        }
        reading = read(Number(rows[rows.length - 1]!.position));
        // The links, here and in order: each row follows the one before by one position and
        // names its stored hash.
        let index = 0;
        for (; index < rows.length; index++) {
          const r = rows[index]!;
          if (Number(r.position) !== cursor + 1 || !expectedPrev.equals(r.prev_hash)) break;
          cursor += 1;
          expectedPrev = Buffer.from(r.hash);
        }
        if (index < rows.length) {
          broken = { rows, index, expectedPrev };
          reading = null;
        }
        const linked = rows.slice(0, index);
        if (linked.length > 0) inFlight.push({ rows: linked, check: check(linked) });
      }
      const batch = inFlight.shift();
      if (!batch) break;
      const result = await batch.check;
      if (result) {
        const r = batch.rows[result.bad]!;
        return mismatch(checked + result.bad, Number(r.position), result.expected, r.hash);
      }
      checked += batch.rows.length;
      const last = batch.rows[batch.rows.length - 1]!;
      head = { position: Number(last.position), hash: Buffer.from(last.hash).toString('hex') };
      onProgress(checked, total);
    }
    if (broken) {
      const r = broken.rows[broken.index]!;
      return mismatch(checked, Number(r.position), chainHash(broken.expectedPrev, fieldsOf(r)).toString('hex'), r.hash);
    }
    return { ok: true, checked, headPosition: head?.position ?? 0, headHash: head?.hash ?? null, firstMismatch: null };
  } finally {
    await pool?.close();
  }

  // headHash is left to the caller, which reads the stored hash at `end`.
  function mismatch(done: number, position: number, expectedHash: string, actual: Uint8Array): ChainVerification {
    return {
      ok: false,
      checked: done,
      headPosition: end,
      headHash: null,
      firstMismatch: { position, expectedHash, actualHash: Buffer.from(actual).toString('hex') },
    };
  }
}
