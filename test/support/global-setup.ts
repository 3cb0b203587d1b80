import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import {
  assertTestDatabaseName,
  isStaleTestDatabase,
  POSTGRES_READY_FLAG,
  TEMPLATE_DATABASE_VARIABLE,
  TEST_SERVER_URL,
  testDatabaseName,
  urlFor,
  withServerClient,
} from './postgres-server';

/**
 * Migrates a template database of this run's own on the local PostgreSQL; each test file clones
 * it. Without a server the suites run on the embedded database alone and say so, unless
 * REQUIRE_POSTGRES=1 (CI), where a missing server is a failure.
 */
export default async function globalSetup(): Promise<void> {
  const template = testDatabaseName('tpl');
  try {
    await withServerClient(async (client) => {
      const existing = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'ceasefire\\_test\\_%'`);
      for (const { datname } of existing.rows.filter((row) => isStaleTestDatabase(row.datname))) {
        assertTestDatabaseName(datname);
        // Left by a run that crashed hours ago; one still in use stays.
        await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
      }
      assertTestDatabaseName(template);
      await client.query(`CREATE DATABASE "${template}"`);
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.REQUIRE_POSTGRES === '1') {
      throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${TEST_SERVER_URL} is not usable: ${reason}`, { cause: error });
    }
    console.log(`\nPostgreSQL at ${TEST_SERVER_URL} is not usable (${reason}): running on the embedded database only.\n`);
    process.env[POSTGRES_READY_FLAG] = '0';
    return;
  }
  const dataSource = new DataSource(dataSourceOptions(urlFor(template), { embedded: false }));
  await dataSource.initialize();
  try {
    await runMigrations(dataSource, { embedded: false });
  } finally {
    await dataSource.destroy();
  }
  process.env[TEMPLATE_DATABASE_VARIABLE] = template;
  process.env[POSTGRES_READY_FLAG] = '1';
}
