/** Where commands get the time (STYLE C3): deciders never read the clock themselves. */
export interface Clock {
  /** Now, as an ISO 8601 instant. */
  now(): string;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date().toISOString() };
