/** What a batch commit says about one of its items. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface CommitQueueOptions {
  /** At most this many items share one commit. */
  maxBatch: number;
  /**
   * After a commit that carried more than one item (the queue is under load), wait up to this
   * long for more to arrive before the next; an idle queue commits at once.
   */
  maxWaitMs: number;
}

interface Waiting<I, R> {
  item: I;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items that arrive while a commit is in flight are collected and committed
 * together by the next one, so concurrent callers share one transaction instead of queueing on
 * the lock one by one. One commit runs at a time per queue. `commit` answers each item
 * separately; if it throws, every item of that batch gets the error. A caller's promise settles
 * only after its batch's commit has returned.
 */
export class CommitQueue<I, R> {
  private readonly waiting: Waiting<I, R>[] = [];
  private draining = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly commit: (items: I[]) => Promise<Settled<R>[]>,
    private readonly options: CommitQueueOptions,
  ) {
    if (!Number.isSafeInteger(options.maxBatch) || options.maxBatch < 1) throw new RangeError('maxBatch must be a positive integer');
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.options.maxBatch) this.wake?.();
      if (!this.draining) void this.drain();
    });
  }

  /** Items waiting for a commit (not those in flight). */
  get depth(): number {
    return this.waiting.length;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    let previous = 0;
    try {
      while (this.waiting.length > 0) {
        if (previous > 1 && this.options.maxWaitMs > 0 && this.waiting.length < this.options.maxBatch) await this.gather();
        const batch = this.waiting.splice(0, this.options.maxBatch);
        previous = batch.length;
        let settled: Settled<R>[];
        try {
          settled = await this.commit(batch.map((w) => w.item));
        } catch (error) {
          settled = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((w, i) => {
          const s = settled[i] ?? { ok: false, error: new Error('the batch commit gave no answer for this item') };
          if (s.ok) w.resolve(s.value);
          else w.reject(s.error);
        });
      }
    } finally {
      this.draining = false;
    }
  }

  private gather(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.options.maxWaitMs);
      this.wake = done;
    });
  }
}
