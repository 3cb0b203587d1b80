import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { StreamWriter, type WriteOutcome } from '../../event-store/stream-writer.service';
import type { CommandMeta } from '../../shared/command';
import { defined } from '../../shared/http';
import { conflictDecider, conflictStreamId } from '../domain/conflict';
import type { AddPartyRequest } from '../requests/conflict.request';

export class AddPartyCommand extends Command<WriteOutcome> {
  constructor(
    readonly conflictId: string,
    readonly body: AddPartyRequest,
    readonly expectedVersion: number | undefined,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

@CommandHandler(AddPartyCommand)
export class AddPartyHandler implements ICommandHandler<AddPartyCommand> {
  constructor(private readonly writer: StreamWriter) {}

  execute({ conflictId, body, expectedVersion, meta }: AddPartyCommand): Promise<WriteOutcome> {
    const partyId = randomUUID();
    const { expectedVersion: _, aliases, ...party } = body;
    return this.writer.write({
      streamId: conflictStreamId(conflictId),
      decider: conflictDecider,
      command: { type: 'AddParty', party: defined({ partyId, ...party, aliases: aliases ?? [] }) },
      expectedVersion,
      meta,
      resultId: partyId,
    });
  }
}
