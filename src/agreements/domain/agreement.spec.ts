import { describe, expect, it } from '@jest/globals';
import { spec } from '../../../test/support/decider-spec';
import type { Attribution } from '../../claims/domain/attribution';
import { NotFoundError } from '../../shared/domain-error';
import {
  type AgreementContext,
  type AgreementCorrected,
  agreementDecider,
  type AgreementEnded,
  type AgreementRecorded,
  type AgreementTerms,
} from './agreement';

const conflictId = '5b0e6a1c-2f3d-4e8a-9c7b-0d1e2f3a4b5c';
const moscowId = '7c9e4b2a-1010-4d20-8a20-202010100001';
const october17Id = '7c9e4b2a-1017-4d20-8a20-202010170002';
const unrecordedId = '7c9e4b2a-9999-4d20-8a20-000000000099';

const azerbaijan = '1a2b3c4d-0001-4a00-8000-000000000001';
const armenia = '1a2b3c4d-0002-4a00-8000-000000000002';
const karabakhAuthorities = '1a2b3c4d-0003-4a00-8000-000000000003';
const russia = '1a2b3c4d-0004-4a00-8000-000000000004';
/** A Minsk Group co-chair that is not a party of this conflict in the tracker. */
const france = '1a2b3c4d-0005-4a00-8000-000000000005';

const tass: Attribution = {
  attributionId: '9d8c7b6a-0001-4e00-9000-000000000001',
  outlet: 'TASS',
  speaker: 'Russian Foreign Ministry',
  publishedAt: '2020-10-10T03:05:00+03:00',
  quote: 'A ceasefire is declared from 12:00 on 10 October 2020 for humanitarian purposes',
  language: 'en',
  reliability: 'B',
  credibility: 2,
  confidential: false,
};

const moscowTerms: AgreementTerms = {
  title: 'Moscow humanitarian ceasefire (joint statement of the foreign ministers of Russia, Azerbaijan and Armenia)',
  kind: 'humanitarian-truce',
  signatories: [azerbaijan, armenia],
  mediators: [russia],
  agreedAt: '2020-10-10T03:00:00+03:00',
  effectiveFrom: { at: '2020-10-10T12:00:00+04:00', raw: '12:00 on 10 October 2020', timeZone: 'Asia/Baku', basis: 'stated' },
  terms:
    'A ceasefire for humanitarian purposes, for the exchange of prisoners of war, other detained persons and the bodies of the dead, mediated by the ICRC.',
  reaffirms: [],
  provisions: [
    {
      provisionId: '3e5f7a9b-1010-4c00-8000-000000000001',
      kind: 'exchange-of-prisoners',
      text: 'The parties exchange prisoners of war and other detained persons, mediated by the ICRC.',
    },
    { provisionId: '3e5f7a9b-1010-4c00-8000-000000000002', kind: 'exchange-of-bodies', text: 'The parties exchange the bodies of the dead, mediated by the ICRC.' },
  ],
  attributions: [tass],
};

const october17Terms: AgreementTerms = {
  title: 'Humanitarian truce of 17 October 2020',
  kind: 'humanitarian-truce',
  signatories: [azerbaijan, armenia],
  mediators: [],
  effectiveFrom: { at: '2020-10-18T00:00:00+04:00', raw: 'from 00:00 on 18 October', timeZone: 'Asia/Baku', basis: 'stated' },
  reaffirms: [moscowId],
  provisions: [],
  attributions: [],
};

const partyIds = new Set([azerbaijan, armenia, karabakhAuthorities, russia]);
/** The context once both agreements are recorded in the conflict. */
const context: AgreementContext = { partyIds, agreementIds: new Set([moscowId, october17Id]) };

const recorded: AgreementRecorded = { type: 'AgreementRecorded', data: { agreementId: moscowId, conflictId, ...moscowTerms } };
const endReason = 'Superseded by the humanitarian truce agreed on 17 October 2020, from midnight on 18 October';
const ended: AgreementEnded = {
  type: 'AgreementEnded',
  data: { agreementId: moscowId, endedAt: '2020-10-18T00:00:00+04:00', reason: endReason, supersededBy: october17Id },
};

const record = (terms: AgreementTerms, agreementIds: string[] = []) => ({
  type: 'RecordAgreement' as const,
  agreementId: moscowId,
  conflictId,
  terms,
  context: { partyIds, agreementIds: new Set(agreementIds) },
});
const correct = (changes: Partial<AgreementTerms>, reason = 'Checked against the text published by the Russian Foreign Ministry') => ({
  type: 'CorrectAgreement' as const,
  changes,
  reason,
  context,
});
const end = (endedAt: string, supersededBy?: string) => ({
  type: 'EndAgreement' as const,
  endedAt,
  reason: endReason,
  ...(supersededBy ? { supersededBy } : {}),
  context,
});

