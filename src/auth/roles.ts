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
