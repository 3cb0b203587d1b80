import type { Span } from './draft';

export interface CasualtyRange {
  min: number;
  max: number;
  /** The words as written ("at least 5", "dozens"). */
  raw: string;
}

export type CasualtyGroup = 'civilian' | 'military';
export type CasualtyKind = 'killed' | 'wounded';

export interface CasualtyMention {
  group: CasualtyGroup;
  kind: CasualtyKind;
  range: CasualtyRange;
  span: Span;
  /** Whether the text said who they were (civilians, servicemen), or "people" was read as civilians. */
  groupStated: boolean;
}

const UNITS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
/** Vague quantities as ranges: what the words can mean at the least and at the most. */
const VAGUE: Record<string, [number, number]> = {
  dozens: [24, 99],
  scores: [40, 99],
  hundreds: [200, 999],
  several: [3, 9],
  'a few': [2, 5],
  few: [2, 5],
  many: [10, 99],
  'a dozen': [12, 12],
  'a number of': [2, 9],
};

const NUMBER_WORD = `(?:\\d[\\d,]*|(?:${Object.keys(TENS).join('|')})(?:[- ](?:${Object.keys(UNITS).filter((u) => u.length > 2).join('|')}))?|${Object.keys(UNITS).join('|')}|${Object.keys(VAGUE).join('|')})`;
const QUANTIFIER = `(?:at least|more than|over|nearly|almost|up to|some|about|around|approximately|as many as)`;
const AMOUNT = `(?:(?:${QUANTIFIER})\\s+)?(?:between\\s+${NUMBER_WORD}\\s+and\\s+${NUMBER_WORD}|${NUMBER_WORD}(?:\\s*(?:to|-|–|or)\\s*${NUMBER_WORD})?)`;

const CIVILIAN_STATED = /\b(civilians?|residents?|children|child|women|inhabitants|villagers|journalists?|reporters?)\b/i;
const MILITARY = /\b(servicem[ae]n|soldiers?|troops|military personnel|militants?|fighters?|personnel|officers?|conscripts?|service members?)\b/i;
const GROUP_WORDS = `(?:(?:Armenian|Azerbaijani|our|enemy|their|its|local|peaceful)\\s+)?(?:civilians?|residents?|children|women|people|persons|inhabitants|villagers|servicem[ae]n|soldiers?|troops|military personnel|militants?|fighters?|officers?|conscripts?|journalists?|service members?)`;
const KILLED = `(?:killed|dead|died|killing|death|deaths|lost their lives|perished|shot dead|lost)`;
const WOUNDED = `(?:wounded|injured|wounding|injuring|hurt|injuries)`;

/** A number, a number word or a vague quantity as a range, or null. */
export function amountRange(words: string): { min: number; max: number } | null {
  const text = words.trim().toLowerCase().replace(/\s+/g, ' ');
  const between = /^(?:between )?(.+?) (?:and|to|or) (.+)$/.exec(text) ?? /^(\d[\d,]*)\s*[-–]\s*(\d[\d,]*)$/.exec(text);
  if (between) {
    const a = amountRange(between[1]!);
    const b = amountRange(between[2]!);
    if (a && b) return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
  }
  const q = new RegExp(`^(${QUANTIFIER.slice(3, -1)})\\s+(.+)$`).exec(text);
  if (q) {
    const inner = amountRange(q[2]!);
    if (!inner) return null;
    switch (q[1]) {
      case 'more than':
      case 'over':
        return { min: inner.min + 1, max: inner.max + 1 };
      case 'up to':
      case 'as many as':
        return { min: inner.min === inner.max ? 0 : inner.min, max: inner.max };
      case 'nearly':
      case 'almost':
        return { min: Math.max(0, inner.min - 1), max: Math.max(0, inner.max - 1) };
      default:
        // "at least 5" claims 5; "some 5", "about 5" give 5 as the figure.
        return inner;
    }
  }
  const vague = VAGUE[text];
  if (vague) return { min: vague[0], max: vague[1] };
  if (/^\d[\d,]*$/.test(text)) {
    const n = Number(text.replace(/,/g, ''));
    return Number.isSafeInteger(n) ? { min: n, max: n } : null;
  }
  const [tens, unit] = text.split(/[- ]/);
  if (tens && TENS[tens] !== undefined) {
    const n = TENS[tens] + (unit ? (UNITS[unit] ?? NaN) : 0);
    return Number.isNaN(n) ? null : { min: n, max: n };
  }
  const single = UNITS[text];
  return single !== undefined ? { min: single, max: single } : null;
}

