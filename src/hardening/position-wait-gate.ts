import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../shared/domain-error';
import { hardeningConfig, type HardeningConfig } from './hardening.config';

export class TooManyWaitersError extends DomainError {
  readonly kind = 'unavailable';
  constructor(limit: number) {
    super('projection.too_many_waiters', `${limit} reads are already waiting for minPosition; retry shortly`, { retryAfter: 1 });
  }
}

/**
 * Bounds the reads waiting for `minPosition` at once: each waiter polls the database, so
 * anonymous clients asking for a far position could otherwise starve the pool. Beyond the
 * bound a read gets 503 at once.
 */
@Injectable()
export class PositionWaitGate {
  private waiting = 0;

  constructor(@Inject(hardeningConfig.KEY) private readonly config: HardeningConfig) {}

  get current(): number {
    return this.waiting;
  }

  async run<T>(wait: () => Promise<T>): Promise<T> {
    if (this.waiting >= this.config.MAX_POSITION_WAITERS) throw new TooManyWaitersError(this.config.MAX_POSITION_WAITERS);
    this.waiting++;
    try {
      return await wait();
    } finally {
      this.waiting--;
    }
  }
}
