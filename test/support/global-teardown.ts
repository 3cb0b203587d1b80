import { assertTestDatabaseName, POSTGRES_READY_FLAG, TEMPLATE_DATABASE_VARIABLE, withServerClient } from './postgres-server';

/** Drops this run's template; the clones were dropped by their own test files. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_DATABASE_VARIABLE];
  if (process.env[POSTGRES_READY_FLAG] !== '1' || !template) return;
  assertTestDatabaseName(template);
  await withServerClient((client) => client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
}
