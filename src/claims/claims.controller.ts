import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadAccess, Roles } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ADMINS, EDITORS, JOURNALISTS, type Principal } from '../auth/roles';
import type { CommandMeta, WriteResult } from '../shared/command';
import { Meta } from '../shared/command-meta.decorator';
import { answerWrite, expectedVersionOf } from '../shared/http';
import { ApiProblems, ApiRead, ApiWrite } from '../openapi/api-answers';
import { ReadQuery } from '../read-models/dashboard.requests';
import { ClaimResponse } from './responses/claim.response';
import { ClaimQueries } from './claim-queries.service';
import {
  AddAttributionCommand,
  AssessClaimCommand,
  CorrectClaimCommand,
  MarkDuplicateCommand,
  RetractClaimCommand,
  ReviseCasualtiesCommand,
  ShredIdentityCommand,
  VoidClaimCommand,
  WithdrawAttributionCommand,
} from './commands/claim-updates.handlers';
import { RecordClaimCommand, RespondToClaimCommand } from './commands/record-claim.handler';
import {
  AddAttributionRequest,
  AssessClaimRequest,
  CorrectClaimRequest,
  MarkDuplicateRequest,
  RetractClaimRequest,
  ReviseCasualtiesRequest,
  VoidClaimRequest,
  WithdrawAttributionRequest,
} from './requests/claim-actions.request';
import { RecordClaimRequest, RespondToClaimRequest } from './requests/claim.request';

type UpdateCommandClass<Body> = new (
  claimId: string,
  body: Body,
  expectedVersion: number | undefined,
  meta: CommandMeta,
) => ShredIdentityCommand | AddAttributionCommand | WithdrawAttributionCommand | ReviseCasualtiesCommand | CorrectClaimCommand | RetractClaimCommand | VoidClaimCommand | AssessClaimCommand | MarkDuplicateCommand;

