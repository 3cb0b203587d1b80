import { agreementInForceAt, type AgreementPeriod } from '../../agreements/domain/agreement-in-force';
import type { AssessmentStatus, Casualties, ClaimChanges, ClaimEvent, ClaimRecorded } from '../../claims/domain/claim';
import { assertNever } from '../../shared/decider';
import { localDate } from '../local-date';

/**
 * One claim as the dashboards count it: everything the timeline and the scorecard need,
 * derived from the claim's events and its conflict's agreements. Pure: no I/O, no clock.
 */
export interface ClaimRow {
  claimId: string;
  conflictId: string;
  claimant: string;
  subject: string;
  assertion: string;
  stance: string | null;
  respondsTo: string | null;
  category: string;
  occurredFrom: string;
  occurredDay: string;
  statedAt: string;
  statedDay: string;
  agreementId: string | null;
  /** The agreement provision the claim is about, if it names one. */
  provisionId: string | null;
  status: AssessmentStatus;
  retracted: boolean;
  voided: boolean;
  duplicateOf: string | null;
  killedMin: number;
  killedMax: number;
  woundedMin: number;
  woundedMax: number;
  /** The civilian part of the totals above (the military part is the rest). */
  civilianKilledMin: number;
  civilianKilledMax: number;
  civilianWoundedMin: number;
  civilianWoundedMax: number;
  /** Counted responses of the stance denial / counter-accusation that answer this claim. */
  denials: number;
  counterAccusations: number;
  summary: string;
  /** The values as recorded, offsets and raw text included, for display. */
  doc: { occurred: unknown; statedAt: string; location: unknown; casualties: unknown };
  version: number;
  recordedAt: string;
  updatedAt: string;
  lastPosition: number;
}

/** What a claim event's row needs to know besides the event. */
export interface ClaimContext {
  timeZone: string;
  agreements: readonly AgreementPeriod[];
  position: number;
  recordedAt: string;
}

/** Voided claims and duplicates leave every count (DESIGN §5). */
export const isCounted = (row: ClaimRow): boolean => !row.voided && row.duplicateOf === null;

export function casualtyTotals(casualties: Casualties | undefined) {
  const sum = (kind: 'killed' | 'wounded', end: 'min' | 'max') =>
    (casualties?.civilian?.[kind]?.[end] ?? 0) + (casualties?.military?.[kind]?.[end] ?? 0);
  const civilian = (kind: 'killed' | 'wounded', end: 'min' | 'max') => casualties?.civilian?.[kind]?.[end] ?? 0;
  return {
    killedMin: sum('killed', 'min'),
    killedMax: sum('killed', 'max'),
    woundedMin: sum('wounded', 'min'),
    woundedMax: sum('wounded', 'max'),
    civilianKilledMin: civilian('killed', 'min'),
    civilianKilledMax: civilian('killed', 'max'),
    civilianWoundedMin: civilian('wounded', 'min'),
    civilianWoundedMax: civilian('wounded', 'max'),
  };
}

export function newClaimRow({ data }: ClaimRecorded, ctx: ClaimContext): ClaimRow {
  const row: ClaimRow = {
    claimId: data.claimId,
    conflictId: data.conflictId,
    claimant: data.claimant,
    subject: data.subject,
    assertion: data.assertion,
    stance: data.stance ?? null,
    respondsTo: data.respondsTo ?? null,
    category: data.category,
    occurredFrom: data.occurred.from,
    occurredDay: localDate(data.occurred.from, ctx.timeZone),
    statedAt: data.statedAt,
    statedDay: localDate(data.statedAt, ctx.timeZone),
    agreementId: agreementInForceAt(ctx.agreements, data.occurred.from),
    provisionId: data.provisionId ?? null,
    status: 'unverified',
    retracted: false,
    voided: false,
    duplicateOf: null,
    ...casualtyTotals(data.casualties),
    denials: 0,
    counterAccusations: 0,
    summary: data.summary,
    doc: { occurred: data.occurred, statedAt: data.statedAt, location: data.location ?? null, casualties: data.casualties ?? null },
    version: 1,
    recordedAt: ctx.recordedAt,
    updatedAt: ctx.recordedAt,
    lastPosition: ctx.position,
  };
  return row;
}

/** The row after one more event of its stream (not ClaimRecorded). */
export function evolveClaimRow(row: ClaimRow, event: ClaimEvent, ctx: ClaimContext): ClaimRow {
  const next: ClaimRow = { ...row, version: row.version + 1, updatedAt: ctx.recordedAt, lastPosition: ctx.position };
  switch (event.type) {
    case 'ClaimRecorded':
      return next;
    case 'AttributionAdded':
    case 'AttributionWithdrawn':
    case 'AttributionIdentityShredded':
      return next;
    case 'CasualtiesRevised':
      return { ...next, ...casualtyTotals(event.data.casualties), doc: { ...next.doc, casualties: event.data.casualties } };
    case 'ClaimCorrected':
      return applyCorrection(next, event.data.changes, ctx);
    case 'ClaimRetracted':
      return { ...next, retracted: true };
    case 'ClaimVoided':
      return { ...next, voided: true };
    case 'ClaimAssessed':
      return { ...next, status: event.data.status };
    case 'ClaimMarkedDuplicate':
      return { ...next, duplicateOf: event.data.duplicateOf };
    default:
      return assertNever(event);
  }
}

