import { ForbiddenError, UnauthenticatedError } from '../shared/domain-error';

export const ROLES = ['reader', 'journalist', 'editor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is making a request: a token's id and name, and its role. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
}

/** Who may call a route (DESIGN §7). Admins may call every route. */
export type AccessRule =
  | { kind: 'public' }
  /** Reads of projections: anyone with a token, and anonymous clients when PUBLIC_READS is on. */
  | { kind: 'read' }
  | { kind: 'roles'; roles: Role[] };

export const JOURNALISTS: Role[] = ['journalist', 'editor'];
export const EDITORS: Role[] = ['editor'];
export const AUDITORS: Role[] = ['auditor'];
export const ADMINS: Role[] = [];

/** For a check inside a route that anyone may call: 401 without a principal, 403 with the wrong role. */
export function requireRole(principal: Principal | null, roles: Role[]): void {
  switch (allows({ kind: 'roles', roles }, principal, false)) {
    case 'unauthenticated':
      throw new UnauthenticatedError('token.missing', 'This needs a bearer token (Authorization: Bearer <token>)');
    case 'forbidden':
      throw new ForbiddenError('role.forbidden', `The role ${principal!.role} may not do this`);
  }
}

export function allows(rule: AccessRule, principal: Principal | null, publicReads: boolean): 'yes' | 'unauthenticated' | 'forbidden' {
  switch (rule.kind) {
    case 'public':
      return 'yes';
    case 'read':
      return principal || publicReads ? 'yes' : 'unauthenticated';
    case 'roles':
      if (!principal) return 'unauthenticated';
      return principal.role === 'admin' || rule.roles.includes(principal.role) ? 'yes' : 'forbidden';
  }
}