describe('agreementDecider', () => {
  describe('when no agreement is recorded', () => {
    it('records the Moscow humanitarian ceasefire', () => {
      spec(agreementDecider).given().when(record(moscowTerms)).then(recorded);
    });

    it('records a truce that reaffirms an earlier agreement of the conflict', () => {
      spec(agreementDecider)
        .given()
        .when({ ...record(october17Terms, [moscowId]), agreementId: october17Id })
        .then({ type: 'AgreementRecorded', data: { agreementId: october17Id, conflictId, ...october17Terms } });
    });

    it('refuses a provision id named twice, naming provisions', () => {
      const [prisoners] = moscowTerms.provisions;
      spec(agreementDecider)
        .given()
        .when(record({ ...moscowTerms, provisions: [prisoners!, { ...prisoners!, kind: 'exchange-of-bodies' }] }))
        .thenThrows('agreement.duplicate_provision', { extensions: { field: 'provisions' } });
    });

    it('reads an agreement recorded before provisions were kept as having none', () => {
      const { provisions: _, ...withoutProvisions } = recorded.data;
      const { state } = spec(agreementDecider).given({ type: 'AgreementRecorded', data: withoutProvisions });
      expect(state.recorded && state.provisions).toEqual([]);
    });

    it('refuses a single signatory', () => {
      spec(agreementDecider)
        .given()
        .when(record({ ...moscowTerms, signatories: [azerbaijan] }))
        .thenThrows('agreement.too_few_signatories');
    });

    it('refuses the same signatory named twice: fewer than two distinct signatories', () => {
      spec(agreementDecider)
        .given()
        .when(record({ ...moscowTerms, signatories: [armenia, armenia] }))
        .thenThrows('agreement.too_few_signatories');
    });

    it('refuses a signatory that is not a party of the conflict', () => {
      spec(agreementDecider)
        .given()
        .when(record({ ...moscowTerms, signatories: [azerbaijan, armenia, france] }))
        .thenThrows('agreement.unknown_party', { extensions: { field: 'signatories' } });
    });

    it('refuses a mediator that is not a party of the conflict', () => {
      spec(agreementDecider)
        .given()
        .when(record({ ...moscowTerms, mediators: [russia, france] }))
        .thenThrows('agreement.unknown_party', { extensions: { field: 'mediators' } });
    });

    it('refuses an agreement that reaffirms itself', () => {
      spec(agreementDecider)
        .given()
        .when(record({ ...moscowTerms, reaffirms: [moscowId] }, [moscowId]))
        .thenThrows('agreement.self_reference');
    });

    it('refuses reaffirming an agreement the conflict does not have', () => {
      spec(agreementDecider)
        .given()
        .when({ ...record({ ...october17Terms, reaffirms: [unrecordedId] }, [moscowId]), agreementId: october17Id })
        .thenThrows('agreement.unknown_agreement', { extensions: { field: 'reaffirms' } });
    });

    it('refuses a correction: the agreement is not found', () => {
      spec(agreementDecider).given().when(correct({ kind: 'ceasefire' })).thenThrows('agreement.not_found', { as: NotFoundError });
    });

    it('refuses an end: the agreement is not found', () => {
      spec(agreementDecider)
        .given()
        .when(end('2020-10-18T00:00:00+04:00'))
        .thenThrows('agreement.not_found', { as: NotFoundError });
    });
  });

  describe('when the agreement is recorded', () => {
    it('refuses to record it again', () => {
      spec(agreementDecider).given(recorded).when(record(moscowTerms)).thenThrows('agreement.already_recorded');
    });

    it('records a correction with only the fields that change', () => {
      const effectiveFrom = { ...moscowTerms.effectiveFrom, raw: '12:00 hours on 10 October 2020' };
      spec(agreementDecider)
        .given(recorded)
        .when(correct({ kind: 'humanitarian-truce', signatories: [azerbaijan, armenia], effectiveFrom }))
        .then({
          type: 'AgreementCorrected',
          data: { agreementId: moscowId, changes: { effectiveFrom }, reason: 'Checked against the text published by the Russian Foreign Ministry' },
        });
    });

    it('adds nothing for a correction with unchanged values, whatever their key order', () => {
      const { basis, timeZone, raw, at } = moscowTerms.effectiveFrom;
      spec(agreementDecider)
        .given(recorded)
        .when(correct({ title: moscowTerms.title, effectiveFrom: { basis, timeZone, raw, at }, attributions: [{ ...tass }] }))
        .thenNothingHappened();
    });

    it('applies a correction to the terms it holds', () => {
      const corrected: AgreementCorrected = {
        type: 'AgreementCorrected',
        data: { agreementId: moscowId, changes: { mediators: [russia], kind: 'ceasefire' }, reason: 'Reclassified' },
      };
      const { state } = spec(agreementDecider).given(recorded, corrected);
      expect(state).toEqual({ recorded: true, ended: null, ...recorded.data, kind: 'ceasefire' });
    });

    it('refuses a correction that leaves a single signatory', () => {
      spec(agreementDecider)
        .given(recorded)
        .when(correct({ signatories: [azerbaijan] }))
        .thenThrows('agreement.too_few_signatories');
    });

    it('refuses a correction naming a mediator that is not a party', () => {
      spec(agreementDecider)
        .given(recorded)
        .when(correct({ mediators: [russia, france] }))
        .thenThrows('agreement.unknown_party', { extensions: { field: 'mediators' } });
    });

    it('refuses a correction that makes it reaffirm itself', () => {
      spec(agreementDecider)
        .given(recorded)
        .when(correct({ reaffirms: [moscowId] }))
        .thenThrows('agreement.self_reference');
    });

    it('refuses a correction that reaffirms an agreement the conflict does not have', () => {
      spec(agreementDecider)
        .given(recorded)
        .when(correct({ reaffirms: [unrecordedId] }))
        .thenThrows('agreement.unknown_agreement', { extensions: { field: 'reaffirms' } });
    });

    it('ends it, superseded by a later agreement', () => {
      spec(agreementDecider).given(recorded).when(end('2020-10-18T00:00:00+04:00', october17Id)).then(ended);
    });

    it('ends it without a successor', () => {
      spec(agreementDecider)
        .given(recorded)
        .when(end('2020-10-10T12:05:00+04:00'))
        .then({ type: 'AgreementEnded', data: { agreementId: moscowId, endedAt: '2020-10-10T12:05:00+04:00', reason: endReason } });
    });

    it('ends it at the very moment it took effect, written with another offset', () => {
      spec(agreementDecider)
        .given(recorded)
        .when(end('2020-10-10T08:00:00Z'))
        .then({ type: 'AgreementEnded', data: { agreementId: moscowId, endedAt: '2020-10-10T08:00:00Z', reason: endReason } });
    });

    it('refuses an end before it took effect at 12:00 Baku time, even written in Moscow time', () => {
      spec(agreementDecider)
        .given(recorded)
        .when(end('2020-10-10T10:59:00+03:00'))
        .thenThrows('agreement.ends_before_start');
    });

    it('refuses being superseded by itself', () => {
      spec(agreementDecider)
        .given(recorded)
        .when(end('2020-10-18T00:00:00+04:00', moscowId))
        .thenThrows('agreement.self_reference');
    });

    it('refuses being superseded by an agreement the conflict does not have', () => {
      spec(agreementDecider)
        .given(recorded)
        .when(end('2020-10-18T00:00:00+04:00', unrecordedId))
        .thenThrows('agreement.unknown_agreement', { extensions: { field: 'supersededBy' } });
    });
  });

  describe('when the agreement has ended', () => {
    it('keeps when and why it ended', () => {
      const { state } = spec(agreementDecider).given(recorded, ended);
      expect(state).toMatchObject({
        ended: { endedAt: '2020-10-18T00:00:00+04:00', reason: endReason, supersededBy: october17Id },
      });
    });

    it('refuses to end it twice', () => {
      spec(agreementDecider)
        .given(recorded, ended)
        .when(end('2020-10-26T08:00:00+04:00'))
        .thenThrows('agreement.already_ended');
    });

    it('still takes a correction that keeps the end after the start', () => {
      spec(agreementDecider)
        .given(recorded, ended)
        .when(correct({ terms: 'Exchange of prisoners and bodies, mediated by the ICRC.' }, 'Shortened'))
        .then({
          type: 'AgreementCorrected',
          data: { agreementId: moscowId, changes: { terms: 'Exchange of prisoners and bodies, mediated by the ICRC.' }, reason: 'Shortened' },
        });
    });

    it('refuses a correction that moves the start after the end', () => {
      spec(agreementDecider)
        .given(recorded, ended)
        .when(correct({ effectiveFrom: { ...moscowTerms.effectiveFrom, at: '2020-10-18T00:00:01+04:00' } }))
        .thenThrows('agreement.ends_before_start');
    });
  });
});
