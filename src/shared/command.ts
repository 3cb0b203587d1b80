import type { Principal, Role } from '../auth/roles';

/** What every write records about who asked and why (DESIGN §7), taken from the request. */
export interface CommandMeta {
  actor: { tokenId: string; name: string };
  role: Role;
  requestId: string;
  correlationId: string;
  causationId: string | null;
  /** The client's Idempotency-Key, if it sent one. */
  idempotencyKey: string | null;
  /**
   * Whose keys these are: the token's by default. An import's rows are keyed by the conflict
   * instead, so that the same file uploaded by anyone appends nothing twice.
   */
  idempotencyScope?: string;
  /** sha256 of the canonical request (method, path, body): tells a replay from a reuse of the key. */
  requestHash: string;
}

/** The answer to every write: `201 {id, streamVersion, position}`. */
export interface WriteResult {
  id: string;
  streamVersion: number;
  position: number;
}

export function metaFor(principal: Principal, fields: Omit<CommandMeta, 'actor' | 'role'>): CommandMeta {
  return { actor: { tokenId: principal.tokenId, name: principal.name }, role: principal.role, ...fields };
}
