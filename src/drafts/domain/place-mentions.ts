import { foldName, nameSkeleton } from '../../places/domain/place-names';
import type { KnownPlace, Span } from './draft';

export interface PlaceMention {
  place: KnownPlace;
  /** The name as written in the report, never "fixed". */
  name: string;
  /** The place's other names (each side's: Stepanakert / Khankendi). */
  altNames: string[];
  span: Span;
  /** 1 the name as the gazetteer spells it (accents and case aside), 0.7 another transliteration of it. */
  certainty: number;
  /** "Tartar district", "Fizuli region": the words after it say it is a district. */
  district: boolean;
}

/** Words of a name as written: capitalised words, up to three ("Nagorno-Karabakh", "Yeni Ganja"). */
const NAME_RUN = /\p{Lu}[\p{L}\p{M}'’-]*(?:\s+\p{Lu}[\p{L}\p{M}'’-]*){0,2}/gu;

/**
 * Finds the gazetteer's places in text by any of their names, in any script or spelling: the
 * same folded name (Şuşa = Shusha), else the same consonant skeleton (Gandja = Ganja), the way
 * the gazetteer's own search matches.
 */
export class PlaceMatcher {
  private readonly byFold = new Map<string, KnownPlace>();
  private readonly bySkeleton = new Map<string, KnownPlace | null>();

  constructor(places: readonly KnownPlace[]) {
    for (const place of places) {
      for (const name of place.names) {
        const folded = foldName(name);
        if (folded.length < 3) continue;
        this.byFold.set(folded, place);
        const skeleton = nameSkeleton(folded);
        if (skeleton.length < 3) continue;
        // A skeleton two places share names neither.
        const known = this.bySkeleton.get(skeleton);
        this.bySkeleton.set(skeleton, known === undefined || known?.placeId === place.placeId ? place : null);
      }
    }
  }

  find(text: string, offset = 0): PlaceMention[] {
    const found: PlaceMention[] = [];
    for (const run of text.matchAll(NAME_RUN)) {
      const words = [...run[0].matchAll(/\S+/g)];
      // The longest run of words that names a place, from each word on.
      for (let i = 0; i < words.length; i += 1) {
        let hit: PlaceMention | null = null;
        for (let j = words.length; j > i && !hit; j -= 1) {
          const start = run.index + words[i]!.index;
          const last = words[j - 1]!;
          let end = run.index + last.index + last[0].length;
          let written = text.slice(start, end);
          const possessive = /['’]s?$/.exec(written);
          if (possessive) {
            written = written.slice(0, -possessive[0].length);
            end -= possessive[0].length;
          }
          const folded = foldName(written);
          let place = this.byFold.get(folded);
          let certainty = 1;
          if (!place && folded.length >= 5) {
            place = this.bySkeleton.get(nameSkeleton(folded)) ?? undefined;
            certainty = 0.7;
          }
          if (!place) continue;
          const after = text.slice(end, end + 12);
          hit = {
            place,
            name: written,
            altNames: [...new Set(place.names.filter((n) => foldName(n) !== folded))],
            span: [offset + start, offset + end],
            certainty,
            district: /^\s+(district|region|rayon)\b/i.test(after),
          };
          i = j - 1;
        }
        if (hit) found.push(hit);
      }
    }
    return found;
  }
}
