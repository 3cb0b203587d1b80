// Claims in plain words, and what a response's stance suggests. Pure: tested beside the API's tests.
import type { components } from '../../api/schema';

type Assertion = components['schemas']['Assertion'];
type Stance = components['schemas']['Stance'];

export interface PartyNames {
  name(id: string): string;
}

/** "Azerbaijan accuses Armenia of violating the truce"; "Armenia says it complied". */
export function claimSentence(claim: { claimant: string; subject: string; assertion: Assertion }, parties: PartyNames): string {
  const claimant = parties.name(claim.claimant);
  const self = claim.claimant === claim.subject;
  if (claim.assertion === 'violated') {
    return self ? `${claimant} acknowledges violating the truce` : `${claimant} accuses ${parties.name(claim.subject)} of violating the truce`;
  }
  return self ? `${claimant} says it complied` : `${claimant} says ${parties.name(claim.subject)} complied`;
}

export const STANCE_WORDS: Record<Stance, string> = {
  denial: 'denial',
  'counter-accusation': 'counter-accusation',
  acknowledgement: 'acknowledgement',
  justification: 'justification',
};

/**
 * What a response with this stance usually says (DESIGN §6): a denial is the responder about
 * itself, complied; a counter-accusation is the responder about the original claimant, violated;
 * an acknowledgement or a justification is the responder owning up to the original claim.
 */
export function suggestedResponse(stance: Stance, responder: string, original: { claimant: string; subject: string }): { subject: string; assertion: Assertion } {
  switch (stance) {
    case 'denial':
      return { subject: responder, assertion: 'complied' };
    case 'counter-accusation':
      return { subject: original.claimant, assertion: 'violated' };
    case 'acknowledgement':
    case 'justification':
      return { subject: responder, assertion: 'violated' };
  }
}

/** The responder is usually the party the original claim was about. */
export const suggestedResponder = (original: { subject: string; claimant: string }) => original.subject;
