import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConflictDirectory } from '../../conflicts/conflict-directory.service';
import { StreamWriter, type WriteOutcome } from '../../event-store/stream-writer.service';
import type { CommandMeta } from '../../shared/command';
import { ValidationError } from '../../shared/domain-error';
import { defined } from '../../shared/http';
import { type PlaceCommand, type PlaceContext, placeDecider, type PlaceName, placeStreamId } from '../domain/place';
import { Gazetteer } from '../gazetteer.service';
import type { AddPlaceNamesRequest, CorrectPlaceRequest, PlaceNameRequest, RegisterPlaceRequest } from '../requests/place.request';

export class RegisterPlaceCommand extends Command<WriteOutcome> {
  constructor(
    readonly conflictId: string,
    readonly body: RegisterPlaceRequest,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export class AddPlaceNamesCommand extends Command<WriteOutcome> {
  constructor(
    readonly placeId: string,
    readonly body: AddPlaceNamesRequest,
    readonly expectedVersion: number | undefined,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export class CorrectPlaceCommand extends Command<WriteOutcome> {
  constructor(
    readonly placeId: string,
    readonly body: CorrectPlaceRequest,
    readonly expectedVersion: number | undefined,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

const toNames = (names: PlaceNameRequest[]): PlaceName[] => names.map(({ name, language, usedBy }) => defined({ name, language, usedBy: usedBy ?? [] }));

/** Writes one command to a place's stream, with its conflict's parties and places looked up (404 for an unknown conflict). */
@Injectable()
abstract class PlaceWriter {
  constructor(
    protected readonly writer: StreamWriter,
    protected readonly directory: ConflictDirectory,
    protected readonly gazetteer: Gazetteer,
  ) {}

  protected async context(conflictId: string): Promise<PlaceContext> {
    const conflict = await this.directory.get(conflictId);
    const places = await this.gazetteer.placesOf(conflictId);
    return { partyIds: new Set(conflict.parties.map((p) => p.partyId)), placeIds: new Set(places.map((p) => p.placeId)) };
  }

  protected async update(placeId: string, expectedVersion: number | undefined, meta: CommandMeta, command: (context: PlaceContext) => PlaceCommand) {
    const place = await this.gazetteer.get(placeId);
    return this.writer.write({
      streamId: placeStreamId(placeId),
      decider: placeDecider,
      command: command(await this.context(place.conflictId)),
      expectedVersion,
      meta,
      resultId: placeId,
    });
  }
}

@CommandHandler(RegisterPlaceCommand)
export class RegisterPlaceHandler extends PlaceWriter implements ICommandHandler<RegisterPlaceCommand> {
  async execute({ conflictId, body, meta }: RegisterPlaceCommand): Promise<WriteOutcome> {
    const context = await this.context(conflictId);
    const placeId = randomUUID();
    const { names, lat, lon, kind, parent } = body;
    return this.writer.write({
      streamId: placeStreamId(placeId),
      decider: placeDecider,
      command: { type: 'RegisterPlace', placeId, conflictId, details: defined({ names: toNames(names), lat, lon, kind, parent }), context },
      meta,
      resultId: placeId,
    });
  }
}

@CommandHandler(AddPlaceNamesCommand)
export class AddPlaceNamesHandler extends PlaceWriter implements ICommandHandler<AddPlaceNamesCommand> {
  execute({ placeId, body, expectedVersion, meta }: AddPlaceNamesCommand): Promise<WriteOutcome> {
    return this.update(placeId, expectedVersion, meta, (context) => ({ type: 'AddPlaceNames', names: toNames(body.names), context }));
  }
}

@CommandHandler(CorrectPlaceCommand)
export class CorrectPlaceHandler extends PlaceWriter implements ICommandHandler<CorrectPlaceCommand> {
  execute({ placeId, body, expectedVersion, meta }: CorrectPlaceCommand): Promise<WriteOutcome> {
    const changes = defined({ ...body.changes });
    if (Object.keys(changes).length === 0) {
      throw new ValidationError('A correction changes at least one field', [{ field: 'changes', message: 'must name at least one field' }]);
    }
    return this.update(placeId, expectedVersion, meta, (context) => ({ type: 'CorrectPlace', changes, reason: body.reason, context }));
  }
}
