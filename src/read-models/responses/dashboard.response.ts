import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ASSERTIONS, type Assertion } from '../../claims/domain/claim';
import { PROVISION_KINDS, type ProvisionKind } from '../../agreements/domain/agreement';
import { INSTANT_SCHEMA } from '../../shared/validation';

const COUNT = { type: 'integer', minimum: 0 } as const;

export class CasualtyTotalResponse {
  @ApiProperty({ ...COUNT, description: 'Sum of the claimed minimums' })
  readonly min!: number;

  @ApiProperty({ ...COUNT, description: 'Sum of the claimed maximums' })
  readonly max!: number;
}

/** What became of counted claims: retracted by the claimant, and the editors' latest assessments. */
export class StatusCountsResponse {
  @ApiProperty({ ...COUNT, description: 'Retracted by the claimant (they still count as allegations made)' })
  readonly retracted!: number;

  @ApiProperty({ ...COUNT, description: 'Assessed corroborated' })
  readonly corroborated!: number;

  @ApiProperty({ ...COUNT, description: 'Assessed contested' })
  readonly contested!: number;

  @ApiProperty({ ...COUNT, description: 'Assessed refuted' })
  readonly refuted!: number;
}

/** Killed and wounded of one kind of people (civilian or military), each as claimed minimum and maximum sums. */
export class CasualtySplitResponse {
  @ApiProperty({ type: CasualtyTotalResponse })
  readonly killed!: CasualtyTotalResponse;

  @ApiProperty({ type: CasualtyTotalResponse })
  readonly wounded!: CasualtyTotalResponse;
}

export class TimelinePointResponse extends StatusCountsResponse {
  @ApiProperty({ format: 'date', example: '2020-10-12', description: "The bucket's first local date (weeks start on Monday)" })
  readonly period!: string;

  @ApiProperty({ ...COUNT, description: 'Claims made (retracted, contested and refuted ones included; voided claims and duplicates not)' })
  readonly claims!: number;

  @ApiProperty({ type: CasualtyTotalResponse, description: 'Killed as claimed, civilian and military, from each claim’s latest figure' })
  readonly killed!: CasualtyTotalResponse;

  @ApiProperty({ type: CasualtyTotalResponse, description: 'Wounded as claimed' })
  readonly wounded!: CasualtyTotalResponse;

  @ApiPropertyOptional({ type: CasualtySplitResponse, description: 'The civilian part of killed and wounded; absent when the period has no casualties claimed' })
  readonly civilian?: CasualtySplitResponse;

  @ApiPropertyOptional({ type: CasualtySplitResponse, description: 'The military part (killed and wounded less the civilian part); absent when the period has no casualties claimed' })
  readonly military?: CasualtySplitResponse;
}

export class TimelineSeriesResponse {
  @ApiProperty({ format: 'uuid' })
  readonly claimant!: string;

  @ApiProperty({ format: 'uuid' })
  readonly subject!: string;

  @ApiProperty({ enum: ASSERTIONS, enumName: 'Assertion' })
  readonly assertion!: Assertion;

  @ApiProperty({ type: [TimelinePointResponse], description: 'Only the periods with claims, in order' })
  readonly points!: TimelinePointResponse[];
}

export class TimelineAsOfResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The last log position the replay included' })
  readonly position!: number;

  @ApiProperty({ ...INSTANT_SCHEMA, required: false, description: 'The recorded-at instant asked for, when asOf was one' })
  readonly time?: string;

  @ApiProperty({
    ...INSTANT_SCHEMA,
    nullable: true,
    description:
      "When the tracker recorded this conflict's first claim (recorded at, not when anything happened); null if it has none. A timeline as of an earlier time is empty: the tracker had not learned of any claim yet.",
  })
  readonly firstClaimRecordedAt!: string | null;
}

export class TimelineResponse {
  @ApiProperty({ format: 'uuid' })
  readonly conflictId!: string;

  @ApiProperty({ example: 'Asia/Baku', description: 'The time zone in which periods are local dates' })
  readonly timeZone!: string;

  @ApiProperty({ enum: ['day', 'week', 'month'], enumName: 'TimelineBucket' })
  readonly bucket!: 'day' | 'week' | 'month';

