import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { appConfig, type AppConfig } from '../config/env';
import { UnauthenticatedError } from '../shared/domain-error';
import { ACCESS_RULE } from './access.decorator';
import { type AccessRule, allows, type Principal, requireRole } from './roles';
import { TokenService } from './token.service';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal | null };

const ADMIN_ONLY: AccessRule = { kind: 'roles', roles: [] };

/**
 * Every route passes here before validation or lookups, so a wrong role gets 403 before a
 * missing id could get 404 (DESIGN §7). Routes without a rule are for admins only.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule>(ACCESS_RULE, [context.getHandler(), context.getClass()]) ?? ADMIN_ONLY;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await this.principalOf(request);
    if (allows(rule, request.principal, this.config.PUBLIC_READS) === 'unauthenticated') {
      throw new UnauthenticatedError('token.missing', 'This route needs a bearer token (Authorization: Bearer <token>)');
    }
    if (rule.kind === 'roles') requireRole(request.principal, rule.roles);
    return true;
  }

  private async principalOf(request: FastifyRequest): Promise<Principal | null> {
    const header = request.headers.authorization;
    if (header === undefined) return null;
    const match = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(header.trim());
    const principal = match ? await this.tokens.authenticate(match[1]!) : null;
    if (!principal) throw new UnauthenticatedError('token.invalid', 'The bearer token is unknown, revoked or malformed');
    return principal;
  }
}