const PATTERNS: RegExp[] = [
  // "killing two civilians", "wounding at least 5 servicemen"
  new RegExp(`\\b(?<kind>${KILLED}|${WOUNDED})\\s+(?<amount>${AMOUNT})\\s+(?<who>${GROUP_WORDS})`, 'gi'),
  // "two civilians were killed", "five servicemen killed", "dozens of people were wounded"
  new RegExp(`\\b(?<amount>${AMOUNT})\\s+(?:of\\s+)?(?:(?:the|their|its)\\s+)?(?<who>${GROUP_WORDS})(?:\\s+\\w+){0,3}?\\s+(?:(?:were|was|have been|had been|are)\\s+)?(?<kind>${KILLED}|${WOUNDED})\\b`, 'gi'),
  // "…killing 21 civilians and wounding 70": a figure after its verb, its group that of the figure before
  new RegExp(`\\b(?<kind>${KILLED}|${WOUNDED})\\s+(?<amount>${AMOUNT})(?=[\\s,.;]|$)(?!\\s+(?:of|people|persons|civilians?|servicem[ae]n|soldiers))`, 'gi'),
  // "5 killed and 28 wounded", "left 3 dead"
  new RegExp(`\\b(?<amount>${AMOUNT})\\s+(?:(?:were|was|people|persons)\\s+)?(?<kind>${KILLED}|${WOUNDED})\\b`, 'gi'),
];

/**
 * Casualty figures of a sentence: numbers, number words and vague quantities next to killed,
 * wounded or injured, civilian or military when the words say so ("people" is read as
 * civilians, less surely), each a range that keeps the raw wording.
 */
export function readCasualties(sentence: string, offset: number): CasualtyMention[] {
  const found: CasualtyMention[] = [];
  const taken: Span[] = [];
  for (const re of PATTERNS) {
    re.lastIndex = 0;
    for (const m of sentence.matchAll(re)) {
      const g = m.groups!;
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([s, e]) => start < e && end > s)) continue;
      const amountText = g.amount!;
      // Years, times and dates are not casualty figures.
      if (/^\d{4}$/.test(amountText.trim()) || /:\d\d/.test(amountText)) continue;
      const range = amountRange(amountText);
      if (!range) continue;
      const kind: CasualtyKind = new RegExp(`^${WOUNDED}$`, 'i').test(g.kind!) ? 'wounded' : 'killed';
      const who = g.who ?? followingGroup(sentence, end) ?? precedingGroup(found);
      const group: CasualtyGroup = who && MILITARY.test(who) ? 'military' : 'civilian';
      const groupStated = who !== undefined && (MILITARY.test(who) || CIVILIAN_STATED.test(who));
      taken.push([start, end]);
      const amountAt = start + m[0].indexOf(amountText);
      found.push({ group, kind, range: { ...range, raw: amountText.trim() }, span: [offset + amountAt, offset + amountAt + amountText.length], groupStated });
    }
  }
  return found.sort((a, b) => a.span[0] - b.span[0]);
}

/** "5 killed and 28 wounded among civilians": the group named just after. */
function followingGroup(sentence: string, end: number): string | undefined {
  const after = sentence.slice(end, end + 40);
  const m = new RegExp(`^[^.;]*?\\b(${GROUP_WORDS})`, 'i').exec(after);
  return m?.[1];
}

/** "two civilians were killed and five wounded": the group of the figure before. */
function precedingGroup(found: CasualtyMention[]): string | undefined {
  const last = found.at(-1);
  if (!last?.groupStated) return undefined;
  return last.group === 'military' ? 'servicemen' : 'civilians';
}


