import { describe, expect, it } from '@jest/globals';
import { spec } from '../../../test/support/decider-spec';
import { NotFoundError } from '../../shared/domain-error';
import type { Attribution } from './attribution';
import {
  type AssessClaim,
  type AttributionAdded,
  type Casualties,
  type CasualtiesRevised,
  type ClaimAssessed,
  type ClaimCommand,
  type ClaimContent,
  claimDecider,
  type ClaimMarkedDuplicate,
  type ClaimRecorded,
  type ClaimRetracted,
  type ClaimVoided,
  type CorrectClaim,
  type DuplicateTarget,
  type MarkDuplicate,
  type RecordClaim,
  type RetractClaim,
  type ReviseCasualties,
} from './claim';

const conflictId = '5b0e6a1c-2f3d-4e8a-9c7b-0d1e2f3a4b5c';
const otherConflictId = '5b0e6a1c-2f3d-4e8a-9c7b-999999999999';

const azerbaijan = '1a2b3c4d-0001-4a00-8000-000000000001';
const armenia = '1a2b3c4d-0002-4a00-8000-000000000002';
const karabakhAuthorities = '1a2b3c4d-0003-4a00-8000-000000000003';
/** The mediator of the Moscow ceasefire, not a party in this conflict's record. */
const russia = '1a2b3c4d-0004-4a00-8000-000000000004';
const partyIds: ReadonlySet<string> = new Set([azerbaijan, armenia, karabakhAuthorities]);
/** The Moscow truce's provision on exchanging the bodies of the dead, and an id no agreement has. */
const bodiesProvision = '3e5f7a9b-1010-4c00-8000-000000000002';
const otherProvision = '3e5f7a9b-9999-4c00-8000-000000000099';

/** Azerbaijan's claim that Armenia struck Ganja in the night after the Moscow ceasefire. */
const ganjaClaimId = 'c1a1b2c3-1011-4a00-8000-000000000001';
/** Armenia's denial of it. */
const denialClaimId = 'c1a1b2c3-1011-4a00-8000-000000000002';
/** The same Ganja strike, recorded a second time from another outlet. */
const ganjaAgainClaimId = 'c1a1b2c3-1011-4a00-8000-000000000003';
const tartarClaimId = 'c1a1b2c3-1010-4a00-8000-000000000004';
const stepanakertClaimId = 'c1a1b2c3-1011-4a00-8000-000000000005';
const unknownClaimId = 'c1a1b2c3-0000-4a00-8000-000000000099';

/** Every command in this file is decided at this instant. */
const now = '2020-10-12T12:00:00+04:00';

const apa: Attribution = {
  attributionId: 'a7710000-0001-4b00-9000-000000000001',
  outlet: 'APA',
  speaker: 'Prosecutor General’s Office of Azerbaijan',
  publishedAt: '2020-10-11T09:10:00+04:00',
  language: 'az',
  reliability: 'C',
  credibility: 3,
  confidential: false,
};
const tass: Attribution = {
  attributionId: 'a7710000-0002-4b00-9000-000000000002',
  outlet: 'TASS',
  speaker: 'Russian Foreign Ministry',
  publishedAt: '2020-10-11T11:00:00+03:00',
  quote: 'Moscow calls on the parties to strictly observe the humanitarian ceasefire agreed on 10 October',
  language: 'ru',
  reliability: 'B',
  credibility: 2,
  confidential: false,
};
const armenpress: Attribution = {
  attributionId: 'a7710000-0003-4b00-9000-000000000003',
  outlet: 'Armenpress',
  speaker: 'Shushan Stepanyan, spokesperson of the Armenian Ministry of Defence',
  publishedAt: '2020-10-11T10:35:00+04:00',
  language: 'hy',
  reliability: 'C',
  credibility: 3,
  confidential: false,
};

const ganja = { name: 'Ganja', altNames: ['Gəncə'], lat: 40.6828, lon: 46.3606, precision: 'settlement' as const };
const stepanakert = { name: 'Stepanakert', altNames: ['Khankendi', 'Xankəndi'], precision: 'settlement' as const };

