import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { isAsOf } from './as-of';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value);

export class AuditEventsQuery {
  @ApiPropertyOptional({ default: 0, description: 'Events after this position' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'after must be a non-negative integer' })
  @Min(0)
  readonly after?: number;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000)
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'Only what this token (its id) recorded' })
  @IsOptional()
  @Matches(/^[\w.:-]{1,100}$/, { message: 'actor must be a token id' })
  readonly actor?: string;
}

export class AsOfQuery {
  @ApiPropertyOptional({ description: 'A log position (up to and including it) or an ISO 8601 instant (recorded by then); now if absent' })
  @IsOptional()
  @ValidateBy({
    name: 'isAsOf',
    validator: { validate: isAsOf, defaultMessage: () => 'asOf must be a log position or an ISO 8601 date and time with an offset' },
  })
  readonly asOf?: string;
}

export class VerifyQuery {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'from must be a positive integer' })
  @Min(1)
  readonly from?: number;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'to must be a positive integer' })
  @Min(1)
  readonly to?: number;
}
