import { ApiProperty } from '@nestjs/swagger';
import { AgreementResponse } from '../../agreements/responses/agreement.response';
import { PARTY_KINDS, type PartyKind } from '../domain/conflict';

export class PartyResponse {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ example: 'Republic of Azerbaijan' })
  readonly name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Azerbaijan', description: 'The name to show where space is short' })
  readonly shortName!: string | null;

  @ApiProperty({ enum: PARTY_KINDS, enumName: 'PartyKind' })
  readonly kind!: PartyKind;

  @ApiProperty({ type: [String], example: ['Baku'], description: 'Other names the party goes by' })
  readonly aliases!: string[];
}

export class ConflictResponse {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ example: 'Nagorno-Karabakh war (2020)' })
  readonly name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'South Caucasus' })
  readonly region!: string | null;

  @ApiProperty({ example: 'Asia/Baku', description: "IANA time zone in which the conflict's days are counted and its times shown" })
  readonly timeZone!: string;

  @ApiProperty({ type: String, nullable: true })
  readonly description!: string | null;

  @ApiProperty({ type: [PartyResponse], description: 'In the order they were added (which also gives each its colour in the web app)' })
  readonly parties!: PartyResponse[];

  @ApiProperty({ type: 'integer', minimum: 1, description: "The conflict stream's version: send it as expectedVersion when adding a party" })
  readonly version!: number;
}

export class ConflictDetailResponse extends ConflictResponse {
  @ApiProperty({ type: [AgreementResponse] })
  readonly agreements!: AgreementResponse[];
}

export class ConflictListResponse {
  @ApiProperty({ type: [ConflictResponse] })
  readonly items!: ConflictResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Always null: every conflict is in one page' })
  readonly nextCursor!: null;
}
