import { NotFoundError } from '../../shared/domain-error';
import { assertNever, type Decider, instant, RuleViolation, sameValue } from '../../shared/decider';
import type { Attribution } from './attribution';

export const ASSERTIONS = ['violated', 'complied'] as const;
export const STANCES = ['denial', 'counter-accusation', 'acknowledgement', 'justification'] as const;
export const CATEGORIES = [
  'shelling',
  'air-strike',
  'drone-strike',
  'missile-strike',
  'small-arms',
  'ground-assault',
  'incursion',
  'ceasefire-statement',
  // Breaches of an agreement's non-military provisions (an exchange of bodies held up, say).
  'obstruction',
  'non-implementation',
  'other',
] as const;
export const OCCURRED_PRECISIONS = ['minute', 'hour', 'part-of-day', 'day', 'week', 'month', 'approximate'] as const;
export const LOCATION_PRECISIONS = ['exact', 'settlement', 'district', 'region'] as const;
export const ASSESSMENT_STATUSES = ['unverified', 'corroborated', 'contested', 'refuted', 'unverifiable'] as const;

export type Assertion = (typeof ASSERTIONS)[number];
export type Stance = (typeof STANCES)[number];
export type Category = (typeof CATEGORIES)[number];
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export interface Occurred {
  from: string;
  to?: string;
  precision: (typeof OCCURRED_PRECISIONS)[number];
  /** The time as the source wrote it ("overnight", "around noon"). */
  raw?: string;
}

export interface ClaimLocation {
  /** As reported, never "fixed"; contested names go in altNames (Stepanakert / Khankendi). */
  name: string;
  altNames: string[];
  lat?: number;
  lon?: number;
  precision?: (typeof LOCATION_PRECISIONS)[number];
  /** The gazetteer's place this is, beside the name as reported. */
  placeId?: string;
}

export interface CasualtyRange {
  min: number;
  max: number;
  /** The phrase as claimed ("dozens"). */
  raw?: string;
}
export interface CasualtyCounts {
  killed?: CasualtyRange;
  wounded?: CasualtyRange;
}
export interface Casualties {
  civilian?: CasualtyCounts;
  military?: CasualtyCounts;
}

/** What a claim says; each of these fields can be corrected. */
export interface ClaimContent {
  claimant: string;
  subject: string;
  assertion: Assertion;
  stance?: Stance;
  category: Category;
  occurred: Occurred;
  statedAt: string;
  location?: ClaimLocation;
  casualties?: Casualties;
  summary: string;
  attributions: Attribution[];
  /** The provision of an agreement the claim is about (an exchange of prisoners, say), if any. */
  provisionId?: string;
}
export type ClaimChanges = Partial<ClaimContent>;

export type ClaimRecorded = {
  type: 'ClaimRecorded';
  data: { claimId: string; conflictId: string; respondsTo?: string } & ClaimContent;
};
export type AttributionAdded = { type: 'AttributionAdded'; data: { claimId: string; attribution: Attribution } };
export type AttributionWithdrawn = {
  type: 'AttributionWithdrawn';
  data: { claimId: string; attributionId: string; reason: string };
};
export type CasualtiesRevised = {
  type: 'CasualtiesRevised';
  data: { claimId: string; casualties: Casualties; asOf: string; attributions: Attribution[] };
};
export type ClaimCorrected = { type: 'ClaimCorrected'; data: { claimId: string; changes: ClaimChanges; reason: string } };
export type ClaimRetracted = {
  type: 'ClaimRetracted';
  data: { claimId: string; statedAt: string; attributions: Attribution[] };
};
export type ClaimVoided = { type: 'ClaimVoided'; data: { claimId: string; reason: string } };
export type ClaimAssessed = {
  type: 'ClaimAssessed';
  data: { claimId: string; status: AssessmentStatus; rationale: string; evidence: string[] };
};
export type ClaimMarkedDuplicate = {
  type: 'ClaimMarkedDuplicate';
  data: { claimId: string; duplicateOf: string; reason: string };
};
/** The key of a confidential source's identity was destroyed: the identity is gone for good. */
export type AttributionIdentityShredded = { type: 'AttributionIdentityShredded'; data: { claimId: string; attributionId: string } };
export type ClaimEvent =
  | ClaimRecorded
  | AttributionIdentityShredded
  | AttributionAdded
  | AttributionWithdrawn
  | CasualtiesRevised
  | ClaimCorrected
  | ClaimRetracted
  | ClaimVoided
  | ClaimAssessed
  | ClaimMarkedDuplicate;

