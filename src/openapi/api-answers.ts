import { applyDecorators, type Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiResponse, type HeaderObject } from '@nestjs/swagger';
import { WriteResultResponse } from './write-result.response';

/** Error statuses the API answers, each with a problem+json body (see openapi-document.ts). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** Statuses a route gives beyond those every route or every body gives (added to the document centrally). */
export const ApiProblems = (...statuses: ProblemStatus[]) => applyDecorators(...statuses.map((status) => ApiResponse({ status, description: '' })));

/** The Idempotency-Key request header of writes. */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes a retry safe: a request repeated with the same key (by the same token — keys are scoped per token) gets the original answer and appends nothing; the same key with another body gets 422 idempotency.key_reused. 1 to 200 visible ASCII characters.',
    schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
  });

const IF_MATCH_HEADER = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The stream version the client last saw, as `"3"` (the ETag of a read); a stale one gets 409. Same as `expectedVersion` in the body.',
  schema: { type: 'string', pattern: '^(W/)?"?\\d{1,10}"?$' },
});

/**
 * A write (DESIGN §6): 201 when it appended, 200 when nothing needed to change or it replayed a
 * keyed request. `existing`: it changes an existing stream, so it takes If-Match. 409 for a stale
 * version, or for event ids stored by another request.
 */
export const ApiWrite = ({ existing }: { existing: boolean }) =>
  applyDecorators(
    ApiCreatedResponse({ type: WriteResultResponse, description: 'Recorded: the events were appended' }),
    ApiOkResponse({
      type: WriteResultResponse,
      description: 'Nothing needed to change (the outcome already held), or a replay of a request with the same Idempotency-Key',
    }),
    ApiIdempotencyKey(),
    ...(existing ? [IF_MATCH_HEADER] : []),
    ApiProblems(409, 422),
  );

/** A JSON read answering 200 with `type`, and the response headers it sets. */
export const ApiRead = (type: Type, { description = 'OK', headers }: { description?: string; headers?: Record<string, HeaderObject> } = {}) =>
  ApiOkResponse({ type, description, ...(headers ? { headers } : {}) });
