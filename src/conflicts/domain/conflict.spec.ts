import { describe, expect, it } from '@jest/globals';
import { spec } from '../../../test/support/decider-spec';
import { NotFoundError } from '../../shared/domain-error';
import { type ConflictRegistered, conflictDecider, type Party, type PartyAdded } from './conflict';

const conflictId = '5b0e6a1c-2f3d-4e8a-9c7b-0d1e2f3a4b5c';

const azerbaijan: Party = {
  partyId: '1a2b3c4d-0001-4a00-8000-000000000001',
  name: 'Republic of Azerbaijan',
  shortName: 'Azerbaijan',
  kind: 'state',
  aliases: ['AZ'],
};
const armenia: Party = {
  partyId: '1a2b3c4d-0002-4a00-8000-000000000002',
  name: 'Republic of Armenia',
  shortName: 'Armenia',
  kind: 'state',
  aliases: ['AM'],
};
const karabakhAuthorities: Party = {
  partyId: '1a2b3c4d-0003-4a00-8000-000000000003',
  name: 'Nagorno-Karabakh authorities',
  kind: 'de-facto-authority',
  aliases: ['Artsakh', 'Republic of Artsakh'],
};

const registered: ConflictRegistered = {
  type: 'ConflictRegistered',
  data: {
    conflictId,
    name: '2020 Nagorno-Karabakh war',
    region: 'South Caucasus',
    timeZone: 'Asia/Baku',
    description: 'Fighting from 27 September 2020; humanitarian ceasefire agreed in Moscow on 10 October 2020.',
  },
};
const added = (party: Party): PartyAdded => ({ type: 'PartyAdded', data: { conflictId, ...party } });

describe('conflictDecider', () => {
  describe('when no conflict is registered', () => {
    it('registers the conflict with its time zone', () => {
      spec(conflictDecider)
        .given()
        .when({
          type: 'RegisterConflict',
          conflictId,
          name: '2020 Nagorno-Karabakh war',
          region: 'South Caucasus',
          timeZone: 'Asia/Baku',
          description: 'Fighting from 27 September 2020; humanitarian ceasefire agreed in Moscow on 10 October 2020.',
        })
        .then(registered);
    });

    it('registers a conflict with only the required fields', () => {
      spec(conflictDecider)
        .given()
        .when({ type: 'RegisterConflict', conflictId, name: 'Nagorno-Karabakh', timeZone: 'Asia/Baku' })
        .then({ type: 'ConflictRegistered', data: { conflictId, name: 'Nagorno-Karabakh', timeZone: 'Asia/Baku' } });
    });

    it('refuses a party: the conflict is not found', () => {
      spec(conflictDecider).given().when({ type: 'AddParty', party: azerbaijan }).thenThrows('conflict.not_found', { as: NotFoundError });
    });

    it('starts in UTC with no parties', () => {
      expect(spec(conflictDecider).given().state).toEqual({ conflictId: null, name: '', timeZone: 'UTC', parties: [] });
    });
  });

  describe('when the conflict is registered', () => {
    it('refuses to register it again', () => {
      spec(conflictDecider)
        .given(registered)
        .when({ type: 'RegisterConflict', conflictId, name: 'Nagorno-Karabakh', timeZone: 'Asia/Baku' })
        .thenThrows('conflict.already_registered', { extensions: {} });
    });

    it('adds a party', () => {
      spec(conflictDecider).given(registered).when({ type: 'AddParty', party: azerbaijan }).then(added(azerbaijan));
    });

    it('adds a de facto authority without a short name', () => {
      spec(conflictDecider)
        .given(registered, added(azerbaijan), added(armenia))
        .when({ type: 'AddParty', party: karabakhAuthorities })
        .then(added(karabakhAuthorities));
    });

    it('keeps the registered time zone and the parties in the order added', () => {
      const { state } = spec(conflictDecider).given(registered, added(azerbaijan), added(armenia));
      expect(state).toEqual({ ...registered.data, parties: [azerbaijan, armenia] });
    });
  });

  describe('when a party is already in the conflict', () => {
    it('adds nothing for the same party id', () => {
      spec(conflictDecider)
        .given(registered, added(azerbaijan))
        .when({ type: 'AddParty', party: azerbaijan })
        .thenNothingHappened();
    });

    it('refuses another party with the same name, ignoring case and spaces', () => {
      spec(conflictDecider)
        .given(registered, added(azerbaijan))
        .when({
          type: 'AddParty',
          party: { ...azerbaijan, partyId: '1a2b3c4d-0009-4a00-8000-000000000009', name: '  republic of AZERBAIJAN ' },
        })
        .thenThrows('party.duplicate_name', { extensions: { partyId: azerbaijan.partyId } });
    });
  });
});
