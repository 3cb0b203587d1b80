// The claim form's values (field names are the API's body paths) and the request built from them.
import type { components } from '../../api/schema';
import { DAY_OR_COARSER, instantToLocalInput, parseTimeInput } from '../../lib/local-time';

type S = components['schemas'];
export type RecordClaimBody = S['RecordClaimRequest'];
export type ClaimChanges = S['ClaimChangesRequest'];
type Claim = S['ClaimResponse'];

export interface RangeValues {
  min: string;
  max: string;
}
export interface SourceValues {
  outlet: string;
  speaker: string;
  url: string;
  publishedAt: string;
  quote: string;
  language: string;
  reliability: string;
  credibility: string;
  confidential: boolean;
  protectedIdentity: string;
}
export interface ClaimValues {
  conflictId: string;
  claimant: string;
  subject: string;
  assertion: string;
  stance: string;
  category: string;
  occurred: { from: string; to: string; precision: string; raw: string };
  statedAt: string;
  location: { name: string; altNames: string; lat: string; lon: string; precision: string };
  casualties: { civilian: { killed: RangeValues; wounded: RangeValues }; military: { killed: RangeValues; wounded: RangeValues } };
  summary: string;
  attributions: SourceValues[];
}

export const emptySource = (): SourceValues => ({
  outlet: '',
  speaker: '',
  url: '',
  publishedAt: '',
  quote: '',
  language: '',
  reliability: '',
  credibility: '',
  confidential: false,
  protectedIdentity: '',
});

const emptyRange = (): RangeValues => ({ min: '', max: '' });

export const emptyClaim = (conflictId = ''): ClaimValues => ({
  conflictId,
  claimant: '',
  subject: '',
  assertion: '',
  stance: '',
  category: '',
  occurred: { from: '', to: '', precision: 'minute', raw: '' },
  statedAt: '',
  location: { name: '', altNames: '', lat: '', lon: '', precision: '' },
  casualties: { civilian: { killed: emptyRange(), wounded: emptyRange() }, military: { killed: emptyRange(), wounded: emptyRange() } },
  summary: '',
  attributions: [emptySource()],
});

const rangeValues = (r: { min: number; max: number } | undefined): RangeValues => (r ? { min: String(r.min), max: String(r.max) } : emptyRange());

/** A claim as the correction form starts: every field as it stands, times in the conflict's zone. */
export function claimToValues(claim: Claim, timeZone: string): ClaimValues {
  const c = claim.casualties;
  return {
    ...emptyClaim(claim.conflictId),
    claimant: claim.claimant,
    subject: claim.subject,
    assertion: claim.assertion,
    stance: claim.stance ?? '',
    category: claim.category,
    occurred: {
      from: instantToLocalInput(claim.occurred.from, timeZone),
      to: claim.occurred.to ? instantToLocalInput(claim.occurred.to, timeZone) : '',
      precision: claim.occurred.precision,
      raw: claim.occurred.raw ?? '',
    },
    statedAt: instantToLocalInput(claim.statedAt, timeZone),
    location: {
      name: claim.location?.name ?? '',
      altNames: claim.location?.altNames.join(', ') ?? '',
      lat: claim.location?.lat === undefined ? '' : String(claim.location.lat),
      lon: claim.location?.lon === undefined ? '' : String(claim.location.lon),
      precision: claim.location?.precision ?? '',
    },
    casualties: {
      civilian: { killed: rangeValues(c?.civilian?.killed), wounded: rangeValues(c?.civilian?.wounded) },
      military: { killed: rangeValues(c?.military?.killed), wounded: rangeValues(c?.military?.wounded) },
    },
    summary: claim.summary,
    attributions: [],
  };
}

const text = (value: string) => (value.trim() === '' ? undefined : value.trim());

function time(value: string, timeZone: string, allowDate: boolean): string {
  const parsed = parseTimeInput(value, timeZone, { allowDate });
  if (!parsed.ok) throw new Error(`unparsed time ${value}`);
  return parsed.value;
}

