import { describe, expect, it } from '@jest/globals';
import { checkHeader, columnOf, exportRowToCells, nameIndex, resolveName, rowToBody, spreadsheetTime } from './claim-row';

describe('spreadsheetTime', () => {
  it('keeps an instant with its offset, and a plain date where dates are allowed', () => {
    expect(spreadsheetTime('2020-10-11T02:00:00+04:00', 'Asia/Baku', false)).toBe('2020-10-11T02:00:00+04:00');
    expect(spreadsheetTime('2020-10-11', 'Asia/Baku', true)).toBe('2020-10-11');
  });

  it("reads a local date and time in the conflict's zone", () => {
    expect(spreadsheetTime('2020-10-11 02:00', 'Asia/Baku', false)).toBe('2020-10-11T02:00:00+04:00');
    expect(spreadsheetTime('2020-10-11T02:00:30', 'Europe/Moscow', false)).toBe('2020-10-11T02:00:30+03:00');
  });

  it('reads Excel serial dates as the local date and time they show', () => {
    expect(spreadsheetTime('44115', 'Asia/Baku', true)).toBe('2020-10-11');
    expect(spreadsheetTime('44115.5', 'Asia/Baku', false)).toBe('2020-10-11T12:00:00+04:00');
  });

  it('leaves what it cannot read for the validator to refuse', () => {
    expect(spreadsheetTime('yesterday', 'Asia/Baku', false)).toBe('yesterday');
    expect(spreadsheetTime('2020-02-31 10:00', 'Asia/Baku', false)).toBe('2020-02-31 10:00');
  });
});

describe('columnOf', () => {
  it('names the template column of a body field', () => {
    expect(columnOf('attributions[1].reliability')).toBe('source2_reliability');
    expect(columnOf('attributions[0].publishedAt')).toBe('source1_published_at');
    expect(columnOf('occurred.from')).toBe('occurred_from');
    expect(columnOf('location.lat')).toBe('latitude');
    expect(columnOf('casualties.military.wounded.min')).toBe('military_wounded_min');
    expect(columnOf('casualties.civilian.killed')).toBe('civilian_killed_max');
    expect(columnOf('claimant')).toBe('claimant');
  });
});

describe('checkHeader', () => {
  it('takes the template in any case and order, and refuses unknown or repeated columns', () => {
    expect(checkHeader(['Summary', 'claimant', 'subject', 'assertion', 'category', 'occurred_from', 'occurred_precision', 'stated_at', 'source1_outlet']).problems).toEqual([]);
    const { problems } = checkHeader(['claimant', 'claimant', 'colour', 'source51_outlet']);
    expect(problems.map((p) => p.column)).toEqual(expect.arrayContaining(['claimant', 'colour', 'source51_outlet', 'subject', 'summary']));
  });
});

describe('rowToBody', () => {
  it('turns cells into a POST /api/claims body: empty cells absent, one casualty figure exact', () => {
    const body = rowToBody({ claimant: 'AZ', summary: ' s ', civilian_killed_max: '3', source1_outlet: 'APA', source1_credibility: '2', source2_outlet: '', latitude: 'north' }, 'Asia/Baku');
    expect(body).toEqual({
      claimant: 'AZ',
      summary: 's',
      occurred: {},
      casualties: { civilian: { killed: { min: 3, max: 3 } } },
      location: { lat: 'north' },
      attributions: [{ outlet: 'APA', credibility: 2 }],
    });
  });
});

describe('resolveName', () => {
  const index = nameIndex({
    conflictId: 'c',
    timeZone: 'Asia/Baku',
    parties: [
      { partyId: '11111111-1111-4111-8111-111111111111', name: 'Azerbaijan', aliases: ['Azərbaycan'] },
      { partyId: '22222222-2222-4222-8222-222222222222', name: 'Armenia', shortName: 'ARM', aliases: ['Observer'] },
      { partyId: '33333333-3333-4333-8333-333333333333', name: 'OSCE', aliases: ['Observer'] },
    ],
    places: [],
  });

  it('finds a party by name, short name or alias, whatever the accents and case', () => {
    expect(resolveName('AZƏRBAYCAN', index.parties, 'party')).toEqual({ id: '11111111-1111-4111-8111-111111111111' });
    expect(resolveName('arm', index.parties, 'party')).toEqual({ id: '22222222-2222-4222-8222-222222222222' });
  });

  it('reports an unknown name and an ambiguous one, inventing nothing', () => {
    expect(resolveName('Atlantis', index.parties, 'party')).toEqual({ message: expect.stringContaining('"Atlantis"') });
    expect(resolveName('observer', index.parties, 'party')).toEqual({ message: expect.stringContaining('names 2 parties') });
  });
});

describe('exportRowToCells', () => {
  it('reads sources with speakers and grades, and notes as the summary', () => {
    const { cells, problems } = exportRowToCells({ notes: 'n', sources: 'TASS (Defence Ministry); confidential source', source_grades: 'B3; C4', event_date: '2020-10-12', time_precision: '2' });
    expect(problems).toEqual([]);
    expect(cells).toMatchObject({
      summary: 'n',
      occurred_from: '2020-10-12',
      occurred_precision: 'week',
      source1_outlet: 'TASS',
      source1_speaker: 'Defence Ministry',
      source1_reliability: 'B',
      source1_credibility: '3',
      source2_outlet: 'confidential source',
      source2_confidential: 'true',
    });
  });

  it('reports a counterclaim, and grades that do not match the sources', () => {
    const { problems } = exportRowToCells({ stance: 'denial', sources: 'TASS; APA', source_grades: 'B3' });
    expect(problems.map((p) => p.column)).toEqual(['stance', 'source_grades']);
  });
});
