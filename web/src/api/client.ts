// The one seam to the backend: a typed openapi-fetch client whose every non-2xx answer throws
// an ApiProblem, with the session's token and read-your-writes (minPosition) added here.
import createClient, { type Middleware } from 'openapi-fetch';
import { readToken } from '../features/auth/token-store';
import type { components, paths } from './schema';

export type Problem = components['schemas']['ProblemResponse'];
export type FieldError = components['schemas']['FieldErrorResponse'];

/** A problem+json answer (or a network failure, status 0) as one error type. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly errors: FieldError[];
  readonly field: string | undefined;
  readonly currentVersion: number | undefined;
  readonly retryAfter: number | undefined;
  readonly requestId: string | undefined;

  constructor(status: number, body: Partial<Problem> | null) {
    super(body?.detail ?? body?.title ?? `The server answered ${status}`);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = body?.code;
    this.errors = body?.errors ?? [];
    this.field = body?.field;
    this.currentVersion = body?.currentVersion;
    this.retryAfter = body?.retryAfter;
    this.requestId = body?.requestId;
  }
}

/** The highest log position this tab wrote: later reads of read models wait for it. */
let writtenPosition = 0;
export const notePosition = (position: number | undefined) => {
  if (typeof position === 'number' && position > writtenPosition) writtenPosition = position;
};

/** Reads that accept minPosition (the read models and the claim itself). */
const WAITING_READS = /^\/api\/(claims(\/[^/]+(\/thread)?)?|conflicts\/[^/]+\/timeline(\/compact)?|agreements\/[^/]+\/scorecard|sources)$/;

const session: Middleware = {
  onRequest({ request }) {
    const token = readToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    const url = new URL(request.url);
    if (request.method === 'GET' && writtenPosition > 0 && WAITING_READS.test(url.pathname) && !url.searchParams.has('minPosition')) {
      url.searchParams.set('minPosition', String(writtenPosition));
      return new Request(url, request);
    }
    return request;
  },
  async onResponse({ response }) {
    if (response.ok) return response;
    const body = (await response.clone().json().catch(() => null)) as Partial<Problem> | null;
    throw new ApiProblem(response.status, body);
  },
  onError({ error }) {
    if (error instanceof ApiProblem) return error;
    return new ApiProblem(0, { title: 'No answer', detail: 'The tracker did not answer: check the connection and try again.' });
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(session);

/** The data of an answer that did not throw (onResponse throws every error). */
export function dataOf<T>(result: { data?: T; error?: unknown }): T {
  if (result.error !== undefined || result.data === undefined) throw result.error instanceof Error ? result.error : new ApiProblem(500, null);
  return result.data;
}

/** One Idempotency-Key per submit attempt of a form: a retry or a double click records once. */
export const newIdempotencyKey = () => crypto.randomUUID();
