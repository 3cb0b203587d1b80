import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ImportReportResponse } from '../imports/responses/import-report.response';

export class FieldErrorResponse {
  @ApiProperty({ example: 'attributions[0].reliability', description: 'The field, as a path into the request (body fields, query parameters or headers)' })
  readonly field!: string;

  @ApiProperty({ example: 'reliability must be one of the following values: A, B, C, D, E, F' })
  readonly message!: string;
}

/** Every error answer: an RFC 9457 problem details body (application/problem+json). */
export class ProblemResponse {
  @ApiProperty({ example: 'urn:ceasefire:claim.self_accusation', description: '`urn:ceasefire:<code>` for errors of the tracker, `about:blank` for plain HTTP errors' })
  readonly type!: string;

  @ApiProperty({ example: 'Unprocessable Content', description: 'The status in words' })
  readonly title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 422 })
  readonly status!: number;

  @ApiProperty({ example: 'A party accuses itself only with the stance acknowledgement', description: 'What went wrong, for people' })
  readonly detail!: string;

  @ApiProperty({ example: '/api/claims', description: 'The request path and query' })
  readonly instance!: string;

  @ApiProperty({ example: '4f9c2f0e-5b8e-4c2a-9d41-2b1c6f0e8a11', description: 'The X-Request-Id of the request, to quote when reporting a problem' })
  readonly requestId!: string;

  @ApiPropertyOptional({ example: 'claim.self_accusation', description: 'A stable, dotted code for programs to act on' })
  readonly code?: string;

  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'Validation errors (400): one per field' })
  readonly errors?: FieldErrorResponse[];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: "409 stream.version_conflict: the stream's version now" })
  readonly currentVersion?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: '503 and 429: seconds to wait before retrying (also the Retry-After header)' })
  readonly retryAfter?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: '503 projection.behind: the position the read models have not reached yet' })
  readonly minPosition?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: '422 import.refused: the line of the file that was refused' })
  readonly line?: number;

  @ApiPropertyOptional({ example: 'claimant', description: '422: the request field the broken rule concerns, where there is one' })
  readonly field?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '422 party.duplicate_name: the party that already has this name' })
  readonly partyId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: '503 health.not_ready: each readiness check (database, migrations, projections) with its status' })
  readonly checks?: Record<string, unknown>;

  @ApiPropertyOptional({ type: () => ImportReportResponse, description: '422 import.invalid_rows: the validation report of the refused file (row, column, message)' })
  readonly report?: ImportReportResponse;
}
