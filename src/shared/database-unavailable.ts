import { Logger } from '@nestjs/common';
import { DomainError } from './domain-error';
import { loggableError } from './log-safe';

/** Seconds a client is told to wait when the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** The database cannot be reached or cancelled the statement: retry shortly (503). */
export class DatabaseUnavailableError extends DomainError {
  readonly kind = 'unavailable';
  constructor() {
    super('database.unavailable', 'The database is unavailable; retry after a moment (a write with an Idempotency-Key is safe to repeat)', {
      retryAfter: DATABASE_RETRY_AFTER_SECONDS,
    });
  }
}

/**
 * PostgreSQL error codes that say the server is not there (now): 57P01 admin shutdown, 57P02
 * crash shutdown, 57P03 cannot connect now, 57014 statement cancelled (statement_timeout),
 * 25P03 idle-in-transaction timeout, 53300 too many connections, class 08 connection exceptions.
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '57014', '25P03', '53300', '08000', '08001', '08003', '08004', '08006', '08P01']);
/** Socket-level codes from Node. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'EAI_AGAIN']);
/** node-postgres reports a lost or never-made connection by message only. */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Client was closed and is not queryable/,
  /^the database system is (starting up|shutting down|in recovery mode)/,
  /^terminating connection due to/,
];

/** Whether an error (or one it wraps: TypeORM's driverError, a cause, an AggregateError) means the database is away. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const { code, message, driverError, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (SERVER_CODES.has(code) || SOCKET_CODES.has(code))) return true;
  if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(driverError, depth + 1) || isDatabaseUnavailable(cause, depth + 1);
}

/** After this long without a database failure, the next one starts a new outage (and is logged). */
const OUTAGE_QUIET_MS = 30_000;

/**
 * Logs a database outage at warn once per outage window, not at error once per request: a
 * window lasts while failures keep coming less than 30 s apart. The count of failures in the
 * window that just ended goes with the next window's first line.
 */
export class OutageLog {
  private readonly logger = new Logger('Database');
  private lastFailure = 0;
  private failures = 0;

  constructor(private readonly now: () => number = Date.now) {}

  report(error: unknown, where: string): void {
    const now = this.now();
    const newWindow = now - this.lastFailure >= OUTAGE_QUIET_MS;
    this.lastFailure = now;
    if (!newWindow) {
      this.failures++;
      return;
    }
    const previous = this.failures;
    this.failures = 1;
    this.logger.warn(
      { err: loggableError(error), where, ...(previous > 0 ? { failuresInPreviousOutage: previous } : {}) },
      'The database is unavailable: answering 503 until it is back (logged once per outage)',
    );
  }
}

/** One log for the process: requests, projectors and the live feed all report to it. */
export const outageLog = new OutageLog();
