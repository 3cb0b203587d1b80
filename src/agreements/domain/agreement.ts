import type { Attribution } from '../../claims/domain/attribution';
import { NotFoundError } from '../../shared/domain-error';
import { assertNever, type Decider, instant, RuleViolation, sameValue } from '../../shared/decider';

export const AGREEMENT_KINDS = ['humanitarian-truce', 'ceasefire', 'armistice', 'other'] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];
export const EFFECTIVE_FROM_BASES = ['stated', 'inferred', 'assumed'] as const;
export const PROVISION_KINDS = [
  'cessation-of-hostilities',
  'exchange-of-prisoners',
  'exchange-of-bodies',
  'humanitarian-access',
  'withdrawal',
  'monitoring',
  'other',
] as const;
export type ProvisionKind = (typeof PROVISION_KINDS)[number];

/** One undertaking of an agreement ("exchange the bodies of the dead"), which claims may be about. */
export interface Provision {
  provisionId: string;
  kind: ProvisionKind;
  /** The words of the agreement. */
  text: string;
}

export interface EffectiveFrom {
  /** The instant the agreement took effect, as read from `raw`. */
  at: string;
  /** The text as agreed ("12:00 on 10 October"), kept beside its reading. */
  raw?: string;
  timeZone: string;
  basis: (typeof EFFECTIVE_FROM_BASES)[number];
}

export interface AgreementTerms {
  title: string;
  kind: AgreementKind;
  signatories: string[];
  mediators: string[];
  agreedAt?: string;
  effectiveFrom: EffectiveFrom;
  terms?: string;
  reaffirms: string[];
  /** Empty for agreements recorded before provisions were kept. */
  provisions: Provision[];
  attributions: Attribution[];
}

export type AgreementChanges = Partial<AgreementTerms>;

/** Agreements recorded before provisions were kept have none in their event. */
export type AgreementRecorded = {
  type: 'AgreementRecorded';
  data: { agreementId: string; conflictId: string } & Omit<AgreementTerms, 'provisions'> & { provisions?: Provision[] };
};
export type AgreementCorrected = { type: 'AgreementCorrected'; data: { agreementId: string; changes: AgreementChanges; reason: string } };
export type AgreementEnded = {
  type: 'AgreementEnded';
  data: { agreementId: string; endedAt: string; reason: string; supersededBy?: string };
};
export type AgreementEvent = AgreementRecorded | AgreementCorrected | AgreementEnded;

/** What the decider needs to know about the conflict, looked up before deciding. */
export interface AgreementContext {
  partyIds: ReadonlySet<string>;
  /** Ids of the agreements recorded in the same conflict. */
  agreementIds: ReadonlySet<string>;
}

export type RecordAgreement = {
  type: 'RecordAgreement';
  agreementId: string;
  conflictId: string;
  terms: AgreementTerms;
  context: AgreementContext;
};
export type CorrectAgreement = { type: 'CorrectAgreement'; changes: AgreementChanges; reason: string; context: AgreementContext };
export type EndAgreement = {
  type: 'EndAgreement';
  endedAt: string;
  reason: string;
  supersededBy?: string;
  context: AgreementContext;
};
export type AgreementCommand = RecordAgreement | CorrectAgreement | EndAgreement;

export type AgreementState =
  | { recorded: false }
  | ({ recorded: true; agreementId: string; conflictId: string; ended: { endedAt: string; reason: string; supersededBy?: string } | null } & AgreementTerms);

export const agreementStreamId = (agreementId: string) => `agreement-${agreementId}`;

