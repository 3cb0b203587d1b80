import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import {
  assertTestDatabaseName,
  POSTGRES_READY_FLAG,
  TEMPLATE_DATABASE,
  TEST_SERVER_URL,
  urlFor,
  withServerClient,
} from './postgres-server';

/**
 * Migrates a template database once on the local PostgreSQL; each test file clones it. Without a
 * server the suites run on the embedded database alone and say so, unless REQUIRE_POSTGRES=1
 * (CI), where a missing server is a failure.
 */
export default async function globalSetup(): Promise<void> {
  try {
    await withServerClient(async (client) => {
      const stale = await client.query(
        `SELECT datname FROM pg_database WHERE datname LIKE 'ceasefire\\_test\\_%' AND datname <> $1`,
        [TEMPLATE_DATABASE],
      );
      for (const { datname } of stale.rows) {
        assertTestDatabaseName(datname);
        // Left by an earlier run that crashed; skip any that a concurrent run is using.
        await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
      }
      assertTestDatabaseName(TEMPLATE_DATABASE);
      await client.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
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
  const template = new DataSource(dataSourceOptions(urlFor(TEMPLATE_DATABASE), { embedded: false }));
  await template.initialize();
  try {
    await runMigrations(template, { embedded: false });
  } finally {
    await template.destroy();
  }
  process.env[POSTGRES_READY_FLAG] = '1';
}
