import { ApiProperty } from '@nestjs/swagger';
import { ClaimListItemResponse } from '../../claims/responses/claim.response';
import { ROLES, type Role } from '../../auth/roles';

export class SessionResponse {
  @ApiProperty({ enum: ROLES, enumName: 'Role', nullable: true, description: "The bearer token's role; null for an anonymous client" })
  readonly role!: Role | null;

  @ApiProperty({ type: String, nullable: true, example: 'Baku desk', description: "The token's name; null for an anonymous client" })
  readonly name!: string | null;

  @ApiProperty({ description: 'Whether anonymous clients may read conflicts, claims and dashboards (PUBLIC_READS)' })
  readonly publicReads!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    description: "The map's tile source (TILE_URL, a Leaflet URL template); null: no tile server, the map draws a world outline",
  })
  readonly tileUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '© OpenStreetMap contributors', description: "The tile source's attribution as plain text (TILE_ATTRIBUTION)" })
  readonly tileAttribution!: string | null;
}

export class ClaimThreadItemResponse extends ClaimListItemResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'How deep in the thread: 0 for the claim that opened it, 1 for a response to it…' })
  readonly depth!: number;
}

export class ClaimThreadResponse {
  @ApiProperty({ format: 'uuid', description: 'The claim that opened the thread (answers no other claim)' })
  readonly rootId!: string;

  @ApiProperty({ type: [ClaimThreadItemResponse], description: 'Every claim of the thread, depth first: each claim followed by its responses, oldest first' })
  readonly items!: ClaimThreadItemResponse[];
}
