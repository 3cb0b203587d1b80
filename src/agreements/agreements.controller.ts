import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiRead, ApiWrite } from '../openapi/api-answers';
import { AgreementListResponse, AgreementResponse } from './responses/agreement.response';
import type { FastifyReply } from 'fastify';
import { ReadAccess, Roles } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { EDITORS, type Principal } from '../auth/roles';
import { ConflictQueries } from '../conflicts/conflict-queries.service';
import type { CommandMeta, WriteResult } from '../shared/command';
import { Meta } from '../shared/command-meta.decorator';
import { answerWrite, expectedVersionOf } from '../shared/http';
import { CorrectAgreementCommand } from './commands/correct-agreement.handler';
import { EndAgreementCommand } from './commands/end-agreement.handler';
import { RecordAgreementCommand } from './commands/record-agreement.handler';
import { CorrectAgreementRequest, EndAgreementRequest, RecordAgreementRequest } from './requests/agreement.request';

@ApiTags('agreements')
@Controller('api')
export class AgreementsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ConflictQueries,
  ) {}

  @Post('conflicts/:conflictId/agreements')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'recordAgreement', summary: 'Record an agreement (editors)' })
  @ApiWrite({ existing: false })
  @ApiProblems(404)
  async record(
    @Param('conflictId') conflictId: string,
    @Body() body: RecordAgreementRequest,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    return answerWrite(reply, await this.commands.execute(new RecordAgreementCommand(conflictId, body, meta)));
  }

  @Get('conflicts/:conflictId/agreements')
  @ReadAccess()
  @ApiOperation({ operationId: 'listAgreements', summary: "A conflict's agreements" })
  @ApiRead(AgreementListResponse)
  @ApiProblems(404)
  list(@Param('conflictId') conflictId: string, @CurrentPrincipal() principal: Principal | null): Promise<AgreementListResponse> {
    return this.queries.agreements(conflictId, principal?.role ?? null);
  }

  @Get('agreements/:agreementId')
  @ReadAccess()
  @ApiOperation({ operationId: 'getAgreement', summary: 'One agreement with its provisions (the ids claims about them name)' })
  @ApiRead(AgreementResponse)
  @ApiProblems(404)
  get(@Param('agreementId') agreementId: string, @CurrentPrincipal() principal: Principal | null): Promise<AgreementResponse> {
    return this.queries.agreement(agreementId, principal?.role ?? null);
  }

  @Post('agreements/:agreementId/corrections')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'correctAgreement', summary: 'Correct an agreement, for instance a new reading of an ambiguous start (editors)' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  async correct(
    @Param('agreementId') agreementId: string,
    @Body() body: CorrectAgreementRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    const expectedVersion = expectedVersionOf(body.expectedVersion, ifMatch);
    return answerWrite(reply, await this.commands.execute(new CorrectAgreementCommand(agreementId, body, expectedVersion, meta)));
  }

  @Post('agreements/:agreementId/end')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'endAgreement', summary: 'Record that an agreement ended (editors)' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  async end(
    @Param('agreementId') agreementId: string,
    @Body() body: EndAgreementRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    const expectedVersion = expectedVersionOf(body.expectedVersion, ifMatch);
    return answerWrite(reply, await this.commands.execute(new EndAgreementCommand(agreementId, body, expectedVersion, meta)));
  }
}
