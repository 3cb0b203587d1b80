import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { ASSESSMENT_STATUSES, type AssessmentStatus } from '../domain/claim';
import { ExpectedVersion, Instant, OptionalTextList, Text } from '../../shared/validation';
import { AttributionRequest } from './attribution.request';
import { CasualtiesRequest, RespondToClaimRequest } from './claim.request';

const OptionalAttributions = () =>
  applyDecorators(
    ApiPropertyOptional({ type: [AttributionRequest] }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(50),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => AttributionRequest),
  );

/** Any claim field but conflictId and respondsTo; each given field replaces the old one whole. */
export class ClaimChangesRequest extends PartialType(RespondToClaimRequest) {}

export class CorrectClaimRequest {
  @ApiProperty({ type: ClaimChangesRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ClaimChangesRequest)
  readonly changes!: ClaimChangesRequest;

  @Text(2000, 'The place was entered as Terter; the source says Tartar.')
  readonly reason!: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class AddAttributionRequest {
  @ApiProperty({ type: AttributionRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AttributionRequest)
  readonly attribution!: AttributionRequest;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class WithdrawAttributionRequest {
  @Text(2000, 'The outlet deleted the report.')
  readonly reason!: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class ReviseCasualtiesRequest {
  @ApiProperty({ type: CasualtiesRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CasualtiesRequest)
  readonly casualties!: CasualtiesRequest;

  @Instant('2020-10-11T16:00:00+04:00', 'When the claimant gave the new figure')
  readonly asOf!: string;

  @OptionalAttributions()
  readonly attributions?: AttributionRequest[];

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class RetractClaimRequest {
  @Instant('2020-10-12T10:00:00+04:00', 'When the claimant withdrew the claim')
  readonly statedAt!: string;

  @OptionalAttributions()
  readonly attributions?: AttributionRequest[];

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class VoidClaimRequest {
  @Text(2000, 'Entered twice by mistake; no such statement was made.')
  readonly reason!: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class AssessClaimRequest {
  @ApiProperty({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus' })
  @IsIn(ASSESSMENT_STATUSES)
  readonly status!: AssessmentStatus;

  @Text(5000, 'Satellite imagery shows fresh craters in Tartar on 11 October.')
  readonly rationale!: string;

  @OptionalTextList(50, 2000)
  readonly evidence?: string[];

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class MarkDuplicateRequest {
  @ApiProperty({ format: 'uuid', description: 'The original claim' })
  @IsUUID('all')
  readonly claimId!: string;

  @Text(2000, 'Same statement, recorded from a second outlet.')
  readonly reason!: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}
