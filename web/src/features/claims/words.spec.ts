import { describe, expect, it } from '@jest/globals';
import { claimSentence, suggestedResponder, suggestedResponse } from './words';

const names: Record<string, string> = { az: 'Azerbaijan', am: 'Armenia' };
const parties = { name: (id: string) => names[id] ?? id };

describe('claims in plain words', () => {
  it('says who accuses whom, or who says it complied', () => {
    expect(claimSentence({ claimant: 'az', subject: 'am', assertion: 'violated' }, parties)).toBe('Azerbaijan accuses Armenia of violating the truce');
    expect(claimSentence({ claimant: 'am', subject: 'am', assertion: 'complied' }, parties)).toBe('Armenia says it complied');
    expect(claimSentence({ claimant: 'az', subject: 'am', assertion: 'complied' }, parties)).toBe('Azerbaijan says Armenia complied');
    expect(claimSentence({ claimant: 'am', subject: 'am', assertion: 'violated' }, parties)).toBe('Armenia acknowledges violating the truce');
  });
});

describe('stance → suggested subject and assertion', () => {
  const original = { claimant: 'az', subject: 'am' };
  it('suggests the accused party as the responder', () => {
    expect(suggestedResponder(original)).toBe('am');
  });
  it('a denial is the responder about itself, complied', () => {
    expect(suggestedResponse('denial', 'am', original)).toEqual({ subject: 'am', assertion: 'complied' });
  });
  it('a counter-accusation is the responder about the original claimant, violated', () => {
    expect(suggestedResponse('counter-accusation', 'am', original)).toEqual({ subject: 'az', assertion: 'violated' });
  });
  it('an acknowledgement or justification is the responder owning up', () => {
    expect(suggestedResponse('acknowledgement', 'am', original)).toEqual({ subject: 'am', assertion: 'violated' });
    expect(suggestedResponse('justification', 'am', original)).toEqual({ subject: 'am', assertion: 'violated' });
  });
});
