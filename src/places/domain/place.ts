import { NotFoundError } from '../../shared/domain-error';
import { assertNever, type Decider, RuleViolation, sameValue } from '../../shared/decider';
import { foldName } from './place-names';

export const PLACE_KINDS = ['settlement', 'district', 'region', 'site'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** One name of a place, with who uses it: no name is "the right one". */
export interface PlaceName {
  name: string;
  /** BCP 47 language tag of the name as written (az, hy, ru, en…). */
  language?: string;
  /** The parties that use this name. */
  usedBy: string[];
}

export interface PlaceDetails {
  names: PlaceName[];
  lat: number;
  lon: number;
  kind: PlaceKind;
  /** The place it lies in (a district's region, a village's district). */
  parent?: string;
}
export type PlaceChanges = Partial<Omit<PlaceDetails, 'names'>>;

// Every event names its conflict: the gazetteer of a conflict is read by that key.
export type PlaceRegistered = { type: 'PlaceRegistered'; data: { placeId: string; conflictId: string } & PlaceDetails };
export type PlaceNamesAdded = { type: 'PlaceNamesAdded'; data: { placeId: string; conflictId: string; names: PlaceName[] } };
export type PlaceCorrected = { type: 'PlaceCorrected'; data: { placeId: string; conflictId: string; changes: PlaceChanges; reason: string } };
export type PlaceEvent = PlaceRegistered | PlaceNamesAdded | PlaceCorrected;
export const PLACE_EVENT_TYPES: readonly PlaceEvent['type'][] = ['PlaceRegistered', 'PlaceNamesAdded', 'PlaceCorrected'];

/** What the decider needs to know about the conflict, looked up before deciding. */
export interface PlaceContext {
  partyIds: ReadonlySet<string>;
  /** Ids of the places registered in the same conflict. */
  placeIds: ReadonlySet<string>;
}

export type RegisterPlace = { type: 'RegisterPlace'; placeId: string; conflictId: string; details: PlaceDetails; context: PlaceContext };
export type AddPlaceNames = { type: 'AddPlaceNames'; names: PlaceName[]; context: PlaceContext };
export type CorrectPlace = { type: 'CorrectPlace'; changes: PlaceChanges; reason: string; context: PlaceContext };
export type PlaceCommand = RegisterPlace | AddPlaceNames | CorrectPlace;

export type PlaceState = { registered: false } | ({ registered: true; placeId: string; conflictId: string } & PlaceDetails);

export const placeStreamId = (placeId: string) => `place-${placeId}`;

/** Two names are one when they fold to the same letters in the same language. */
const nameKey = (n: PlaceName) => `${foldName(n.name)}|${n.language ?? ''}`;

export const placeDecider: Decider<PlaceCommand, PlaceState, PlaceEvent> = {
  initialState: () => ({ registered: false }),

  evolve(state, event) {
    switch (event.type) {
      case 'PlaceRegistered':
        return { registered: true, ...event.data };
      case 'PlaceNamesAdded':
        return state.registered ? { ...state, names: [...state.names, ...event.data.names] } : state;
      case 'PlaceCorrected':
        return state.registered ? { ...state, ...event.data.changes } : state;
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterPlace': {
        if (state.registered) throw new RuleViolation('place.already_registered', 'This place is already registered');
        const { placeId, conflictId, details, context } = command;
        checkNames(details.names, context, 'names');
        checkDetails(placeId, details, context);
        return [{ type: 'PlaceRegistered', data: { placeId, conflictId, ...details } }];
      }
      case 'AddPlaceNames': {
        if (!state.registered) throw new NotFoundError('place.not_found', 'No such place');
        checkNames(command.names, command.context, 'names');
        const known = new Set(state.names.map(nameKey));
        const added = command.names.filter((n) => !known.has(nameKey(n)));
        if (added.length === 0) return [];
        return [{ type: 'PlaceNamesAdded', data: { placeId: state.placeId, conflictId: state.conflictId, names: added } }];
      }
      case 'CorrectPlace': {
        if (!state.registered) throw new NotFoundError('place.not_found', 'No such place');
        const changes = Object.fromEntries(
          Object.entries(command.changes).filter(([field, value]) => !sameValue(value, state[field as keyof PlaceDetails])),
        ) as PlaceChanges;
        if (Object.keys(changes).length === 0) return [];
        const { registered: _, placeId, conflictId, ...current } = state;
        checkDetails(placeId, { ...current, ...changes }, command.context, 'changes.');
        return [{ type: 'PlaceCorrected', data: { placeId, conflictId, changes, reason: command.reason } }];
      }
      default:
        return assertNever(command);
    }
  },
};

function checkNames(names: readonly PlaceName[], { partyIds }: PlaceContext, field: string): void {
  if (names.length === 0 || names.some((n) => foldName(n.name) === '')) {
    throw new RuleViolation('place.no_name', 'A place needs at least one name, and every name needs letters', { field });
  }
  const keys = names.map(nameKey);
  if (new Set(keys).size !== keys.length) {
    throw new RuleViolation('place.duplicate_name', 'The same name is given twice in the same language', { field });
  }
  const unknown = names.flatMap((n) => n.usedBy).filter((id) => !partyIds.has(id));
  if (unknown.length > 0) {
    throw new RuleViolation('place.unknown_party', `usedBy names parties that are not in this conflict: ${unknown.join(', ')}`, { field });
  }
}

function checkDetails(placeId: string, d: Omit<PlaceDetails, 'names'>, { placeIds }: PlaceContext, prefix = ''): void {
  if (!(d.lat >= -90 && d.lat <= 90)) throw new RuleViolation('place.coordinates', 'lat must be between -90 and 90', { field: `${prefix}lat` });
  if (!(d.lon >= -180 && d.lon <= 180)) throw new RuleViolation('place.coordinates', 'lon must be between -180 and 180', { field: `${prefix}lon` });
  if (d.parent === undefined) return;
  if (d.parent === placeId) throw new RuleViolation('place.self_parent', 'A place cannot lie in itself', { field: `${prefix}parent` });
  if (!placeIds.has(d.parent)) {
    throw new RuleViolation('place.unknown_place', 'parent is not a place of this conflict', { field: `${prefix}parent` });
  }
}
