import { ApiProperty } from '@nestjs/swagger';
import { ClaimResponse } from '../../claims/responses/claim.response';
import { INSTANT_SCHEMA } from '../../shared/validation';

const HASH = { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256, hex' } as const;
const POSITION = { type: 'integer', minimum: 1 } as const;

/** One event of the log, as stored (DESIGN §3); also one line of the NDJSON export. */
export class RecordedEventResponse {
  @ApiProperty({ ...POSITION, description: 'Its place in the log: gap-free, in commit order' })
  readonly position!: number;

  @ApiProperty({ format: 'uuid' })
  readonly eventId!: string;

  @ApiProperty({ example: 'claim-5f0c2b1e-8d3a-4b7e-9c1d-2e3f4a5b6c7d', description: '`conflict-<id>`, `agreement-<id>`, `place-<id>`, `incident-<id>`, `claim-<id>`, `access` or `checkpoints`' })
  readonly streamId!: string;

  @ApiProperty({ ...POSITION, description: 'Its version within its stream' })
  readonly streamVersion!: number;

  @ApiProperty({ example: 'ClaimRecorded' })
  readonly type!: string;

  @ApiProperty({ ...POSITION })
  readonly schemaVersion!: number;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The facts of the event' })
  readonly data!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Who recorded it: actor (token id and name), role, request id, correlation id, idempotency key' })
  readonly metadata!: Record<string, unknown>;

  @ApiProperty({ ...INSTANT_SCHEMA, description: 'When the tracker recorded it (never runs backwards along the log)' })
  readonly recordedAt!: string;

  @ApiProperty({ ...HASH, description: "The previous event's hash (64 zeros for the first)" })
  readonly prevHash!: string;

  @ApiProperty({ ...HASH, description: 'sha256(prevHash ‖ RFC 8785 JSON of the event)' })
  readonly hash!: string;
}

export class AuditEventsResponse {
  @ApiProperty({ type: [RecordedEventResponse] })
  readonly items!: RecordedEventResponse[];

  @ApiProperty({ type: 'integer', minimum: 1, nullable: true, description: 'Pass as `after` for the next page; null when the page was not full' })
  readonly nextAfter!: number | null;
}

export class AuditStreamResponse {
  @ApiProperty()
  readonly streamId!: string;

  @ApiProperty({ ...POSITION, description: "The stream's version: its number of events" })
  readonly version!: number;

  @ApiProperty({ type: [RecordedEventResponse] })
  readonly items!: RecordedEventResponse[];
}

export class ClaimAsOfResponse extends ClaimResponse {
  @ApiProperty({ type: String, nullable: true, example: '120', description: 'The asOf asked for (a log position or an instant); null for now' })
  readonly asOf!: string | null;
}

export class ChainMismatchResponse {
  @ApiProperty({ ...POSITION })
  readonly position!: number;

  @ApiProperty({ ...HASH, description: 'The hash recomputed from the event and its predecessor' })
  readonly expectedHash!: string;

  @ApiProperty({ ...HASH, description: 'The hash stored in the log' })
  readonly actualHash!: string;
}

export class ChainVerificationResponse {
  @ApiProperty({ description: 'Whether every event in the range matches its hash and links to its predecessor' })
  readonly ok!: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events checked' })
  readonly checked!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'The last position checked (0 on an empty log)' })
  readonly headPosition!: number;

  @ApiProperty({ ...HASH, nullable: true, description: 'Its stored hash; null on an empty log' })
  readonly headHash!: string | null;

  @ApiProperty({ type: ChainMismatchResponse, nullable: true, description: 'The first position that does not match, or null' })
  readonly firstMismatch!: ChainMismatchResponse | null;
}

export class PublicKeyResponse {
  @ApiProperty({ example: 'b764e5437e1603fb' })
  readonly keyId!: string;

  @ApiProperty({ enum: ['Ed25519'] })
  readonly algorithm!: 'Ed25519';

  @ApiProperty({ description: 'SPKI, PEM' })
  readonly publicKey!: string;

  @ApiProperty({ ...INSTANT_SCHEMA })
  readonly createdAt!: string;
}

export class PublicKeysResponse {
  @ApiProperty({ description: 'The keyId of the key that signs now' })
  readonly current!: string;

  @ApiProperty({ type: [PublicKeyResponse], description: 'Every key that ever signed here, the current one first' })
  readonly keys!: PublicKeyResponse[];
}

export class CheckpointResponse {
  @ApiProperty({ ...POSITION, description: 'The head position signed' })
  readonly position!: number;

  @ApiProperty({ ...HASH, description: 'The head hash signed' })
  readonly hash!: string;

  @ApiProperty()
  readonly keyId!: string;

  @ApiProperty({ description: 'Ed25519 signature of the UTF-8 text `ceasefire-checkpoint:v1:<position>:<hash>`, base64' })
  readonly signature!: string;
}

export class RecordedCheckpointResponse extends CheckpointResponse {
  @ApiProperty({ ...INSTANT_SCHEMA })
  readonly recordedAt!: string;

  @ApiProperty({ ...POSITION, description: 'Where the checkpoint itself was recorded in the log' })
  readonly recordedPosition!: number;
}

export class CheckpointListResponse {
  @ApiProperty({ type: [RecordedCheckpointResponse], description: 'Newest first' })
  readonly items!: RecordedCheckpointResponse[];
}
