import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { DomainError } from '../shared/domain-error';
import { corsOrigins, hardeningConfig, type HardeningConfig, validateHardeningEnv } from './hardening.config';
import { useStrictJsonParser } from './strict-json';

export interface ServerOptions {
  trustProxy: boolean;
  connectionTimeout: number;
  keepAliveTimeout: number;
  requestTimeout: number;
  http: { headersTimeout: number; connectionsCheckingInterval: number };
}

/**
 * Options for the Fastify server: a slow or idle client is cut off within seconds, and
 * X-Forwarded-For is believed only behind a proxy. They must be given when the server is made,
 * hence read from the environment here (`env` over it, as AppModule.forRoot takes it).
 */
export function serverOptions(env: Record<string, string | undefined> = {}): ServerOptions {
  const config = validateHardeningEnv({ ...process.env, ...env });
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  return {
    trustProxy: config.TRUST_PROXY,
    connectionTimeout: config.HTTP_CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout,
    // Node checks the header and request deadlines on this interval (30 s by default).
    http: { headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, requestTimeout), connectionsCheckingInterval: Math.min(1000, requestTimeout) },
  };
}

export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited';
  constructor(code: string, message: string, retryAfter: number) {
    super(code, message, { retryAfter });
  }
}

/** API answers may be nothing but data: no script, no style, no frame, no form. */
const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

/** Swagger UI at /docs: its own scripts, and one inline style sheet it cannot do without. */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Security headers (helmet), CORS, rate limits and the strict JSON body parser, on the app's
 * Fastify instance. Called before `init()`: the plugins load before Nest adds its routes, so
 * the rate limit's per-route hook reaches every route.
 */
export function hardenHttp(app: INestApplication): void {
  const config = app.get<HardeningConfig>(hardeningConfig.KEY);
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  useStrictJsonParser(fastify);

  if (config.SECURITY_HEADERS) registerSecurityHeaders(fastify, config);
  const origins = corsOrigins(config);
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'Last-Event-ID', 'X-Request-Id', 'X-Correlation-Id'],
      exposedHeaders: ['Retry-After', 'X-Request-Id', 'ETag', 'Location'],
      maxAge: 600,
    });
  }
  fastify.addHook('onRequest', (request, _reply, done) => {
    // The live feed may stay silent for long: the idle-socket timeout is not for it.
    if (request.url === '/api/live' || request.url.startsWith('/api/live?')) request.raw.socket?.setTimeout(0);
    // An import may check and record for minutes before it answers.
    if (request.method === 'POST' && /^\/api\/conflicts\/[^/]+\/imports(\?|$)/.test(request.url)) request.raw.socket?.setTimeout(0);
    done();
  });
  if (config.RATE_LIMITS) registerRateLimits(fastify, config);
}

function registerSecurityHeaders(fastify: FastifyInstance, config: HardeningConfig): void {
  void fastify.register(helmet, {
    global: true,
    contentSecurityPolicy: API_CSP,
    // Over plain HTTP a browser ignores it; behind a TLS-terminating proxy it is what keeps the site on HTTPS.
    hsts: config.TRUST_PROXY ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: corsOrigins(config).length > 0 ? 'cross-origin' : 'same-origin' },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    if (url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?')) void reply.raw.setHeader('Content-Security-Policy', DOCS_CSP);
    done();
  });
}

function registerRateLimits(fastify: FastifyInstance, config: HardeningConfig): void {
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { connectTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
  redis?.on('error', () => undefined); // counted as skipOnError below; ioredis reconnects by itself
  if (redis) fastify.addHook('onClose', async () => void (await redis.quit().catch(() => undefined)));
  const windowMs = config.RATE_LIMIT_WINDOW_MS;
  void fastify.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_MAX,
    timeWindow: windowMs,
    hook: 'onRequest',
    // A broken Redis must not take the API down with it: the limits pause instead.
    skipOnError: true,
    ...(redis ? { redis, nameSpace: 'ceasefire-rate:' } : {}),
    keyGenerator: clientKey,
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError('rate.limited', `Too many requests: at most ${context.max} per ${windowMs / 1000} s`, Math.max(1, Math.ceil(context.ttl / 1000))),
  });

  // Wrong tokens: a second, stricter count per address of requests answered 401 with a token.
  // Peeked before each request with a token, incremented only when one failed.
  void fastify.after(() => {
    const failures = fastify.createRateLimit({ max: config.RATE_LIMIT_AUTH_FAILURES, timeWindow: windowMs, keyGenerator: (request) => `auth-failures:${request.ip}` });
    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.headers.authorization === undefined) return;
      const status = await failures(request, { increment: false });
      if (!status.isAllowed && status.remaining <= 0) {
        const retryAfter = Math.max(1, status.ttlInSeconds);
        void reply.header('Retry-After', String(retryAfter));
        throw new RateLimitedError('rate.auth_failures', `Too many requests with an unknown or revoked token from this address; wait ${retryAfter} s`, retryAfter);
      }
    });
    fastify.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode === 401 && request.headers.authorization !== undefined) await failures(request).catch(() => undefined);
    });
  });
}

/** Per token when one is sent (its hash, never the token), else per address. */
function clientKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  if (authorization) return `token:${createHash('sha256').update(authorization).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}
