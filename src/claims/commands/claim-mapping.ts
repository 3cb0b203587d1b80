import { defined } from '../../shared/http';
import type { SealedAttributions } from '../../sources/source-protection.service';
import type { ClaimChanges, ClaimContent } from '../domain/claim';
import type { LocationRequest } from '../requests/claim.request';

type ContentFields = Omit<ClaimContent, 'attributions' | 'location'> & { location?: LocationRequest };

/** A request's claim fields as domain content: lists defaulted, sealed attributions in. */
export function toClaimContent(fields: ContentFields, sealed: SealedAttributions): ClaimContent {
  const { location, ...rest } = fields;
  return defined({ ...rest, ...(location ? { location: { ...location, altNames: location.altNames ?? [] } } : {}), attributions: sealed.attributions });
}

/** Only the fields a correction names; attributions, when named, replace the list whole. */
export function toClaimChanges(
  changes: Partial<ContentFields> & { attributions?: unknown },
  sealed: SealedAttributions,
): ClaimChanges {
  const { location, attributions, ...rest } = changes;
  return defined({
    ...rest,
    ...(location ? { location: { ...location, altNames: location.altNames ?? [] } } : {}),
    ...(attributions ? { attributions: sealed.attributions } : {}),
  });
}
