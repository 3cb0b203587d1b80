import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConflictDirectory, type RegisteredConflict } from '../../conflicts/conflict-directory.service';
import { StreamWriter, type WriteOutcome } from '../../event-store/stream-writer.service';
import { CLOCK, type Clock } from '../../shared/clock';
import type { CommandMeta } from '../../shared/command';
import { Gazetteer } from '../../places/gazetteer.service';
import { SourceProtection } from '../../sources/source-protection.service';
import { ClaimReader } from '../claim-reader.service';
import { type AnsweredClaim, claimDecider, claimStreamId } from '../domain/claim';
import type { ClaimBodyRequest, RecordClaimRequest, RespondToClaimRequest } from '../requests/claim.request';
import { toClaimContent } from './claim-mapping';

export class RecordClaimCommand extends Command<WriteOutcome> {
  constructor(
    readonly body: RecordClaimRequest,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

/** A counterclaim: a claim that answers the claim `respondsTo`. */
export class RespondToClaimCommand extends Command<WriteOutcome> {
  constructor(
    readonly respondsTo: string,
    readonly body: RespondToClaimRequest,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

/** The conflict and its id sets as a caller already has them, and whether it checked the idempotency key. */
export interface KnownForClaims {
  conflict?: RegisteredConflict;
  provisionIds?: ReadonlySet<string>;
  placeIds?: ReadonlySet<string>;
  /** No event of the request's idempotency key is stored (see StreamWrite.replayChecked). */
  replayChecked?: boolean;
}

/** Records a new claim stream, a counterclaim or not. */
@Injectable()
export class ClaimRecorder {
  constructor(
    private readonly writer: StreamWriter,
    private readonly directory: ConflictDirectory,
    private readonly sources: SourceProtection,
    private readonly gazetteer: Gazetteer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `known`: what a bulk import looked up once for many rows, instead of once a row. */
  async record(
    conflictId: string,
    fields: ClaimBodyRequest & { stance?: RespondToClaimRequest['stance'] },
    answers: AnsweredClaim | undefined,
    meta: CommandMeta,
    known: KnownForClaims = {},
  ) {
    const conflict = known.conflict ?? (await this.directory.get(conflictId));
    const claimId = randomUUID();
    const sealed = this.sources.seal(fields.attributions, 'attributions');
    return this.writer.write({
      streamId: claimStreamId(claimId),
      decider: claimDecider,
      command: {
        type: 'RecordClaim',
        claimId,
        conflictId,
        ...(answers ? { answers } : {}),
        content: toClaimContent(fields, sealed, conflict.timeZone),
        partyIds: new Set(conflict.parties.map((p) => p.partyId)),
        // Only a claim about a provision needs the agreements folded.
        ...(fields.provisionId ? { provisionIds: known.provisionIds ?? (await this.directory.provisionIdsOf(conflictId)) } : {}),
        ...(fields.location?.placeId ? { placeIds: known.placeIds ?? (await this.gazetteer.placeIdsOf(conflictId)) } : {}),
        now: this.clock.now(),
      },
      meta,
      resultId: claimId,
      newStream: true,
      replayChecked: known.replayChecked ?? false,
      afterAppend: (tx, appended) => this.sources.storeKeys(tx, sealed.keys, appended.events[0]!.recordedAt),
    });
  }
}

@CommandHandler(RecordClaimCommand)
export class RecordClaimHandler implements ICommandHandler<RecordClaimCommand> {
  constructor(private readonly recorder: ClaimRecorder) {}

  execute({ body, meta }: RecordClaimCommand): Promise<WriteOutcome> {
    const { conflictId, ...fields } = body;
    return this.recorder.record(conflictId, fields, undefined, meta);
  }
}

@CommandHandler(RespondToClaimCommand)
export class RespondToClaimHandler implements ICommandHandler<RespondToClaimCommand> {
  constructor(
    private readonly recorder: ClaimRecorder,
    private readonly claims: ClaimReader,
  ) {}

  async execute({ respondsTo, body, meta }: RespondToClaimCommand): Promise<WriteOutcome> {
    const answered = (await this.claims.get(respondsTo)).state.claim;
    return this.recorder.record(answered.conflictId, body, { claimId: answered.claimId, conflictId: answered.conflictId }, meta);
  }
}
