/**
 * What of an error goes into the logs: its kind, message, code and stack — never the SQL
 * parameters a database error carries, which may hold keys or confidential text.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code } = error as { code?: unknown };
  return { type: error.name, message: error.message, ...(code !== undefined ? { code } : {}), stack: error.stack };
}