  @ApiProperty({ enum: ['occurred', 'stated'], enumName: 'TimelineBasis' })
  readonly by!: 'occurred' | 'stated';

  @ApiProperty({ type: [TimelineSeriesResponse], description: 'One series per claimant, subject and assertion' })
  readonly series!: TimelineSeriesResponse[];

  @ApiPropertyOptional({ type: TimelineAsOfResponse, description: 'Only with the asOf parameter: where the replay stopped' })
  readonly asOf?: TimelineAsOfResponse;
}

const COUNTS = { type: 'array', items: { type: 'integer', minimum: 0 } } as const;
const INDEXES = { type: 'array', items: { type: 'integer', minimum: 0 }, description: 'Indexes into `periods`, ascending; the other arrays are aligned with it' } as const;

export class TimelineCompactSeriesResponse {
  @ApiProperty({ format: 'uuid' })
  readonly claimant!: string;

  @ApiProperty({ format: 'uuid' })
  readonly subject!: string;

  @ApiProperty({ enum: ASSERTIONS, enumName: 'Assertion' })
  readonly assertion!: Assertion;

  @ApiProperty(INDEXES)
  readonly at!: number[];

  @ApiProperty({ ...COUNTS, description: 'Claims made in each of those periods' })
  readonly claims!: number[];

  @ApiProperty(COUNTS)
  readonly retracted!: number[];

  @ApiProperty(COUNTS)
  readonly corroborated!: number[];

  @ApiProperty(COUNTS)
  readonly contested!: number[];

  @ApiProperty(COUNTS)
  readonly refuted!: number[];
}

export class TimelineCompactCasualtiesResponse {
  @ApiProperty({ ...INDEXES, description: 'Indexes into `periods` of the periods with casualties claimed; the other arrays are aligned with it' })
  readonly at!: number[];

  @ApiProperty(COUNTS) readonly killedMin!: number[];
  @ApiProperty(COUNTS) readonly killedMax!: number[];
  @ApiProperty(COUNTS) readonly woundedMin!: number[];
  @ApiProperty(COUNTS) readonly woundedMax!: number[];
  @ApiProperty({ ...COUNTS, description: 'The civilian part of killedMin (the military part is the rest)' }) readonly civilianKilledMin!: number[];
  @ApiProperty(COUNTS) readonly civilianKilledMax!: number[];
  @ApiProperty(COUNTS) readonly civilianWoundedMin!: number[];
  @ApiProperty(COUNTS) readonly civilianWoundedMax!: number[];
}

export class TimelineCompactResponse {
  @ApiProperty({ format: 'uuid' })
  readonly conflictId!: string;

  @ApiProperty({ example: 'Asia/Baku' })
  readonly timeZone!: string;

  @ApiProperty({ enum: ['day', 'week', 'month'], enumName: 'TimelineBucket' })
  readonly bucket!: 'day' | 'week' | 'month';

  @ApiProperty({ enum: ['occurred', 'stated'], enumName: 'TimelineBasis' })
  readonly by!: 'occurred' | 'stated';

  @ApiProperty({ type: 'array', items: { type: 'string', format: 'date' }, description: 'Every period with claims (its first local date), in order' })
  readonly periods!: string[];

  @ApiProperty({ type: [TimelineCompactSeriesResponse], description: 'One series per claimant, subject and assertion, as in the timeline' })
  readonly series!: TimelineCompactSeriesResponse[];

  @ApiProperty({ type: TimelineCompactCasualtiesResponse, description: 'Casualties claimed per period, summed over every direction' })
  readonly casualties!: TimelineCompactCasualtiesResponse;

  @ApiPropertyOptional({ type: TimelineAsOfResponse, description: 'Only with the asOf parameter: where the replay stopped' })
  readonly asOf?: TimelineAsOfResponse;
}

export class ScorecardRowResponse extends StatusCountsResponse {
  @ApiProperty({ format: 'uuid' })
  readonly claimant!: string;

  @ApiProperty({ format: 'uuid' })
  readonly subject!: string;

  @ApiProperty({ ...COUNT, description: 'Claims that the subject violated the agreement' })
  readonly violationsAlleged!: number;

  @ApiProperty({ ...COUNT, description: 'Claims that the subject complied' })
  readonly complianceAsserted!: number;

