import { types } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';

// Calendar dates stay 'YYYY-MM-DD' strings: as JS Dates they would shift with the process's time zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/** How this process's sessions are named on the server. */
export const APPLICATION_NAME = `ceasefire ${process.pid}`;

/** Bounds on the server's waits (the app's pool; migrations and the CLI run without them). */
export interface PoolTimeouts {
  connectMs: number;
  statementMs: number;
  idleInTransactionMs: number;
}

/**
 * Options shared by the app, the CLI and the TypeORM CLI. The schema comes only from
 * migrations; the app works in raw SQL, so no entities are registered.
 */
export function dataSourceOptions(url: string, { embedded, timeouts }: { embedded: boolean; timeouts?: PoolTimeouts }): DataSourceOptions {
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
    extra: {
      // Which process a session belongs to (pg_stat_activity, pg_locks): several run against one database.
      ...(embedded ? {} : { application_name: APPLICATION_NAME }),
      connectionTimeoutMillis: timeouts?.connectMs ?? 10_000,
      // Sent at connection start; the embedded database ignores them (one session, nothing to bound).
      ...(timeouts ? { statement_timeout: timeouts.statementMs, idle_in_transaction_session_timeout: timeouts.idleInTransactionMs } : {}),
    },
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
  };
}
