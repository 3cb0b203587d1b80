import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { IsAsOf } from '../audit/as-of';
import { INSTANT_PATTERN } from '../shared/text';
import { IsLocalDate, PageLimit, toInteger } from '../shared/validation';
import { ASSERTIONS, ASSESSMENT_STATUSES } from '../claims/domain/claim';

/** Read-your-writes: wait until the read models have passed this position (DESIGN §6). */
export class ReadQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Read your writes: wait up to 5 s until the read models include this log position (the `position` a write answered); 503 projection.behind if they do not',
  })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'minPosition must be a non-negative integer' })
  @Min(0)
  readonly minPosition?: number;
}

const LOCAL_DATE = { type: 'string', format: 'date' } as const;

export class TimelineQuery extends ReadQuery {
  @ApiPropertyOptional({
    oneOf: [{ type: 'string', pattern: '^\\d{1,15}$' }, { type: 'string', format: 'date-time', pattern: INSTANT_PATTERN.source }],
    description:
      'Auditors only: the timeline as the record stood at this log position, or at this recorded-at instant (when the tracker had learned it; not when things happened). Replayed from the log, so slower.',
  })
  @IsOptional()
  @IsAsOf()
  readonly asOf?: string;

  @ApiPropertyOptional({ enum: ['day', 'week', 'month'], enumName: 'TimelineBucket', default: 'day', description: 'Weeks start on Monday' })
  @IsOptional()
  @IsIn(['day', 'week', 'month'])
  readonly bucket?: 'day' | 'week' | 'month';

  @ApiPropertyOptional({ enum: ['occurred', 'stated'], enumName: 'TimelineBasis', default: 'occurred', description: 'Count by when it allegedly happened or when it was said' })
  @IsOptional()
  @IsIn(['occurred', 'stated'])
  readonly by?: 'occurred' | 'stated';

  @ApiPropertyOptional({ ...LOCAL_DATE, example: '2020-10-10', description: "First local date (the conflict's time zone), inclusive" })
  @IsOptional()
  @IsLocalDate()
  readonly from?: string;

  @ApiPropertyOptional({ ...LOCAL_DATE, example: '2020-10-31', description: 'Last local date, inclusive' })
  @IsOptional()
  @IsLocalDate()
  readonly to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only claims linked to this agreement' })
  @IsOptional()
  @IsUUID('all')
  readonly agreementId?: string;
}

export class PlacesQuery extends ReadQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only claims linked to this agreement' })
  @IsOptional()
  @IsUUID('all')
  readonly agreementId?: string;
}

export class ClaimListQuery extends ReadQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  readonly conflictId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Party id' })
  @IsOptional()
  @IsUUID('all')
  readonly claimant?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Party id' })
  @IsOptional()
  @IsUUID('all')
  readonly subject?: string;

  @ApiPropertyOptional({ enum: ASSERTIONS, enumName: 'Assertion' })
  @IsOptional()
  @IsIn(ASSERTIONS)
  readonly assertion?: string;

  @ApiPropertyOptional({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus' })
  @IsOptional()
  @IsIn(ASSESSMENT_STATUSES)
  readonly status?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only claims linked to this agreement (the one in force when they allegedly happened)' })
  @IsOptional()
  @IsUUID('all')
  readonly agreementId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only claims about this provision of an agreement' })
  @IsOptional()
  @IsUUID('all')
  readonly provisionId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only claims located at this place of the conflict's gazetteer" })
  @IsOptional()
  @IsUUID('all')
  readonly placeId?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 200, example: 'TASS', description: 'Only claims citing this outlet now (a source not withdrawn; case and accents ignored; never matches a confidential source)' })
  @IsOptional()
  @IsString({ message: 'outlet must be text' })
  @MaxLength(200, { message: 'outlet must be at most 200 characters' })
  readonly outlet?: string;

  @ApiPropertyOptional({ ...LOCAL_DATE, example: '2020-10-10', description: 'On or after this local date: when it allegedly occurred, or when it was said with `by=stated`' })
  @IsOptional()
  @IsLocalDate()
  readonly from?: string;

  @ApiPropertyOptional({ ...LOCAL_DATE, example: '2020-10-31', description: 'On or before this local date (occurred, or stated with `by=stated`)' })
  @IsOptional()
  @IsLocalDate()
  readonly to?: string;

  @ApiPropertyOptional({ enum: ['occurred', 'stated'], enumName: 'TimelineBasis', default: 'occurred', description: 'Which date `from` and `to` apply to, as the timeline\'s `by`' })
  @IsOptional()
  @IsIn(['occurred', 'stated'])
  readonly by?: 'occurred' | 'stated';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: '`true`: only the claims the timeline and the scorecard count (neither voided nor a duplicate); `false`: only those they leave out',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'counted must be true or false' })
  readonly counted?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only retracted claims (`true`) or only claims standing (`false`)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'retracted must be true or false' })
  readonly retracted?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: ['denied', 'counter-accused'],
    description: "Only claims answered this way: denied by a response, or answered with a counter-accusation (the scorecard's `denied` and `counterAccused`)",
  })
  @IsOptional()
  @IsIn(['denied', 'counter-accused'])
  readonly answered?: 'denied' | 'counter-accused';

  @PageLimit()
  readonly limit?: number;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 200,
    example: 'Ganja',
    description: 'Full-text search: claims whose summary, place (any of its names as reported) or a listed outlet contain every word (as a word prefix; accents, case and English word endings ignored), best matches first',
  })
  @IsOptional()
  @IsString({ message: 'q must be text' })
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  readonly q?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 200, description: 'The `nextCursor` of the previous page, as given (opaque)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not one this API gave' })
  readonly cursor?: string;
}
