// The agreement form's values (record and correct) and the request bodies built from them.
import type { components } from '../../api/schema';
import { instantToLocalInput, parseTimeInput } from '../../lib/local-time';
import { sourceBody, type SourceValues, stripUndefined } from '../desk/claim-values';

type S = components['schemas'];
export type Agreement = S['AgreementResponse'];
export type AgreementChanges = S['AgreementChangesRequest'];

export interface ProvisionValues {
  /** Empty for a new provision: the server makes its id up. Kept on correction, so claims about it stay linked. */
  provisionId: string;
  kind: string;
  text: string;
}

export interface AgreementValues {
  title: string;
  agreementKind: string;
  signatories: string[];
  mediators: string[];
  agreedAt: string;
  effectiveAt: string;
  effectiveRaw: string;
  effectiveZone: string;
  basis: string;
  terms: string;
  provisions: ProvisionValues[];
  attributions: SourceValues[];
}

export const emptyProvision = (): ProvisionValues => ({ provisionId: '', kind: '', text: '' });

export const emptyAgreement = (timeZone: string): AgreementValues => ({
  title: '',
  agreementKind: '',
  signatories: [],
  mediators: [],
  agreedAt: '',
  effectiveAt: '',
  effectiveRaw: '',
  effectiveZone: timeZone,
  basis: 'stated',
  terms: '',
  provisions: [],
  attributions: [],
});

const optional = (v: string) => (v.trim() === '' ? undefined : v.trim());

function instant(value: string, timeZone: string): string {
  const parsed = parseTimeInput(value, timeZone, { allowDate: false });
  // The form's rules have checked it; an unparsed value goes as typed, for the server to name.
  return parsed.ok ? parsed.value : value;
}

/** An agreement as the correction form starts: every field as it stands, times in their zones. */
export function agreementToValues(a: Agreement, conflictZone: string): AgreementValues {
  return {
    title: a.title,
    agreementKind: a.kind,
    signatories: [...a.signatories],
    mediators: [...a.mediators],
    agreedAt: a.agreedAt ? instantToLocalInput(a.agreedAt, conflictZone) : '',
    effectiveAt: instantToLocalInput(a.effectiveFrom.at, a.effectiveFrom.timeZone),
    effectiveRaw: a.effectiveFrom.raw ?? '',
    effectiveZone: a.effectiveFrom.timeZone,
    basis: a.effectiveFrom.basis,
    terms: a.terms ?? '',
    provisions: a.provisions.map((p) => ({ provisionId: p.provisionId, kind: p.kind, text: p.text })),
    attributions: a.attributions.map((s) => ({
      outlet: s.outlet ?? '',
      speaker: s.speaker ?? '',
      url: s.url ?? '',
      publishedAt: s.publishedAt ? instantToLocalInput(s.publishedAt, conflictZone) : '',
      quote: s.quote ?? '',
      language: s.language ?? '',
      reliability: s.reliability,
      credibility: String(s.credibility),
      confidential: s.confidential,
      protectedIdentity: s.protectedIdentity ?? '',
    })),
  };
}

function effectiveFromBody(v: AgreementValues): S['EffectiveFromRequest'] {
  return { at: instant(v.effectiveAt, v.effectiveZone), raw: optional(v.effectiveRaw), timeZone: v.effectiveZone, basis: v.basis as S['EffectiveFromBasis'] };
}

const provisionsBody = (v: AgreementValues): S['ProvisionRequest'][] =>
  v.provisions.map((p) => ({ ...(p.provisionId ? { provisionId: p.provisionId } : {}), kind: p.kind as S['ProvisionKind'], text: p.text.trim() }));

/** The body of POST /api/conflicts/:id/agreements. */
export function agreementBody(v: AgreementValues, conflictZone: string): S['RecordAgreementRequest'] {
  return stripUndefined({
    title: v.title.trim(),
    kind: v.agreementKind as S['AgreementKind'],
    signatories: v.signatories,
    mediators: v.mediators,
    agreedAt: v.agreedAt.trim() ? instant(v.agreedAt, conflictZone) : undefined,
    effectiveFrom: effectiveFromBody(v),
    terms: optional(v.terms),
    ...(v.provisions.length ? { provisions: provisionsBody(v) } : {}),
    ...(v.attributions.length ? { attributions: v.attributions.map((s) => sourceBody(s, conflictZone)) } : {}),
  });
}

/**
 * Only what differs from the agreement as loaded. Lists (parties, provisions, sources) and the
 * start go whole: the server replaces each as sent.
 */
export function agreementChanges(v: AgreementValues, before: AgreementValues, conflictZone: string): AgreementChanges {
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  const changes: AgreementChanges = {};
  if (v.title.trim() !== before.title.trim()) changes.title = v.title.trim();
  if (v.agreementKind !== before.agreementKind) changes.kind = v.agreementKind as S['AgreementKind'];
  if (differs([...v.signatories].sort(), [...before.signatories].sort())) changes.signatories = v.signatories;
  if (differs([...v.mediators].sort(), [...before.mediators].sort())) changes.mediators = v.mediators;
  if (v.agreedAt.trim() !== before.agreedAt.trim() && v.agreedAt.trim()) changes.agreedAt = instant(v.agreedAt, conflictZone);
  if (v.effectiveAt !== before.effectiveAt || v.effectiveRaw !== before.effectiveRaw || v.effectiveZone !== before.effectiveZone || v.basis !== before.basis) {
    changes.effectiveFrom = stripUndefined(effectiveFromBody(v));
  }
  if (v.terms.trim() !== before.terms.trim() && v.terms.trim()) changes.terms = v.terms.trim();
  if (differs(v.provisions, before.provisions)) changes.provisions = provisionsBody(v);
  if (differs(v.attributions, before.attributions)) changes.attributions = stripUndefined(v.attributions.map((s) => sourceBody(s, conflictZone)));
  return changes;
}

/** An agreement draft read from a report (a request body, as far as the text gave it) as the form's values. */
export function draftToAgreementValues(body: Partial<S['RecordAgreementRequest']>, conflictZone: string): AgreementValues {
  const empty = emptyAgreement(conflictZone);
  const zone = body.effectiveFrom?.timeZone ?? conflictZone;
  return {
    ...empty,
    title: body.title ?? '',
    agreementKind: body.kind ?? '',
    signatories: body.signatories ?? [],
    mediators: body.mediators ?? [],
    agreedAt: body.agreedAt ? instantToLocalInput(body.agreedAt, conflictZone) : '',
    effectiveAt: body.effectiveFrom?.at ? instantToLocalInput(body.effectiveFrom.at, zone) : '',
    effectiveRaw: body.effectiveFrom?.raw ?? '',
    effectiveZone: zone,
    basis: body.effectiveFrom?.basis ?? empty.basis,
    terms: body.terms ?? '',
    provisions: (body.provisions ?? []).map((p) => ({ provisionId: '', kind: p.kind, text: p.text })),
  };
}
