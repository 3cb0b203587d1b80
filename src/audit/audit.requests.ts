import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { INSTANT_PATTERN } from '../shared/text';
import { toInteger } from '../shared/validation';
import { IsAsOf } from './as-of';

export class AuditEventsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Events after this position' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'after must be a non-negative integer' })
  @Min(0)
  readonly after?: number;

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  readonly limit?: number;

  @ApiPropertyOptional({ type: 'string', pattern: '^[\\w.:-]{1,100}$', description: 'Only what this token (its id) recorded' })
  @IsOptional()
  @Matches(/^[\w.:-]{1,100}$/, { message: 'actor must be a token id' })
  readonly actor?: string;
}

export class AsOfQuery {
  @ApiPropertyOptional({
    oneOf: [{ type: 'string', pattern: '^\\d{1,15}$' }, { type: 'string', format: 'date-time', pattern: INSTANT_PATTERN.source }],
    description: 'A log position (events up to and including it) or a recorded-at instant (events the tracker had recorded by then; not when things happened); now if absent',
  })
  @IsOptional()
  @IsAsOf()
  readonly asOf?: string;
}

export class VerifyQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'First position to check (default: 1)' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'from must be a positive integer' })
  @Min(1)
  readonly from?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Last position to check (default: the head)' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'to must be a positive integer' })
  @Min(1)
  readonly to?: number;
}
