import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { AttributionRequest } from '../../claims/requests/attribution.request';
import { ExpectedVersion, Instant, IsIanaTimeZone, OptionalInstant, OptionalText, Text } from '../../shared/validation';
import { AGREEMENT_KINDS, type AgreementKind, EFFECTIVE_FROM_BASES, type EffectiveFrom, PROVISION_KINDS, type ProvisionKind } from '../domain/agreement';

const PartyIds = (required: boolean) =>
  applyDecorators(
    required ? ApiProperty({ type: [String], format: 'uuid' }) : ApiPropertyOptional({ type: [String], format: 'uuid' }),
    ...(required ? [] : [IsOptional()]),
    IsArray(),
    ArrayMaxSize(50),
    IsUUID('all', { each: true }),
  );

export class EffectiveFromRequest {
  @Instant('2020-10-10T12:00:00+04:00', 'The instant it took effect, as read from raw')
  readonly at!: string;

  @OptionalText(500, '12:00 on 10 October')
  readonly raw?: string;

  @ApiProperty({ example: 'Asia/Baku', description: 'The IANA time zone raw was read in' })
  @IsIanaTimeZone()
  readonly timeZone!: string;

  @ApiProperty({ enum: EFFECTIVE_FROM_BASES, enumName: 'EffectiveFromBasis', description: 'Whether the start was stated, inferred or assumed' })
  @IsIn(EFFECTIVE_FROM_BASES)
  readonly basis!: EffectiveFrom['basis'];
}

export class ProvisionRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'Kept when given (send it again in a correction to keep the claims about it); made up when not' })
  @IsOptional()
  @IsUUID('all')
  readonly provisionId?: string;

  @ApiProperty({ enum: PROVISION_KINDS, enumName: 'ProvisionKind' })
  @IsIn(PROVISION_KINDS)
  readonly kind!: ProvisionKind;

  @Text(2000, 'The parties will exchange prisoners of war, other detained persons and the bodies of the dead, mediated by the ICRC.')
  readonly text!: string;
}

export class RecordAgreementRequest {
  @Text(500, 'Moscow humanitarian ceasefire')
  readonly title!: string;

  @ApiProperty({ enum: AGREEMENT_KINDS, enumName: 'AgreementKind' })
  @IsIn(AGREEMENT_KINDS)
  readonly kind!: AgreementKind;

  @PartyIds(true)
  readonly signatories!: string[];

  @PartyIds(false)
  readonly mediators?: string[];

  @OptionalInstant('2020-10-10T03:00:00+03:00', 'When it was agreed')
  readonly agreedAt?: string;

  @ApiProperty({ type: EffectiveFromRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EffectiveFromRequest)
  readonly effectiveFrom!: EffectiveFromRequest;

  @OptionalText(20_000)
  readonly terms?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Earlier agreements this one reaffirms' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  readonly reaffirms?: string[];

  @ApiPropertyOptional({ type: [ProvisionRequest], description: 'What the parties undertook, one provision each; a correction replaces the list whole' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ProvisionRequest)
  readonly provisions?: ProvisionRequest[];

  @ApiPropertyOptional({ type: [AttributionRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AttributionRequest)
  readonly attributions?: AttributionRequest[];
}

export class AgreementChangesRequest extends PartialType(RecordAgreementRequest) {}

export class CorrectAgreementRequest {
  @ApiProperty({ type: AgreementChangesRequest })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AgreementChangesRequest)
  readonly changes!: AgreementChangesRequest;

  @Text(2000, 'The start was 12:00 local time (GMT+4), not Moscow time.')
  readonly reason!: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}

export class EndAgreementRequest {
  @Instant('2020-10-18T00:00:00+04:00', 'When it ended')
  readonly endedAt!: string;

  @Text(2000, 'Superseded by the humanitarian truce of 17 October.')
  readonly reason!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  readonly supersededBy?: string;

  @ExpectedVersion()
  readonly expectedVersion?: number;
}
