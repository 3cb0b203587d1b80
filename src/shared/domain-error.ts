/** How a failure is reported to a client; the problem-details filter maps each kind to a status. */
export type DomainErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'concurrency'
  | 'conflict'
  | 'rule'
  | 'idempotency_mismatch'
  | 'rate_limited'
  | 'too_large'
  | 'unavailable';

export interface FieldError {
  field: string;
  message: string;
}

/** An expected failure with a stable dotted `code`; code below the controllers throws only these. */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  protected constructor(
    readonly code: string,
    message: string,
    /** Extra members for the problem+json body (for instance `currentVersion`). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(message: string, readonly errors: FieldError[] = [], code = 'request.invalid') {
    super(code, message, { errors });
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** An Idempotency-Key reused with a different request. */
export class IdempotencyMismatchError extends DomainError {
  readonly kind = 'idempotency_mismatch';
  constructor() {
    super('idempotency.key_reused', 'This Idempotency-Key was already used with a different request');
  }
}

/** The read models have not yet reached the position a client asked for: retry shortly (503). */
export class NotYetProjectedError extends DomainError {
  readonly kind = 'unavailable';
  constructor(position: number, retryAfterSeconds: number) {
    super('projection.behind', `The read models have not reached position ${position} yet`, { minPosition: position, retryAfter: retryAfterSeconds });
  }
}

/** A body over a route's own limit (413). */
export class TooLargeError extends DomainError {
  readonly kind = 'too_large';
  constructor(code: string, message: string) {
    super(code, message);
  }
}
