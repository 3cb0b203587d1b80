import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateBy } from 'class-validator';
import { IsAsOf } from '../audit/as-of';
import { toInteger } from '../shared/validation';
import { ASSERTIONS, ASSESSMENT_STATUSES } from '../claims/domain/claim';

/** A calendar date that exists: YYYY-MM-DD. */
const isLocalDate = (value: unknown): boolean => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
};
const IsLocalDate = () =>
  ValidateBy({ name: 'isLocalDate', validator: { validate: isLocalDate, defaultMessage: (a) => `${a?.property} must be a date that exists, YYYY-MM-DD` } });

/** Read-your-writes: wait until the read models have passed this position (DESIGN §6). */
export class ReadQuery {
  @ApiPropertyOptional({ description: 'Wait up to 5 s until the read models include this position; 503 if they do not' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'minPosition must be a non-negative integer' })
  @Min(0)
  readonly minPosition?: number;
}

export class TimelineQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'The timeline as it stood then: a log position, or an ISO 8601 instant (replayed; slower)' })
  @IsOptional()
  @IsAsOf()
  readonly asOf?: string;

  @ApiPropertyOptional({ enum: ['day', 'week', 'month'], default: 'day' })
  @IsOptional()
  @IsIn(['day', 'week', 'month'])
  readonly bucket?: 'day' | 'week' | 'month';

  @ApiPropertyOptional({ enum: ['occurred', 'stated'], default: 'occurred', description: 'Count by when it allegedly happened or when it was said' })
  @IsOptional()
  @IsIn(['occurred', 'stated'])
  readonly by?: 'occurred' | 'stated';

  @ApiPropertyOptional({ example: '2020-10-10', description: "First local date (the conflict's time zone), inclusive" })
  @IsOptional()
  @IsLocalDate()
  readonly from?: string;

  @ApiPropertyOptional({ example: '2020-10-31', description: 'Last local date, inclusive' })
  @IsOptional()
  @IsLocalDate()
  readonly to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only claims linked to this agreement' })
  @IsOptional()
  @IsUUID('all')
  readonly agreementId?: string;
}

export class ClaimListQuery extends ReadQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  readonly conflictId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  readonly claimant?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  readonly subject?: string;

  @ApiPropertyOptional({ enum: ASSERTIONS })
  @IsOptional()
  @IsIn(ASSERTIONS)
  readonly assertion?: string;

  @ApiPropertyOptional({ enum: ASSESSMENT_STATUSES })
  @IsOptional()
  @IsIn(ASSESSMENT_STATUSES)
  readonly status?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  readonly agreementId?: string;

  @ApiPropertyOptional({ example: '2020-10-10', description: 'Occurred on or after this local date' })
  @IsOptional()
  @IsLocalDate()
  readonly from?: string;

  @ApiPropertyOptional({ example: '2020-10-31', description: 'Occurred on or before this local date' })
  @IsOptional()
  @IsLocalDate()
  readonly to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(200)
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not one this API gave' })
  readonly cursor?: string;
}
