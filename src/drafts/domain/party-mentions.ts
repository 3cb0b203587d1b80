import type { KnownParty, Span } from './draft';

export interface PartyMention {
  party: KnownParty;
  span: Span;
  text: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Finds the conflict's parties in a stretch of text by every name they go by: full name, short
 * name and aliases (demonyms such as "Armenian" and capitals such as "Baku" are aliases of the
 * party). Longer names win over the shorter names inside them ("Republic of Artsakh" over
 * "Artsakh"); a name counts only as a whole word and written with a capital.
 */
export class PartyMatcher {
  private readonly forms: { form: string; party: KnownParty; re: RegExp }[];

  constructor(parties: readonly KnownParty[]) {
    const forms = parties.flatMap((party) =>
      [party.name, party.shortName, ...party.aliases]
        .filter((f): f is string => typeof f === 'string' && f.trim().length > 1)
        .map((form) => ({ form: form.trim(), party })),
    );
    forms.sort((a, b) => b.form.length - a.form.length);
    this.forms = forms.map((f) => ({ ...f, re: new RegExp(`(?<![\\p{L}\\p{N}])${escape(f.form)}(?![\\p{L}\\p{N}])`, 'giu') }));
  }

  /** The mentions in text (offsets shifted by `offset`), in reading order. */
  find(text: string, offset = 0): PartyMention[] {
    const taken: Span[] = [];
    const found: PartyMention[] = [];
    for (const { form, party, re } of this.forms) {
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) {
        const start = m.index;
        const end = start + m[0].length;
        // A proper name is written with a capital ("Armenian"), unless the alias itself is not.
        if (/^\p{Lu}/u.test(form) && !/^\p{Lu}/u.test(m[0])) continue;
        if (taken.some(([s, e]) => start < e && end > s)) continue;
        taken.push([start, end]);
        found.push({ party, span: [start + offset, end + offset], text: m[0] });
      }
    }
    return found.sort((a, b) => a.span[0] - b.span[0]);
  }
}
