import { ApiProperty } from '@nestjs/swagger';
import { PLACE_KINDS, type PlaceKind } from '../domain/place';

export class PlaceNameResponse {
  @ApiProperty({ example: 'Gəncə' })
  readonly name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'az', description: 'BCP 47 language tag, if known' })
  readonly language!: string | null;

  @ApiProperty({ type: [String], format: 'uuid', description: 'The parties that use this name' })
  readonly usedBy!: string[];
}

export class PlaceResponse {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ format: 'uuid' })
  readonly conflictId!: string;

  @ApiProperty({ type: [PlaceNameResponse], description: 'Every name, in the order they were recorded; none is the right one' })
  readonly names!: PlaceNameResponse[];

  @ApiProperty({ type: 'number', minimum: -90, maximum: 90 })
  readonly lat!: number;

  @ApiProperty({ type: 'number', minimum: -180, maximum: 180 })
  readonly lon!: number;

  @ApiProperty({ enum: PLACE_KINDS, enumName: 'PlaceKind' })
  readonly kind!: PlaceKind;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The place it lies in' })
  readonly parent!: string | null;

  @ApiProperty({ type: 'integer', minimum: 1, description: "The place stream's version: send it as expectedVersion with the next change" })
  readonly version!: number;
}

export class PlaceSearchItemResponse extends PlaceResponse {
  @ApiProperty({ type: String, nullable: true, example: 'Gəncə', description: 'The name that answered the query (null without one)' })
  readonly matchedName!: string | null;
}

export class PlaceListResponse {
  @ApiProperty({ type: [PlaceSearchItemResponse], description: 'Best match first; without q, every place in the order registered' })
  readonly items!: PlaceSearchItemResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Always null: one page, cut at limit' })
  readonly nextCursor!: null;
}
