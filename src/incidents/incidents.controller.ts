import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadAccess, Roles } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { EDITORS, JOURNALISTS, type Principal } from '../auth/roles';
import { ClaimQueries } from '../claims/claim-queries.service';
import { resolveOccurred } from '../claims/domain/occurred';
import { ConflictDirectory } from '../conflicts/conflict-directory.service';
import { ApiProblems, ApiRead, ApiWrite } from '../openapi/api-answers';
import { ProjectionRunner } from '../projections/projection-runner.service';
import type { CommandMeta, WriteResult } from '../shared/command';
import { Meta } from '../shared/command-meta.decorator';
import { answerWrite, expectedVersionOf } from '../shared/http';
import { ChangeIncidentCommand, OpenIncidentCommand } from './commands/incident.handlers';
import { IncidentDirectory } from './incident-directory.service';
import { incidentSummary } from './incident-views';
import { RelatedFinder } from './related.service';
import {
  AssessIncidentRequest,
  IncidentListQuery,
  LinkClaimRequest,
  OpenIncidentRequest,
  RelatedDraftQuery,
  UnlinkClaimRequest,
} from './requests/incident.request';
import { ReadQuery } from '../read-models/dashboard.requests';
import { IncidentListResponse, type IncidentPartyResponse, IncidentResponse, RelatedResponse } from './responses/incident.response';

