import { expect } from '@jest/globals';
import { type Decider, fold, RuleViolation } from '../../src/shared/decider';
import { DomainError, NotFoundError } from '../../src/shared/domain-error';

export interface ThrowsOptions {
  /** The error class expected: a broken rule (422, the default) or a missing stream (404). */
  as?: typeof RuleViolation | typeof NotFoundError;
  /** The problem-details members the error must carry, exactly (for instance `{ field: 'stance' }`). */
  extensions?: Record<string, unknown>;
}

/**
 * Given/when/then for a pure decider, after Emmett's DeciderSpecification:
 * `spec(decider).given(...events).when(command).then(...events)`, `.thenNothingHappened()` or
 * `.thenThrows(code)`; `spec(decider).given(...events).state` is what the events fold into.
 */
export function spec<Command, State, Event>(decider: Decider<Command, State, Event>) {
  return {
    given(...events: Event[]) {
      const state = fold(decider, events);
      return {
        /** The state the given events fold into, for what evolve alone decides. */
        state,
        when(command: Command) {
          const decide = () => decider.decide(command, state);
          return {
            then(...expected: Event[]) {
              expect(decide()).toStrictEqual(expected);
            },
            thenNothingHappened() {
              expect(decide()).toStrictEqual([]);
            },
            thenThrows(code: string, { as = RuleViolation, extensions }: ThrowsOptions = {}) {
              let events: Event[];
              try {
                events = decide();
              } catch (error) {
                if (!(error instanceof DomainError)) throw error; // a crash, not a decision: show it as it is
                expect(error).toBeInstanceOf(as);
                expect(error.code).toBe(code);
                if (extensions) expect(error.extensions).toStrictEqual(extensions);
                return;
              }
              throw new Error(`Expected ${as.name} ${code}, but decide returned ${JSON.stringify(events)}`);
            },
          };
        },
      };
    },
  };
}
