import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUrl, Matches } from 'class-validator';
import { RELIABILITY_GRADES, type Reliability } from '../domain/attribution';
import { Integer, OptionalInstant, OptionalText, Text } from '../../shared/validation';

export class AttributionRequest {
  @Text(200, 'TASS')
  readonly outlet!: string;

  @OptionalText(300, 'Russian Foreign Ministry')
  readonly speaker?: string;

  @ApiPropertyOptional({ example: 'https://tass.com/politics/1211943' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  @OptionalText(2048)
  readonly url?: string;

  @OptionalInstant('2020-10-10T03:10:00+03:00', 'When the outlet published it')
  readonly publishedAt?: string;

  @OptionalText(10_000)
  readonly quote?: string;

  @ApiPropertyOptional({ example: 'ru', description: 'BCP 47 language tag' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: 'language must be a BCP 47 language tag such as ru or hy-AM' })
  readonly language?: string;

  @ApiProperty({
    enum: RELIABILITY_GRADES,
    enumName: 'Reliability',
    description: 'Admiralty reliability of the source: A completely reliable, B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged',
  })
  @IsIn(RELIABILITY_GRADES)
  readonly reliability!: Reliability;

  @Integer(1, 6, {
    description: 'Admiralty credibility of the information: 1 confirmed, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged',
  })
  readonly credibility!: number;

  @ApiPropertyOptional({ default: false, description: "A confidential source: its outlet, speaker, link, quote, language and identity are sealed; readers see only 'confidential source' and its grades" })
  @IsOptional()
  @IsBoolean()
  readonly confidential?: boolean;

  @OptionalText(2000, 'Name and phone of the source', 'For a confidential source: who it is. Sealed, and shown only to editors and admins')
  readonly protectedIdentity?: string;
}
