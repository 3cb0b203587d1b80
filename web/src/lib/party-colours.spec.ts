import { describe, expect, it } from '@jest/globals';
import { OTHER_PARTY, PARTY_PALETTE, partyColours } from './party-colours';

describe('party colours', () => {
  it('follow the order of registration, not the names, and turn grey beyond seven parties', () => {
    const parties = Array.from({ length: 9 }, (_, i) => ({ id: `p${i}` }));
    const colours = partyColours(parties);
    expect(colours.colour('p0')).toBe('#0072B2');
    expect(new Set(parties.slice(0, 7).map((p) => colours.colour(p.id))).size).toBe(7);
    expect(colours.colour('p7')).toBe(OTHER_PARTY);
    expect(colours.className('p1')).toBe('party-2');
    expect(colours.className('unknown')).toBe('party-other');
    expect(partyColours([{ id: 'b' }, { id: 'a' }]).colour('a')).toBe(PARTY_PALETTE[1]);
  });
});
