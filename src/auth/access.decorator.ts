import { SetMetadata } from '@nestjs/common';
import type { AccessRule, Role } from './roles';

export const ACCESS_RULE = 'ceasefire:access-rule';

/** Anyone, with or without a token (health, docs). Routes without a rule are for admins only. */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);
/** Reads of projections: tokens of every role, and anonymous clients while PUBLIC_READS is on. */
export const ReadAccess = () => SetMetadata(ACCESS_RULE, { kind: 'read' } satisfies AccessRule);
/** Only these roles (and admin). */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_RULE, { kind: 'roles', roles } satisfies AccessRule);
