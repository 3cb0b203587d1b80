import { describe, expect, it } from '@jest/globals';
import { type Agreement, agreementBody, agreementChanges, agreementToValues, emptyAgreement } from './agreement-values';

const moscow: Agreement = {
  id: '00000000-0000-4000-8000-000000000001',
  conflictId: '00000000-0000-4000-8000-000000000002',
  title: 'Moscow humanitarian ceasefire',
  kind: 'humanitarian-truce',
  signatories: ['a', 'b'],
  mediators: ['r'],
  agreedAt: '2020-10-10T00:00:00Z',
  effectiveFrom: { at: '2020-10-10T08:00:00Z', raw: '12:00 local time on 10 October', timeZone: 'Asia/Baku', basis: 'stated' },
  endedAt: null,
  endReason: null,
  supersededBy: null,
  terms: 'For humanitarian purposes.',
  reaffirms: [],
  provisions: [{ provisionId: '00000000-0000-4000-8000-000000000003', kind: 'exchange-of-bodies', text: 'Exchange the bodies of the dead.' }],
  attributions: [{ attributionId: '00000000-0000-4000-8000-000000000004', outlet: 'TASS', reliability: 'B', credibility: 2, confidential: false }],
  version: 1,
} as Agreement;

describe('the agreement form', () => {
  it('reads the start in the zone of its wording and sends it back as the same instant', () => {
    const values = agreementToValues(moscow, 'Asia/Yerevan');
    expect(values.effectiveAt).toBe('2020-10-10 12:00');
    expect(agreementBody(values, 'Asia/Yerevan').effectiveFrom).toEqual({ at: '2020-10-10T12:00:00+04:00', raw: '12:00 local time on 10 October', timeZone: 'Asia/Baku', basis: 'stated' });
  });

  it('changes nothing when nothing was edited', () => {
    const values = agreementToValues(moscow, 'Asia/Baku');
    expect(agreementChanges(values, values, 'Asia/Baku')).toEqual({});
  });

  it('sends a corrected provision list whole, keeping the ids of the provisions claims may name', () => {
    const before = agreementToValues(moscow, 'Asia/Baku');
    const after = { ...before, provisions: [...before.provisions, { provisionId: '', kind: 'exchange-of-prisoners', text: 'Exchange prisoners of war.' }] };
    expect(agreementChanges(after, before, 'Asia/Baku')).toEqual({
      provisions: [
        { provisionId: '00000000-0000-4000-8000-000000000003', kind: 'exchange-of-bodies', text: 'Exchange the bodies of the dead.' },
        { kind: 'exchange-of-prisoners', text: 'Exchange prisoners of war.' },
      ],
    });
  });

  it('sends a new start with its wording when only the reading of the time changed', () => {
    const before = agreementToValues(moscow, 'Asia/Baku');
    const after = { ...before, effectiveAt: '2020-10-10 12:00', effectiveZone: 'Europe/Moscow', basis: 'inferred' };
    expect(agreementChanges(after, before, 'Asia/Baku')).toEqual({
      effectiveFrom: { at: '2020-10-10T12:00:00+03:00', raw: '12:00 local time on 10 October', timeZone: 'Europe/Moscow', basis: 'inferred' },
    });
  });

  it('leaves out what a new agreement does not have', () => {
    const body = agreementBody({ ...emptyAgreement('Asia/Baku'), title: ' Truce ', agreementKind: 'ceasefire', signatories: ['a', 'b'], effectiveAt: '2020-10-18 00:00' }, 'Asia/Baku');
    expect(body).toEqual({ title: 'Truce', kind: 'ceasefire', signatories: ['a', 'b'], mediators: [], effectiveFrom: { at: '2020-10-18T00:00:00+04:00', timeZone: 'Asia/Baku', basis: 'stated' } });
  });
});
