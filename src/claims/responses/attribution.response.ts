import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INSTANT_SCHEMA } from '../../shared/validation';
import { RELIABILITY_GRADES, type Reliability } from '../domain/attribution';

/**
 * A source as a reader sees it. A confidential one shows, to anyone but editors and admins, only
 * `source: "confidential source"`, its grades and publication time; editors and admins see its
 * identifying fields and `protectedIdentity` (null once shredded).
 */
export class AttributionResponse {
  @ApiProperty({ format: 'uuid' })
  readonly attributionId!: string;

  @ApiPropertyOptional({ example: 'TASS', description: 'Who published it; absent for a confidential source the reader may not see' })
  readonly outlet?: string;

  @ApiPropertyOptional({ example: 'Russian Foreign Ministry', description: 'Who said it, according to the outlet' })
  readonly speaker?: string;

  @ApiPropertyOptional({ example: 'https://tass.com/politics/1211943' })
  readonly url?: string;

  @ApiPropertyOptional({ ...INSTANT_SCHEMA, example: '2020-10-10T03:10:00+03:00' })
  readonly publishedAt?: string;

  @ApiPropertyOptional()
  readonly quote?: string;

  @ApiPropertyOptional({ example: 'ru', description: 'BCP 47 language tag' })
  readonly language?: string;

  @ApiProperty({ enum: RELIABILITY_GRADES, enumName: 'Reliability', description: 'Admiralty reliability of the source: A (completely reliable) to F (cannot be judged)' })
  readonly reliability!: Reliability;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 6, description: 'Admiralty credibility of the information: 1 (confirmed) to 6 (cannot be judged)' })
  readonly credibility!: number;

  @ApiProperty()
  readonly confidential!: boolean;

  @ApiPropertyOptional({ enum: ['confidential source'], description: 'In place of the identifying fields, for readers who may not see them' })
  readonly source?: 'confidential source';

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Editors and admins only: the protected identity; null once its key was shredded' })
  readonly protectedIdentity?: string | null;
}

export class WithdrawnAttributionResponse extends AttributionResponse {
  @ApiProperty({ example: 'The outlet deleted the report.' })
  readonly withdrawalReason!: string;
}
