import { NotFoundError } from '../../shared/domain-error';
import { assertNever, type Decider } from '../../shared/decider';
import type { Role } from '../roles';

/** Every token ever issued and revoked, in one stream. */
export const ACCESS_STREAM = 'access';

export type TokenIssued = { type: 'TokenIssued'; data: { tokenId: string; name: string; role: Role } };
export type TokenRevoked = { type: 'TokenRevoked'; data: { tokenId: string } };
export type AccessEvent = TokenIssued | TokenRevoked;

export type IssueToken = { type: 'IssueToken'; tokenId: string; name: string; role: Role };
export type RevokeToken = { type: 'RevokeToken'; tokenId: string };
export type AccessCommand = IssueToken | RevokeToken;

export interface AccessState {
  tokens: Record<string, { name: string; role: Role; revoked: boolean }>;
}

export const accessDecider: Decider<AccessCommand, AccessState, AccessEvent> = {
  initialState: () => ({ tokens: {} }),

  evolve(state, event) {
    switch (event.type) {
      case 'TokenIssued': {
        const { tokenId, name, role } = event.data;
        return { tokens: { ...state.tokens, [tokenId]: { name, role, revoked: false } } };
      }
      case 'TokenRevoked': {
        const token = state.tokens[event.data.tokenId];
        return token ? { tokens: { ...state.tokens, [event.data.tokenId]: { ...token, revoked: true } } } : state;
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'IssueToken': {
        if (Object.hasOwn(state.tokens, command.tokenId)) return [];
        const { tokenId, name, role } = command;
        return [{ type: 'TokenIssued', data: { tokenId, name, role } }];
      }
      case 'RevokeToken': {
        const token = Object.hasOwn(state.tokens, command.tokenId) ? state.tokens[command.tokenId] : undefined;
        if (!token) throw new NotFoundError('token.not_found', 'No such token');
        return token.revoked ? [] : [{ type: 'TokenRevoked', data: { tokenId: command.tokenId } }];
      }
      default:
        return assertNever(command);
    }
  },
};
