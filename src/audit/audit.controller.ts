import { Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiRead } from '../openapi/api-answers';
import {
  AuditEventsResponse,
  AuditStreamResponse,
  ChainVerificationResponse,
  CheckpointListResponse,
  CheckpointResponse,
  ClaimAsOfResponse,
  PublicKeysResponse,
} from './responses/audit.response';
import { Readable } from 'node:stream';
import { Public, Roles } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AUDITORS, type Principal } from '../auth/roles';
import { ClaimQueries } from '../claims/claim-queries.service';
import { EventStore } from '../event-store/event-store.service';
import { NotFoundError } from '../shared/domain-error';
import { parseAsOf } from './as-of';
import { AsOfQuery, AuditEventsQuery, VerifyQuery } from './audit.requests';
import { CheckpointSigner } from './checkpoint-signer.service';
import { LogTransfer } from './log-transfer.service';

/** The log itself, for auditors: history, as-of, verification, export, signed checkpoints (DESIGN §6). */
@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(
    private readonly store: EventStore,
    private readonly claims: ClaimQueries,
    private readonly transfer: LogTransfer,
    private readonly checkpoints: CheckpointSigner,
  ) {}

  @Get('events')
  @Roles(...AUDITORS)
  @ApiOperation({ operationId: 'listAuditEvents', summary: 'Events after a position, with their hashes; `actor` lists everything one token recorded' })
  @ApiRead(AuditEventsResponse)
  async events(@Query() q: AuditEventsQuery): Promise<AuditEventsResponse> {
    const limit = q.limit ?? 100;
    const items = await this.store.readAll({ after: q.after ?? 0, limit, actor: q.actor });
    return { items, nextAfter: items.length === limit ? items[items.length - 1]!.position : null };
  }

  @Get('streams/:streamId')
  @Roles(...AUDITORS)
  @ApiOperation({ operationId: 'getAuditStream', summary: "A stream's events in order, with their hashes" })
  @ApiRead(AuditStreamResponse)
  @ApiProblems(404)
  async stream(@Param('streamId') streamId: string): Promise<AuditStreamResponse> {
    const items = await this.store.readStream(streamId);
    if (items.length === 0) throw new NotFoundError('stream.not_found', `No stream ${streamId}`);
    return { streamId, version: items.length, items };
  }

  @Get('claims/:claimId')
  @Roles(...AUDITORS)
  @ApiOperation({
    operationId: 'getClaimAsOf',
    summary: 'A claim as the record had it at a position or an instant; 404 before it existed',
    description: '`asOf` is a *recorded-at* time (when the tracker learned things), not when they allegedly happened: a claim recorded in 2026 about 2020 did not exist "as of 12 October 2020".',
  })
  @ApiRead(ClaimAsOfResponse)
  @ApiProblems(404)
  async claimAsOf(@Param('claimId') claimId: string, @Query() q: AsOfQuery, @CurrentPrincipal() principal: Principal): Promise<ClaimAsOfResponse> {
    const asOf = q.asOf === undefined ? {} : parseAsOf(q.asOf);
    return { ...(await this.claims.get(claimId, principal.role, asOf)), asOf: q.asOf ?? null };
  }

  @Get('verify')
  @Roles(...AUDITORS)
  @ApiOperation({ operationId: 'verifyLog', summary: 'Recompute the hash chain (whole log, or from/to) and name the first position that does not match' })
  @ApiRead(ChainVerificationResponse)
  verify(@Query() q: VerifyQuery): Promise<ChainVerificationResponse> {
    return this.store.verifyChain({ from: q.from, to: q.to });
  }

  @Get('export')
  @Roles(...AUDITORS)
  @ApiOperation({
    operationId: 'exportLog',
    summary: 'The whole log as NDJSON, one event a line, streamed',
    description: 'Each line is one event as `RecordedEventResponse` (position, eventId, streamId, streamVersion, type, schemaVersion, data, metadata, recordedAt, prevHash, hash). Importing it into an empty store reproduces every hash; `scripts/verify-export.mjs` checks it offline against a signed checkpoint.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description: 'The log, one JSON event a line',
    content: { 'application/x-ndjson': { schema: { type: 'string', description: 'Newline-delimited JSON: one RecordedEventResponse a line' } } },
    headers: { 'Content-Disposition': { description: 'attachment; filename="ceasefire-events.ndjson"', schema: { type: 'string' } } },
  })
  export(): StreamableFile {
    return new StreamableFile(Readable.from(this.transfer.exportLines()), {
      type: 'application/x-ndjson',
      disposition: 'attachment; filename="ceasefire-events.ndjson"',
    });
  }

  @Get('public-key')
  @Public()
  @ApiOperation({ operationId: 'listPublicKeys', summary: 'The Ed25519 public keys that sign checkpoints, the current one first' })
  @ApiRead(PublicKeysResponse)
  publicKey(): Promise<PublicKeysResponse> {
    return this.checkpoints.publicKeys();
  }

  @Get('checkpoints')
  @Roles(...AUDITORS)
  @ApiOperation({ operationId: 'listCheckpoints', summary: 'Signed checkpoints, newest first' })
  @ApiRead(CheckpointListResponse)
  async listCheckpoints(): Promise<CheckpointListResponse> {
    return { items: await this.checkpoints.list() };
  }

  @Post('checkpoints')
  @Roles(...AUDITORS)
  @HttpCode(201)
  @ApiOperation({ operationId: 'signCheckpoint', summary: 'Sign the head now' })
  @ApiResponse({ status: 201, type: CheckpointResponse, description: 'Signed, and recorded in the log as a CheckpointSigned event' })
  @ApiProblems(422)
  signCheckpoint(): Promise<CheckpointResponse> {
    return this.checkpoints.signHead();
  }
}
