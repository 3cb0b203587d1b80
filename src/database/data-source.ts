/**
 * The data source for the TypeORM CLI (`npm run migration:run`, `npm run migration:revert`):
 * DATABASE_URL when set, else the embedded database under DATA_DIR.
 */
import { DataSource } from 'typeorm';
import { validateEnv } from '../config/env';
import { dataSourceOptions } from './data-source-options';
import { startEmbeddedPostgres } from './embedded-postgres';

async function createDataSource(): Promise<DataSource> {
  const env = validateEnv(process.env);
  if (env.DATABASE_URL) return new DataSource(dataSourceOptions(env.DATABASE_URL, { embedded: false }));
  const embedded = await startEmbeddedPostgres(env.DATA_DIR);
  const dataSource = new DataSource(dataSourceOptions(embedded.url, { embedded: true }));
  // The CLI destroys the data source when done; the embedded server must stop with it or the
  // process would never exit.
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    await destroy();
    await embedded.stop();
  };
  return dataSource;
}

export const dataSource = createDataSource();
