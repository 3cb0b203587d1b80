import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsIn, IsLatitude, IsLongitude, IsNumber, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { ASSESSMENT_STATUSES, type AssessmentStatus, OCCURRED_PRECISIONS, type Occurred } from '../../claims/domain/claim';
import { OccurredRequest } from '../../claims/requests/claim.request';
import { ReadQuery } from '../../read-models/dashboard.requests';
import { ExpectedVersion, IsOccurredBound, Text } from '../../shared/validation';

export class OpenIncidentRequest {
  @Text(300, 'Strike on Ganja, night of 11 October')
  readonly title!: string;

  @ApiProperty({ type: OccurredRequest, description: 'When it happened, as far as is known: the window every account of it falls in' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OccurredRequest)
  readonly occurred!: OccurredRequest;

  @ApiPropertyOptional({ format: 'uuid', description: "Where: a place of the conflict's gazetteer" })
  @IsOptional()
  @IsUUID('all')
  readonly placeId?: string;
}

export class LinkClaimRequest {
  @ApiProperty({ format: 'uuid', description: 'A claim of the same conflict: an account of this incident' })
  @IsUUID('all')
  readonly claimId!: string;

  @Text(2000, 'Same strike, same night, reported by the other side')
  readonly reason!: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class UnlinkClaimRequest {
  @Text(2000, 'The claim is about the following night')
  readonly reason!: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class AssessIncidentRequest {
  @ApiProperty({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus' })
  @IsIn(ASSESSMENT_STATUSES)
  readonly status!: AssessmentStatus;

  @Text(5000, 'Destroyed residential buildings in Ganja were seen by international reporters on 11 October.')
  readonly rationale!: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

const toNumber = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

/** A claim not yet saved, as far as its time and place go: what may already be recorded? */
export class RelatedDraftQuery extends ReadQuery {
  @ApiProperty({ example: '2020-10-11T02:00:00+04:00', description: 'occurred.from of the draft (a plain date at day precision or coarser)' })
  @IsOccurredBound()
  readonly from!: string;

  @ApiPropertyOptional({ example: '2020-10-11T03:00:00+04:00', description: 'occurred.to of the draft' })
  @IsOptional()
  @IsOccurredBound()
  readonly to?: string;

  @ApiProperty({ enum: OCCURRED_PRECISIONS, enumName: 'OccurredPrecision' })
  @IsIn(OCCURRED_PRECISIONS)
  readonly precision!: Occurred['precision'];

  @ApiPropertyOptional({ format: 'uuid', description: "The draft's place in the gazetteer" })
  @IsOptional()
  @IsUUID('all')
  readonly placeId?: string;

  @ApiPropertyOptional({ type: 'number', minimum: -90, maximum: 90 })
  @IsOptional()
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lat must be a number' })
  @IsLatitude({ message: 'lat must be a latitude between -90 and 90' })
  readonly lat?: number;

  @ApiPropertyOptional({ type: 'number', minimum: -180, maximum: 180 })
  @IsOptional()
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'lon must be a number' })
  @IsLongitude({ message: 'lon must be a longitude between -180 and 180' })
  readonly lon?: number;
}

export class IncidentListQuery extends ReadQuery {
  @ApiPropertyOptional({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus', description: "Only incidents with this assessment ('unverified' until one exists)" })
  @IsOptional()
  @IsIn(ASSESSMENT_STATUSES)
  readonly status?: AssessmentStatus;
}
