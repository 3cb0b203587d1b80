import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiProblem } from '../api/client';
import { ProblemPage } from './problem-page';

/** Loading, error and data of one query, the same way on every page. */
export function QueryState<T>({ query, what, children }: { query: UseQueryResult<T>; what: string; children: (data: T) => ReactNode }) {
  if (query.isPending) return <p className="loading" role="status">Loading {what}…</p>;
  if (query.isError) return <ProblemPage error={query.error} what={what} />;
  return <>{children(query.data)}</>;
}

export function problemStatus(error: unknown): number {
  return error instanceof ApiProblem ? error.status : 500;
}
