import type { EntityManager } from 'typeorm';
import { arrayLiteral } from './array-literal';

// PostgreSQL takes at most 65,535 parameters in one statement.
const MAX_PARAMETERS = 60_000;

/** INSERT of many rows in as few statements as the parameter limit allows, with an ON CONFLICT clause. */
export async function insertRows(
  tx: EntityManager,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  onConflict: string,
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const values = chunk.map((row) => {
      const placeholders = row.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ${onConflict}`, params);
  }
}

/** An UPDATE … RETURNING: TypeORM answers UPDATE with [rows, count]; this gives the rows. */
export async function updateReturning<T>(tx: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await tx.query(sql, params)) as [T[], number];
  return rows;
}

/**
 * INSERT of many rows as one statement with one array parameter per column
 * (`INSERT … SELECT … FROM unnest($1::uuid[], …)`): a few dozen parameters to bind instead of
 * one per value, whatever the number of rows. `columns` maps each column to its type.
 */
export async function upsertArrays(
  tx: EntityManager,
  table: string,
  columns: Readonly<Record<string, string>>,
  rows: unknown[][],
  onConflict: string,
): Promise<void> {
  if (rows.length === 0) return;
  const entries = Object.entries(columns);
  const names = entries.map(([name]) => name);
  const arrays = entries.map((_, i) => arrayLiteral(rows.map((row) => (row[i] ?? null) as Parameters<typeof arrayLiteral>[0][number])));
  // jsonb travels as text and is cast per value: PostgreSQL reads a jsonb[] parameter several
  // times slower than text[] (140 against 20 ms for 4,000 small documents).
  const carried = (type: string) => (type === 'jsonb' ? 'text' : type);
  await tx.query(
    `INSERT INTO ${table} (${names.join(', ')})
     SELECT ${entries.map(([name, type]) => (type === 'jsonb' ? `${name}::jsonb` : name)).join(', ')}
       FROM unnest(${entries.map(([, type], i) => `$${i + 1}::${carried(type)}[]`).join(', ')}) AS rows(${names.join(', ')})
     ${onConflict}`,
    arrays,
  );
}
