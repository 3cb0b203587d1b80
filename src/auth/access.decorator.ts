import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { ApiProblems } from '../openapi/api-answers';
import type { AccessRule, Role } from './roles';

export const ACCESS_RULE = 'ceasefire:access-rule';

/**
 * Each rule also says itself in the OpenAPI document, so that what the document promises is what
 * the guard does: `security`, the 401/403 answers, and `x-roles` (read by openapi-document.ts).
 */

/** Anyone, with or without a token (health, docs). Routes without a rule are for admins only. */
export const Public = () => applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule), ApiExtension('x-access', 'public'));

/** Reads of projections: tokens of every role, and anonymous clients while PUBLIC_READS is on. */
export const ReadAccess = () =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { kind: 'read' } satisfies AccessRule),
    // Anonymous ({}) or a bearer token: anonymous reads are on by default (PUBLIC_READS).
    ApiSecurity({}),
    ApiBearerAuth('bearer'),
    ApiExtension('x-access', 'read'),
    ApiProblems(401),
  );

/** Only these roles (and admin). */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { kind: 'roles', roles } satisfies AccessRule),
    ApiBearerAuth('bearer'),
    ApiExtension('x-roles', [...roles, 'admin']),
    ApiProblems(401, 403),
  );
