import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger as Pino } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '../config/env';

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A client's X-Request-Id when it is sane, else a new one (Fastify's `genReqId`). */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

/** JSON log lines (pino) with credentials redacted. */
export function createPino(config: Pick<AppConfig, 'LOG_LEVEL'>): Pino {
  return pino({
    level: config.LOG_LEVEL,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
  });
}

/** Nest's own log calls (start-up, projectors, errors) as pino lines with their context. */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes `(message, ...details, context)`; an object message becomes the line's fields. */
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const details = context === undefined ? rest : rest.slice(0, -1);
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      const text = details.find((d): d is string => typeof d === 'string');
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) }, text);
      return;
    }
    if (message instanceof Error) fields.err = message;
    const stack = details.find((d): d is string => typeof d === 'string' && d.includes('\n'));
    if (stack) fields.stack = stack;
    this.pino[level](fields, message instanceof Error ? message.message : String(message));
  }
}

/** One line per request (pino-http), carrying the request id Fastify gave it. */
export function logRequests(fastify: FastifyInstance, logger: Pino): void {
  const httpLogger = pinoHttp({
    logger,
    genReqId: (req) => (req as IncomingMessage & { id: string }).id,
    // A 503 says "retry": the outage itself is logged once (database-unavailable.ts), not as an error per request.
    customLogLevel: (_req, res, err) => (err || (res.statusCode >= 500 && res.statusCode !== 503) ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    (request.raw as IncomingMessage & { id: string }).id = String(request.id);
    httpLogger(request.raw, reply.raw);
    done();
  });
}