export const CLAIM_EVENT_TYPES: readonly ClaimEvent['type'][] = [
  'ClaimRecorded',
  'AttributionAdded',
  'AttributionWithdrawn',
  'CasualtiesRevised',
  'ClaimCorrected',
  'ClaimRetracted',
  'ClaimVoided',
  'ClaimAssessed',
  'ClaimMarkedDuplicate',
  'AttributionIdentityShredded',
];

/** The claim another claim answers, as found before deciding. */
export interface AnsweredClaim {
  claimId: string;
  conflictId: string;
}

/** The other claim named by a duplicate mark, as found before deciding. */
export interface DuplicateTarget {
  claimId: string;
  conflictId: string;
  duplicateOf: string | null;
  voided: boolean;
}

export type RecordClaim = {
  type: 'RecordClaim';
  claimId: string;
  conflictId: string;
  /** Set for a counterclaim (a response). */
  answers?: AnsweredClaim;
  content: ClaimContent;
  /** Ids of the parties of the claim's conflict. */
  partyIds: ReadonlySet<string>;
  /** Ids of the provisions of the conflict's agreements; looked up when the content names one. */
  provisionIds?: ReadonlySet<string>;
  /** Ids of the places of the conflict's gazetteer; looked up when the location names one. */
  placeIds?: ReadonlySet<string>;
  now: string;
};
export type AddAttribution = { type: 'AddAttribution'; attribution: Attribution };
export type WithdrawAttribution = { type: 'WithdrawAttribution'; attributionId: string; reason: string };
export type ReviseCasualties = {
  type: 'ReviseCasualties';
  casualties: Casualties;
  asOf: string;
  attributions: Attribution[];
  now: string;
};
export type CorrectClaim = {
  type: 'CorrectClaim';
  changes: ClaimChanges;
  reason: string;
  partyIds: ReadonlySet<string>;
  /** Ids of the provisions of the conflict's agreements; looked up when the changes name one. */
  provisionIds?: ReadonlySet<string>;
  /** Ids of the places of the conflict's gazetteer; looked up when the changes' location names one. */
  placeIds?: ReadonlySet<string>;
  now: string;
};
export type RetractClaim = { type: 'RetractClaim'; statedAt: string; attributions: Attribution[]; now: string };
export type VoidClaim = { type: 'VoidClaim'; reason: string };
export type AssessClaim = { type: 'AssessClaim'; status: AssessmentStatus; rationale: string; evidence: string[] };
export type ShredIdentity = { type: 'ShredIdentity'; attributionId: string };
export type MarkDuplicate = { type: 'MarkDuplicate'; duplicateOf: string; reason: string; target: DuplicateTarget | null };
export type ClaimCommand =
  | RecordClaim
  | AddAttribution
  | WithdrawAttribution
  | ReviseCasualties
  | CorrectClaim
  | RetractClaim
  | VoidClaim
  | AssessClaim
  | MarkDuplicate
  | ShredIdentity;

export interface RecordedClaim extends ClaimContent {
  claimId: string;
  conflictId: string;
  respondsTo?: string;
}

export type ClaimState =
  | { recorded: false }
  | {
      recorded: true;
      claim: RecordedClaim;
      /** Withdrawn attribution ids with the reason given. */
      withdrawn: Record<string, string>;
      retracted: { statedAt: string; attributions: Attribution[] } | null;
      voided: { reason: string } | null;
      duplicateOf: { claimId: string; reason: string } | null;
      assessments: ClaimAssessed['data'][];
      /** Every attribution any event of the claim named, and whether it holds a sealed identity. */
      sources: Record<string, { sealed: boolean }>;
      /** Attributions whose sealed identity was shredded. */
      shredded: string[];
    };

type Recorded = Extract<ClaimState, { recorded: true }>;

export const claimStreamId = (claimId: string) => `claim-${claimId}`;

/** Clocks differ a little: a statement is "in the future" only beyond this margin. */
export const CLOCK_SKEW_MS = 60_000;