const ganjaContent: ClaimContent = {
  claimant: azerbaijan,
  subject: armenia,
  assertion: 'violated',
  category: 'missile-strike',
  occurred: { from: '2020-10-11T02:00:00+04:00', precision: 'hour', raw: 'around 02:00' },
  statedAt: '2020-10-11T09:00:00+04:00',
  location: ganja,
  casualties: { civilian: { killed: { min: 7, max: 7 }, wounded: { min: 33, max: 33 } } },
  summary: 'A missile struck a residential area of Ganja during the night, after the humanitarian ceasefire took effect.',
  attributions: [apa],
};
const denialContent: ClaimContent = {
  claimant: armenia,
  subject: armenia,
  assertion: 'complied',
  stance: 'denial',
  category: 'missile-strike',
  occurred: { from: '2020-10-11T02:00:00+04:00', precision: 'hour' },
  statedAt: '2020-10-11T10:30:00+04:00',
  location: ganja,
  summary: 'Armenia denies firing on Ganja and says it observes the humanitarian ceasefire.',
  attributions: [armenpress],
};

const recorded: ClaimRecorded = { type: 'ClaimRecorded', data: { claimId: ganjaClaimId, conflictId, ...ganjaContent } };
const denialRecorded: ClaimRecorded = {
  type: 'ClaimRecorded',
  data: { claimId: denialClaimId, conflictId, respondsTo: ganjaClaimId, ...denialContent },
};
const tassAdded: AttributionAdded = { type: 'AttributionAdded', data: { claimId: ganjaClaimId, attribution: tass } };
const revisedCasualties: Casualties = {
  civilian: { killed: { min: 10, max: 10 }, wounded: { min: 34, max: 34 } },
};
const revised: CasualtiesRevised = {
  type: 'CasualtiesRevised',
  data: { claimId: ganjaClaimId, casualties: revisedCasualties, asOf: '2020-10-12T10:00:00+04:00', attributions: [] },
};
const retracted: ClaimRetracted = {
  type: 'ClaimRetracted',
  data: { claimId: ganjaClaimId, statedAt: '2020-10-12T11:00:00+04:00', attributions: [apa] },
};
const voided: ClaimVoided = { type: 'ClaimVoided', data: { claimId: ganjaClaimId, reason: 'Entered twice by mistake' } };
const corroborated: ClaimAssessed = {
  type: 'ClaimAssessed',
  data: {
    claimId: ganjaClaimId,
    status: 'corroborated',
    rationale: 'Damage to residential buildings in Ganja filmed by independent reporters the same morning',
    evidence: ['https://example.org/ganja-2020-10-11'],
  },
};
const markedDuplicate: ClaimMarkedDuplicate = {
  type: 'ClaimMarkedDuplicate',
  data: { claimId: ganjaClaimId, duplicateOf: ganjaAgainClaimId, reason: 'Same strike, recorded from two outlets' },
};

const recordWith = (content: ClaimContent, command: Partial<RecordClaim> = {}): RecordClaim => ({
  type: 'RecordClaim',
  claimId: ganjaClaimId,
  conflictId,
  content,
  partyIds,
  now,
  ...command,
});
/** The Ganja claim, with some of its content changed. */
const record = (changes: Partial<ClaimContent> = {}) => recordWith({ ...ganjaContent, ...changes });
/** Armenia's denial of the Ganja claim, with some of its content changed. */
const respond = (changes: Partial<ClaimContent> = {}) =>
  recordWith({ ...denialContent, ...changes }, { claimId: denialClaimId, answers: { claimId: ganjaClaimId, conflictId } });
const correct = (changes: CorrectClaim['changes'], reason = 'Checked against the original statement'): CorrectClaim => ({
  type: 'CorrectClaim',
  changes,
  reason,
  partyIds,
  now,
});
const revise = (casualties: Casualties = revisedCasualties, asOf = '2020-10-12T10:00:00+04:00'): ReviseCasualties => ({
  type: 'ReviseCasualties',
  casualties,
  asOf,
  attributions: [],
  now,
});
const retract = (statedAt = '2020-10-12T11:00:00+04:00'): RetractClaim => ({ type: 'RetractClaim', statedAt, attributions: [apa], now });
const assess = (data: Omit<ClaimAssessed['data'], 'claimId'>): AssessClaim => ({ type: 'AssessClaim', ...data });
/** Marks the Ganja claim a duplicate of `duplicateOf`, found as `target` (null: no such claim). */
const markDuplicate = (duplicateOf: string, target: Omit<DuplicateTarget, 'claimId'> | null): MarkDuplicate => ({
  type: 'MarkDuplicate',
  duplicateOf,
  reason: 'Same strike, recorded from two outlets',
  target: target && { claimId: duplicateOf, ...target },
});

