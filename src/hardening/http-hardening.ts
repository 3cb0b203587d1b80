import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
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

/**
 * helmet's headers for these options. They are the same for every answer (no nonces, no
 * per-request directives), so helmet runs once at start-up and each request only copies the
 * result: running helmet per request (as @fastify/helmet does, rebuilding its middleware each
 * time) was most of what the headers cost.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string | number) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, collector as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

const isDocs = (url: string) => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');
const isData = (url: string) => url.startsWith('/api/') || url.startsWith('/health') || url.startsWith('/metrics');

/**
 * Headers that only mean something on a document a browser renders (the page, the docs): a
 * JSON or text answer is never a browsing context, so API answers leave them out and carry
 * only what protects data (CSP, nosniff, framing, referrer, resource policy, HSTS).
 */
const DOCUMENT_ONLY = {
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} as const;

function registerSecurityHeaders(fastify: FastifyInstance, config: HardeningConfig): void {
  const options = {
    contentSecurityPolicy: API_CSP,
    // Over plain HTTP a browser ignores it; behind a TLS-terminating proxy it is what keeps the site on HTTPS.
    strictTransportSecurity: config.TRUST_PROXY ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: corsOrigins(config).length > 0 ? 'cross-origin' : 'same-origin' },
  } satisfies HelmetOptions;
  const dataHeaders = helmetHeaders({ ...options, ...DOCUMENT_ONLY });
  const documentHeaders = helmetHeaders(options);
  const docsHeaders = { ...documentHeaders, 'content-security-policy': DOCS_CSP };
  // Reply headers, not the raw response's: a route may still replace one (the web app's own CSP).
  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    void reply.headers(isData(url) ? dataHeaders : isDocs(url) ? docsHeaders : documentHeaders);
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
    // Callback hooks, not async ones: most requests have nothing to check here, and should not
    // pay for a promise each.
    fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
      if (request.headers.authorization === undefined) return done();
      failures(request, { increment: false }).then((status) => {
        if (status.isAllowed || status.remaining > 0) return done();
        const retryAfter = Math.max(1, status.ttlInSeconds);
        void reply.header('Retry-After', String(retryAfter));
        done(new RateLimitedError('rate.auth_failures', `Too many requests with an unknown or revoked token from this address; wait ${retryAfter} s`, retryAfter));
      }, done);
    });
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (reply.statusCode === 401 && request.headers.authorization !== undefined) failures(request).catch(() => undefined);
      done();
    });
  });
}

/** Per token when one is sent (its hash, never the token), else per address. */
function clientKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  if (authorization) return `token:${createHash('sha256').update(authorization).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}
