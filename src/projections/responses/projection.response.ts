import { ApiProperty } from '@nestjs/swagger';

export class ReadModelDigestResponse {
  @ApiProperty({ example: 'claim_view_v1' })
  readonly name!: string;

  @ApiProperty({
    pattern: '^\\d+:[0-9a-f]+$',
    example: '9:2a2c3d3a6ca0a671',
    description: "The table's row count and an order-independent checksum of its rows: equal digests, equal read models",
  })
  readonly digest!: string;
}

export class ProjectionStatusResponse {
  @ApiProperty({ example: 'claims' })
  readonly name!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Its logic version; a new one rebuilds it at start' })
  readonly version!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The last log position applied' })
  readonly checkpoint!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The last position of the log' })
  readonly head!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events not applied yet' })
  readonly lagEvents!: number;

  @ApiProperty({ type: 'number', minimum: 0, description: 'Age in seconds of the oldest event not applied yet' })
  readonly lagSeconds!: number;

  @ApiProperty({ type: [ReadModelDigestResponse] })
  readonly readModels!: ReadModelDigestResponse[];
}

export class ProjectionListResponse {
  @ApiProperty({ type: [ProjectionStatusResponse] })
  readonly items!: ProjectionStatusResponse[];
}
