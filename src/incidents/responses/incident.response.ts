import { ApiProperty } from '@nestjs/swagger';
import { ASSERTIONS, ASSESSMENT_STATUSES, type Assertion, type AssessmentStatus, STANCES, type Stance } from '../../claims/domain/claim';
import { ClaimResponse, LocationResponse, OccurredResponse } from '../../claims/responses/claim.response';
import { INSTANT_SCHEMA } from '../../shared/validation';

const UUID_OR_NULL = { type: String, format: 'uuid', nullable: true } as const;

export class IncidentSummaryResponse {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ format: 'uuid' })
  readonly conflictId!: string;

  @ApiProperty({ example: 'Strike on Ganja, night of 11 October' })
  readonly title!: string;

  @ApiProperty({ type: OccurredResponse })
  readonly occurred!: OccurredResponse;

  @ApiProperty({ ...UUID_OR_NULL, description: "Its place in the conflict's gazetteer" })
  readonly placeId!: string | null;

  @ApiProperty({ enum: ASSESSMENT_STATUSES, enumName: 'AssessmentStatus', description: "The editors' latest assessment; unverified until one exists" })
  readonly status!: AssessmentStatus;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Claims linked to it' })
  readonly claims!: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: "The incident stream's version: send it as expectedVersion with the next change" })
  readonly version!: number;
}

export class IncidentListResponse {
  @ApiProperty({ type: [IncidentSummaryResponse], description: 'Newest happening first' })
  readonly items!: IncidentSummaryResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Always null: every incident of a conflict is in one page' })
  readonly nextCursor!: null;
}

export class IncidentPartyResponse {
  @ApiProperty({ format: 'uuid', description: 'The claimant' })
  readonly partyId!: string;

  @ApiProperty({ type: [ClaimResponse], description: "This party's accounts, in the order they were linked: allegations, denials, counter-accusations, with their casualty figures, revisions and sources" })
  readonly claims!: ClaimResponse[];
}

export class IncidentLinkResponse {
  @ApiProperty({ format: 'uuid' })
  readonly claimId!: string;

  @ApiProperty({ enum: ['linked', 'unlinked'] })
  readonly change!: 'linked' | 'unlinked';

  @ApiProperty()
  readonly reason!: string;

  @ApiProperty({ ...INSTANT_SCHEMA })
  readonly recordedAt!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  readonly position!: number;
}

export class IncidentResponse extends IncidentSummaryResponse {
  @ApiProperty({ type: String, nullable: true, description: "The latest assessment's rationale" })
  readonly rationale!: string | null;

  @ApiProperty({ type: [IncidentPartyResponse], description: 'Every linked claim side by side, one column per claimant' })
  readonly parties!: IncidentPartyResponse[];

  @ApiProperty({ type: [IncidentLinkResponse], description: 'Every link and unlink, in order' })
  readonly links!: IncidentLinkResponse[];
}

export class RelatedClaimResponse {
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

  @ApiProperty({ type: OccurredResponse })
  readonly occurred!: OccurredResponse;

  @ApiProperty({ type: LocationResponse, nullable: true })
  readonly location!: LocationResponse | null;

  @ApiProperty()
  readonly summary!: string;

  @ApiProperty({ type: 'number', minimum: 0, maximum: 3, description: 'Higher is likelier the same happening: the same place counts 2, a nearby one up to 1, the overlap of the windows up to 1' })
  readonly score!: number;

  @ApiProperty({ type: 'number', nullable: true, minimum: 0, description: 'Distance in km, when both have coordinates' })
  readonly distanceKm!: number | null;

  @ApiProperty({ description: 'Both name the same place of the gazetteer' })
  readonly samePlace!: boolean;
}

export class RelatedIncidentResponse extends IncidentSummaryResponse {
  @ApiProperty({ type: 'number', minimum: 0, maximum: 3 })
  readonly score!: number;

  @ApiProperty({ type: 'number', nullable: true, minimum: 0 })
  readonly distanceKm!: number | null;

  @ApiProperty()
  readonly samePlace!: boolean;

  @ApiProperty({ description: 'The claim asked about is already linked to it' })
  readonly linked!: boolean;
}

export class RelatedResponse {
  @ApiProperty({ type: [RelatedClaimResponse], description: 'Claims that may be accounts of the same happening, best first (at most 20)' })
  readonly claims!: RelatedClaimResponse[];

  @ApiProperty({ type: [RelatedIncidentResponse], description: 'Incidents it may belong to, best first (at most 20)' })
  readonly incidents!: RelatedIncidentResponse[];
}
