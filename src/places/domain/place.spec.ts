import { describe, expect, it } from '@jest/globals';
import { spec } from '../../../test/support/decider-spec';
import { NotFoundError } from '../../shared/domain-error';
import { type PlaceContext, type PlaceDetails, placeDecider, type PlaceNamesAdded, type PlaceRegistered } from './place';

const conflictId = '5b0e6a1c-2f3d-4e8a-9c7b-0d1e2f3a4b5c';
const ganjaId = '6d1e2f3a-0001-4b00-8000-000000000001';
const regionId = '6d1e2f3a-0002-4b00-8000-000000000002';
const azerbaijan = '1a2b3c4d-0001-4a00-8000-000000000001';
const armenia = '1a2b3c4d-0002-4a00-8000-000000000002';
const stranger = '1a2b3c4d-0009-4a00-8000-000000000009';

const context: PlaceContext = { partyIds: new Set([azerbaijan, armenia]), placeIds: new Set([ganjaId, regionId]) };
const ganja: PlaceDetails = {
  names: [
    { name: 'Gəncə', language: 'az', usedBy: [azerbaijan] },
    { name: 'Ganja', language: 'en', usedBy: [] },
  ],
  lat: 40.6828,
  lon: 46.3606,
  kind: 'settlement',
};
const registered: PlaceRegistered = { type: 'PlaceRegistered', data: { placeId: ganjaId, conflictId, ...ganja } };
const register = (details: Partial<PlaceDetails> = {}) => ({
  type: 'RegisterPlace' as const,
  placeId: ganjaId,
  conflictId,
  details: { ...ganja, ...details },
  context,
});
const addNames = (names: PlaceDetails['names']) => ({ type: 'AddPlaceNames' as const, names, context });
const correct = (changes: Partial<PlaceDetails>) => ({ type: 'CorrectPlace' as const, changes, reason: 'Checked on the map', context });

describe('placeDecider', () => {
  describe('when no place is registered', () => {
    it('registers Ganja under both names', () => {
      spec(placeDecider).given().when(register()).then(registered);
    });

    it.each([
      ['a latitude above 90', { lat: 91 }, 'lat'],
      ['a longitude below -180', { lon: -181 }, 'lon'],
    ])('refuses %s, naming the field', (_, details, field) => {
      spec(placeDecider).given().when(register(details)).thenThrows('place.coordinates', { extensions: { field } });
    });

    it('refuses a place without names, and a name without letters', () => {
      spec(placeDecider).given().when(register({ names: [] })).thenThrows('place.no_name', { extensions: { field: 'names' } });
      spec(placeDecider)
        .given()
        .when(register({ names: [{ name: ' - ', usedBy: [] }] }))
        .thenThrows('place.no_name', { extensions: { field: 'names' } });
    });

    it('refuses the same name twice in one language, however accented', () => {
      spec(placeDecider)
        .given()
        .when(register({ names: [{ name: 'Ganja', language: 'en', usedBy: [] }, { name: 'GANJA', language: 'en', usedBy: [] }] }))
        .thenThrows('place.duplicate_name', { extensions: { field: 'names' } });
    });

    it('refuses a name used by a party that is not in the conflict', () => {
      spec(placeDecider)
        .given()
        .when(register({ names: [{ name: 'Ganja', usedBy: [stranger] }] }))
        .thenThrows('place.unknown_party', { extensions: { field: 'names' } });
    });

    it('refuses a parent that is not a place of the conflict, and itself as parent', () => {
      spec(placeDecider).given().when(register({ parent: stranger })).thenThrows('place.unknown_place', { extensions: { field: 'parent' } });
      spec(placeDecider).given().when(register({ parent: ganjaId })).thenThrows('place.self_parent', { extensions: { field: 'parent' } });
    });

    it('refuses names for a place never registered', () => {
      spec(placeDecider).given().when(addNames(ganja.names)).thenThrows('place.not_found', { as: NotFoundError });
    });
  });

  describe('when the place is registered', () => {
    it('adds only the names it does not have', () => {
      const gandzak = { name: 'Գանձակ', language: 'hy', usedBy: [armenia] };
      const added: PlaceNamesAdded = { type: 'PlaceNamesAdded', data: { placeId: ganjaId, conflictId, names: [gandzak] } };
      spec(placeDecider)
        .given(registered)
        .when(addNames([{ name: 'ganja', language: 'en', usedBy: [] }, gandzak]))
        .then(added);
      expect(spec(placeDecider).given(registered, added).state).toMatchObject({ names: [...ganja.names, gandzak] });
    });

    it('adds nothing when every name is known', () => {
      spec(placeDecider).given(registered).when(addNames([{ name: 'Gəncə', language: 'az', usedBy: [] }])).thenNothingHappened();
    });

    it('corrects its coordinates, and refuses coordinates out of range naming changes.lat', () => {
      spec(placeDecider)
        .given(registered)
        .when(correct({ lat: 40.68, lon: 46.36 }))
        .then({ type: 'PlaceCorrected', data: { placeId: ganjaId, conflictId, changes: { lat: 40.68, lon: 46.36 }, reason: 'Checked on the map' } });
      spec(placeDecider).given(registered).when(correct({ lat: -95 })).thenThrows('place.coordinates', { extensions: { field: 'changes.lat' } });
    });

    it('records nothing for a correction that changes nothing', () => {
      spec(placeDecider).given(registered).when(correct({ kind: 'settlement' })).thenNothingHappened();
    });
  });
});
