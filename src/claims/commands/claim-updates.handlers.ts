import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WriteOutcome } from '../../event-store/stream-writer.service';
import type { CommandMeta } from '../../shared/command';
import { ValidationError } from '../../shared/domain-error';
import { defined } from '../../shared/http';
import { SourceProtection } from '../../sources/source-protection.service';
import { ClaimReader } from '../claim-reader.service';
import type {
  AddAttributionRequest,
  AssessClaimRequest,
  CorrectClaimRequest,
  MarkDuplicateRequest,
  RetractClaimRequest,
  ReviseCasualtiesRequest,
  VoidClaimRequest,
  WithdrawAttributionRequest,
} from '../requests/claim-actions.request';
import { toClaimChanges } from './claim-mapping';
import { ClaimUpdater } from './claim-updater';

/** Every command on an existing claim: the claim's id, the request, the expected version, who asks. */
abstract class ClaimUpdateCommand<Body> extends Command<WriteOutcome> {
  constructor(
    readonly claimId: string,
    readonly body: Body,
    readonly expectedVersion: number | undefined,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export class AddAttributionCommand extends ClaimUpdateCommand<AddAttributionRequest> {}
export class WithdrawAttributionCommand extends ClaimUpdateCommand<WithdrawAttributionRequest & { attributionId: string }> {}
export class ReviseCasualtiesCommand extends ClaimUpdateCommand<ReviseCasualtiesRequest> {}
export class CorrectClaimCommand extends ClaimUpdateCommand<CorrectClaimRequest> {}
export class RetractClaimCommand extends ClaimUpdateCommand<RetractClaimRequest> {}
export class VoidClaimCommand extends ClaimUpdateCommand<VoidClaimRequest> {}
export class AssessClaimCommand extends ClaimUpdateCommand<AssessClaimRequest> {}
export class MarkDuplicateCommand extends ClaimUpdateCommand<MarkDuplicateRequest> {}
export class ShredIdentityCommand extends ClaimUpdateCommand<{ attributionId: string }> {}

@CommandHandler(AddAttributionCommand)
export class AddAttributionHandler implements ICommandHandler<AddAttributionCommand> {
  constructor(
    private readonly updater: ClaimUpdater,
    private readonly sources: SourceProtection,
  ) {}

  execute({ claimId, body, expectedVersion, meta }: AddAttributionCommand) {
    const sealed = this.sources.seal([body.attribution], () => 'attribution');
    const attribution = sealed.attributions[0]!;
    return this.updater.update({
      claimId,
      expectedVersion,
      meta,
      sealed,
      resultId: attribution.attributionId,
      command: () => ({ type: 'AddAttribution', attribution }),
    });
  }
}

@CommandHandler(WithdrawAttributionCommand)
export class WithdrawAttributionHandler implements ICommandHandler<WithdrawAttributionCommand> {
  constructor(private readonly updater: ClaimUpdater) {}

  execute({ claimId, body, expectedVersion, meta }: WithdrawAttributionCommand) {
    const { attributionId, reason } = body;
    return this.updater.update({
      claimId,
      expectedVersion,
      meta,
      resultId: attributionId,
      command: () => ({ type: 'WithdrawAttribution', attributionId, reason }),
    });
  }
}

@CommandHandler(ReviseCasualtiesCommand)
export class ReviseCasualtiesHandler implements ICommandHandler<ReviseCasualtiesCommand> {
  constructor(
    private readonly updater: ClaimUpdater,
    private readonly sources: SourceProtection,
  ) {}

  execute({ claimId, body, expectedVersion, meta }: ReviseCasualtiesCommand) {
    const sealed = this.sources.seal(body.attributions, 'attributions');
    return this.updater.update({
      claimId,
      expectedVersion,
      meta,
      sealed,
      command: ({ now }) => ({
        type: 'ReviseCasualties',
        casualties: defined(body.casualties),
        asOf: body.asOf,
        attributions: sealed.attributions,
        now,
      }),
    });
  }
}

@CommandHandler(CorrectClaimCommand)
export class CorrectClaimHandler implements ICommandHandler<CorrectClaimCommand> {
  constructor(
    private readonly updater: ClaimUpdater,
    private readonly sources: SourceProtection,
  ) {}

  execute({ claimId, body, expectedVersion, meta }: CorrectClaimCommand) {
    const sealed = this.sources.seal(body.changes.attributions, 'changes.attributions');
    if (Object.keys(toClaimChanges(body.changes, sealed, 'UTC')).length === 0) {
      throw new ValidationError('A correction changes at least one field', [{ field: 'changes', message: 'must name at least one field' }]);
    }
    return this.updater.update({
      claimId,
      expectedVersion,
      meta,
      sealed,
      command: async ({ partyIds, timeZone, provisionIds, placeIds, now }) => ({
        type: 'CorrectClaim',
        changes: toClaimChanges(body.changes, sealed, timeZone),
        reason: body.reason,
        partyIds,
        ...(body.changes.provisionId ? { provisionIds: await provisionIds() } : {}),
        ...(body.changes.location?.placeId ? { placeIds: await placeIds() } : {}),
        now,
      }),
    });
  }
}

@CommandHandler(RetractClaimCommand)
export class RetractClaimHandler implements ICommandHandler<RetractClaimCommand> {
  constructor(
    private readonly updater: ClaimUpdater,
    private readonly sources: SourceProtection,
  ) {}

  execute({ claimId, body, expectedVersion, meta }: RetractClaimCommand) {
    const sealed = this.sources.seal(body.attributions, 'attributions');
    return this.updater.update({
      claimId,
      expectedVersion,
      meta,
      sealed,
      command: ({ now }) => ({ type: 'RetractClaim', statedAt: body.statedAt, attributions: sealed.attributions, now }),
    });
  }
}

@CommandHandler(VoidClaimCommand)
export class VoidClaimHandler implements ICommandHandler<VoidClaimCommand> {
  constructor(private readonly updater: ClaimUpdater) {}

  execute({ claimId, body, expectedVersion, meta }: VoidClaimCommand) {
    return this.updater.update({ claimId, expectedVersion, meta, command: () => ({ type: 'VoidClaim', reason: body.reason }) });
  }
}

@CommandHandler(AssessClaimCommand)
export class AssessClaimHandler implements ICommandHandler<AssessClaimCommand> {
  constructor(private readonly updater: ClaimUpdater) {}

  execute({ claimId, body, expectedVersion, meta }: AssessClaimCommand) {
    const { status, rationale, evidence = [] } = body;
    return this.updater.update({
      claimId,
      expectedVersion,
      meta,
      command: () => ({ type: 'AssessClaim', status, rationale, evidence }),
    });
  }
}

@CommandHandler(MarkDuplicateCommand)
export class MarkDuplicateHandler implements ICommandHandler<MarkDuplicateCommand> {
  constructor(
    private readonly updater: ClaimUpdater,
    private readonly claims: ClaimReader,
  ) {}

  execute({ claimId, body, expectedVersion, meta }: MarkDuplicateCommand) {
    return this.updater.update({
      claimId,
      expectedVersion,
      meta,
      command: async () => {
        const target = body.claimId === claimId ? null : await this.claims.find(body.claimId);
        const targetState = target?.state;
        return {
          type: 'MarkDuplicate',
          duplicateOf: body.claimId,
          reason: body.reason,
          target: targetState
            ? {
                claimId: targetState.claim.claimId,
                conflictId: targetState.claim.conflictId,
                duplicateOf: targetState.duplicateOf?.claimId ?? null,
                voided: targetState.voided !== null,
              }
            : null,
        };
      },
    });
  }
}

@CommandHandler(ShredIdentityCommand)
export class ShredIdentityHandler implements ICommandHandler<ShredIdentityCommand> {
  constructor(
    private readonly updater: ClaimUpdater,
    private readonly sources: SourceProtection,
  ) {}

  execute({ claimId, body, expectedVersion, meta }: ShredIdentityCommand) {
    const { attributionId } = body;
    return this.updater.update({
      claimId,
      expectedVersion,
      meta,
      resultId: attributionId,
      command: () => ({ type: 'ShredIdentity', attributionId }),
      afterAppend: (tx, appended) => this.sources.destroyKey(tx, attributionId, appended.events[0]!.recordedAt),
    });
  }
}
