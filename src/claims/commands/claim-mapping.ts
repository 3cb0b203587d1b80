import { defined } from '../../shared/http';
import type { SealedAttributions } from '../../sources/source-protection.service';
import type { ClaimChanges, ClaimContent } from '../domain/claim';
import { resolveOccurred } from '../domain/occurred';
import type { LocationRequest } from '../requests/claim.request';

type ContentFields = Omit<ClaimContent, 'attributions' | 'location'> & { location?: LocationRequest };

/** A request's claim fields as domain content: lists defaulted, plain dates read in the conflict's zone, sealed attributions in. */
export function toClaimContent(fields: ContentFields, sealed: SealedAttributions, timeZone: string): ClaimContent {
  const { location, occurred, ...rest } = fields;
  return defined({
    ...rest,
    occurred: resolveOccurred(occurred, timeZone),
    ...(location ? { location: { ...location, altNames: location.altNames ?? [] } } : {}),
    attributions: sealed.attributions,
  });
}

/** Only the fields a correction names; attributions, when named, replace the list whole. */
export function toClaimChanges(
  changes: Partial<ContentFields> & { attributions?: unknown },
  sealed: SealedAttributions,
  timeZone: string,
): ClaimChanges {
  const { location, attributions, occurred, ...rest } = changes;
  return defined({
    ...rest,
    ...(occurred ? { occurred: resolveOccurred(occurred, timeZone, 'changes.occurred') } : {}),
    ...(location ? { location: { ...location, altNames: location.altNames ?? [] } } : {}),
    ...(attributions ? { attributions: sealed.attributions } : {}),
  });
}
