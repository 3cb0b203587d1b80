import { type AssessmentStatus, type Occurred } from '../../claims/domain/claim';
import { NotFoundError } from '../../shared/domain-error';
import { assertNever, type Decider, instant, RuleViolation } from '../../shared/decider';

/**
 * An incident: one happening (a strike on Ganja overnight), with every account of it gathered —
 * each side's claim, the denial, the counter-accusation. Journalists open incidents and link
 * claims to them; editors unlink and assess.
 */
export interface IncidentDetails {
  title: string;
  occurred: Occurred;
  placeId?: string;
}

// Every event names its conflict: a conflict's incidents are read by that key.
export type IncidentOpened = { type: 'IncidentOpened'; data: { incidentId: string; conflictId: string } & IncidentDetails };
export type ClaimLinkedToIncident = { type: 'ClaimLinkedToIncident'; data: { incidentId: string; conflictId: string; claimId: string; reason: string } };
export type ClaimUnlinkedFromIncident = {
  type: 'ClaimUnlinkedFromIncident';
  data: { incidentId: string; conflictId: string; claimId: string; reason: string };
};
export type IncidentAssessed = { type: 'IncidentAssessed'; data: { incidentId: string; conflictId: string; status: AssessmentStatus; rationale: string } };
export type IncidentEvent = IncidentOpened | ClaimLinkedToIncident | ClaimUnlinkedFromIncident | IncidentAssessed;
export const INCIDENT_EVENT_TYPES: readonly IncidentEvent['type'][] = ['IncidentOpened', 'ClaimLinkedToIncident', 'ClaimUnlinkedFromIncident', 'IncidentAssessed'];

/** The claim a link names, as found before deciding (null: no such claim). */
export interface LinkedClaim {
  claimId: string;
  conflictId: string;
}

export type OpenIncident = {
  type: 'OpenIncident';
  incidentId: string;
  conflictId: string;
  details: IncidentDetails;
  /** Ids of the places of the conflict's gazetteer. */
  placeIds: ReadonlySet<string>;
};
export type LinkClaim = { type: 'LinkClaim'; claimId: string; claim: LinkedClaim | null; reason: string };
export type UnlinkClaim = { type: 'UnlinkClaim'; claimId: string; reason: string };
export type AssessIncident = { type: 'AssessIncident'; status: AssessmentStatus; rationale: string };
export type IncidentCommand = OpenIncident | LinkClaim | UnlinkClaim | AssessIncident;

export type IncidentState =
  | { opened: false }
  | ({
      opened: true;
      incidentId: string;
      conflictId: string;
      /** The linked claims, in the order they were linked. */
      claimIds: string[];
      assessment: { status: AssessmentStatus; rationale: string } | null;
    } & IncidentDetails);

export const incidentStreamId = (incidentId: string) => `incident-${incidentId}`;

export const incidentDecider: Decider<IncidentCommand, IncidentState, IncidentEvent> = {
  initialState: () => ({ opened: false }),

  evolve(state, event) {
    if (event.type === 'IncidentOpened') return { opened: true, claimIds: [], assessment: null, ...event.data };
    if (!state.opened) return state;
    switch (event.type) {
      case 'ClaimLinkedToIncident':
        return { ...state, claimIds: [...state.claimIds, event.data.claimId] };
      case 'ClaimUnlinkedFromIncident':
        return { ...state, claimIds: state.claimIds.filter((id) => id !== event.data.claimId) };
      case 'IncidentAssessed':
        return { ...state, assessment: { status: event.data.status, rationale: event.data.rationale } };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    if (command.type === 'OpenIncident') {
      if (state.opened) throw new RuleViolation('incident.already_opened', 'This incident is already open');
      const { incidentId, conflictId, details, placeIds } = command;
      const { occurred } = details;
      if (occurred.to !== undefined && instant(occurred.to) < instant(occurred.from)) {
        throw new RuleViolation('incident.occurred_range', 'occurred.to is before occurred.from', { field: 'occurred.to' });
      }
      if (details.placeId !== undefined && !placeIds.has(details.placeId)) {
        throw new RuleViolation('incident.unknown_place', "placeId is not a place of this conflict's gazetteer", { field: 'placeId' });
      }
      return [{ type: 'IncidentOpened', data: { incidentId, conflictId, ...details } }];
    }
    if (!state.opened) throw new NotFoundError('incident.not_found', 'No such incident');
    const { incidentId, conflictId } = state;
    switch (command.type) {
      case 'LinkClaim': {
        if (!command.claim) throw new RuleViolation('incident.unknown_claim', 'claimId is not a recorded claim', { field: 'claimId' });
        if (command.claim.conflictId !== conflictId) {
          throw new RuleViolation('incident.claim_other_conflict', 'The claim is about another conflict than the incident', { field: 'claimId' });
        }
        if (state.claimIds.includes(command.claimId)) return [];
        return [{ type: 'ClaimLinkedToIncident', data: { incidentId, conflictId, claimId: command.claimId, reason: command.reason } }];
      }
      case 'UnlinkClaim':
        if (!state.claimIds.includes(command.claimId)) {
          throw new RuleViolation('incident.claim_not_linked', 'The claim is not linked to this incident', { field: 'claimId' });
        }
        return [{ type: 'ClaimUnlinkedFromIncident', data: { incidentId, conflictId, claimId: command.claimId, reason: command.reason } }];
      case 'AssessIncident':
        return [{ type: 'IncidentAssessed', data: { incidentId, conflictId, status: command.status, rationale: command.rationale } }];
      default:
        return assertNever(command);
    }
  },
};
