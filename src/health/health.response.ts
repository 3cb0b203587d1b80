import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthIndicatorResponse {
  @ApiProperty({ enum: ['up', 'down'] })
  readonly status!: 'up' | 'down';

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Milliseconds the check took' })
  readonly responseTime?: number;
}

class HealthIndicatorsResponse {
  @ApiPropertyOptional({ type: HealthIndicatorResponse })
  readonly database?: HealthIndicatorResponse;
}

/** The @nestjs/terminus answer. */
export class HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  readonly status!: 'ok';

  @ApiProperty({ type: HealthIndicatorsResponse, description: 'The checks that passed' })
  readonly info!: HealthIndicatorsResponse;

  @ApiProperty({ type: HealthIndicatorsResponse, description: 'The checks that failed (none in a 200)' })
  readonly error!: HealthIndicatorsResponse;

  @ApiProperty({ type: HealthIndicatorsResponse, description: 'Every check' })
  readonly details!: HealthIndicatorsResponse;
}
