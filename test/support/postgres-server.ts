import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server tests use when it answers: TEST_DATABASE_URL, or the local one. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
/**
 * Every name a run creates carries its creation time (seconds), so that a run cleans up only what
 * crashed runs left hours ago and never what a concurrent run (another checkout) is using.
 */
export function testDatabaseName(kind: 'tpl' | 'db'): string {
  return `ceasefire_test_${kind}_${Math.floor(Date.now() / 1000)}_${randomBytes(5).toString('hex')}`;
}

/** Databases of runs that started more than this long ago are left-overs. */
const STALE_AFTER_SECONDS = 6 * 3600;

export function isStaleTestDatabase(name: string, nowMs = Date.now()): boolean {
  const match = /^ceasefire_test_(?:tpl|db)_(\d+)_[0-9a-f]+$/.exec(name);
  // Names of the older scheme (no time) are left-overs too.
  if (!match) return /^ceasefire_test_/.test(name);
  return nowMs / 1000 - Number(match[1]) > STALE_AFTER_SECONDS;
}

/** Set by the global setup for the workers: the migrated template this run clones. */
export const TEMPLATE_DATABASE_VARIABLE = 'CEASEFIRE_TEST_TEMPLATE';

export function templateDatabase(): string {
  const name = process.env[TEMPLATE_DATABASE_VARIABLE];
  if (!name) throw new Error(`${TEMPLATE_DATABASE_VARIABLE} is unset: the global setup did not prepare a template database`);
  return name;
}

/** Set by the global setup for the workers: '1' when the server answered and the template is ready. */
export const POSTGRES_READY_FLAG = 'CEASEFIRE_TEST_POSTGRES';

export function urlFor(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `work` with a client on the server's maintenance database. */
export async function withServerClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Like DDH's guard: tests only ever create or drop databases whose names say they are for tests. */
export function assertTestDatabaseName(name: string): void {
  if (!/^ceasefire_test_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to touch database ${name}: not a test database`);
}
