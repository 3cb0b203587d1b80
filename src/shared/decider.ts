import canonicalize from 'canonicalize';
import { DomainError } from './domain-error';

/** A stream's behaviour as three pure functions (STYLE C4): no clock, no randomness, no I/O. */
export interface Decider<Command, State, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** The events that carry out `command` in `state`; `[]` when its outcome already holds. */
  decide(command: Command, state: State): Event[];
}

/** A broken domain rule (DESIGN §4): 422 with a stable code. */
export class RuleViolation extends DomainError {
  readonly kind = 'rule';
  constructor(code: string, message: string, extensions: Record<string, unknown> = {}) {
    super(code, message, extensions);
  }
}

export function fold<S, E>(decider: Pick<Decider<unknown, S, E>, 'initialState' | 'evolve'>, events: readonly E[]): S {
  return events.reduce(decider.evolve, decider.initialState());
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

/** Instants are ISO 8601 strings with an offset; they compare by the moment they name. */
export const instant = (iso: string): number => Date.parse(iso);

/** Whether two JSON values are equal, whatever their key order. */
export const sameValue = (a: unknown, b: unknown): boolean => canonicalize(a ?? null) === canonicalize(b ?? null);
