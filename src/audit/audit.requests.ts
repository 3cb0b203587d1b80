import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { toInteger } from '../shared/validation';
import { IsAsOf } from './as-of';


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
  @IsAsOf()
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
