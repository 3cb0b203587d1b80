import { ApiProperty, ApiPropertyOptional, type SchemaObject } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsObject,
  IsOptional,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import {
  ASSERTIONS,
  type Assertion,
  CATEGORIES,
  type Category,
  LOCATION_PRECISIONS,
  OCCURRED_PRECISIONS,
  type Occurred,
  STANCES,
  type Stance,
} from '../domain/claim';
import { Instant, INSTANT_SCHEMA, Integer, IsOccurredBound, OptionalText, OptionalTextList, Text } from '../../shared/validation';
import { AttributionRequest } from './attribution.request';

const OCCURRED_BOUND: { oneOf: SchemaObject[] } = {
  oneOf: [{ ...INSTANT_SCHEMA }, { type: 'string', format: 'date' }, { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'A month, at month precision' }],
};

export class OccurredRequest {
  @ApiProperty({
    ...OCCURRED_BOUND,
    example: '2020-10-11T02:00:00+04:00',
    description:
      "When it allegedly happened: an instant with an offset, or — at day precision or coarser — a plain date (2020-10-12), read as the start of that day in the conflict's time zone (for month precision, 2020-10 is the first of the month)",
  })
  @IsOccurredBound()
  readonly from!: string;

  @ApiPropertyOptional({
    ...OCCURRED_BOUND,
    example: '2020-10-11T04:00:00+04:00',
    description: 'The end of the span: an instant, or at day precision or coarser a plain date, read as the end of that local day',
  })
  @IsOptional()
  @IsOccurredBound()
  readonly to?: string;

  @ApiProperty({ enum: OCCURRED_PRECISIONS, enumName: 'OccurredPrecision' })
  @IsIn(OCCURRED_PRECISIONS)
  readonly precision!: Occurred['precision'];

  @OptionalText(500, 'overnight')
  readonly raw?: string;
}

export class LocationRequest {
  @Text(300, 'Tartar')
  readonly name!: string;

  @OptionalTextList(20, 300)
  readonly altNames?: string[];

  @ApiPropertyOptional({ type: 'number', minimum: -90, maximum: 90, example: 40.34 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLatitude({ message: 'lat must be a latitude between -90 and 90' })
  readonly lat?: number;

  @ApiPropertyOptional({ type: 'number', minimum: -180, maximum: 180, example: 46.93 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLongitude({ message: 'lon must be a longitude between -180 and 180' })
  readonly lon?: number;

  @ApiPropertyOptional({ enum: LOCATION_PRECISIONS, enumName: 'LocationPrecision' })
  @IsOptional()
  @IsIn(LOCATION_PRECISIONS)
  readonly precision?: (typeof LOCATION_PRECISIONS)[number];

  @ApiPropertyOptional({
    format: 'uuid',
    description: "The place in the conflict's gazetteer (GET /api/conflicts/:id/places?q=): its coordinates and precision are shown unless these give their own",
  })
  @IsOptional()
  @IsUUID('all')
  readonly placeId?: string;
}

/** More than anyone could claim; only here so that a typo cannot overflow a sum. */
const MAX_CASUALTIES = 10_000_000;

export class CasualtyRangeRequest {
  @Integer(0, MAX_CASUALTIES, { description: 'The lowest figure claimed' })
  readonly min!: number;

  @Integer(0, MAX_CASUALTIES, { description: 'The highest figure claimed (equal to min for an exact figure)' })
  readonly max!: number;

  @OptionalText(300, 'dozens')
  readonly raw?: string;
}

export class CasualtyCountsRequest {
  @ApiPropertyOptional({ type: CasualtyRangeRequest })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CasualtyRangeRequest)
  readonly killed?: CasualtyRangeRequest;

  @ApiPropertyOptional({ type: CasualtyRangeRequest })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CasualtyRangeRequest)
  readonly wounded?: CasualtyRangeRequest;
}

export class CasualtiesRequest {
  @ApiPropertyOptional({ type: CasualtyCountsRequest })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CasualtyCountsRequest)
  readonly civilian?: CasualtyCountsRequest;

  @ApiPropertyOptional({ type: CasualtyCountsRequest })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CasualtyCountsRequest)
  readonly military?: CasualtyCountsRequest;
}

/** The fields every claim body has (DESIGN §6), without conflictId and stance. */
export class ClaimBodyRequest {
  @ApiProperty({ format: 'uuid', description: 'The party making the statement' })
  @IsUUID('all')
  readonly claimant!: string;

  @ApiProperty({ format: 'uuid', description: 'The party whose conduct is described' })
  @IsUUID('all')
  readonly subject!: string;

  @ApiProperty({ enum: ASSERTIONS, enumName: 'Assertion', description: 'The claimant says the subject violated the truce, or complied with it' })
  @IsIn(ASSERTIONS)
  readonly assertion!: Assertion;

  @ApiProperty({ enum: CATEGORIES, enumName: 'Category' })
  @IsIn(CATEGORIES)
  readonly category!: Category;

  @ApiProperty({ type: OccurredRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OccurredRequest)
  readonly occurred!: OccurredRequest;

  @Instant('2020-10-11T09:30:00+04:00', 'When the claimant said it')
  readonly statedAt!: string;

  @ApiPropertyOptional({ type: LocationRequest })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationRequest)
  readonly location?: LocationRequest;

  @ApiPropertyOptional({ type: CasualtiesRequest })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CasualtiesRequest)
  readonly casualties?: CasualtiesRequest;

  @Text(5000, 'Armenian forces shelled Tartar overnight, the Azerbaijani Defence Ministry said.')
  readonly summary!: string;

  @ApiProperty({ type: [AttributionRequest], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AttributionRequest)
  readonly attributions!: AttributionRequest[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: "The provision of one of the conflict's agreements the claim is about (an exchange of bodies, say): see the agreement's provisions",
  })
  @IsOptional()
  @IsUUID('all')
  readonly provisionId?: string;
}

export class RecordClaimRequest extends ClaimBodyRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  readonly conflictId!: string;
}

export class RespondToClaimRequest extends ClaimBodyRequest {
  @ApiProperty({ enum: STANCES, enumName: 'Stance', description: 'How it answers the claim' })
  @IsIn(STANCES)
  readonly stance!: Stance;
}