/** One of every command that needs a recorded claim. */
const commandsOnARecordedClaim: [string, ClaimCommand][] = [
  ['AddAttribution', { type: 'AddAttribution', attribution: tass }],
  ['WithdrawAttribution', { type: 'WithdrawAttribution', attributionId: apa.attributionId, reason: 'Wrong link' }],
  ['ReviseCasualties', revise()],
  ['CorrectClaim', correct({ summary: 'Corrected' })],
  ['RetractClaim', retract()],
  ['VoidClaim', { type: 'VoidClaim', reason: 'Test entry' }],
  ['AssessClaim', assess({ status: 'unverified', rationale: 'Not yet checked', evidence: [] })],
  ['MarkDuplicate', markDuplicate(ganjaAgainClaimId, { conflictId, duplicateOf: null, voided: false })],
];

describe('claimDecider', () => {
  describe('when no claim is recorded', () => {
    it('records a claim of a violation with its casualties and source', () => {
      spec(claimDecider).given().when(record()).then(recorded);
    });

    it('records a counterclaim with its stance, answering the claim', () => {
      spec(claimDecider).given().when(respond()).then(denialRecorded);
    });

    it('records a counter-accusation about Stepanakert, keeping the contested name', () => {
      const content: ClaimContent = {
        claimant: karabakhAuthorities,
        subject: azerbaijan,
        assertion: 'violated',
        stance: 'counter-accusation',
        category: 'shelling',
        occurred: { from: '2020-10-11T00:00:00+04:00', to: '2020-10-11T04:00:00+04:00', precision: 'part-of-day', raw: 'overnight' },
        statedAt: '2020-10-11T11:00:00+04:00',
        location: stepanakert,
        summary: 'Azerbaijani forces shelled Stepanakert overnight.',
        attributions: [armenpress],
      };
      spec(claimDecider)
        .given()
        .when(recordWith(content, { claimId: stepanakertClaimId, answers: { claimId: ganjaClaimId, conflictId } }))
        .then({ type: 'ClaimRecorded', data: { claimId: stepanakertClaimId, conflictId, respondsTo: ganjaClaimId, ...content } });
    });

    it('records a claim that names an occurrence range, with offsets compared as instants', () => {
      const content: ClaimContent = {
        claimant: azerbaijan,
        subject: armenia,
        assertion: 'violated',
        category: 'shelling',
        occurred: { from: '2020-10-10T12:05:00+04:00', to: '2020-10-10T13:00:00+03:00', precision: 'hour', raw: 'minutes after noon' },
        statedAt: '2020-10-10T14:30:00+04:00',
        location: { name: 'Tartar', altNames: ['Tərtər', 'Terter'], precision: 'district' },
        summary: 'Armenian forces shelled Tartar district minutes after the humanitarian ceasefire took effect.',
        attributions: [apa],
      };
      spec(claimDecider)
        .given()
        .when(recordWith(content, { claimId: tartarClaimId }))
        .then({ type: 'ClaimRecorded', data: { claimId: tartarClaimId, conflictId, ...content } });
    });

    it('records a party accusing itself with the stance "acknowledgement" in a response', () => {
      const content = { claimant: armenia, subject: armenia, assertion: 'violated', stance: 'acknowledgement' } as const;
      spec(claimDecider)
        .given()
        .when(respond(content))
        .then({ type: 'ClaimRecorded', data: { ...denialRecorded.data, ...content } });
    });

    it('refuses a party accusing itself in a response with another stance', () => {
      spec(claimDecider)
        .given()
        .when(respond({ assertion: 'violated', stance: 'justification' }))
        .thenThrows('claim.self_accusation', { extensions: { field: 'subject' } });
    });

    it('refuses a party accusing itself in a claim that answers nothing', () => {
      spec(claimDecider)
        .given()
        .when(record({ subject: azerbaijan }))
        .thenThrows('claim.self_accusation', { extensions: { field: 'subject' } });
    });

    it('records a claim about a provision of one of the conflict\'s agreements', () => {
      const content = { ...ganjaContent, category: 'obstruction' as const, provisionId: bodiesProvision };
      spec(claimDecider)
        .given()
        .when(recordWith(content, { provisionIds: new Set([bodiesProvision]) }))
        .then({ type: 'ClaimRecorded', data: { claimId: ganjaClaimId, conflictId, ...content } });
    });

    it('refuses a provision that no agreement of the conflict has, naming provisionId', () => {
      spec(claimDecider)
        .given()
        .when(recordWith({ ...ganjaContent, provisionId: otherProvision }, { provisionIds: new Set([bodiesProvision]) }))
        .thenThrows('claim.unknown_provision', { extensions: { field: 'provisionId' } });
    });

    it('refuses a claimant that is not a party of the conflict', () => {
      spec(claimDecider)
        .given()
        .when(record({ claimant: russia }))
        .thenThrows('claim.unknown_party', { extensions: { field: 'claimant' } });
    });

    it('refuses a subject that is not a party of the conflict', () => {
      spec(claimDecider)
        .given()
        .when(record({ subject: russia }))
        .thenThrows('claim.unknown_party', { extensions: { field: 'subject' } });
    });

    it('refuses a stance on a claim that answers nothing', () => {
      spec(claimDecider)
        .given()
        .when(record({ stance: 'counter-accusation' }))
        .thenThrows('claim.stance_without_response', { extensions: { field: 'stance' } });
    });

    it('refuses a counterclaim without a stance', () => {
      spec(claimDecider)
        .given()
        .when(respond({ stance: undefined }))
        .thenThrows('claim.response_without_stance', { extensions: { field: 'stance' } });
    });

    it('refuses a counterclaim answering a claim of another conflict', () => {
      spec(claimDecider)
        .given()
        .when(recordWith(denialContent, { claimId: denialClaimId, answers: { claimId: ganjaClaimId, conflictId: otherConflictId } }))
        .thenThrows('claim.response_other_conflict', { extensions: { field: 'respondsTo' } });
    });

    it('refuses a claim answering itself', () => {
      spec(claimDecider)
        .given()
        .when(recordWith(denialContent, { claimId: denialClaimId, answers: { claimId: denialClaimId, conflictId } }))
        .thenThrows('claim.responds_to_self');
    });

    it('refuses occurred.to before occurred.from', () => {
      spec(claimDecider)
        .given()
        .when(record({ occurred: { from: '2020-10-11T02:00:00+04:00', to: '2020-10-11T01:30:00+04:00', precision: 'hour' } }))
        .thenThrows('claim.occurred_range', { extensions: { field: 'occurred.to' } });
    });

    it('refuses an occurrence after the statement', () => {
      spec(claimDecider)
        .given()
        .when(record({ occurred: { from: '2020-10-11T09:30:00+04:00', precision: 'minute' } }))
        .thenThrows('claim.occurred_after_statement', { extensions: { field: 'occurred.from' } });
    });

    it('refuses a statement more than 60 s in the future', () => {
      spec(claimDecider)
        .given()
        .when(record({ statedAt: '2020-10-12T12:01:01+04:00' }))
        .thenThrows('claim.stated_in_future', { extensions: { field: 'statedAt' } });
    });

    it.each([
      ['exactly 60 s ahead', '2020-10-12T12:01:00+04:00'],
      ['45 s ahead, written in UTC', '2020-10-12T08:00:45Z'],
    ])('accepts a statement %s, within the clock skew', (_, statedAt) => {
      spec(claimDecider)
        .given()
        .when(record({ statedAt }))
        .then({ type: 'ClaimRecorded', data: { ...recorded.data, statedAt } });
    });

    it('refuses casualties with min above max, naming the field', () => {
      spec(claimDecider)
        .given()
        .when(record({ casualties: { civilian: { killed: { min: 7, max: 7 }, wounded: { min: 40, max: 30, raw: 'dozens' } } } }))
        .thenThrows('claim.casualties_range', { extensions: { field: 'casualties.civilian.wounded' } });
    });

    it('refuses a claim without a source', () => {
      spec(claimDecider)
        .given()
        .when(record({ attributions: [] }))
        .thenThrows('claim.no_attribution', { extensions: { field: 'attributions' } });
    });

    it.each(commandsOnARecordedClaim)('refuses %s: the claim is not found', (_, command) => {
      spec(claimDecider).given().when(command).thenThrows('claim.not_found', { as: NotFoundError });
    });
  });

  describe('when the claim is recorded', () => {
    it('refuses to record it again', () => {
      spec(claimDecider).given(recorded).when(record()).thenThrows('claim.already_recorded');
    });

    it('adds an attribution', () => {
      spec(claimDecider).given(recorded).when({ type: 'AddAttribution', attribution: tass }).then(tassAdded);
    });

    it('adds nothing for an attribution id it already has', () => {
      spec(claimDecider)
        .given(recorded, tassAdded)
        .when({ type: 'AddAttribution', attribution: { ...tass, credibility: 3 } })
        .thenNothingHappened();
    });

    it('refuses to withdraw its only attribution', () => {
      spec(claimDecider)
        .given(recorded)
        .when({ type: 'WithdrawAttribution', attributionId: apa.attributionId, reason: 'Link broken' })
        .thenThrows('claim.last_attribution');
    });

    it('refuses to withdraw an attribution it does not have', () => {
      spec(claimDecider)
        .given(recorded)
        .when({ type: 'WithdrawAttribution', attributionId: armenpress.attributionId, reason: 'Wrong claim' })
        .thenThrows('attribution.not_found', { as: NotFoundError });
    });

    it('revises the casualties', () => {
      spec(claimDecider).given(recorded).when(revise()).then(revised);
    });

    it('holds the revised casualties after a revision', () => {
      const { state } = spec(claimDecider).given(recorded, revised);
      expect(state).toMatchObject({ recorded: true, claim: { casualties: revisedCasualties } });
    });

    it('refuses a revision with min above max, naming the field', () => {
      spec(claimDecider)
        .given(recorded)
        .when(revise({ civilian: { killed: { min: 12, max: 10 }, wounded: { min: 34, max: 34 } } }))
        .thenThrows('claim.casualties_range', { extensions: { field: 'casualties.civilian.killed' } });
    });

    it('refuses a revision as of a time in the future', () => {
      spec(claimDecider)
        .given(recorded)
        .when(revise(revisedCasualties, '2020-10-12T12:05:00+04:00'))
        .thenThrows('claim.stated_in_future', { extensions: { field: 'asOf' } });
    });

    it('refuses a revision that predates the claim', () => {
      spec(claimDecider)
        .given(recorded)
        .when(revise(revisedCasualties, '2020-10-11T08:00:00+04:00'))
        .thenThrows('claim.revision_before_statement', { extensions: { field: 'asOf' } });
    });

    it('records a correction with only the fields that change', () => {
      const location = { ...ganja, precision: 'exact' as const };
      spec(claimDecider)
        .given(recorded)
        .when(correct({ claimant: azerbaijan, category: 'missile-strike', location }))
        .then({ type: 'ClaimCorrected', data: { claimId: ganjaClaimId, changes: { location }, reason: 'Checked against the original statement' } });
    });

    it('adds nothing for a correction with unchanged values', () => {
      spec(claimDecider)
        .given(recorded)
        .when(correct({ subject: armenia, occurred: { raw: 'around 02:00', precision: 'hour', from: '2020-10-11T02:00:00+04:00' } }))
        .thenNothingHappened();
    });

    it('adds nothing for a correction to the casualties it was revised to', () => {
      spec(claimDecider).given(recorded, revised).when(correct({ casualties: revisedCasualties })).thenNothingHappened();
    });

    it('holds the corrected content after a correction', () => {
      const { state } = spec(claimDecider).given(recorded, {
        type: 'ClaimCorrected',
        data: { claimId: ganjaClaimId, changes: { category: 'drone-strike' }, reason: 'Misread' },
      });
      expect(state).toMatchObject({ claim: { ...recorded.data, category: 'drone-strike' } });
    });

    it('refuses a correction naming a provision the conflict\'s agreements do not have', () => {
      spec(claimDecider)
        .given(recorded)
        .when({ ...correct({ provisionId: otherProvision }), provisionIds: new Set([bodiesProvision]) })
        .thenThrows('claim.unknown_provision', { extensions: { field: 'changes.provisionId' } });
    });

    it('records a correction naming a provision of the conflict\'s agreements', () => {
      spec(claimDecider)
        .given(recorded)
        .when({ ...correct({ provisionId: bodiesProvision }), provisionIds: new Set([bodiesProvision]) })
        .then({ type: 'ClaimCorrected', data: { claimId: ganjaClaimId, changes: { provisionId: bodiesProvision }, reason: 'Checked against the original statement' } });
    });

    it('refuses a correction naming a subject that is not a party', () => {
      spec(claimDecider)
        .given(recorded)
        .when(correct({ subject: russia }))
        .thenThrows('claim.unknown_party', { extensions: { field: 'subject' } });
    });

    it('refuses a correction that gives a stance to a claim answering nothing', () => {
      spec(claimDecider)
        .given(recorded)
        .when(correct({ stance: 'justification' }))
        .thenThrows('claim.stance_without_response', { extensions: { field: 'stance' } });
    });

    it('refuses a correction that makes the claimant accuse itself', () => {
      spec(claimDecider)
        .given(recorded)
        .when(correct({ subject: azerbaijan }))
        .thenThrows('claim.self_accusation', { extensions: { field: 'subject' } });
    });

    it('refuses a correction that moves the statement before the occurrence', () => {
      spec(claimDecider)
        .given(recorded)
        .when(correct({ statedAt: '2020-10-11T01:00:00+04:00' }))
        .thenThrows('claim.occurred_after_statement', { extensions: { field: 'occurred.from' } });
    });

    it('refuses a correction that removes every source', () => {
      spec(claimDecider)
        .given(recorded)
        .when(correct({ attributions: [] }))
        .thenThrows('claim.no_attribution', { extensions: { field: 'attributions' } });
    });

    it('retracts it', () => {
      spec(claimDecider).given(recorded).when(retract()).then(retracted);
    });

    it('refuses a retraction before the claim was made', () => {
      spec(claimDecider)
        .given(recorded)
        .when(retract('2020-10-11T08:59:00+04:00'))
        .thenThrows('claim.retraction_before_statement', { extensions: { field: 'statedAt' } });
    });

    it('refuses a retraction stated in the future', () => {
      spec(claimDecider)
        .given(recorded)
        .when(retract('2020-10-13T09:00:00+04:00'))
        .thenThrows('claim.stated_in_future', { extensions: { field: 'statedAt' } });
    });

    it('voids it', () => {
      spec(claimDecider).given(recorded).when({ type: 'VoidClaim', reason: 'Entered twice by mistake' }).then(voided);
    });

    it('records an assessment', () => {
      const { claimId: _, ...assessment } = corroborated.data;
      spec(claimDecider).given(recorded).when(assess(assessment)).then(corroborated);
    });

    it('marks it a duplicate of another claim of the conflict', () => {
      spec(claimDecider)
        .given(recorded)
        .when(markDuplicate(ganjaAgainClaimId, { conflictId, duplicateOf: null, voided: false }))
        .then(markedDuplicate);
    });

    it('refuses to mark it a duplicate of itself', () => {
      spec(claimDecider)
        .given(recorded)
        .when(markDuplicate(ganjaClaimId, { conflictId, duplicateOf: null, voided: false }))
        .thenThrows('claim.duplicate_of_self', { extensions: { field: 'claimId' } });
    });

    it('refuses to mark it a duplicate of a claim that does not exist', () => {
      spec(claimDecider)
        .given(recorded)
        .when(markDuplicate(unknownClaimId, null))
        .thenThrows('claim.unknown_duplicate_target', { extensions: { field: 'claimId' } });
    });

    it('refuses to mark it a duplicate of a claim of another conflict', () => {
      spec(claimDecider)
        .given(recorded)
        .when(markDuplicate(ganjaAgainClaimId, { conflictId: otherConflictId, duplicateOf: null, voided: false }))
        .thenThrows('claim.duplicate_other_conflict', { extensions: { field: 'claimId' } });
    });

    it('refuses to mark it a duplicate of a claim marked a duplicate of it', () => {
      spec(claimDecider)
        .given(recorded)
        .when(markDuplicate(ganjaAgainClaimId, { conflictId, duplicateOf: ganjaClaimId, voided: false }))
        .thenThrows('claim.duplicate_cycle', { extensions: { field: 'claimId' } });
    });

    it('refuses to mark it a duplicate of a claim that is itself a duplicate: no chains', () => {
      spec(claimDecider)
        .given(recorded)
        .when(markDuplicate(ganjaAgainClaimId, { conflictId, duplicateOf: stepanakertClaimId, voided: false }))
        .thenThrows('claim.duplicate_of_duplicate', { extensions: { field: 'claimId' } });
    });

    it('refuses to mark it a duplicate of a voided claim', () => {
      spec(claimDecider)
        .given(recorded)
        .when(markDuplicate(ganjaAgainClaimId, { conflictId, duplicateOf: null, voided: true }))
        .thenThrows('claim.duplicate_of_voided', { extensions: { field: 'claimId' } });
    });
  });

  describe('when the claim has a second attribution', () => {
    it('withdraws one of them', () => {
      spec(claimDecider)
        .given(recorded, tassAdded)
        .when({ type: 'WithdrawAttribution', attributionId: apa.attributionId, reason: 'The APA report was taken down' })
        .then({
          type: 'AttributionWithdrawn',
          data: { claimId: ganjaClaimId, attributionId: apa.attributionId, reason: 'The APA report was taken down' },
        });
    });
  });

  describe('when an attribution is withdrawn', () => {
    const withdrawn = {
      type: 'AttributionWithdrawn',
      data: { claimId: ganjaClaimId, attributionId: apa.attributionId, reason: 'The APA report was taken down' },
    } as const;

    it('adds nothing when it is withdrawn again', () => {
      spec(claimDecider)
        .given(recorded, tassAdded, withdrawn)
        .when({ type: 'WithdrawAttribution', attributionId: apa.attributionId, reason: 'Again' })
        .thenNothingHappened();
    });

    it('refuses to withdraw the last one still standing', () => {
      spec(claimDecider)
        .given(recorded, tassAdded, withdrawn)
        .when({ type: 'WithdrawAttribution', attributionId: tass.attributionId, reason: 'Not about Ganja' })
        .thenThrows('claim.last_attribution');
    });

    it('keeps the reason it was withdrawn for', () => {
      const { state } = spec(claimDecider).given(recorded, tassAdded, withdrawn);
      expect(state).toMatchObject({ withdrawn: { [apa.attributionId]: 'The APA report was taken down' } });
    });
  });

  describe('when the claim is a counterclaim', () => {
    it('takes a correction of its stance', () => {
      spec(claimDecider)
        .given(denialRecorded)
        .when(correct({ stance: 'counter-accusation', subject: azerbaijan, assertion: 'violated' }, 'Misread the statement'))
        .then({
          type: 'ClaimCorrected',
          data: {
            claimId: denialClaimId,
            changes: { stance: 'counter-accusation', subject: azerbaijan, assertion: 'violated' },
            reason: 'Misread the statement',
          },
        });
    });

    it('refuses a correction that removes its stance', () => {
      spec(claimDecider)
        .given(denialRecorded)
        .when(correct({ stance: undefined }))
        .thenThrows('claim.response_without_stance', { extensions: { field: 'stance' } });
    });

    it('keeps what it answers after a correction', () => {
      const { state } = spec(claimDecider).given(denialRecorded, {
        type: 'ClaimCorrected',
        data: { claimId: denialClaimId, changes: { stance: 'justification' }, reason: 'Misread' },
      });
      expect(state).toMatchObject({ claim: { respondsTo: ganjaClaimId, stance: 'justification' } });
    });

    it('refuses a correction that makes it a self-accusation without acknowledgement', () => {
      spec(claimDecider)
        .given(denialRecorded)
        .when(correct({ assertion: 'violated' }))
        .thenThrows('claim.self_accusation', { extensions: { field: 'subject' } });
    });
  });

  describe('when the claim is assessed', () => {
    it('adds nothing for the identical assessment again', () => {
      const { claimId: _, ...assessment } = corroborated.data;
      spec(claimDecider)
        .given(recorded, corroborated)
        .when(assess({ ...assessment, evidence: [...assessment.evidence] }))
        .thenNothingHappened();
    });

    it('records a new assessment that differs from the latest one', () => {
      const contested: Omit<ClaimAssessed['data'], 'claimId'> = {
        status: 'contested',
        rationale: 'Armenia denies firing; no independent trace of the launch',
        evidence: [],
      };
      spec(claimDecider)
        .given(recorded, corroborated)
        .when(assess(contested))
        .then({ type: 'ClaimAssessed', data: { claimId: ganjaClaimId, ...contested } });
    });
  });

  describe('when the claim is marked a duplicate', () => {
    it('adds nothing for the same duplicate mark again', () => {
      spec(claimDecider)
        .given(recorded, markedDuplicate)
        .when(markDuplicate(ganjaAgainClaimId, { conflictId, duplicateOf: null, voided: false }))
        .thenNothingHappened();
    });

    it('refuses marking it a duplicate of another claim', () => {
      spec(claimDecider)
        .given(recorded, markedDuplicate)
        .when(markDuplicate(tartarClaimId, { conflictId, duplicateOf: null, voided: false }))
        .thenThrows('claim.already_duplicate');
    });
  });

  describe('when the claim is retracted', () => {
    it('refuses a correction', () => {
      spec(claimDecider).given(recorded, retracted).when(correct({ summary: 'Corrected' })).thenThrows('claim.retracted');
    });

    it('refuses a correction even with unchanged values', () => {
      spec(claimDecider).given(recorded, retracted).when(correct({ subject: armenia })).thenThrows('claim.retracted');
    });

    it('refuses a revision of the casualties', () => {
      spec(claimDecider).given(recorded, retracted).when(revise()).thenThrows('claim.retracted');
    });

    it('refuses another retraction', () => {
      spec(claimDecider).given(recorded, retracted).when(retract('2020-10-12T11:30:00+04:00')).thenThrows('claim.retracted');
    });

    it('still takes an assessment', () => {
      const { claimId: _, ...assessment } = corroborated.data;
      spec(claimDecider).given(recorded, retracted).when(assess(assessment)).then(corroborated);
    });
  });

  describe('when the claim is voided', () => {
    it('keeps why it was voided', () => {
      expect(spec(claimDecider).given(recorded, voided).state).toMatchObject({ voided: { reason: 'Entered twice by mistake' } });
    });

    it.each(commandsOnARecordedClaim.filter(([name]) => name !== 'VoidClaim'))('refuses %s', (_, command) => {
      spec(claimDecider).given(recorded, tassAdded, voided).when(command).thenThrows('claim.voided');
    });

    it('refuses to record it again', () => {
      spec(claimDecider).given(recorded, voided).when(record()).thenThrows('claim.already_recorded');
    });
  });
});

