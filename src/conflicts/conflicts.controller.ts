import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiRead, ApiWrite } from '../openapi/api-answers';
import { ConflictDetailResponse, ConflictListResponse } from './responses/conflict.response';
import type { FastifyReply } from 'fastify';
import { ReadAccess, Roles } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { EDITORS, type Principal } from '../auth/roles';
import type { CommandMeta, WriteResult } from '../shared/command';
import { Meta } from '../shared/command-meta.decorator';
import { answerWrite, expectedVersionOf } from '../shared/http';
import { AddPartyCommand } from './commands/add-party.handler';
import { RegisterConflictCommand } from './commands/register-conflict.handler';
import { ConflictQueries } from './conflict-queries.service';
import { AddPartyRequest, RegisterConflictRequest } from './requests/conflict.request';

@ApiTags('conflicts')
@Controller('api/conflicts')
export class ConflictsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ConflictQueries,
  ) {}

  @Post()
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'registerConflict', summary: 'Register a conflict (editors)' })
  @ApiWrite({ existing: false })
  async register(
    @Body() body: RegisterConflictRequest,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    return answerWrite(reply, await this.commands.execute(new RegisterConflictCommand(body, meta)));
  }

  @Post(':conflictId/parties')
  @Roles(...EDITORS)
  @ApiOperation({ operationId: 'addParty', summary: 'Add a party to a conflict (editors)' })
  @ApiWrite({ existing: true })
  @ApiProblems(404)
  async addParty(
    @Param('conflictId') conflictId: string,
    @Body() body: AddPartyRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: CommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResult> {
    const expectedVersion = expectedVersionOf(body.expectedVersion, ifMatch);
    return answerWrite(reply, await this.commands.execute(new AddPartyCommand(conflictId, body, expectedVersion, meta)));
  }

  @Get()
  @ReadAccess()
  @ApiOperation({ operationId: 'listConflicts', summary: 'List conflicts with their parties' })
  @ApiRead(ConflictListResponse)
  list(): Promise<ConflictListResponse> {
    return this.queries.list();
  }

  @Get(':conflictId')
  @ReadAccess()
  @ApiOperation({ operationId: 'getConflict', summary: 'One conflict with its parties and agreements' })
  @ApiRead(ConflictDetailResponse)
  @ApiProblems(404)
  get(@Param('conflictId') conflictId: string, @CurrentPrincipal() principal: Principal | null): Promise<ConflictDetailResponse> {
    return this.queries.get(conflictId, principal?.role ?? null);
  }
}
