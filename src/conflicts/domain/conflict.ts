import { NotFoundError } from '../../shared/domain-error';
import { assertNever, type Decider, RuleViolation } from '../../shared/decider';

export const PARTY_KINDS = ['state', 'armed-group', 'de-facto-authority', 'mediator', 'observer', 'other'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export interface Party {
  partyId: string;
  name: string;
  shortName?: string;
  kind: PartyKind;
  aliases: string[];
}

export type ConflictRegistered = {
  type: 'ConflictRegistered';
  data: { conflictId: string; name: string; region?: string; timeZone: string; description?: string };
};
export type PartyAdded = { type: 'PartyAdded'; data: { conflictId: string } & Party };
export type ConflictEvent = ConflictRegistered | PartyAdded;

export type RegisterConflict = {
  type: 'RegisterConflict';
  conflictId: string;
  name: string;
  region?: string;
  timeZone: string;
  description?: string;
};
export type AddParty = { type: 'AddParty'; party: Party };
export type ConflictCommand = RegisterConflict | AddParty;

export interface ConflictState {
  conflictId: string | null;
  name: string;
  region?: string;
  timeZone: string;
  description?: string;
  parties: Party[];
}

export const conflictStreamId = (conflictId: string) => `conflict-${conflictId}`;

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

export const conflictDecider: Decider<ConflictCommand, ConflictState, ConflictEvent> = {
  initialState: () => ({ conflictId: null, name: '', timeZone: 'UTC', parties: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'ConflictRegistered':
        return { ...state, ...event.data };
      case 'PartyAdded': {
        const { conflictId: _, ...party } = event.data;
        return { ...state, parties: [...state.parties, party] };
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterConflict': {
        if (state.conflictId !== null) {
          throw new RuleViolation('conflict.already_registered', `Conflict ${state.conflictId} is already registered`);
        }
        const { type: _, ...data } = command;
        return [{ type: 'ConflictRegistered', data }];
      }
      case 'AddParty': {
        if (state.conflictId === null) throw new NotFoundError('conflict.not_found', 'No such conflict');
        const { party } = command;
        if (state.parties.some((p) => p.partyId === party.partyId)) return [];
        const clash = state.parties.find((p) => sameName(p.name, party.name));
        if (clash) {
          throw new RuleViolation('party.duplicate_name', `The conflict already has a party named "${clash.name}"`, {
            partyId: clash.partyId,
          });
        }
        return [{ type: 'PartyAdded', data: { conflictId: state.conflictId, ...party } }];
      }
      default:
        return assertNever(command);
    }
  },
};
