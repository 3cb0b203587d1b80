import { Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
@ApiBearerAuth()
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
  @ApiOperation({ summary: 'Events after a position, with their hashes; `actor` lists everything one token recorded' })
  async events(@Query() q: AuditEventsQuery) {
    const limit = q.limit ?? 100;
    const items = await this.store.readAll({ after: q.after ?? 0, limit, actor: q.actor });
    return { items, nextAfter: items.length === limit ? items[items.length - 1]!.position : null };
  }

  @Get('streams/:streamId')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: "A stream's events in order, with their hashes" })
  async stream(@Param('streamId') streamId: string) {
    const items = await this.store.readStream(streamId);
    if (items.length === 0) throw new NotFoundError('stream.not_found', `No stream ${streamId}`);
    return { streamId, version: items.length, items };
  }

  @Get('claims/:claimId')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: 'A claim as the record had it at a position or an instant; 404 before it existed' })
  async claimAsOf(@Param('claimId') claimId: string, @Query() q: AsOfQuery, @CurrentPrincipal() principal: Principal) {
    const asOf = q.asOf === undefined ? {} : parseAsOf(q.asOf);
    return { ...(await this.claims.get(claimId, principal.role, asOf)), asOf: q.asOf ?? null };
  }

  @Get('verify')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: 'Recompute the hash chain (whole log, or from/to) and name the first position that does not match' })
  verify(@Query() q: VerifyQuery) {
    return this.store.verifyChain({ from: q.from, to: q.to });
  }

  @Get('export')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: 'The whole log as NDJSON, one event a line, streamed' })
  export(): StreamableFile {
    return new StreamableFile(Readable.from(this.transfer.exportLines()), {
      type: 'application/x-ndjson',
      disposition: 'attachment; filename="ceasefire-events.ndjson"',
    });
  }

  @Get('public-key')
  @Public()
  @ApiOperation({ summary: 'The Ed25519 public keys that sign checkpoints, the current one first' })
  publicKey() {
    return this.checkpoints.publicKeys();
  }

  @Get('checkpoints')
  @Roles(...AUDITORS)
  @ApiOperation({ summary: 'Signed checkpoints, newest first' })
  async listCheckpoints() {
    return { items: await this.checkpoints.list() };
  }

  @Post('checkpoints')
  @Roles(...AUDITORS)
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign the head now' })
  signCheckpoint() {
    return this.checkpoints.signHead();
  }
}