describe('claim decider: shredding a protected identity', () => {
  const sealedSource: Attribution = {
    attributionId: 'a7a7a7a7-0001-4a00-8000-000000000001',
    outlet: 'Local reporter',
    reliability: 'C',
    credibility: 3,
    confidential: true,
    protectedIdentity: { alg: 'AES-256-GCM', iv: 'aXY=', ciphertext: 'Y2lwaGVy', tag: 'dGFn' },
  };
  const withSealedSource: ClaimRecorded = { ...recorded, data: { ...recorded.data, attributions: [apa, sealedSource] } };
  const shredded = { type: 'AttributionIdentityShredded' as const, data: { claimId: ganjaClaimId, attributionId: sealedSource.attributionId } };
  const shred = (attributionId: string) => ({ type: 'ShredIdentity' as const, attributionId });

  describe('when the attribution holds a sealed identity', () => {
    it('records the shredding', () => {
      spec(claimDecider).given(withSealedSource).when(shred(sealedSource.attributionId)).then(shredded);
    });

    it('does so even for a voided claim: protecting a source outranks the claim’s state', () => {
      spec(claimDecider).given(withSealedSource, { ...voided }).when(shred(sealedSource.attributionId)).then(shredded);
    });
  });

  describe('when it was shredded already', () => {
    it('does nothing', () => {
      spec(claimDecider).given(withSealedSource, shredded).when(shred(sealedSource.attributionId)).thenNothingHappened();
    });
  });

  describe('when the attribution holds no sealed identity', () => {
    it('refuses', () => {
      spec(claimDecider).given(withSealedSource).when(shred(apa.attributionId)).thenThrows('attribution.not_sealed');
    });
  });

  describe('when the claim has no such attribution', () => {
    it('answers not found', () => {
      spec(claimDecider)
        .given(withSealedSource)
        .when(shred('a7a7a7a7-0009-4a00-8000-000000000009'))
        .thenThrows('attribution.not_found', { as: NotFoundError });
    });
  });
});
