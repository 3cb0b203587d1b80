import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import type { Principal } from '../auth/roles';
import { appConfig, type AppConfig } from '../config/env';
import { ApiProblems, ApiRead } from '../openapi/api-answers';
import { SessionResponse } from './responses/web-app.response';

/** GET /api/session: who the bearer token is, so the web app shows only what the role may do. */
@ApiTags('access')
@Controller('api/session')
export class SessionController {
  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getSession',
    summary: 'Who the bearer token is: its role and name (null without a token), whether anonymous reads are on, and the map tile source',
    description: 'An unknown or revoked token answers 401, so signing in can check a token with this call.',
  })
  @ApiRead(SessionResponse)
  @ApiProblems(401)
  session(@CurrentPrincipal() principal: Principal | null): SessionResponse {
    return { role: principal?.role ?? null, name: principal?.name ?? null, publicReads: this.config.PUBLIC_READS, tileUrl: this.config.TILE_URL ?? null, tileAttribution: this.config.TILE_ATTRIBUTION ?? null };
  }
}
