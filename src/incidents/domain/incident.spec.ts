import { describe, expect, it } from '@jest/globals';
import { spec } from '../../../test/support/decider-spec';
import { NotFoundError } from '../../shared/domain-error';
import { type ClaimLinkedToIncident, incidentDecider, type IncidentOpened } from './incident';

const conflictId = '5b0e6a1c-2f3d-4e8a-9c7b-0d1e2f3a4b5c';
const otherConflictId = '5b0e6a1c-9999-4e8a-9c7b-0d1e2f3a4b5c';
const incidentId = '8e2f3a4b-0001-4c00-8000-000000000001';
const ganjaPlace = '6d1e2f3a-0001-4b00-8000-000000000001';
const claimId = '2c4e6a8b-0001-4d00-8000-000000000001';
const denialId = '2c4e6a8b-0002-4d00-8000-000000000002';

const details = {
  title: 'Strike on Ganja, night of 11 October',
  occurred: { from: '2020-10-11T02:00:00+04:00', to: '2020-10-11T03:00:00+04:00', precision: 'hour' as const },
  placeId: ganjaPlace,
};
const opened: IncidentOpened = { type: 'IncidentOpened', data: { incidentId, conflictId, ...details } };
const linked: ClaimLinkedToIncident = { type: 'ClaimLinkedToIncident', data: { incidentId, conflictId, claimId, reason: 'Same strike' } };
const open = (changes: Partial<typeof details> = {}, placeIds = [ganjaPlace]) => ({
  type: 'OpenIncident' as const,
  incidentId,
  conflictId,
  details: { ...details, ...changes },
  placeIds: new Set(placeIds),
});
const link = (id: string, claim: { claimId: string; conflictId: string } | null = { claimId: id, conflictId }) => ({
  type: 'LinkClaim' as const,
  claimId: id,
  claim,
  reason: 'Same strike',
});

describe('incidentDecider', () => {
  it('opens the Ganja strike at its place', () => {
    spec(incidentDecider).given().when(open()).then(opened);
  });

  it('refuses a window that ends before it starts, and a place of another gazetteer', () => {
    spec(incidentDecider)
      .given()
      .when(open({ occurred: { from: '2020-10-11T03:00:00+04:00', to: '2020-10-11T02:00:00+04:00', precision: 'hour' } }))
      .thenThrows('incident.occurred_range', { extensions: { field: 'occurred.to' } });
    spec(incidentDecider).given().when(open({}, [])).thenThrows('incident.unknown_place', { extensions: { field: 'placeId' } });
  });

  it('links a claim of its conflict once', () => {
    spec(incidentDecider).given(opened).when(link(claimId)).then(linked);
    spec(incidentDecider).given(opened, linked).when(link(claimId)).thenNothingHappened();
  });

  it('refuses a claim of another conflict, and an unknown claim, naming claimId', () => {
    spec(incidentDecider)
      .given(opened)
      .when(link(denialId, { claimId: denialId, conflictId: otherConflictId }))
      .thenThrows('incident.claim_other_conflict', { extensions: { field: 'claimId' } });
    spec(incidentDecider).given(opened).when(link(denialId, null)).thenThrows('incident.unknown_claim', { extensions: { field: 'claimId' } });
  });

  it('unlinks a linked claim, and refuses one that is not linked', () => {
    const unlink = (id: string) => ({ type: 'UnlinkClaim' as const, claimId: id, reason: 'Another night' });
    spec(incidentDecider)
      .given(opened, linked)
      .when(unlink(claimId))
      .then({ type: 'ClaimUnlinkedFromIncident', data: { incidentId, conflictId, claimId, reason: 'Another night' } });
    spec(incidentDecider).given(opened).when(unlink(claimId)).thenThrows('incident.claim_not_linked', { extensions: { field: 'claimId' } });
  });

  it('keeps the linked claims and the latest assessment', () => {
    const assessed = { type: 'IncidentAssessed' as const, data: { incidentId, conflictId, status: 'corroborated' as const, rationale: 'Seen by reporters' } };
    expect(spec(incidentDecider).given(opened, linked, assessed).state).toMatchObject({
      claimIds: [claimId],
      assessment: { status: 'corroborated', rationale: 'Seen by reporters' },
    });
  });

  it('refuses anything but opening before it is open', () => {
    spec(incidentDecider).given().when(link(claimId)).thenThrows('incident.not_found', { as: NotFoundError });
  });
});
