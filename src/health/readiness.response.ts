import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] })
  readonly status!: 'ok';

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Seconds since the process started' })
  readonly uptime!: number;
}

class ReadinessCheckResponse {
  @ApiProperty({ enum: ['up', 'down'] })
  readonly status!: 'up' | 'down';

  @ApiPropertyOptional({ description: 'Why it is down' })
  readonly message?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'migrations: how many are not applied yet' })
  readonly pending?: number;

  @ApiPropertyOptional({ type: 'number', minimum: 0, description: 'projections: the largest lag, in seconds, of any projector' })
  readonly lagSeconds?: number;

  @ApiPropertyOptional({ type: [String], description: 'projections: the projectors over the bound, or rebuilding' })
  readonly behind?: string[];
}

class ReadinessChecksResponse {
  @ApiProperty({ type: ReadinessCheckResponse })
  readonly database!: ReadinessCheckResponse;

  @ApiProperty({ type: ReadinessCheckResponse })
  readonly migrations!: ReadinessCheckResponse;

  @ApiProperty({ type: ReadinessCheckResponse })
  readonly projections!: ReadinessCheckResponse;
}

export class ReadinessResponse {
  @ApiProperty({ enum: ['ok'] })
  readonly status!: 'ok';

  @ApiProperty({ type: ReadinessChecksResponse, description: 'Each check, all up in a 200' })
  readonly checks!: ReadinessChecksResponse;
}
