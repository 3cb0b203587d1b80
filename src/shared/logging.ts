import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/env';

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A client's X-Request-Id when it is sane, else a new one (Fastify's `genReqId`). */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

/** JSON logs (pino), one line per request carrying its request id; credentials redacted. */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      // Fastify has already given the request its id (see createFastifyAdapter).
      genReqId: (req) => String(req.id),
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    },
    // Without an explicit catch-all route nestjs-pino logs no request on Fastify.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
  };
}