@ApiTags('incidents')
@Controller('api')
export class IncidentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly incidents: IncidentDirectory,
    private readonly claims: ClaimQueries,
    private readonly related: RelatedFinder,
    private readonly directory: ConflictDirectory,
    private readonly projections: ProjectionRunner,
  ) {}

  @Post('conflicts/:conflictId/incidents')
  @Roles(...JOURNALISTS)
  @ApiOperation({ operationId: 'openIncident', summary: 'Open an incident: one happening, to gather every account of it (journalists and editors)' })
  @ApiWrite({ existing: false })
  @ApiProblems(404)
  async open(
    @Param('conflictId') conflictId: string,
    @Body() body: OpenIncidentRequest,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    return answerWrite(reply, await this.commands.execute(new OpenIncidentCommand(conflictId, body, meta)));
  }

  @Post('incidents/:incidentId/claims')
  @Roles(...JOURNALISTS)
  @ApiOperation({ operationId: 'linkClaimToIncident', summary: 'Link a claim of the same conflict to an incident (journalists and editors)' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  async link(
    @Param('incidentId') incidentId: string,
    @Body() body: LinkClaimRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    const change = { type: 'LinkClaim' as const, ...body };
    return answerWrite(reply, await this.commands.execute(new ChangeIncidentCommand(incidentId, change, expectedVersionOf(body.expectedVersion, ifMatch), meta)));
  }

  @Post('incidents/:incidentId/claims/:claimId/unlink')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'unlinkClaimFromIncident', summary: 'Take a claim out of an incident, saying why (editors)' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  async unlink(
    @Param('incidentId') incidentId: string,
    @Param('claimId') claimId: string,
    @Body() body: UnlinkClaimRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    const change = { type: 'UnlinkClaim' as const, claimId, ...body };
    return answerWrite(reply, await this.commands.execute(new ChangeIncidentCommand(incidentId, change, expectedVersionOf(body.expectedVersion, ifMatch), meta)));
  }

  @Post('incidents/:incidentId/assessments')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'assessIncident', summary: 'Assess an incident as a whole (editors)' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  async assess(
    @Param('incidentId') incidentId: string,
    @Body() body: AssessIncidentRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    const change = { type: 'AssessIncident' as const, ...body };
    return answerWrite(reply, await this.commands.execute(new ChangeIncidentCommand(incidentId, change, expectedVersionOf(body.expectedVersion, ifMatch), meta)));
  }

  @Get('incidents/:incidentId')
  @ReadAccess()
  @ApiOperation({ operationId: 'getIncident', summary: 'One incident with every linked account side by side, by claimant' })
  @ApiRead(IncidentResponse)
  @ApiProblems(404)
  async get(@Param('incidentId') incidentId: string, @CurrentPrincipal() principal: Principal | null): Promise<IncidentResponse> {
    const { incident, events } = await this.incidents.get(incidentId);
    const parties = new Map<string, IncidentPartyResponse['claims']>();
    for (const claimId of incident.claimIds) {
      const claim = await this.claims.get(claimId, principal?.role ?? null);
      parties.set(claim.claimant, [...(parties.get(claim.claimant) ?? []), claim]);
    }
    return {
      ...incidentSummary(incident),
      rationale: incident.assessment?.rationale ?? null,
      parties: [...parties].map(([partyId, claims]) => ({ partyId, claims })),
      links: events.flatMap((e) => {
        if (e.type !== 'ClaimLinkedToIncident' && e.type !== 'ClaimUnlinkedFromIncident') return [];
        const { claimId, reason } = e.data as { claimId: string; reason: string };
        return [{ claimId, change: e.type === 'ClaimLinkedToIncident' ? ('linked' as const) : ('unlinked' as const), reason, recordedAt: e.recordedAt, position: e.position }];
      }),
    };
  }

  @Get('incidents/:incidentId/related')
  @ReadAccess()
  @ApiOperation({
    operationId: 'listRelatedToIncident',
    summary: 'Claims not yet linked that may be accounts of this incident, and incidents it may duplicate',
    description: 'The same rules as for a claim: overlapping windows, the same place or places within SUGGEST_DISTANCE_KM. Best first.',
  })
  @ApiRead(RelatedResponse)
  @ApiProblems(404)
  async relatedToIncident(@Param('incidentId') incidentId: string, @Query() query: ReadQuery): Promise<RelatedResponse> {
    const { incident } = await this.incidents.get(incidentId);
    await this.projections.ensureProjected(query.minPosition);
    return this.related.forIncident(incident);
  }

  @Get('conflicts/:conflictId/incidents')
  @ReadAccess()
  @ApiOperation({ operationId: 'listIncidents', summary: "A conflict's incidents, newest happening first" })
  @ApiRead(IncidentListResponse)
  @ApiProblems(404)
  async list(@Param('conflictId') conflictId: string, @Query() query: IncidentListQuery): Promise<IncidentListResponse> {
    await this.directory.get(conflictId);
    const items = (await this.incidents.incidentsOf(conflictId))
      .map(incidentSummary)
      .filter((i) => query.status === undefined || i.status === query.status)
      .sort((a, b) => Date.parse(b.occurred.from) - Date.parse(a.occurred.from));
    return { items, nextCursor: null };
  }

  @Get('claims/:claimId/related')
  @ReadAccess()
  @ApiOperation({
    operationId: 'listRelatedToClaim',
    summary: 'Claims and incidents that may be the same happening as this claim',
    description: 'Same conflict, any claimant; occurred windows that overlap; the same place of the gazetteer or places within SUGGEST_DISTANCE_KM. Best first.',
  })
  @ApiRead(RelatedResponse)
  @ApiProblems(404)
  async relatedToClaim(@Param('claimId') claimId: string, @Query() query: ReadQuery): Promise<RelatedResponse> {
    await this.projections.ensureProjected(query.minPosition);
    return this.related.forClaim(claimId);
  }

  @Get('conflicts/:conflictId/related')
  @ReadAccess()
  @ApiOperation({
    operationId: 'listRelatedToDraft',
    summary: 'Before saving a claim: what may already be recorded at that time and place',
    description: 'The same suggestions as for a recorded claim, for a draft given by its time (from, to, precision) and place (placeId, or lat and lon).',
  })
  @ApiRead(RelatedResponse)
  @ApiProblems(404)
  async relatedToDraft(@Param('conflictId') conflictId: string, @Query() query: RelatedDraftQuery): Promise<RelatedResponse> {
    const conflict = await this.directory.get(conflictId);
    await this.projections.ensureProjected(query.minPosition);
    const occurred = resolveOccurred({ from: query.from, ...(query.to ? { to: query.to } : {}), precision: query.precision }, conflict.timeZone);
    return this.related.forDraft(conflictId, { occurred, placeId: query.placeId, lat: query.lat, lon: query.lon });
  }
}