export function casualtiesBody(v: ClaimValues['casualties']): S['CasualtiesRequest'] | undefined {
  const range = (r: RangeValues) => {
    if (r.min.trim() === '' && r.max.trim() === '') return undefined;
    const min = Number(r.min.trim() === '' ? r.max : r.min);
    const max = Number(r.max.trim() === '' ? r.min : r.max);
    return { min, max };
  };
  const counts = (c: { killed: RangeValues; wounded: RangeValues }) => {
    const killed = range(c.killed);
    const wounded = range(c.wounded);
    return killed || wounded ? { ...(killed ? { killed } : {}), ...(wounded ? { wounded } : {}) } : undefined;
  };
  const civilian = counts(v.civilian);
  const military = counts(v.military);
  return civilian || military ? { ...(civilian ? { civilian } : {}), ...(military ? { military } : {}) } : undefined;
}

export function sourceBody(s: SourceValues, timeZone: string): S['AttributionRequest'] {
  return {
    outlet: s.outlet.trim(),
    speaker: text(s.speaker),
    url: text(s.url),
    publishedAt: text(s.publishedAt) ? time(s.publishedAt, timeZone, false) : undefined,
    quote: text(s.quote),
    language: text(s.language),
    reliability: s.reliability as S['Reliability'],
    credibility: Number(s.credibility),
    confidential: s.confidential,
    protectedIdentity: s.confidential ? text(s.protectedIdentity) : undefined,
  };
}

function locationBody(l: ClaimValues['location']): S['LocationRequest'] | undefined {
  if (l.name.trim() === '') return undefined;
  const altNames = l.altNames.split(',').map((n) => n.trim()).filter(Boolean);
  return {
    name: l.name.trim(),
    ...(altNames.length ? { altNames } : {}),
    ...(l.lat.trim() !== '' ? { lat: Number(l.lat) } : {}),
    ...(l.lon.trim() !== '' ? { lon: Number(l.lon) } : {}),
    ...(l.precision ? { precision: l.precision as S['LocationPrecision'] } : {}),
  };
}

function occurredBody(o: ClaimValues['occurred'], timeZone: string): S['OccurredRequest'] {
  const allowDate = DAY_OR_COARSER.has(o.precision);
  return {
    from: time(o.from, timeZone, allowDate),
    ...(o.to.trim() ? { to: time(o.to, timeZone, allowDate) } : {}),
    precision: o.precision as S['OccurredPrecision'],
    ...(text(o.raw) ? { raw: o.raw.trim() } : {}),
  };
}

/** The body of POST /api/claims (and, without conflictId and with a stance, of a response). */
export function claimBody(v: ClaimValues, timeZone: string): RecordClaimBody {
  const location = locationBody(v.location);
  const casualties = casualtiesBody(v.casualties);
  return stripUndefined({
    conflictId: v.conflictId,
    claimant: v.claimant,
    subject: v.subject,
    assertion: v.assertion as S['Assertion'],
    category: v.category as S['Category'],
    occurred: occurredBody(v.occurred, timeZone),
    statedAt: time(v.statedAt, timeZone, false),
    ...(location ? { location } : {}),
    ...(casualties ? { casualties } : {}),
    summary: v.summary.trim(),
    attributions: v.attributions.map((s) => sourceBody(s, timeZone)),
  });
}

export function responseBody(v: ClaimValues, timeZone: string): S['RespondToClaimRequest'] {
  const { conflictId: _conflictId, ...body } = claimBody(v, timeZone);
  return { ...body, stance: v.stance as S['Stance'] };
}

/** Only the fields that differ from the claim as loaded: each replaces the old value whole. */
export function correctionChanges(v: ClaimValues, before: ClaimValues, timeZone: string): ClaimChanges {
  const changes: ClaimChanges = {};
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  if (v.claimant !== before.claimant) changes.claimant = v.claimant;
  if (v.subject !== before.subject) changes.subject = v.subject;
  if (v.assertion !== before.assertion) changes.assertion = v.assertion as S['Assertion'];
  if (v.category !== before.category) changes.category = v.category as S['Category'];
  if (v.stance && v.stance !== before.stance) changes.stance = v.stance as S['Stance'];
  if (differs(v.occurred, before.occurred)) changes.occurred = occurredBody(v.occurred, timeZone);
  if (v.statedAt !== before.statedAt) changes.statedAt = time(v.statedAt, timeZone, false);
  if (differs(v.location, before.location)) {
    const location = locationBody(v.location);
    if (location) changes.location = location;
  }
  if (differs(v.casualties, before.casualties)) changes.casualties = casualtiesBody(v.casualties) ?? {};
  if (v.summary.trim() !== before.summary.trim()) changes.summary = v.summary.trim();
  return changes;
}

export function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
