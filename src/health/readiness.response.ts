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

class ReplicaStateResponse {
  @ApiProperty({ description: 'replica-1, replica-2… in the order of DATABASE_READ_URL' })
  readonly name!: string;

  @ApiProperty({ description: 'Whether reads are sent to it: it answers and lags at most REPLICA_MAX_LAG_SECONDS' })
  readonly inRotation!: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The lowest projector checkpoint it has replayed' })
  readonly position!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many log positions its read models are behind the primary\'s' })
  readonly lagEvents!: number;

  @ApiProperty({ type: 'number', minimum: 0, description: 'While behind: seconds since the last transaction it replayed' })
  readonly lagSeconds!: number;

  @ApiPropertyOptional({ description: 'Why it is out of rotation' })
  readonly error?: string;
}

class ReplicasCheckResponse {
  @ApiProperty({ enum: ['up'], description: 'Always up: without a replica in rotation the primary answers every read' })
  readonly status!: 'up';

  @ApiProperty({ type: [ReplicaStateResponse] })
  readonly replicas!: ReplicaStateResponse[];
}

class ReadinessChecksResponse {
  @ApiPropertyOptional({ type: ReplicasCheckResponse, description: 'Read replicas (DATABASE_READ_URL), when configured' })
  readonly replicas?: ReplicasCheckResponse;

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
