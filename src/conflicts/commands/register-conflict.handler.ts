import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { StreamWriter, type WriteOutcome } from '../../event-store/stream-writer.service';
import type { CommandMeta } from '../../shared/command';
import { defined } from '../../shared/http';
import { conflictDecider, conflictStreamId } from '../domain/conflict';
import type { RegisterConflictRequest } from '../requests/conflict.request';

export class RegisterConflictCommand extends Command<WriteOutcome> {
  constructor(
    readonly body: RegisterConflictRequest,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

@CommandHandler(RegisterConflictCommand)
export class RegisterConflictHandler implements ICommandHandler<RegisterConflictCommand> {
  constructor(private readonly writer: StreamWriter) {}

  execute({ body, meta }: RegisterConflictCommand): Promise<WriteOutcome> {
    const conflictId = randomUUID();
    return this.writer.write({
      streamId: conflictStreamId(conflictId),
      decider: conflictDecider,
      command: defined({ type: 'RegisterConflict' as const, conflictId, ...body }),
      meta,
      resultId: conflictId,
      newStream: true,
    });
  }
}
