import type { ConflictDirectory } from '../../conflicts/conflict-directory.service';
import { NotFoundError } from '../../shared/domain-error';
import { randomUUID } from 'node:crypto';
import type { AgreementContext, Provision } from '../domain/agreement';
import type { ProvisionRequest } from '../requests/agreement.request';

/** The conflict's parties and agreements, which agreement rules are checked against. */
export async function agreementContext(directory: ConflictDirectory, conflictId: string): Promise<AgreementContext> {
  const conflict = await directory.get(conflictId);
  const agreements = await directory.agreementsOf(conflictId);
  return {
    partyIds: new Set(conflict.parties.map((p) => p.partyId)),
    agreementIds: new Set(agreements.map((a) => a.agreementId)),
  };
}

/** A request's provisions with their ids: kept when the client gave one, made up when not. */
export function withProvisionIds(provisions: ProvisionRequest[]): Provision[] {
  return provisions.map(({ provisionId, kind, text }) => ({ provisionId: provisionId ?? randomUUID(), kind, text }));
}

/** The conflict an existing agreement belongs to; 404 for an unknown agreement. */
export async function conflictOfAgreement(directory: ConflictDirectory, agreementId: string): Promise<string> {
  const agreement = await directory.findAgreement(agreementId);
  if (!agreement) throw new NotFoundError('agreement.not_found', `No agreement ${agreementId}`);
  return agreement.conflictId;
}