export const claimDecider: Decider<ClaimCommand, ClaimState, ClaimEvent> = {
  initialState: () => ({ recorded: false }),

  evolve(state, event) {
    if (event.type === 'ClaimRecorded') {
      const fresh = { recorded: true as const, claim: event.data, withdrawn: {}, retracted: null, voided: null, duplicateOf: null, assessments: [], sources: {}, shredded: [] };
      return withSources(fresh, attributionsOf(event));
    }
    if (!state.recorded) return state;
    return withSources(evolveRecorded(state, event), attributionsOf(event));
  },

  decide(command, state) {
    if (command.type === 'RecordClaim') return recordClaim(command, state);
    if (!state.recorded) throw new NotFoundError('claim.not_found', 'No such claim');
    // Protecting a source outranks every other state: even a voided claim's source can be shredded.
    if (command.type === 'ShredIdentity') return shredIdentity(command, state);
    if (state.voided) throw new RuleViolation('claim.voided', `The claim was voided: ${state.voided.reason}`);
    const claimId = state.claim.claimId;
    switch (command.type) {
      case 'AddAttribution':
        if (state.claim.attributions.some((a) => a.attributionId === command.attribution.attributionId)) return [];
        return [{ type: 'AttributionAdded', data: { claimId, attribution: command.attribution } }];
      case 'WithdrawAttribution':
        return withdrawAttribution(command, state);
      case 'ReviseCasualties': {
        rejectIfRetracted(state);
        checkCasualties(command.casualties, 'casualties');
        checkNotFuture(command.asOf, command.now, 'asOf');
        if (instant(command.asOf) < instant(state.claim.statedAt)) {
          throw new RuleViolation('claim.revision_before_statement', 'A revision cannot predate the claim it revises', { field: 'asOf' });
        }
        const { casualties, asOf, attributions } = command;
        return [{ type: 'CasualtiesRevised', data: { claimId, casualties, asOf, attributions } }];
      }
      case 'CorrectClaim':
        return correctClaim(command, state);
      case 'RetractClaim': {
        rejectIfRetracted(state);
        checkNotFuture(command.statedAt, command.now, 'statedAt');
        if (instant(command.statedAt) < instant(state.claim.statedAt)) {
          throw new RuleViolation('claim.retraction_before_statement', 'A claim cannot be retracted before it was made', {
            field: 'statedAt',
          });
        }
        return [{ type: 'ClaimRetracted', data: { claimId, statedAt: command.statedAt, attributions: command.attributions } }];
      }
      case 'VoidClaim':
        return [{ type: 'ClaimVoided', data: { claimId, reason: command.reason } }];
      case 'AssessClaim': {
        const latest = state.assessments[state.assessments.length - 1];
        const { status, rationale, evidence } = command;
        if (latest && latest.status === status && latest.rationale === rationale && sameValue(latest.evidence, evidence)) return [];
        return [{ type: 'ClaimAssessed', data: { claimId, status, rationale, evidence } }];
      }
      case 'MarkDuplicate':
        return markDuplicate(command, state);
      default:
        return assertNever(command);
    }
  },
};

function evolveRecorded(state: Recorded, event: Exclude<ClaimEvent, ClaimRecorded>): Recorded {
  switch (event.type) {
    case 'AttributionAdded':
      return { ...state, claim: { ...state.claim, attributions: [...state.claim.attributions, event.data.attribution] } };
    case 'AttributionWithdrawn':
      return { ...state, withdrawn: { ...state.withdrawn, [event.data.attributionId]: event.data.reason } };
    case 'CasualtiesRevised':
      return { ...state, claim: { ...state.claim, casualties: event.data.casualties } };
    case 'ClaimCorrected':
      return { ...state, claim: { ...state.claim, ...event.data.changes } };
    case 'ClaimRetracted':
      return { ...state, retracted: { statedAt: event.data.statedAt, attributions: event.data.attributions } };
    case 'ClaimVoided':
      return { ...state, voided: { reason: event.data.reason } };
    case 'ClaimAssessed':
      return { ...state, assessments: [...state.assessments, event.data] };
    case 'ClaimMarkedDuplicate':
      return { ...state, duplicateOf: { claimId: event.data.duplicateOf, reason: event.data.reason } };
    case 'AttributionIdentityShredded':
      return { ...state, shredded: [...state.shredded, event.data.attributionId] };
    default:
      return assertNever(event);
  }
}

/** The attributions an event names, sealed or not. */
function attributionsOf(event: ClaimEvent): Attribution[] {
  switch (event.type) {
    case 'ClaimRecorded':
    case 'CasualtiesRevised':
    case 'ClaimRetracted':
      return event.data.attributions;
    case 'AttributionAdded':
      return [event.data.attribution];
    case 'ClaimCorrected':
      return event.data.changes.attributions ?? [];
    default:
      return [];
  }
}

