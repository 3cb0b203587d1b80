import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsObject,
  IsOptional,
  IsUUID,
  Max,
  Min,
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
import { IsInstant, OptionalText, OptionalTextList, Text } from '../../shared/validation';
import { AttributionRequest } from './attribution.request';

export class OccurredRequest {
  @ApiProperty({ example: '2020-10-11T02:00:00+04:00' })
  @IsInstant()
  readonly from!: string;

  @ApiPropertyOptional({ example: '2020-10-11T04:00:00+04:00' })
  @IsOptional()
  @IsInstant()
  readonly to?: string;

  @ApiProperty({ enum: OCCURRED_PRECISIONS })
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

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLatitude({ message: 'lat must be a latitude between -90 and 90' })
  readonly lat?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLongitude({ message: 'lon must be a longitude between -180 and 180' })
  readonly lon?: number;

  @ApiPropertyOptional({ enum: LOCATION_PRECISIONS })
  @IsOptional()
  @IsIn(LOCATION_PRECISIONS)
  readonly precision?: (typeof LOCATION_PRECISIONS)[number];
}

export class CasualtyRangeRequest {
  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  readonly min!: number;

  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
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

  @ApiProperty({ enum: ASSERTIONS })
  @IsIn(ASSERTIONS)
  readonly assertion!: Assertion;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  readonly category!: Category;

  @ApiProperty({ type: OccurredRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OccurredRequest)
  readonly occurred!: OccurredRequest;

  @ApiProperty({ example: '2020-10-11T09:30:00+04:00' })
  @IsInstant()
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
}

export class RecordClaimRequest extends ClaimBodyRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  readonly conflictId!: string;
}

export class RespondToClaimRequest extends ClaimBodyRequest {
  @ApiProperty({ enum: STANCES })
  @IsIn(STANCES)
  readonly stance!: Stance;
}
