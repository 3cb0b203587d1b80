import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INSTANT_SCHEMA } from '../../shared/validation';
import {
  ASSERTIONS,
  ASSESSMENT_STATUSES,
  type Assertion,
  type AssessmentStatus,
  CATEGORIES,
  type Category,
  LOCATION_PRECISIONS,
  OCCURRED_PRECISIONS,
  type Occurred,
  STANCES,
  type Stance,
} from '../domain/claim';
import { AttributionResponse, WithdrawnAttributionResponse } from './attribution.response';

const UUID_OR_NULL = { type: String, format: 'uuid', nullable: true } as const;

export class OccurredResponse {
  @ApiProperty({ ...INSTANT_SCHEMA, example: '2020-10-11T01:00:00+04:00', description: 'When it allegedly happened (the start of the span)' })
  readonly from!: string;

  @ApiPropertyOptional({ ...INSTANT_SCHEMA, example: '2020-10-11T03:00:00+04:00', description: 'The end of the span, if one was given' })
  readonly to?: string;

  @ApiProperty({ enum: OCCURRED_PRECISIONS, enumName: 'OccurredPrecision' })
  readonly precision!: Occurred['precision'];

  @ApiPropertyOptional({ example: 'overnight', description: 'The time as the source put it' })
  readonly raw?: string;
}

export class LocationResponse {
  @ApiProperty({ example: 'Tartar', description: 'The place as reported, never "fixed"' })
  readonly name!: string;

  @ApiProperty({ type: [String], example: ['Terter'], description: "Other names of the place, such as each side's name for it" })
  readonly altNames!: string[];

  @ApiPropertyOptional({ type: 'number', minimum: -90, maximum: 90, example: 40.34 })
  readonly lat?: number;

  @ApiPropertyOptional({ type: 'number', minimum: -180, maximum: 180, example: 46.93 })
  readonly lon?: number;

  @ApiPropertyOptional({ enum: LOCATION_PRECISIONS, enumName: 'LocationPrecision' })
  readonly precision?: (typeof LOCATION_PRECISIONS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: "The gazetteer's place, if the claim names one" })
  readonly placeId?: string;

  @ApiPropertyOptional({
    enum: ['claim', 'place'],
    description: "Whose coordinates lat/lon are: the claim's own, or its place's (when the claim gave none)",
  })
  readonly coordinatesFrom?: 'claim' | 'place';
}

export class CasualtyRangeResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  readonly min!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  readonly max!: number;

  @ApiPropertyOptional({ example: 'dozens', description: 'The figure as claimed, in words' })
  readonly raw?: string;
}

export class CasualtyCountsResponse {
  @ApiPropertyOptional({ type: CasualtyRangeResponse })
  readonly killed?: CasualtyRangeResponse;

  @ApiPropertyOptional({ type: CasualtyRangeResponse })
  readonly wounded?: CasualtyRangeResponse;
}

export class CasualtiesResponse {
  @ApiPropertyOptional({ type: CasualtyCountsResponse })
  readonly civilian?: CasualtyCountsResponse;

  @ApiPropertyOptional({ type: CasualtyCountsResponse })
  readonly military?: CasualtyCountsResponse;
}