function withSources(state: Recorded, attributions: Attribution[]): Recorded {
  if (attributions.length === 0) return state;
  const sources = { ...state.sources };
  for (const a of attributions) sources[a.attributionId] = { sealed: a.protectedIdentity !== undefined };
  return { ...state, sources };
}

function recordClaim(command: RecordClaim, state: ClaimState): ClaimEvent[] {
  if (state.recorded) throw new RuleViolation('claim.already_recorded', 'This claim is already recorded');
  const { claimId, conflictId, answers, content } = command;
  if (answers) {
    if (answers.conflictId !== conflictId) {
      throw new RuleViolation('claim.response_other_conflict', 'A counterclaim must answer a claim of the same conflict', {
        field: 'respondsTo',
      });
    }
    if (answers.claimId === claimId) throw new RuleViolation('claim.responds_to_self', 'A claim cannot answer itself');
    if (!content.stance) throw new RuleViolation('claim.response_without_stance', 'A counterclaim needs a stance', { field: 'stance' });
  }
  checkContent(content, { isResponse: !!answers, partyIds: command.partyIds, now: command.now });
  checkProvision(content.provisionId, command.provisionIds);
  checkPlace(content.location?.placeId, command.placeIds);
  const data = { claimId, conflictId, ...(answers ? { respondsTo: answers.claimId } : {}), ...content };
  return [{ type: 'ClaimRecorded', data }];
}

function correctClaim(command: CorrectClaim, state: Recorded): ClaimEvent[] {
  rejectIfRetracted(state);
  const changes = Object.fromEntries(
    Object.entries(command.changes).filter(([field, value]) => !sameValue(value, state.claim[field as keyof ClaimContent])),
  ) as ClaimChanges;
  if (Object.keys(changes).length === 0) return [];
  const corrected = { ...state.claim, ...changes };
  checkContent(corrected, { isResponse: corrected.respondsTo !== undefined, partyIds: command.partyIds, now: command.now });
  checkProvision(changes.provisionId, command.provisionIds, 'changes.provisionId');
  checkPlace(changes.location?.placeId, command.placeIds, 'changes.location.placeId');
  return [{ type: 'ClaimCorrected', data: { claimId: state.claim.claimId, changes, reason: command.reason } }];
}

function withdrawAttribution(command: WithdrawAttribution, state: Recorded): ClaimEvent[] {
  const { attributionId, reason } = command;
  if (!state.claim.attributions.some((a) => a.attributionId === attributionId)) {
    throw new NotFoundError('attribution.not_found', 'The claim has no such attribution');
  }
  if (Object.hasOwn(state.withdrawn, attributionId)) return [];
  const remaining = state.claim.attributions.filter((a) => a.attributionId !== attributionId && !Object.hasOwn(state.withdrawn, a.attributionId));
  if (remaining.length === 0) {
    throw new RuleViolation('claim.last_attribution', 'A claim keeps at least one source: add another before withdrawing this one');
  }
  return [{ type: 'AttributionWithdrawn', data: { claimId: state.claim.claimId, attributionId, reason } }];
}

function markDuplicate(command: MarkDuplicate, state: Recorded): ClaimEvent[] {
  const { claimId, conflictId } = state.claim;
  if (command.duplicateOf === claimId) {
    throw new RuleViolation('claim.duplicate_of_self', 'A claim cannot be a duplicate of itself', { field: 'claimId' });
  }
  if (state.duplicateOf) {
    if (state.duplicateOf.claimId === command.duplicateOf) return [];
    throw new RuleViolation('claim.already_duplicate', `The claim is already marked a duplicate of ${state.duplicateOf.claimId}`);
  }
  const { target } = command;
  if (!target) throw new RuleViolation('claim.unknown_duplicate_target', 'No claim has that id', { field: 'claimId' });
  if (target.conflictId !== conflictId) {
    throw new RuleViolation('claim.duplicate_other_conflict', 'A duplicate must point to a claim of the same conflict', {
      field: 'claimId',
    });
  }
  if (target.duplicateOf === claimId) {
    throw new RuleViolation('claim.duplicate_cycle', 'That claim is itself marked a duplicate of this one', { field: 'claimId' });
  }
  // Only a counted original: no chains of duplicates, no counting for a claim that was never made.
  if (target.duplicateOf !== null) {
    throw new RuleViolation('claim.duplicate_of_duplicate', `That claim is itself a duplicate of ${target.duplicateOf}: point to the original`, {
      field: 'claimId',
    });
  }
  if (target.voided) {
    throw new RuleViolation('claim.duplicate_of_voided', 'That claim was voided: a duplicate must point to a claim that stands', { field: 'claimId' });
  }
  return [{ type: 'ClaimMarkedDuplicate', data: { claimId, duplicateOf: command.duplicateOf, reason: command.reason } }];
}

