import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConflictDirectory } from '../../conflicts/conflict-directory.service';
import { StreamWriter, type WriteOutcome } from '../../event-store/stream-writer.service';
import type { CommandMeta } from '../../shared/command';
import { ValidationError } from '../../shared/domain-error';
import { defined } from '../../shared/http';
import { SourceProtection } from '../../sources/source-protection.service';
import { type AgreementChanges, agreementDecider, agreementStreamId } from '../domain/agreement';
import type { CorrectAgreementRequest } from '../requests/agreement.request';
import { agreementContext, conflictOfAgreement, withProvisionIds } from './agreement-context';

export class CorrectAgreementCommand extends Command<WriteOutcome> {
  constructor(
    readonly agreementId: string,
    readonly body: CorrectAgreementRequest,
    readonly expectedVersion: number | undefined,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

@CommandHandler(CorrectAgreementCommand)
export class CorrectAgreementHandler implements ICommandHandler<CorrectAgreementCommand> {
  constructor(
    private readonly writer: StreamWriter,
    private readonly directory: ConflictDirectory,
    private readonly sources: SourceProtection,
  ) {}

  async execute({ agreementId, body, expectedVersion, meta }: CorrectAgreementCommand): Promise<WriteOutcome> {
    const conflictId = await conflictOfAgreement(this.directory, agreementId);
    const { attributions, provisions, ...rest } = body.changes;
    const sealed = this.sources.seal(attributions, 'changes.attributions');
    const changes: AgreementChanges = defined({
      ...rest,
      ...(provisions ? { provisions: withProvisionIds(provisions) } : {}),
      ...(attributions ? { attributions: sealed.attributions } : {}),
    });
    if (Object.keys(changes).length === 0) {
      throw new ValidationError('A correction changes at least one field', [{ field: 'changes', message: 'must name at least one field' }]);
    }
    const context = await agreementContext(this.directory, conflictId);
    return this.writer.write({
      streamId: agreementStreamId(agreementId),
      decider: agreementDecider,
      command: { type: 'CorrectAgreement', changes, reason: body.reason, context },
      expectedVersion,
      meta,
      resultId: agreementId,
      afterAppend: (tx, appended) => this.sources.storeKeys(tx, sealed.keys, appended.events[0]!.recordedAt),
    });
  }
}
