import { ApiProperty } from '@nestjs/swagger';
import { AttributionResponse } from '../../claims/responses/attribution.response';
import { INSTANT_SCHEMA } from '../../shared/validation';
import { AGREEMENT_KINDS, type AgreementKind, EFFECTIVE_FROM_BASES, type EffectiveFrom, PROVISION_KINDS, type ProvisionKind } from '../domain/agreement';

export class EffectiveFromResponse {
  @ApiProperty({ ...INSTANT_SCHEMA, example: '2020-10-10T12:00:00+04:00', description: 'The instant it took effect, as read from `raw`' })
  readonly at!: string;

  @ApiProperty({ required: false, example: '12:00 on 10 October', description: 'The words of the agreement, kept beside their reading' })
  readonly raw?: string;

  @ApiProperty({ example: 'Asia/Baku', description: 'The IANA time zone `raw` was read in' })
  readonly timeZone!: string;

  @ApiProperty({ enum: EFFECTIVE_FROM_BASES, enumName: 'EffectiveFromBasis', description: 'Whether the start was stated, inferred or assumed' })
  readonly basis!: EffectiveFrom['basis'];
}

export class ProvisionResponse {
  @ApiProperty({ format: 'uuid', description: 'Name it as provisionId in a claim about this provision' })
  readonly provisionId!: string;

  @ApiProperty({ enum: PROVISION_KINDS, enumName: 'ProvisionKind' })
  readonly kind!: ProvisionKind;

  @ApiProperty({ example: 'The parties will exchange the bodies of the dead, mediated by the ICRC.' })
  readonly text!: string;
}

export class AgreementResponse {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ format: 'uuid' })
  readonly conflictId!: string;

  @ApiProperty({ example: 'Moscow humanitarian ceasefire' })
  readonly title!: string;

  @ApiProperty({ enum: AGREEMENT_KINDS, enumName: 'AgreementKind' })
  readonly kind!: AgreementKind;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Party ids' })
  readonly signatories!: string[];

  @ApiProperty({ type: [String], format: 'uuid', description: 'Party ids' })
  readonly mediators!: string[];

  @ApiProperty({ ...INSTANT_SCHEMA, nullable: true, example: '2020-10-10T03:00:00+03:00' })
  readonly agreedAt!: string | null;

  @ApiProperty({ type: EffectiveFromResponse })
  readonly effectiveFrom!: EffectiveFromResponse;

  @ApiProperty({ ...INSTANT_SCHEMA, nullable: true, description: 'When it ended; null while in force' })
  readonly endedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  readonly endReason!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The agreement that replaced it' })
  readonly supersededBy!: string | null;

  @ApiProperty({ type: String, nullable: true })
  readonly terms!: string | null;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Earlier agreements this one reaffirms' })
  readonly reaffirms!: string[];

  @ApiProperty({ type: [ProvisionResponse], description: 'What the parties undertook' })
  readonly provisions!: ProvisionResponse[];

  @ApiProperty({ type: [AttributionResponse] })
  readonly attributions!: AttributionResponse[];

  @ApiProperty({ type: 'integer', minimum: 1, description: "The agreement stream's version: send it as expectedVersion with a correction or its end" })
  readonly version!: number;
}

export class AgreementListResponse {
  @ApiProperty({ type: [AgreementResponse] })
  readonly items!: AgreementResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Always null: every agreement of a conflict is in one page' })
  readonly nextCursor!: null;
}
