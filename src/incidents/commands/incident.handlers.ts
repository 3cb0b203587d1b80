import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ClaimReader } from '../../claims/claim-reader.service';
import { resolveOccurred } from '../../claims/domain/occurred';
import { ConflictDirectory } from '../../conflicts/conflict-directory.service';
import { StreamWriter, type WriteOutcome } from '../../event-store/stream-writer.service';
import { Gazetteer } from '../../places/gazetteer.service';
import type { CommandMeta } from '../../shared/command';
import { defined } from '../../shared/http';
import { type IncidentCommand, incidentDecider, incidentStreamId } from '../domain/incident';
import { IncidentDirectory } from '../incident-directory.service';
import type { AssessIncidentRequest, LinkClaimRequest, OpenIncidentRequest, UnlinkClaimRequest } from '../requests/incident.request';

export class OpenIncidentCommand extends Command<WriteOutcome> {
  constructor(
    readonly conflictId: string,
    readonly body: OpenIncidentRequest,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

/** A change to an existing incident: link, unlink or assess. */
export class ChangeIncidentCommand extends Command<WriteOutcome> {
  constructor(
    readonly incidentId: string,
    readonly change:
      | ({ type: 'LinkClaim' } & LinkClaimRequest)
      | ({ type: 'UnlinkClaim'; claimId: string } & UnlinkClaimRequest)
      | ({ type: 'AssessIncident' } & AssessIncidentRequest),
    readonly expectedVersion: number | undefined,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

@CommandHandler(OpenIncidentCommand)
export class OpenIncidentHandler implements ICommandHandler<OpenIncidentCommand> {
  constructor(
    private readonly writer: StreamWriter,
    private readonly directory: ConflictDirectory,
    private readonly gazetteer: Gazetteer,
  ) {}

  async execute({ conflictId, body, meta }: OpenIncidentCommand): Promise<WriteOutcome> {
    const conflict = await this.directory.get(conflictId);
    const incidentId = randomUUID();
    const details = defined({ title: body.title, occurred: resolveOccurred(body.occurred, conflict.timeZone), placeId: body.placeId });
    const placeIds = body.placeId ? await this.gazetteer.placeIdsOf(conflictId) : new Set<string>();
    return this.writer.write({
      streamId: incidentStreamId(incidentId),
      decider: incidentDecider,
      command: { type: 'OpenIncident', incidentId, conflictId, details, placeIds },
      meta,
      resultId: incidentId,
    });
  }
}

@CommandHandler(ChangeIncidentCommand)
export class ChangeIncidentHandler implements ICommandHandler<ChangeIncidentCommand> {
  constructor(
    private readonly writer: StreamWriter,
    private readonly incidents: IncidentDirectory,
    private readonly claims: ClaimReader,
  ) {}

  async execute({ incidentId, change, expectedVersion, meta }: ChangeIncidentCommand): Promise<WriteOutcome> {
    await this.incidents.get(incidentId); // 404 for an unknown incident, before anything else
    return this.writer.write({
      streamId: incidentStreamId(incidentId),
      decider: incidentDecider,
      command: await this.command(change),
      expectedVersion,
      meta,
      resultId: incidentId,
    });
  }

  private async command(change: ChangeIncidentCommand['change']): Promise<IncidentCommand> {
    switch (change.type) {
      case 'LinkClaim': {
        const claim = await this.claims.find(change.claimId);
        const linked = claim ? { claimId: change.claimId, conflictId: claim.state.claim.conflictId } : null;
        return { type: 'LinkClaim', claimId: change.claimId, claim: linked, reason: change.reason };
      }
      case 'UnlinkClaim':
        return { type: 'UnlinkClaim', claimId: change.claimId, reason: change.reason };
      case 'AssessIncident':
        return { type: 'AssessIncident', status: change.status, rationale: change.rationale };
    }
  }
}
