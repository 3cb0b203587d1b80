import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { assertTestDatabaseName, POSTGRES_READY_FLAG, templateDatabase, testDatabaseName, urlFor, withServerClient } from './postgres-server';

export type DatabaseKind = 'postgres' | 'embedded';

/** A migrated, empty database for one test file. */
export interface TestDatabase {
  kind: DatabaseKind;
  /** A URL for DATABASE_URL (the embedded one lives only as long as this object). */
  url: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** The databases to run integration suites on: both when the local server answers. */
export function databaseKinds(): DatabaseKind[] {
  return process.env[POSTGRES_READY_FLAG] === '1' ? ['postgres', 'embedded'] : ['embedded'];
}

export function postgresAvailable(): boolean {
  return process.env[POSTGRES_READY_FLAG] === '1';
}

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  return kind === 'postgres' ? openPostgres() : openEmbedded();
}

/** A new database on the local server: a clone of the migrated template, or empty. */
export async function createServerDatabase({ empty = false } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const name = testDatabaseName('db');
  assertTestDatabaseName(name);
  await withServerClient(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(empty ? `CREATE DATABASE "${name}"` : `CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`);
        return;
      } catch (error) {
        // Two files cloning the template at the same instant may collide; a retry clears it.
        if (attempt >= 5 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return {
    url: urlFor(name),
    drop: () => withServerClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function openPostgres(): Promise<TestDatabase> {
  const database = await createServerDatabase();
  const dataSource = new DataSource(dataSourceOptions(database.url, { embedded: false }));
  await dataSource.initialize();
  return {
    kind: 'postgres',
    url: database.url,
    dataSource,
    async close() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

async function openEmbedded(): Promise<TestDatabase> {
  const embedded = await startEmbeddedPostgres('memory://');
  const dataSource = new DataSource(dataSourceOptions(embedded.url, { embedded: true }));
  await dataSource.initialize();
  await runMigrations(dataSource, { embedded: true });
  return {
    kind: 'embedded',
    url: embedded.url,
    dataSource,
    async close() {
      await dataSource.destroy();
      await embedded.stop();
    },
  };
}

/**
 * Where an app under test keeps its data. On the server: a clone of the migrated template. On
 * the embedded database: the app's own in-memory PGlite (`DATA_DIR=memory://`), reached as in
 * production through one connection — PGlite serves one session, so several pools sharing its
 * socket would interleave their statements.
 */
export interface AppDatabase {
  kind: DatabaseKind;
  /** Environment for startTestApp / startApiApp. */
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

export async function appDatabase(kind: DatabaseKind, { durable = false } = {}): Promise<AppDatabase> {
  if (kind === 'embedded' && durable) {
    // A directory, not memory://: the data outlives the app, for tests that restart it.
    const dir = mkdtempSync(join(tmpdir(), 'ceasefire-durable-'));
    return { kind, env: { DATABASE_URL: undefined, DATA_DIR: join(dir, 'data') }, close: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (kind === 'embedded') {
    return { kind, env: { DATABASE_URL: undefined, DATA_DIR: 'memory://' }, close: async () => undefined };
  }
  const database = await createServerDatabase();
  return { kind, env: { DATABASE_URL: database.url }, close: () => database.drop() };
}
