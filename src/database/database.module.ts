import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { appConfig, type AppConfig } from '../config/env';
import { dataSourceOptions } from './data-source-options';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';

/** Where the database is: DATABASE_URL, or the embedded one started for this process. */
export interface DatabaseConnection {
  readonly dataSource: DataSource;
  readonly embedded: EmbeddedPostgres | null;
}

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

async function connect(config: AppConfig): Promise<DatabaseConnection> {
  const logger = new Logger('Database');
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR);
  if (embedded) logger.log(`Embedded PostgreSQL (PGlite) with its data in ${embedded.dataDir}`);
  const dataSource = new DataSource(dataSourceOptions(embedded?.url ?? config.DATABASE_URL!, { embedded: !!embedded }));
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource, { embedded: !!embedded });
    if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
  } catch (error) {
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
    { provide: DATABASE_CONNECTION, useFactory: connect, inject: [appConfig.KEY] },
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