/** What a claim says and where it stands: the fields of both the claim list and the claim. */
export class ClaimSummaryResponse {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ format: 'uuid' })
  readonly conflictId!: string;

  @ApiProperty({ format: 'uuid', description: 'The party making the statement' })
  readonly claimant!: string;

  @ApiProperty({ format: 'uuid', description: 'The party whose conduct is described' })
  readonly subject!: string;

  @ApiProperty({ enum: ASSERTIONS, enumName: 'Assertion', description: 'The claimant says the subject violated the truce, or complied with it' })
  readonly assertion!: Assertion;

  @ApiProperty({ enum: STANCES, enumName: 'Stance', nullable: true, description: 'For a counterclaim: how it answers `respondsTo`' })
  readonly stance!: Stance | null;

  @ApiProperty({ ...UUID_OR_NULL, description: 'The claim this one answers' })
  readonly respondsTo!: string | null;

  @ApiProperty({ enum: CATEGORIES, enumName: 'Category' })
  readonly category!: Category;

  @ApiProperty({ type: OccurredResponse })
  readonly occurred!: OccurredResponse;

  @ApiProperty({ ...INSTANT_SCHEMA, example: '2020-10-11T09:30:00+04:00', description: 'When the claimant said it' })
  readonly statedAt!: string;

  @ApiProperty({ type: LocationResponse, nullable: true })
  readonly location!: LocationResponse | null;

  @ApiProperty({ type: CasualtiesResponse, nullable: true, description: 'As claimed, from the latest revision' })
  readonly casualties!: CasualtiesResponse | null;

  @ApiProperty({ example: 'Armenian forces shelled Tartar overnight, the Azerbaijani Defence Ministry said.' })
  readonly summary!: string;

  @ApiProperty({ ...UUID_OR_NULL, description: 'The agreement in force when it allegedly happened (effectiveFrom ≤ occurred.from < endedAt)' })
  readonly agreementId!: string | null;

  @ApiProperty({ ...UUID_OR_NULL, description: "The agreement provision it is about (see the agreement's provisions), if any" })
  readonly provisionId!: string | null;

  @ApiProperty({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus', description: "The editors' latest assessment; unverified until one exists" })
  readonly status!: AssessmentStatus;

  @ApiProperty({ description: 'The claimant itself withdrew it' })
  readonly retracted!: boolean;

  @ApiProperty({ description: 'Editors voided it (it was never claimed): it leaves every count' })
  readonly voided!: boolean;

  @ApiProperty({ ...UUID_OR_NULL, description: 'The original, if editors marked this a duplicate: it leaves every count' })
  readonly duplicateOf!: string | null;

  @ApiProperty({ type: 'integer', minimum: 1, description: "The claim stream's version: send it as expectedVersion (or If-Match) with the next change" })
  readonly version!: number;
}

export class ClaimListItemResponse extends ClaimSummaryResponse {
  @ApiProperty({ description: 'Whether it counts in timelines and scorecards: not voided and not a duplicate' })
  readonly counted!: boolean;
}

export class ClaimListResponse {
  @ApiProperty({ type: [ClaimListItemResponse] })
  readonly items!: ClaimListItemResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  readonly nextCursor!: string | null;
}

/** A counterclaim as listed under the claim it answers. */
export class ClaimReplyResponse {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ format: 'uuid' })
  readonly claimant!: string;

  @ApiProperty({ format: 'uuid' })
  readonly subject!: string;

  @ApiProperty({ enum: ASSERTIONS, enumName: 'Assertion' })
  readonly assertion!: Assertion;

  @ApiProperty({ enum: STANCES, enumName: 'Stance', nullable: true })
  readonly stance!: Stance | null;

  @ApiProperty({ ...INSTANT_SCHEMA })
  readonly statedAt!: string;

  @ApiProperty()
  readonly summary!: string;

  @ApiProperty()
  readonly retracted!: boolean;

  @ApiProperty()
  readonly voided!: boolean;

  @ApiProperty({ ...UUID_OR_NULL })
  readonly duplicateOf!: string | null;

  @ApiProperty({ ...INSTANT_SCHEMA, description: 'When the tracker recorded it' })
  readonly recordedAt!: string;
}

/** Where an event sits in the log, for each entry of a claim's history. */
class RecordedEntryResponse {
  @ApiProperty({ ...INSTANT_SCHEMA, description: 'When the tracker recorded it' })
  readonly recordedAt!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Its position in the log' })
  readonly position!: number;
}

