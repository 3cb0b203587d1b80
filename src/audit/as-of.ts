import { ValidateBy } from 'class-validator';
import type { ReadStreamOptions } from '../event-store/event-store.service';
import { isInstant } from '../shared/text';

/** `asOf` is a log position (events up to and including it) or an ISO instant (events recorded by then). */
export function isAsOf(value: unknown): value is string {
  return typeof value === 'string' && (/^\d{1,15}$/.test(value) || isInstant(value));
}

export function parseAsOf(value: string): ReadStreamOptions {
  return /^\d{1,15}$/.test(value) ? { toPosition: Number(value) } : { toRecordedAt: new Date(value) };
}

export const IsAsOf = () =>
  ValidateBy({
    name: 'isAsOf',
    validator: { validate: isAsOf, defaultMessage: () => 'asOf must be a log position or an ISO 8601 date and time with an offset' },
  });
