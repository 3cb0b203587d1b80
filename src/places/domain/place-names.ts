import { transliterate } from 'transliteration';

/**
 * How a place name typed by anyone finds the place however each side, outlet or language
 * spells it: Gəncə, Ganja, Gandja and Гянджа are one town. Pure: no I/O.
 */

/** Letters the transliteration library reads other than as their English spellings. */
const SPELLED: [string, string][] = [
  ['ու', 'u'], // Armenian: one vowel, not "ow"
  ['Ու', 'U'],
  ['ə', 'a'], // Azerbaijani schwa, written "a" in English (Gəncə → Ganja)
  ['Ə', 'A'],
  ['ş', 'sh'],
  ['Ş', 'Sh'],
  ['ç', 'ch'],
  ['Ç', 'Ch'],
  ['ğ', 'gh'],
  ['Ğ', 'Gh'],
  ['ı', 'i'],
];

/** A name in lower-case ASCII letters and digits: accents, case, spaces and punctuation gone. */
export function foldName(name: string): string {
  return transliterate(name.normalize('NFC'), { replace: SPELLED })
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * A folded name's consonants, with the spellings of one sound made one (dzh, dj and Azerbaijani
 * c are all "j"; kh and x are one): transliterations that differ only in vowels or in those
 * spellings share it (Ganja, Gandja, Gəncə, Gyandzha → gnj).
 */
export function nameSkeleton(folded: string): string {
  const sounds = folded
    .replace(/dzh|dj|dz/g, 'J')
    .replace(/ch/g, 'C')
    .replace(/c/g, 'J')
    .replace(/kh/g, 'x')
    .replace(/sh/g, 'S')
    .replace(/zh/g, 'Z')
    .toLowerCase();
  return (sounds.slice(0, 1) + sounds.slice(1).replace(/[aeiouy]/g, '')).replace(/(.)\1+/g, '$1');
}

/**
 * How well a name answers a query: 4 the same name, 3 it starts with the query, 2 contains it,
 * 1 another transliteration of it (same skeleton, or starting with it for 3 consonants or
 * more), 0 not at all.
 */
export function nameMatch(name: string, query: string): number {
  const n = foldName(name);
  const q = foldName(query);
  if (q.length === 0) return 0;
  if (n === q) return 4;
  if (n.startsWith(q)) return 3;
  if (n.includes(q)) return 2;
  const ns = nameSkeleton(n);
  const qs = nameSkeleton(q);
  if (ns === qs || (qs.length >= 3 && ns.startsWith(qs))) return 1;
  return 0;
}
