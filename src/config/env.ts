import { registerAs, type ConfigType } from '@nestjs/config';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** all: one process does everything; api: HTTP only; worker: projectors, signer, publisher and /health. */
export const ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof ROLES)[number];

export const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/** The process environment the tracker reads, validated once at start. */
export class EnvVars {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsIn(ROLES, { message: `ROLE must be one of ${ROLES.join(', ')}` })
  ROLE: ProcessRole = 'all';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^,\s]+(\s*,\s*postgres(ql)?:\/\/[^,\s]+)*$/, {
    message: 'DATABASE_READ_URL must be one postgres:// URL or a comma-separated list of them',
  })
  DATABASE_READ_URL?: string;

  @Transform(toInteger)
  @IsInt({ message: 'REPLICA_WAIT_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(10_000)
  REPLICA_WAIT_MS: number = 1000;

  @Transform(toInteger)
  @IsInt({ message: 'REPLICA_MAX_LAG_SECONDS must be a whole number of seconds' })
  @Min(1)
  @Max(3600)
  REPLICA_MAX_LAG_SECONDS: number = 10;

  @IsOptional()
  @Matches(/^(nats|tls|wss?):\/\/[^,\s]+(,(nats|tls|wss?):\/\/[^,\s]+)*$/, { message: 'NATS_URL must be a nats:// URL (or a comma-separated list of them)' })
  NATS_URL?: string;

  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'NATS_STREAM must be 1 to 64 letters, digits, - or _' })
  NATS_STREAM: string = 'CEASEFIRE_EVENTS';

  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'NATS_SUBJECT_PREFIX must be 1 to 32 letters, digits, - or _' })
  NATS_SUBJECT_PREFIX: string = 'ceasefire';

  @Transform(toInteger)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  @MinLength(1)
  HOST: string = '127.0.0.1';

  @IsString()
  @MinLength(1)
  DATA_DIR: string = './data';

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN?: string;

  @Transform(toBoolean)
  @IsBoolean({ message: 'PUBLIC_READS must be true or false' })
  PUBLIC_READS: boolean = true;

  @Transform(toBoolean)
  @IsBoolean({ message: 'DEMO must be true or false' })
  DEMO: boolean = true;

  @Transform(toInteger)
  @IsInt({ message: 'CHECKPOINT_EVERY must be a whole number of events (0 turns periodic checkpoints off)' })
  @Min(0)
  CHECKPOINT_EVERY: number = 1000;

  @Transform(toInteger)
  @IsInt({ message: 'READ_CACHE_SECONDS must be a whole number of seconds (0: anonymous read answers are revalidated every time)' })
  @Min(0)
  @Max(86400)
  READ_CACHE_SECONDS: number = 5;

  @Transform(toInteger)
  @IsInt({ message: 'GROUP_COMMIT_MAX_BATCH must be a whole number of appends, at least 1' })
  @Min(1)
  @Max(1000)
  GROUP_COMMIT_MAX_BATCH: number = 64;

  @Transform(toInteger)
  @IsInt({ message: 'GROUP_COMMIT_WAIT_MS must be a whole number of milliseconds (0: never wait for more appends)' })
  @Min(0)
  @Max(100)
  GROUP_COMMIT_WAIT_MS: number = 0;

  @Transform(toInteger)
  @IsInt({ message: 'SUGGEST_DISTANCE_KM must be a whole number of kilometres' })
  @Min(1)
  @Max(1000)
  SUGGEST_DISTANCE_KM: number = 15;

  /**
   * Origins (comma-separated) whose pages may show the embeds (/embed/…) in an iframe; empty:
   * none. Every other page keeps `frame-ancestors 'none'`.
   */
  @IsString()
  @Matches(/^(\s*https?:\/\/[^\s,/;']+\s*)(,\s*https?:\/\/[^\s,/;']+\s*)*$|^$/, {
    message: 'EMBED_ORIGINS must be a comma-separated list of origins such as https://news.example.org',
  })
  EMBED_ORIGINS: string = '';

  /**
   * Map tiles for the dashboard's map (Leaflet URL template); unset: no tile server, the map draws
   * a world outline and graticule, so it works offline. The page CSP's img-src names this origin.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[A-Za-z0-9.:{}[\]-]+\/[^\s'"]*\{z\}[^\s'"]*$/, {
    message: 'TILE_URL must be an http(s) URL template with {z}, {x} and {y}, such as https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  })
  @Matches(/\{x\}.*\{y\}|\{y\}.*\{x\}/, { message: 'TILE_URL must contain {x} and {y}' })
  TILE_URL?: string;

  /** The tile source's attribution, shown on the map as plain text (e.g. "© OpenStreetMap contributors"). */
  @IsOptional()
  @IsString()
  TILE_ATTRIBUTION?: string;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment: ${problems.join('; ')}`);
  }
}

/** Validates the given variables (unknown ones are ignored); empty strings count as unset. */
export function validateEnv(raw: Record<string, string | undefined>): EnvVars {
  const env = validateVariables(EnvVars, raw, ['DATABASE_URL', 'ADMIN_TOKEN', 'DATABASE_READ_URL', 'NATS_URL', 'TILE_URL', 'TILE_ATTRIBUTION']);
  // Several processes share one database; the embedded one lives inside a single process.
  if (env.ROLE !== 'all' && !env.DATABASE_URL) {
    throw new InvalidEnvironmentError([`ROLE: ${env.ROLE} runs beside other processes on one PostgreSQL: set DATABASE_URL (the embedded database serves ROLE=all only)`]);
  }
  return env;
}

/** `optional`: the class's variables without a default, which an instance has no key for. */
export function validateVariables<T extends object>(type: new () => T, raw: Record<string, string | undefined>, optional: string[] = []): T {
  const given: Record<string, string> = {};
  for (const key of [...Object.keys(new type()), ...optional]) {
    const value = raw[key];
    if (value !== undefined && value !== '') given[key] = value;
  }
  const env = plainToInstance(type, given);
  const errors = validateSync(env, { forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(
      errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`),
    );
  }
  return env;
}

/**
 * The validated configuration, as a namespaced @nestjs/config provider. `overrides` win over the
 * process environment; tests and the CLI use them instead of mutating process.env.
 */
export const appConfigFor = (overrides: Record<string, string | undefined> = {}) =>
  registerAs('app', () => validateEnv({ ...process.env, ...overrides }));

export const appConfig = appConfigFor();
export type AppConfig = ConfigType<typeof appConfig>;
