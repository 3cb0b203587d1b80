import type { DataSource } from 'typeorm';

// Session advisory lock key for migrations ("ceasemig"), so that app instances starting together
// migrate one at a time.
const MIGRATION_LOCK_KEY = '7161964405853202791';

/** Runs pending migrations under an advisory lock; returns the names of those applied. */
export async function runMigrations(dataSource: DataSource, { embedded }: { embedded: boolean }): Promise<string[]> {
  // The embedded database serves one process through one connection: nobody to exclude, and
  // holding a lock on the only connection would block the migrations themselves.
  if (embedded) return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
