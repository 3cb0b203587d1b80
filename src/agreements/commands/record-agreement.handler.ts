import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConflictDirectory } from '../../conflicts/conflict-directory.service';
import { StreamWriter, type WriteOutcome } from '../../event-store/stream-writer.service';
import type { CommandMeta } from '../../shared/command';
import { defined } from '../../shared/http';
import { SourceProtection } from '../../sources/source-protection.service';
import { agreementDecider, agreementStreamId } from '../domain/agreement';
import type { RecordAgreementRequest } from '../requests/agreement.request';
import { agreementContext, withProvisionIds } from './agreement-context';

export class RecordAgreementCommand extends Command<WriteOutcome> {
  constructor(
    readonly conflictId: string,
    readonly body: RecordAgreementRequest,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

@CommandHandler(RecordAgreementCommand)
export class RecordAgreementHandler implements ICommandHandler<RecordAgreementCommand> {
  constructor(
    private readonly writer: StreamWriter,
    private readonly directory: ConflictDirectory,
    private readonly sources: SourceProtection,
  ) {}

  async execute({ conflictId, body, meta }: RecordAgreementCommand): Promise<WriteOutcome> {
    const context = await agreementContext(this.directory, conflictId);
    const agreementId = randomUUID();
    const sealed = this.sources.seal(body.attributions, 'attributions');
    const terms = defined({
      ...body,
      mediators: body.mediators ?? [],
      reaffirms: body.reaffirms ?? [],
      provisions: withProvisionIds(body.provisions ?? []),
      attributions: sealed.attributions,
    });
    return this.writer.write({
      streamId: agreementStreamId(agreementId),
      decider: agreementDecider,
      command: { type: 'RecordAgreement', agreementId, conflictId, terms, context },
      meta,
      resultId: agreementId,
      afterAppend: (tx, appended) => this.sources.storeKeys(tx, sealed.keys, appended.events[0]!.recordedAt),
    });
  }
}