/** Any source the claim ever named can be shredded: its sealed identity stays in the log's history. */
function shredIdentity({ attributionId }: ShredIdentity, state: Recorded): ClaimEvent[] {
  const source = Object.hasOwn(state.sources, attributionId) ? state.sources[attributionId] : undefined;
  if (!source) throw new NotFoundError('attribution.not_found', 'The claim has no such attribution');
  if (!source.sealed) {
    throw new RuleViolation('attribution.not_sealed', 'This attribution holds no protected identity to shred');
  }
  if (state.shredded.includes(attributionId)) return [];
  return [{ type: 'AttributionIdentityShredded', data: { claimId: state.claim.claimId, attributionId } }];
}

function rejectIfRetracted(state: Recorded): void {
  if (state.retracted) {
    throw new RuleViolation('claim.retracted', `The claimant retracted this claim on ${state.retracted.statedAt}; it takes no further corrections`);
  }
}

/** The rules of DESIGN §4 that hold for every version of a claim's content. */
function checkContent(content: ClaimContent, { isResponse, partyIds, now }: { isResponse: boolean; partyIds: ReadonlySet<string>; now: string }): void {
  for (const field of ['claimant', 'subject'] as const) {
    if (!partyIds.has(content[field])) {
      throw new RuleViolation('claim.unknown_party', `${field} is not a party to this conflict`, { field });
    }
  }
  if (content.stance && !isResponse) {
    throw new RuleViolation('claim.stance_without_response', 'Only a counterclaim has a stance', { field: 'stance' });
  }
  if (isResponse && !content.stance) {
    throw new RuleViolation('claim.response_without_stance', 'A counterclaim needs a stance', { field: 'stance' });
  }
  if (content.assertion === 'violated' && content.subject === content.claimant && content.stance !== 'acknowledgement') {
    throw new RuleViolation('claim.self_accusation', 'A party accuses itself only with the stance "acknowledgement"', {
      field: 'subject',
    });
  }
  const { occurred } = content;
  if (occurred.to !== undefined && instant(occurred.to) < instant(occurred.from)) {
    throw new RuleViolation('claim.occurred_range', 'occurred.to is before occurred.from', { field: 'occurred.to' });
  }
  if (instant(occurred.from) > instant(content.statedAt)) {
    throw new RuleViolation('claim.occurred_after_statement', 'Nothing can be said to have happened after it was said', {
      field: 'occurred.from',
    });
  }
  checkNotFuture(content.statedAt, now, 'statedAt');
  if (content.casualties) checkCasualties(content.casualties, 'casualties');
  if (content.attributions.length === 0) {
    throw new RuleViolation('claim.no_attribution', 'A claim needs at least one source', { field: 'attributions' });
  }
}

/** A provision a claim names must be one of its conflict's agreements'. */
function checkProvision(provisionId: string | undefined, provisionIds: ReadonlySet<string> = new Set(), field = 'provisionId'): void {
  if (provisionId !== undefined && !provisionIds.has(provisionId)) {
    throw new RuleViolation('claim.unknown_provision', `${field} is not a provision of an agreement of this conflict`, { field });
  }
}

/** A place a claim's location names must be in its conflict's gazetteer. */
function checkPlace(placeId: string | undefined, placeIds: ReadonlySet<string> = new Set(), field = 'location.placeId'): void {
  if (placeId !== undefined && !placeIds.has(placeId)) {
    throw new RuleViolation('claim.unknown_place', `${field} is not a place of this conflict's gazetteer`, { field });
  }
}

function checkNotFuture(at: string, now: string, field: string): void {
  if (instant(at) > instant(now) + CLOCK_SKEW_MS) {
    throw new RuleViolation('claim.stated_in_future', `${field} is in the future`, { field });
  }
}

function checkCasualties(casualties: Casualties, path: string): void {
  for (const group of ['civilian', 'military'] as const) {
    for (const kind of ['killed', 'wounded'] as const) {
      const range = casualties[group]?.[kind];
      if (range && range.min > range.max) {
        throw new RuleViolation('claim.casualties_range', `${path}.${group}.${kind}: min is greater than max`, {
          field: `${path}.${group}.${kind}`,
        });
      }
    }
  }
}