export const agreementDecider: Decider<AgreementCommand, AgreementState, AgreementEvent> = {
  initialState: () => ({ recorded: false }),

  evolve(state, event) {
    switch (event.type) {
      case 'AgreementRecorded':
        return { recorded: true, ended: null, ...event.data, provisions: event.data.provisions ?? [] };
      case 'AgreementCorrected':
        return state.recorded ? { ...state, ...event.data.changes } : state;
      case 'AgreementEnded': {
        const { agreementId: _, ...ended } = event.data;
        return state.recorded ? { ...state, ended } : state;
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RecordAgreement': {
        if (state.recorded) throw new RuleViolation('agreement.already_recorded', 'This agreement is already recorded');
        checkTerms(command.agreementId, command.terms, command.context);
        const data = { agreementId: command.agreementId, conflictId: command.conflictId, ...command.terms };
        return [{ type: 'AgreementRecorded', data }];
      }
      case 'CorrectAgreement': {
        if (!state.recorded) throw new NotFoundError('agreement.not_found', 'No such agreement');
        const changed = Object.fromEntries(
          Object.entries(command.changes).filter(([field, value]) => !sameValue(value, state[field as keyof AgreementTerms])),
        ) as AgreementChanges;
        if (Object.keys(changed).length === 0) return [];
        const { recorded: _r, agreementId, conflictId: _c, ended, ...current } = state;
        const corrected = { ...current, ...changed };
        checkTerms(agreementId, corrected, command.context);
        if (ended) checkEnd(corrected, ended.endedAt);
        return [{ type: 'AgreementCorrected', data: { agreementId, changes: changed, reason: command.reason } }];
      }
      case 'EndAgreement': {
        if (!state.recorded) throw new NotFoundError('agreement.not_found', 'No such agreement');
        if (state.ended) {
          throw new RuleViolation('agreement.already_ended', `The agreement already ended at ${state.ended.endedAt}`);
        }
        checkEnd(state, command.endedAt);
        if (command.supersededBy !== undefined) {
          if (command.supersededBy === state.agreementId) {
            throw new RuleViolation('agreement.self_reference', 'An agreement cannot supersede itself');
          }
          if (!command.context.agreementIds.has(command.supersededBy)) {
            throw new RuleViolation('agreement.unknown_agreement', 'supersededBy is not an agreement of this conflict', {
              field: 'supersededBy',
            });
          }
        }
        const { endedAt, reason, supersededBy } = command;
        return [{ type: 'AgreementEnded', data: { agreementId: state.agreementId, endedAt, reason, ...(supersededBy ? { supersededBy } : {}) } }];
      }
      default:
        return assertNever(command);
    }
  },
};

function checkTerms(agreementId: string, terms: AgreementTerms, { partyIds, agreementIds }: AgreementContext): void {
  if (new Set(terms.signatories).size < 2) {
    throw new RuleViolation('agreement.too_few_signatories', 'An agreement needs at least two distinct signatories');
  }
  for (const [field, ids] of [['signatories', terms.signatories], ['mediators', terms.mediators]] as const) {
    const unknown = ids.filter((id) => !partyIds.has(id));
    if (unknown.length > 0) {
      throw new RuleViolation('agreement.unknown_party', `${field} names parties that are not in this conflict: ${unknown.join(', ')}`, {
        field,
      });
    }
  }
  if (terms.reaffirms.includes(agreementId)) {
    throw new RuleViolation('agreement.self_reference', 'An agreement cannot reaffirm itself');
  }
  const provisionIds = terms.provisions.map((p) => p.provisionId);
  const repeated = provisionIds.find((id, i) => provisionIds.indexOf(id) !== i);
  if (repeated !== undefined) {
    throw new RuleViolation('agreement.duplicate_provision', `provisions name ${repeated} twice`, { field: 'provisions' });
  }
  const unknown = terms.reaffirms.filter((id) => !agreementIds.has(id));
  if (unknown.length > 0) {
    throw new RuleViolation('agreement.unknown_agreement', `reaffirms names agreements that are not in this conflict: ${unknown.join(', ')}`, {
      field: 'reaffirms',
    });
  }
}

function checkEnd(terms: AgreementTerms, endedAt: string): void {
  if (instant(endedAt) < instant(terms.effectiveFrom.at)) {
    throw new RuleViolation('agreement.ends_before_start', 'An agreement cannot end before it took effect');
  }
}
