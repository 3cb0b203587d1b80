import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';
import { RELIABILITY_GRADES, type Reliability } from '../domain/attribution';
import { IsInstant, OptionalText, Text } from '../../shared/validation';

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

  @ApiPropertyOptional({ example: '2020-10-10T03:10:00+03:00' })
  @IsOptional()
  @IsInstant()
  readonly publishedAt?: string;

  @OptionalText(10_000)
  readonly quote?: string;

  @ApiPropertyOptional({ example: 'ru', description: 'BCP 47 language tag' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: 'language must be a BCP 47 language tag such as ru or hy-AM' })
  readonly language?: string;

  @ApiProperty({ enum: RELIABILITY_GRADES, description: 'Admiralty reliability of the source, A (reliable) to F' })
  @IsIn(RELIABILITY_GRADES)
  readonly reliability!: Reliability;

  @ApiProperty({ minimum: 1, maximum: 6, description: 'Admiralty credibility of the information, 1 (confirmed) to 6' })
  @IsInt()
  @Min(1)
  @Max(6)
  readonly credibility!: number;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  readonly confidential?: boolean;

  @OptionalText(2000)
  readonly protectedIdentity?: string;
}
