// A draft read from a report → the desk's claim form values, and which of them to check.
import type { components } from '../../api/schema';
import { instantToLocalInput } from '../../lib/local-time';
import { type ClaimValues, emptyClaim, emptySource, type RangeValues } from '../desk/claim-values';

type S = components['schemas'];
export type Draft = S['DraftResponse'];
export type DraftsReading = S['DraftsResponse'];

/** What "Review" hands to the record-claim page (router state). */
export interface DraftHandoff {
  values: ClaimValues;
  /** Labels of the fields read with little confidence (below 0.5), or not read at all. */
  check: string[];
}

interface ClaimDraftBody {
  claimant?: string;
  subject?: string;
  assertion?: string;
  stance?: string;
  category?: string;
  occurred?: { from: string; to?: string; precision: string; raw?: string };
  statedAt?: string;
  location?: { name: string; altNames?: string[] };
  casualties?: Partial<Record<'civilian' | 'military', Partial<Record<'killed' | 'wounded', { min: number; max: number }>>>>;
  summary?: string;
  attributions?: Partial<Record<string, string | number | boolean>>[];
}

const LABELS: Record<string, string> = {
  claimant: 'Claimant',
  subject: 'Subject',
  assertion: 'Assertion',
  category: 'Category',
  occurred: 'When it happened',
  statedAt: 'Stated at',
  location: 'Place',
  casualties: 'Casualties',
  'attributions[0].outlet': 'Outlet',
  'attributions[0].reliability': 'Reliability',
  'attributions[0].credibility': 'Credibility',
};

const time = (value: string | undefined, timeZone: string) => (value === undefined ? '' : value.length === 10 ? value : instantToLocalInput(value, timeZone));
const range = (r: { min: number; max: number } | undefined): RangeValues => (r ? { min: String(r.min), max: String(r.max) } : { min: '', max: '' });
const str = (v: string | number | boolean | undefined) => (v === undefined ? '' : String(v));

export function draftToHandoff(draft: Draft, conflictId: string, timeZone: string): DraftHandoff {
  const b = draft.body as ClaimDraftBody;
  const c = b.casualties;
  const values: ClaimValues = {
    ...emptyClaim(conflictId),
    claimant: b.claimant ?? '',
    subject: b.subject ?? '',
    assertion: b.assertion ?? '',
    stance: b.stance ?? '',
    category: b.category ?? '',
    occurred: b.occurred
      ? { from: time(b.occurred.from, timeZone), to: time(b.occurred.to, timeZone), precision: b.occurred.precision, raw: b.occurred.raw ?? '' }
      : emptyClaim().occurred,
    statedAt: time(b.statedAt, timeZone),
    location: { ...emptyClaim().location, name: b.location?.name ?? '', altNames: (b.location?.altNames ?? []).join(', ') },
    casualties: {
      civilian: { killed: range(c?.civilian?.killed), wounded: range(c?.civilian?.wounded) },
      military: { killed: range(c?.military?.killed), wounded: range(c?.military?.wounded) },
    },
    summary: b.summary ?? '',
    attributions: (b.attributions ?? []).map((a) => ({
      ...emptySource(),
      outlet: str(a.outlet),
      speaker: str(a.speaker),
      url: str(a.url),
      publishedAt: time(a.publishedAt as string | undefined, timeZone),
      quote: str(a.quote),
      language: str(a.language),
      reliability: str(a.reliability),
      credibility: str(a.credibility),
    })),
  };
  const check = Object.entries(LABELS)
    .filter(([path]) => (draft.confidence[path] ?? (path === 'subject' || path === 'attributions[0].outlet' ? 0 : 1)) < 0.5)
    .map(([, label]) => label);
  return { values, check };
}

/** One line saying what a draft holds, with the parties' names. */
export function draftTitle(draft: Draft, partyName: (id: string | undefined) => string): string {
  const b = draft.body as ClaimDraftBody & { signatories?: string[] };
  if (draft.kind === 'agreement') return `Agreement between ${(b.signatories ?? []).map(partyName).join(' and ')}`;
  const stance = b.stance ? ` (${b.stance})` : '';
  return `${partyName(b.claimant)} says ${partyName(b.subject)} ${b.assertion ?? '?'}${stance} — ${b.category ?? '?'}`;
}