  @ApiProperty({ ...COUNT, description: 'Violation claims with at least one counted denial' })
  readonly denied!: number;

  @ApiProperty({ ...COUNT, description: 'Violation claims with at least one counted counter-accusation' })
  readonly counterAccused!: number;

  @ApiProperty({ ...INSTANT_SCHEMA, nullable: true, description: 'The earliest `occurred.from` of its violation claims' })
  readonly firstViolationAllegedAt!: string | null;
}

export class ProvisionScorecardResponse {
  @ApiProperty({ format: 'uuid' })
  readonly provisionId!: string;

  @ApiProperty({ enum: PROVISION_KINDS, enumName: 'ProvisionKind' })
  readonly kind!: ProvisionKind;

  @ApiProperty({ example: 'The parties exchange the bodies of the dead, mediated by the ICRC.' })
  readonly text!: string;

  @ApiProperty({ type: [ScorecardRowResponse], description: 'One row per claimant and subject with claims naming this provision' })
  readonly rows!: ScorecardRowResponse[];
}

export class ScorecardResponse {
  @ApiProperty({ format: 'uuid' })
  readonly agreementId!: string;

  @ApiProperty({ ...INSTANT_SCHEMA })
  readonly effectiveFrom!: string;

  @ApiProperty({ ...INSTANT_SCHEMA, nullable: true })
  readonly endedAt!: string | null;

  @ApiProperty({ type: [ScorecardRowResponse], description: 'One row per claimant and subject with claims under this agreement' })
  readonly rows!: ScorecardRowResponse[];

  @ApiProperty({ type: [ProvisionScorecardResponse], description: "One entry per provision of the agreement, in the agreement's order" })
  readonly provisions!: ProvisionScorecardResponse[];
}

export class SourceResponse {
  @ApiProperty({ example: 'TASS' })
  readonly outlet!: string;

  @ApiProperty({ ...COUNT, description: 'Counted claims citing it' })
  readonly claims!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1 },
    example: { '8e248771-2dcb-415d-9047-b37c3c202b73': 4 },
    description: 'For each claimant (party id), how many of its counted claims cite this outlet',
  })
  readonly claimants!: Record<string, number>;

  @ApiProperty({ ...INSTANT_SCHEMA, description: 'The earliest publication (or statement) time among them' })
  readonly firstSeen!: string;

  @ApiProperty({ ...INSTANT_SCHEMA, description: 'The latest publication (or statement) time among them' })
  readonly lastSeen!: string;
}

export class SourceListResponse {
  @ApiProperty({ type: [SourceResponse] })
  readonly items!: SourceResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Always null: every outlet is in one page' })
  readonly nextCursor!: null;
}

/** Counted claims at one place with coordinates, for one direction: what the map draws (never the claims themselves). */
export class ClaimPlaceResponse {
  @ApiProperty({ example: 'Ganja', description: 'The name the claims give the place' })
  readonly name!: string;

  @ApiProperty({ type: [String], example: ['Gəncə'], description: 'Its other names (the other side’s, transliterations)' })
  readonly altNames!: string[];

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      "The gazetteer place the claims name (location.placeId), null for a place given only by name and coordinates. `GET /api/claims?placeId=…` with this item's conflict, direction (and agreement) lists exactly the claims it counts.",
  })
  readonly placeId!: string | null;

  @ApiProperty({ type: 'number', minimum: -90, maximum: 90 })
  readonly lat!: number;

  @ApiProperty({ type: 'number', minimum: -180, maximum: 180 })
  readonly lon!: number;

  @ApiProperty({ format: 'uuid' })
  readonly claimant!: string;

  @ApiProperty({ format: 'uuid' })
  readonly subject!: string;

  @ApiProperty({ enum: ASSERTIONS, enumName: 'Assertion' })
  readonly assertion!: Assertion;

  @ApiProperty({ ...COUNT, description: 'Counted claims (voided claims and duplicates left out)' })
  readonly claims!: number;
}

export class ClaimPlacesResponse {
  @ApiProperty({ type: [ClaimPlaceResponse], description: 'At most 5,000 rows, the places with most claims first' })
  readonly items!: ClaimPlaceResponse[];
}
