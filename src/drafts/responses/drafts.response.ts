import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const SPAN = { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 2, maxItems: 2, description: '[start, end) offsets into the text (UTF-16 code units)' } as const;

export class DraftNoteResponse {
  @ApiProperty({ ...SPAN })
  readonly span!: [number, number];

  @ApiProperty({ example: 'Reports accusations without saying who makes them about whom: no claim drafted.' })
  readonly text!: string;
}

export class DraftLinkResponse {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty()
  readonly summary!: string;
}

export class DraftResponse {
  @ApiProperty({ enum: ['claim', 'agreement'] })
  readonly kind!: 'claim' | 'agreement';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'A request body as far as the text supports it: of POST /api/claims for a claim (with conflictId), of POST /api/claims/{respondsTo}/responses for a denial or counter-accusation (with stance, and respondsTo when the claim answered is known), of POST /api/conflicts/{id}/agreements for an agreement. Fields the text does not give are left out; reliability and credibility start at F and 6 (cannot be judged).',
  })
  readonly body!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 }, description: 'How sure the reading is, per field path of body ("claimant", "occurred", "attributions[0].outlet"); below 0.5 is a guess to check' })
  readonly confidence!: Record<string, number>;

  @ApiProperty({ type: 'object', additionalProperties: { ...SPAN }, description: 'Where in the text each field path was read' })
  readonly spans!: Record<string, [number, number]>;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'The earlier draft of this report that this one answers (its index in drafts)' })
  readonly respondsToDraft?: number;

  @ApiPropertyOptional({ type: DraftLinkResponse, description: 'The recorded claim this draft answers (also in body.respondsTo)' })
  readonly respondsToClaim?: DraftLinkResponse;

  @ApiProperty({ type: [DraftLinkResponse], description: 'Recorded claims that quote the same words: this draft is probably recorded already' })
  readonly recordedAs!: DraftLinkResponse[];
}

export class DraftLanguageResponse {
  @ApiProperty({ example: 'en', description: 'The language given or detected (und when none could be told)' })
  readonly code!: string;

  @ApiProperty({ description: 'Whether copy in it is read; when not, drafts is empty and a note says so' })
  readonly supported!: boolean;
}

export class DraftsResponse {
  @ApiProperty({ type: [DraftResponse] })
  readonly drafts!: DraftResponse[];

  @ApiProperty({ type: [DraftNoteResponse], description: 'What was not turned into a draft, and why ("either side accuses the other")' })
  readonly notes!: DraftNoteResponse[];

  @ApiProperty({ type: DraftLanguageResponse })
  readonly language!: DraftLanguageResponse;
}
