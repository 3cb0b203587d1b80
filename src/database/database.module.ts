import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { appConfig, type AppConfig } from '../config/env';
import { hardeningConfig, type HardeningConfig } from '../hardening/hardening.config';
import { dataSourceOptions } from './data-source-options';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';

/** Where the database is: DATABASE_URL, or the embedded one started for this process. */
export interface DatabaseConnection {
  readonly dataSource: DataSource;
  readonly embedded: EmbeddedPostgres | null;
}

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

async function connect(config: AppConfig, hardening: HardeningConfig): Promise<DatabaseConnection> {
  const logger = new Logger('Database');
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR);
  if (embedded) logger.log(`Embedded PostgreSQL (PGlite) with its data in ${embedded.dataDir}`);
  const url = embedded?.url ?? config.DATABASE_URL!;
  // Migrations get a pool of their own, without the statement timeout: a long one must not be cut.
  const migrator = new DataSource(dataSourceOptions(url, { embedded: !!embedded }));
  const dataSource = new DataSource(
    dataSourceOptions(url, {
      embedded: !!embedded,
      timeouts: {
        connectMs: hardening.DB_CONNECT_TIMEOUT_MS,
        statementMs: hardening.DB_STATEMENT_TIMEOUT_MS,
        idleInTransactionMs: hardening.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      },
    }),
  );
  try {
    await migrator.initialize();
    const applied = await runMigrations(migrator, { embedded: !!embedded });
    await migrator.destroy();
    if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
    await dataSource.initialize();
  } catch (error) {
    if (migrator.isInitialized) await migrator.destroy();
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return { dataSource, embedded };
}

/** Closes the pool before the embedded server it talks to, once everything else has stopped. */
@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.connection.dataSource.isInitialized) await this.connection.dataSource.destroy();
    await this.connection.embedded?.stop();
  }
}

@Global()
@Module({
  providers: [
    { provide: DATABASE_CONNECTION, useFactory: connect, inject: [appConfig.KEY, hardeningConfig.KEY] },
    {
      provide: DataSource,
      useFactory: (connection: DatabaseConnection) => connection.dataSource,
      inject: [DATABASE_CONNECTION],
    },
    DatabaseShutdown,
  ],
  exports: [DataSource, DATABASE_CONNECTION],
})
export class DatabaseModule {}
