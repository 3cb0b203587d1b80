import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Matches, MinLength } from 'class-validator';
import { OptionalInstant, OptionalText } from '../../shared/validation';

/** The longest report read, in characters (≈ 15,000 words): longer text is answered 413. */
export const MAX_REPORT_CHARS = 100_000;

export class ReadReportRequest {
  @ApiProperty({
    minLength: 1,
    maxLength: MAX_REPORT_CHARS,
    example: 'The Armenian Defence Ministry said Azerbaijani forces shelled Stepanakert overnight, killing two civilians. Baku denied the report.',
    description: `The report as published, plain text. At most ${MAX_REPORT_CHARS} characters (413 above).`,
  })
  @IsString()
  @MinLength(1, { message: 'text must not be empty' })
  @Matches(/\S/, { message: 'text must not be empty' })
  readonly text!: string;

  @OptionalInstant('2020-10-11T10:15:00+04:00', 'When the outlet published it: "overnight", "on Sunday" are read from here (default: now)')
  readonly publishedAt?: string;

  @OptionalText(200, 'TASS', 'The outlet that published it, when the text does not say')
  readonly outlet?: string;

  @ApiPropertyOptional({ example: 'https://tass.com/world/1211943' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  @OptionalText(2048)
  readonly url?: string;

  @ApiPropertyOptional({ example: 'en', description: 'BCP 47 language tag; detected from the text when not given. Only English is read for now.' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: 'language must be a BCP 47 language tag such as en or hy-AM' })
  readonly language?: string;
}
