import { Body, Controller, Delete, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, ApiProblems } from '../openapi/api-answers';
import { WriteResultResponse } from '../openapi/write-result.response';
import { IssuedTokenResponse } from './responses/token.response';
import { IsIn } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { CommandMeta } from '../shared/command';
import { Meta } from '../shared/command-meta.decorator';
import { answerWrite } from '../shared/http';
import { Text } from '../shared/validation';
import { Roles } from './access.decorator';
import { ADMINS, ROLES, type Role } from './roles';
import { TokenService } from './token.service';

export class IssueTokenRequest {
  @Text(200, 'Newsroom desk, Baku')
  readonly name!: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  @IsIn(ROLES)
  readonly role!: Role;
}

@ApiTags('admin')
@Controller('api/admin/tokens')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @Roles(...ADMINS)
  @ApiOperation({ operationId: 'issueToken', summary: 'Issue a token (admins); the token is shown once, in this answer only' })
  @ApiCreatedResponse({ type: IssuedTokenResponse, description: 'Issued: keep the token, it is not shown again' })
  @ApiOkResponse({ type: IssuedTokenResponse, description: 'A replay of a request with the same Idempotency-Key: `token` is null' })
  @ApiIdempotencyKey()
  @ApiProblems(409, 422)
  async issue(@Body() body: IssueTokenRequest, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<IssuedTokenResponse> {
    const issued = await this.tokens.issue(body.name, body.role, meta);
    return { ...answerWrite(reply, issued), token: issued.token, role: issued.role, name: issued.name };
  }

  @Delete(':tokenId')
  @Roles(...ADMINS)
  @ApiOperation({ operationId: 'revokeToken', summary: 'Revoke a token (admins); it stops working at once' })
  @ApiOkResponse({ type: WriteResultResponse, description: 'Revoked (or it already was): `id` is the token' })
  @ApiProblems(404, 409)
  async revoke(@Param('tokenId') tokenId: string, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResultResponse> {
    return answerWrite(reply, await this.tokens.revoke(tokenId, meta), { creates: false });
  }
}
