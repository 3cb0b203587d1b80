import { Client } from 'pg';

/** The PostgreSQL server tests use when it answers: TEST_DATABASE_URL, or the local one. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
export const TEMPLATE_DATABASE = 'ceasefire_test_template';

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
