import { registerAs, type ConfigType } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toBoolean, toInteger, validateVariables } from '../config/env';

/**
 * The settings of the hardening (issue 10): how long anything may wait, how much a client may
 * ask, which origins and proxies are believed. Validated once at start, like EnvVars.
 */
export class HardeningEnv {
  /** PostgreSQL cancels a statement running longer (57014 → 503). */
  @Transform(toInteger)
  @IsInt({ message: 'DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  DB_STATEMENT_TIMEOUT_MS: number = 15_000;

  /** PostgreSQL ends a session that idles inside a transaction longer: a frozen process cannot hold the append lock. */
  @Transform(toInteger)
  @IsInt({ message: 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: number = 10_000;

  /** How long a request waits for a pooled connection (or a new one) before a 503. */
  @Transform(toInteger)
  @IsInt({ message: 'DB_CONNECT_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  DB_CONNECT_TIMEOUT_MS: number = 5_000;

  /**
   * A socket with no byte either way for this long is closed, even while its request is being
   * answered: longer than any answer may take (statement timeout, minPosition wait). New idle
   * connections are cut sooner by the header timeout, kept-alive ones by the keep-alive timeout.
   */
  @Transform(toInteger)
  @IsInt({ message: 'HTTP_CONNECTION_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  HTTP_CONNECTION_TIMEOUT_MS: number = 30_000;

  /** Headers and body must have arrived within this (408 and close otherwise). */
  @Transform(toInteger)
  @IsInt({ message: 'HTTP_REQUEST_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  HTTP_REQUEST_TIMEOUT_MS: number = 15_000;

  /** The headers alone must have arrived within this. */
  @Transform(toInteger)
  @IsInt({ message: 'HTTP_HEADERS_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  HTTP_HEADERS_TIMEOUT_MS: number = 5_000;

  /** A kept-alive connection with no new request is closed after this. */
  @Transform(toInteger)
  @IsInt({ message: 'HTTP_KEEP_ALIVE_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 5_000;

  /** Reads waiting for `minPosition` at once; more get 503 at once rather than a pool to starve. */
  @Transform(toInteger)
  @IsInt({ message: 'MAX_POSITION_WAITERS must be a whole number' })
  @Min(1)
  MAX_POSITION_WAITERS: number = 32;

  /** Whether X-Forwarded-For / -Proto are believed (behind a reverse proxy); also turns HSTS on. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY: boolean = false;

  /** Origins (comma-separated) whose pages may call the API from a browser; empty: none (CORS off). */
  @IsString()
  @Matches(/^(\s*https?:\/\/[^\s,/]+\s*)(,\s*https?:\/\/[^\s,/]+\s*)*$|^$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://dashboard.example.org',
  })
  CORS_ORIGINS: string = '';

  /** Whether requests are rate-limited at all (off: behind a gateway that limits them already). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'RATE_LIMITS must be true or false' })
  RATE_LIMITS: boolean = true;

  /** Whether helmet's security headers are sent (off: a proxy in front sets its own). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'SECURITY_HEADERS must be true or false' })
  SECURITY_HEADERS: boolean = true;

  /** Requests a client (its token, else its address) may make per window. */
  @Transform(toInteger)
  @IsInt({ message: 'RATE_LIMIT_MAX must be a whole number of requests' })
  @Min(1)
  RATE_LIMIT_MAX: number = 1200;

  /** Requests with an unknown, revoked or malformed token one address may make per window. */
  @Transform(toInteger)
  @IsInt({ message: 'RATE_LIMIT_AUTH_FAILURES must be a whole number of requests' })
  @Min(1)
  RATE_LIMIT_AUTH_FAILURES: number = 20;

  @Transform(toInteger)
  @IsInt({ message: 'RATE_LIMIT_WINDOW_MS must be a whole number of milliseconds' })
  @Min(1000)
  @Max(24 * 3600 * 1000)
  RATE_LIMIT_WINDOW_MS: number = 60_000;

  /** Rate-limit counters live here when set (several instances share them); in memory otherwise. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Whether GET /metrics answers anyone; otherwise it needs an admin token. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'METRICS_PUBLIC must be true or false' })
  METRICS_PUBLIC: boolean = false;

  /** Whether /docs and /docs-json are served. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'DOCS_PUBLIC must be true or false' })
  DOCS_PUBLIC: boolean = true;

  /** /health/ready fails while a projector's oldest unapplied event is older than this. */
  @Transform(toInteger)
  @IsInt({ message: 'READY_MAX_LAG_SECONDS must be a whole number of seconds' })
  @Min(1)
  READY_MAX_LAG_SECONDS: number = 60;
}

export function validateHardeningEnv(raw: Record<string, string | undefined>): HardeningEnv {
  return validateVariables(HardeningEnv, raw, ['REDIS_URL']);
}

/** `overrides` win over the process environment (tests), as for appConfigFor. */
export const hardeningConfigFor = (overrides: Record<string, string | undefined> = {}) =>
  registerAs('hardening', () => validateHardeningEnv({ ...process.env, ...overrides }));

export const hardeningConfig = hardeningConfigFor();
export type HardeningConfig = ConfigType<typeof hardeningConfig>;

export function corsOrigins(config: Pick<HardeningConfig, 'CORS_ORIGINS'>): string[] {
  return config.CORS_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}