export class AssessmentResponse extends RecordedEntryResponse {
  @ApiProperty({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus' })
  readonly status!: AssessmentStatus;

  @ApiProperty()
  readonly rationale!: string;

  @ApiProperty({ type: [String] })
  readonly evidence!: string[];
}

/** The fields a correction replaced, each whole. */
export class ClaimChangesResponse {
  @ApiPropertyOptional({ format: 'uuid' })
  readonly claimant?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  readonly subject?: string;

  @ApiPropertyOptional({ enum: ASSERTIONS, enumName: 'Assertion' })
  readonly assertion?: Assertion;

  @ApiPropertyOptional({ enum: STANCES, enumName: 'Stance' })
  readonly stance?: Stance;

  @ApiPropertyOptional({ enum: CATEGORIES, enumName: 'Category' })
  readonly category?: Category;

  @ApiPropertyOptional({ type: OccurredResponse })
  readonly occurred?: OccurredResponse;

  @ApiPropertyOptional({ ...INSTANT_SCHEMA })
  readonly statedAt?: string;

  @ApiPropertyOptional({ type: LocationResponse })
  readonly location?: LocationResponse;

  @ApiPropertyOptional({ type: CasualtiesResponse })
  readonly casualties?: CasualtiesResponse;

  @ApiPropertyOptional()
  readonly summary?: string;

  @ApiPropertyOptional({ type: [AttributionResponse] })
  readonly attributions?: AttributionResponse[];

  @ApiPropertyOptional({ format: 'uuid' })
  readonly provisionId?: string;
}

export class CorrectionResponse extends RecordedEntryResponse {
  @ApiProperty({ type: ClaimChangesResponse })
  readonly changes!: ClaimChangesResponse;

  @ApiProperty({ type: ClaimChangesResponse, description: 'The same fields as they stood before this correction (absent where they had no value)' })
  readonly before!: ClaimChangesResponse;

  @ApiProperty()
  readonly reason!: string;
}

export class CasualtyRevisionResponse extends RecordedEntryResponse {
  @ApiProperty({ type: CasualtiesResponse })
  readonly casualties!: CasualtiesResponse;

  @ApiProperty({ ...INSTANT_SCHEMA, description: 'When the claimant gave this figure' })
  readonly asOf!: string;

  @ApiProperty({ type: [AttributionResponse] })
  readonly attributions!: AttributionResponse[];
}

export class RetractionResponse {
  @ApiProperty({ ...INSTANT_SCHEMA, description: 'When the claimant withdrew it' })
  readonly statedAt!: string;

  @ApiProperty({ type: [AttributionResponse] })
  readonly attributions!: AttributionResponse[];
}

/** GET /api/claims/:id (DESIGN §6): the claim with its sources, responses and history. */
export class ClaimResponse extends ClaimSummaryResponse {
  @ApiProperty({ type: [AttributionResponse], description: 'Its sources (withdrawn ones are listed apart)' })
  readonly attributions!: AttributionResponse[];

  @ApiProperty({ type: [WithdrawnAttributionResponse] })
  readonly withdrawnAttributions!: WithdrawnAttributionResponse[];

  @ApiProperty({ type: RetractionResponse, nullable: true })
  readonly retraction!: RetractionResponse | null;

  @ApiProperty({ type: String, nullable: true })
  readonly voidReason!: string | null;

  @ApiProperty({ type: String, nullable: true })
  readonly duplicateReason!: string | null;

  @ApiProperty({ type: [ClaimReplyResponse], description: 'The counterclaims answering it, oldest first' })
  readonly responses!: ClaimReplyResponse[];

  @ApiProperty({ type: [AssessmentResponse], description: "Editors' assessments, oldest first" })
  readonly assessments!: AssessmentResponse[];

  @ApiProperty({ type: [CorrectionResponse], description: 'Data-entry corrections, oldest first' })
  readonly corrections!: CorrectionResponse[];

  @ApiProperty({ type: [CasualtyRevisionResponse], description: "The claimant's revised figures, oldest first" })
  readonly casualtyRevisions!: CasualtyRevisionResponse[];

  @ApiProperty({ ...INSTANT_SCHEMA, description: 'When the tracker recorded it' })
  readonly recordedAt!: string;

  @ApiProperty({ ...INSTANT_SCHEMA, description: 'When the tracker recorded its latest change' })
  readonly updatedAt!: string;
}