function applyCorrection(row: ClaimRow, changes: ClaimChanges, ctx: ClaimContext): ClaimRow {
  const next = { ...row, doc: { ...row.doc } };
  if (changes.claimant !== undefined) next.claimant = changes.claimant;
  if (changes.subject !== undefined) next.subject = changes.subject;
  if (changes.assertion !== undefined) next.assertion = changes.assertion;
  if (changes.stance !== undefined) next.stance = changes.stance;
  if (changes.category !== undefined) next.category = changes.category;
  if (changes.summary !== undefined) next.summary = changes.summary;
  if (changes.provisionId !== undefined) next.provisionId = changes.provisionId;
  if (changes.location !== undefined) next.doc.location = changes.location;
  if (changes.occurred !== undefined) {
    next.occurredFrom = changes.occurred.from;
    next.occurredDay = localDate(changes.occurred.from, ctx.timeZone);
    next.agreementId = agreementInForceAt(ctx.agreements, changes.occurred.from);
    next.doc.occurred = changes.occurred;
  }
  if (changes.statedAt !== undefined) {
    next.statedAt = changes.statedAt;
    next.statedDay = localDate(changes.statedAt, ctx.timeZone);
    next.doc.statedAt = changes.statedAt;
  }
  if (changes.casualties !== undefined) {
    Object.assign(next, casualtyTotals(changes.casualties));
    next.doc.casualties = changes.casualties;
  }
  return next;
}

export interface Counts {
  claims: number;
  retracted: number;
  corroborated: number;
  contested: number;
  refuted: number;
  killedMin: number;
  killedMax: number;
  woundedMin: number;
  woundedMax: number;
  civilianKilledMin: number;
  civilianKilledMax: number;
  civilianWoundedMin: number;
  civilianWoundedMax: number;
}

export interface ScoreCounts {
  violationsAlleged: number;
  complianceAsserted: number;
  denied: number;
  counterAccused: number;
  retracted: number;
  corroborated: number;
  contested: number;
  refuted: number;
}

export const NO_AGREEMENT = '00000000-0000-0000-0000-000000000000';

/** The timeline cells one counted claim adds to: one by occurred date and one by stated date. */
export function timelineContributions(row: ClaimRow): { key: string; counts: Counts }[] {
  if (!isCounted(row)) return [];
  const counts: Counts = {
    claims: 1,
    retracted: row.retracted ? 1 : 0,
    corroborated: row.status === 'corroborated' ? 1 : 0,
    contested: row.status === 'contested' ? 1 : 0,
    refuted: row.status === 'refuted' ? 1 : 0,
    killedMin: row.killedMin,
    killedMax: row.killedMax,
    woundedMin: row.woundedMin,
    woundedMax: row.woundedMax,
    civilianKilledMin: row.civilianKilledMin,
    civilianKilledMax: row.civilianKilledMax,
    civilianWoundedMin: row.civilianWoundedMin,
    civilianWoundedMax: row.civilianWoundedMax,
  };
  const cell = (basis: 'occurred' | 'stated', day: string) =>
    [row.conflictId, basis, day, row.claimant, row.subject, row.assertion, row.agreementId ?? NO_AGREEMENT].join('|');
  return [
    { key: cell('occurred', row.occurredDay), counts },
    { key: cell('stated', row.statedDay), counts },
  ];
}

/** The scorecard row one counted claim linked to an agreement adds to. */
export function scorecardContribution(row: ClaimRow): { key: string; counts: ScoreCounts } | null {
  if (!isCounted(row) || row.agreementId === null) return null;
  const violation = row.assertion === 'violated';
  return {
    key: [row.agreementId, row.claimant, row.subject].join('|'),
    counts: {
      violationsAlleged: violation ? 1 : 0,
      complianceAsserted: row.assertion === 'complied' ? 1 : 0,
      denied: violation && row.denials > 0 ? 1 : 0,
      counterAccused: violation && row.counterAccusations > 0 ? 1 : 0,
      retracted: row.retracted ? 1 : 0,
      corroborated: row.status === 'corroborated' ? 1 : 0,
      contested: row.status === 'contested' ? 1 : 0,
      refuted: row.status === 'refuted' ? 1 : 0,
    },
  };
}

/** How a response counts toward the claim it answers: +1 denial, +1 counter-accusation, or nothing. */
export function responseWeight(row: ClaimRow | null): { denials: number; counterAccusations: number } {
  if (!row || !row.respondsTo || !isCounted(row)) return { denials: 0, counterAccusations: 0 };
  return { denials: row.stance === 'denial' ? 1 : 0, counterAccusations: row.stance === 'counter-accusation' ? 1 : 0 };
}
