import { describe, expect, it } from '@jest/globals';
import { foldName, nameMatch, nameSkeleton } from './place-names';

describe('place names', () => {
  it('folds accents, case, scripts and punctuation away', () => {
    expect(foldName('Gəncə')).toBe('ganca');
    expect(foldName('Şuşa')).toBe('shusha');
    expect(foldName('Степанакерт')).toBe('stepanakert');
    expect(foldName('Ստեփանակերտ')).toBe('stepanakert');
    expect(foldName('Շուշի')).toBe('shushi');
    expect(foldName('Ağdam')).toBe('aghdam');
    expect(foldName('  Tərtər ')).toBe('tartar');
  });

  it('gives the transliterations of one name one skeleton', () => {
    const skeletons = ['Ganja', 'Gandja', 'Gəncə', 'Гянджа'].map((n) => nameSkeleton(foldName(n)));
    expect(new Set(skeletons)).toEqual(new Set(['gnj']));
    expect(nameSkeleton(foldName('Khankendi'))).toBe(nameSkeleton(foldName('Xankəndi')));
    expect(nameSkeleton(foldName('Terter'))).toBe(nameSkeleton(foldName('Tərtər')));
  });

  it('ranks the same name over a prefix, a prefix over a substring, a substring over a transliteration', () => {
    expect(nameMatch('Ganja', 'ganja')).toBe(4);
    expect(nameMatch('Gəncə', 'Genc')).toBe(1);
    expect(nameMatch('Gəncə', 'gən')).toBe(3);
    expect(nameMatch('Stepanakert', 'nakert')).toBe(2);
    expect(nameMatch('Gəncə', 'Gandja')).toBe(1);
    expect(nameMatch('Ganja', 'Gyandzha')).toBe(1);
  });

  it('does not take a different town for a transliteration', () => {
    expect(nameMatch('Ganja', 'Goris')).toBe(0);
    expect(nameMatch('Shusha', 'Stepanakert')).toBe(0);
    expect(nameMatch('Tartar', 'Tbilisi')).toBe(0);
    expect(nameMatch('Ganja', '')).toBe(0);
  });
});
