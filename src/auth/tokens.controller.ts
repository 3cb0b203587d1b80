import { Body, Controller, Delete, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
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

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  readonly role!: Role;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/admin/tokens')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Issue a token (admins); the token is shown once, in this answer only' })
  async issue(@Body() body: IssueTokenRequest, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const issued = await this.tokens.issue(body.name, body.role, meta);
    return { ...answerWrite(reply, issued), token: issued.token, role: issued.role, name: issued.name };
  }

  @Delete(':tokenId')
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Revoke a token (admins); it stops working at once' })
  async revoke(@Param('tokenId') tokenId: string, @Meta() meta: CommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return answerWrite(reply, await this.tokens.revoke(tokenId, meta));
  }
}
