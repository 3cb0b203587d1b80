import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { ApiProblem } from '../api/client';
import { fieldId, toFormPath } from './form';

/** Plain wording for rules the server names by code (422); the server's detail otherwise. */
const RULE_MESSAGES: Record<string, string> = {
  'stream.version_conflict': 'Someone changed this record while you were editing it.',
  'idempotency.key_reused': 'This form was already sent with other values: reload the page and send it again.',
};

/** Where a field the server names lives on the page: the control itself, or the first of its parts. */
function controlFor(path: string): string | null {
  for (const candidate of [path, `${path}.min`, `${path}.0.outlet`]) if (document.getElementById(fieldId(candidate))) return candidate;
  return null;
}

/**
 * A refused write shown on the form: each field the server names next to that field (400
 * `errors`, 422 `field`), anything else at the top. Returns the problem for callers that
 * handle some statuses themselves (409).
 */
export function showProblem<T extends FieldValues>(form: UseFormReturn<T>, error: unknown): void {
  const problem = error instanceof ApiProblem ? error : new ApiProblem(0, { detail: error instanceof Error ? error.message : String(error) });
  let placed = false;
  for (const e of problem.errors) {
    const path = controlFor(toFormPath(e.field));
    if (path) {
      form.setError(path as Path<T>, { type: 'server', message: e.message });
      placed = true;
    }
  }
  if (problem.field && problem.errors.length === 0) {
    const path = controlFor(toFormPath(problem.field));
    if (path) {
      form.setError(path as Path<T>, { type: 'server', message: problem.message });
      placed = true;
    }
  }
  const unplaced = problem.errors.filter((e) => !controlFor(toFormPath(e.field)));
  if (!placed || unplaced.length > 0) {
    const detail = unplaced.length ? unplaced.map((e) => `${e.field}: ${e.message}`).join('; ') : (problem.code && RULE_MESSAGES[problem.code]) || problem.message;
    const support = problem.status >= 500 || problem.status === 0 ? (problem.requestId ? ` (request ${problem.requestId})` : '') : '';
    form.setError('root.serverError' as Path<T>, { type: 'server', message: `${detail}${support}` });
  }
}