@ApiTags('claims')
@Controller('api/claims')
export class ClaimsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ClaimQueries,
  ) {}

  @Post()
  @Roles(...JOURNALISTS)
  @ApiOperation({ operationId: 'recordClaim', summary: 'Record a claim: claimant says subject violated / complied' })
  @ApiWrite({ existing: false })
  @ApiProblems(404)
  async record(@Body() body: RecordClaimRequest, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResult> {
    return answerWrite(reply, await this.commands.execute(new RecordClaimCommand(body, meta)));
  }

  @Get(':claimId')
  @ReadAccess()
  @ApiOperation({
    operationId: 'getClaim',
    summary: 'One claim with its sources, responses, assessments and corrections',
    description: 'Read from the log itself, so it always includes every committed write: `minPosition` is accepted and already met. The `ETag` is the claim\'s version, for `If-Match`.',
  })
  @ApiRead(ClaimResponse, { headers: { ETag: { description: 'The claim\'s version, as "3": send it as If-Match with the next change', schema: { type: 'string' } } } })
  @ApiProblems(404)
  async get(
    @Param('claimId') claimId: string,
    @Query() _query: ReadQuery,
    @CurrentPrincipal() principal: Principal | null,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClaimResponse> {
    const claim = await this.queries.get(claimId, principal?.role ?? null);
    void reply.header('ETag', `"${claim.version}"`);
    return claim;
  }

  @Post(':claimId/responses')
  @Roles(...JOURNALISTS)
  @ApiOperation({ operationId: 'respondToClaim', summary: 'Record a counterclaim answering this claim (denial, counter-accusation…)' })
  @ApiWrite({ existing: false })
  @ApiProblems(404)
  async respond(
    @Param('claimId') claimId: string,
    @Body() body: RespondToClaimRequest,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    return answerWrite(reply, await this.commands.execute(new RespondToClaimCommand(claimId, body, meta)));
  }

  @Post(':claimId/attributions')
  @Roles(...JOURNALISTS)
  @ApiOperation({ operationId: 'addAttribution', summary: 'Add a source to a claim' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  addAttribution(@Param('claimId') id: string, @Body() body: AddAttributionRequest, @Headers('if-match') ifMatch: string | undefined, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.update(AddAttributionCommand, id, body, ifMatch, meta, reply);
  }

  @Post(':claimId/attributions/:attributionId/withdrawal')
  @Roles(...JOURNALISTS)
  @ApiOperation({ operationId: 'withdrawAttribution', summary: 'Withdraw a source from a claim' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  withdrawAttribution(
    @Param('claimId') id: string,
    @Param('attributionId') attributionId: string,
    @Body() body: WithdrawAttributionRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.update(WithdrawAttributionCommand, id, { ...body, attributionId }, ifMatch, meta, reply);
  }

  @Post(':claimId/attributions/:attributionId/shred')
  @Roles(...ADMINS)
  @ApiOperation({ operationId: 'shredAttributionIdentity', summary: "Destroy the key of a confidential source's identity (admins): it can never be read again" })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  shred(
    @Param('claimId') id: string,
    @Param('attributionId') attributionId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.update<{ attributionId: string; expectedVersion?: number }>(ShredIdentityCommand, id, { attributionId }, ifMatch, meta, reply);
  }

  @Post(':claimId/corrections')
  @Roles(...JOURNALISTS)
  @ApiOperation({
    operationId: 'correctClaim',
    summary: 'Correct a data-entry mistake; each given field replaces the old one whole',
    description: 'Each field in `changes` replaces the old value whole: a new `location` replaces the whole location (send its `altNames`, coordinates and `precision` again to keep them), a new `occurred` the whole span.',
  })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  correct(@Param('claimId') id: string, @Body() body: CorrectClaimRequest, @Headers('if-match') ifMatch: string | undefined, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.update(CorrectClaimCommand, id, body, ifMatch, meta, reply);
  }

  @Post(':claimId/casualties')
  @Roles(...JOURNALISTS)
  @ApiOperation({ operationId: 'reviseCasualties', summary: "Record the claimant's revised casualty figure" })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  reviseCasualties(@Param('claimId') id: string, @Body() body: ReviseCasualtiesRequest, @Headers('if-match') ifMatch: string | undefined, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.update(ReviseCasualtiesCommand, id, body, ifMatch, meta, reply);
  }

  @Post(':claimId/retraction')
  @Roles(...JOURNALISTS)
  @ApiOperation({ operationId: 'retractClaim', summary: 'Record that the claimant itself withdrew the claim' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  retract(@Param('claimId') id: string, @Body() body: RetractClaimRequest, @Headers('if-match') ifMatch: string | undefined, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.update(RetractClaimCommand, id, body, ifMatch, meta, reply);
  }

  @Post(':claimId/void')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'voidClaim', summary: 'Void a claim that was never made (editors); it leaves every count' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  void(@Param('claimId') id: string, @Body() body: VoidClaimRequest, @Headers('if-match') ifMatch: string | undefined, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.update(VoidClaimCommand, id, body, ifMatch, meta, reply);
  }

  @Post(':claimId/assessments')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'assessClaim', summary: "Record the editors' assessment of a claim (editors)" })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  assess(@Param('claimId') id: string, @Body() body: AssessClaimRequest, @Headers('if-match') ifMatch: string | undefined, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.update(AssessClaimCommand, id, body, ifMatch, meta, reply);
  }

  @Post(':claimId/duplicate-of')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'markDuplicate', summary: 'Mark a claim a duplicate of another (editors)' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  markDuplicate(@Param('claimId') id: string, @Body() body: MarkDuplicateRequest, @Headers('if-match') ifMatch: string | undefined, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.update(MarkDuplicateCommand, id, body, ifMatch, meta, reply);
  }

  private async update<Body extends { expectedVersion?: number }>(
    CommandClass: UpdateCommandClass<Body>,
    claimId: string,
    body: Body,
    ifMatch: string | undefined,
    meta: CommandMeta,
    reply: FastifyReply,
  ): Promise<WriteResult> {
    const expectedVersion = expectedVersionOf(body.expectedVersion, ifMatch);
    return answerWrite(reply, await this.commands.execute(new CommandClass(claimId, body, expectedVersion, meta)));
  }
}
