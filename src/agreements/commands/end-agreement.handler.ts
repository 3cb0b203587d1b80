import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConflictDirectory } from '../../conflicts/conflict-directory.service';
import { StreamWriter, type WriteOutcome } from '../../event-store/stream-writer.service';
import type { CommandMeta } from '../../shared/command';
import { agreementDecider, agreementStreamId } from '../domain/agreement';
import type { EndAgreementRequest } from '../requests/agreement.request';
import { agreementContext, conflictOfAgreement } from './agreement-context';

export class EndAgreementCommand extends Command<WriteOutcome> {
  constructor(
    readonly agreementId: string,
    readonly body: EndAgreementRequest,
    readonly expectedVersion: number | undefined,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

@CommandHandler(EndAgreementCommand)
export class EndAgreementHandler implements ICommandHandler<EndAgreementCommand> {
  constructor(
    private readonly writer: StreamWriter,
    private readonly directory: ConflictDirectory,
  ) {}

  async execute({ agreementId, body, expectedVersion, meta }: EndAgreementCommand): Promise<WriteOutcome> {
    const conflictId = await conflictOfAgreement(this.directory, agreementId);
    const context = await agreementContext(this.directory, conflictId);
    const { endedAt, reason, supersededBy } = body;
    return this.writer.write({
      streamId: agreementStreamId(agreementId),
      decider: agreementDecider,
      command: { type: 'EndAgreement', endedAt, reason, ...(supersededBy ? { supersededBy } : {}), context },
      expectedVersion,
      meta,
      resultId: agreementId,
    });
  }
}
