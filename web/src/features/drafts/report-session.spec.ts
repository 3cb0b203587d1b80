import { describe, expect, it } from '@jest/globals';
import type { Draft } from './draft-values';
import { answeredClaim, applyRecorded, isResponse, type ReportSession, withRecorded } from './report-session';

const claim = (body: Record<string, unknown>, more: Partial<Draft> = {}): Draft => ({ kind: 'claim', body, confidence: {}, spans: {}, recordedAs: [], ...more });

/** "The Armenian Defence Ministry said Azerbaijani forces shelled Stepanakert. Baku denied the report." */
const session = (): ReportSession => ({
  id: 'reading-1',
  conflictId: 'c',
  text: '…',
  outlet: '',
  url: '',
  publishedAt: '',
  result: {
    drafts: [claim({ claimant: 'am', subject: 'az', assertion: 'violated' }), claim({ claimant: 'az', subject: 'az', assertion: 'complied', stance: 'denial' }, { respondsToDraft: 0 })],
    notes: [],
    language: { code: 'en', supported: true },
  },
  recorded: {},
});

describe('a report read on this tab', () => {
  it('says a denial answers no recorded claim while the accusation it answers is not recorded', () => {
    expect(isResponse(session().result.drafts[1]!)).toBe(true);
    expect(isResponse(session().result.drafts[0]!)).toBe(false);
    expect(answeredClaim(session(), 1)).toBeUndefined();
  });

  it('once the accusation is recorded, fills the denial\'s respondsTo with the recorded claim', () => {
    const after = withRecorded(session(), 0, 'claim-1');
    expect(after.recorded).toEqual({ 0: 'claim-1' });
    expect(after.result.drafts[1]!.body.respondsTo).toBe('claim-1');
    expect(answeredClaim(after, 1)).toBe('claim-1');
    // The accusation itself answers nothing.
    expect(after.result.drafts[0]!.body.respondsTo).toBeUndefined();
  });

  it('takes the answered draft as recorded when the reading found it recorded already', () => {
    const s = session();
    s.result.drafts[0] = { ...s.result.drafts[0]!, recordedAs: [{ id: 'claim-0', summary: '…' }] };
    expect(answeredClaim(s, 1)).toBe('claim-0');
  });

  it('keeps a link the reading made to a claim recorded before', () => {
    const s = session();
    s.result.drafts[1] = claim({ claimant: 'az', subject: 'az', assertion: 'complied', stance: 'denial', respondsTo: 'older' });
    expect(answeredClaim(s, 1)).toBe('older');
    expect(withRecorded(s, 0, 'claim-1').result.drafts[1]!.body.respondsTo).toBe('older');
  });

  it('applies what a record form hands back only to the reading it was reviewed from', () => {
    expect(applyRecorded(session(), { reportId: 'reading-1', index: 0, claimId: 'claim-1' })!.recorded).toEqual({ 0: 'claim-1' });
    expect(applyRecorded(session(), { reportId: 'an older reading', index: 0, claimId: 'claim-1' })!.recorded).toEqual({});
    expect(applyRecorded(null, { reportId: 'reading-1', index: 0, claimId: 'claim-1' })).toBeNull();
    const once = applyRecorded(session(), { reportId: 'reading-1', index: 0, claimId: 'claim-1' });
    expect(applyRecorded(once, { reportId: 'reading-1', index: 0, claimId: 'claim-1' })).toBe(once);
  });
});
