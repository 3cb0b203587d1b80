import { types } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';

// Calendar dates stay 'YYYY-MM-DD' strings: as JS Dates they would shift with the process's time zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/**
 * Options shared by the app, the CLI and the TypeORM CLI. The schema comes only from
 * migrations; the app works in raw SQL, so no entities are registered.
 */
export function dataSourceOptions(url: string, { embedded }: { embedded: boolean }): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    // The embedded database has one backend session for all connections: a second pooled
    // connection would only wait behind an open transaction, or deadlock with it.
    poolSize: embedded ? 1 : 10,
    extra: { connectionTimeoutMillis: 10_000 },
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
  };
}
