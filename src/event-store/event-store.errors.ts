import { DomainError } from '../shared/domain-error';
import type { ExpectedVersion } from './event-store.types';

/** The stream is not at the version the appender expected; nothing was appended. */
export class ConcurrencyError extends DomainError {
  readonly kind = 'concurrency';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly currentVersion: number,
  ) {
    super(
      'stream.version_conflict',
      `Stream ${streamId} is at version ${currentVersion}, expected ${String(expectedVersion)}`,
      { currentVersion },
    );
  }
}

/** Some, but not all, of the event ids of an append are already stored. */
export class EventIdConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly eventIds: string[]) {
    super('event.id_conflict', `Event ids already stored elsewhere: ${eventIds.join(', ')}`);
  }
}

/** The events cannot be stored as given (bad uuid, text PostgreSQL refuses, values JSON cannot hold). */
export class InvalidEventError extends DomainError {
  readonly kind = 'validation';
  constructor(message: string, readonly field: string) {
    super('event.invalid', message, { errors: [{ field, message }] });
  }
}
