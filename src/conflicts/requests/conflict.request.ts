import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PARTY_KINDS, type PartyKind } from '../domain/conflict';
import { ExpectedVersion, IsIanaTimeZone, OptionalText, OptionalTextList, Text } from '../../shared/validation';

export class RegisterConflictRequest {
  @Text(300, 'Nagorno-Karabakh conflict (2020)')
  readonly name!: string;

  @OptionalText(300, 'South Caucasus')
  readonly region?: string;

  @ApiProperty({ example: 'Asia/Baku', description: 'IANA time zone in which days are counted' })
  @IsIanaTimeZone()
  readonly timeZone!: string;

  @OptionalText(10_000)
  readonly description?: string;
}

export class AddPartyRequest {
  @Text(300, 'Republic of Azerbaijan')
  readonly name!: string;

  @OptionalText(50, 'Azerbaijan')
  readonly shortName?: string;

  @ApiProperty({ enum: PARTY_KINDS, enumName: 'PartyKind' })
  @IsIn(PARTY_KINDS)
  readonly kind!: PartyKind;

  @OptionalTextList(20, 300)
  readonly aliases?: string[];

  @ExpectedVersion()
  readonly expectedVersion?: number;
}
