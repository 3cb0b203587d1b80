import type { KnownParty, Span } from './draft';
import type { PartyMatcher, PartyMention } from './party-mentions';
import { ORGAN, OUTLETS, SPEECH_VERB } from './vocabulary';

/** Who spoke in a sentence: the party whose organ speaks, the organ's words, the outlet. */
export interface SpeechFrame {
  /** The noun phrase of the speaker, as written ("the Armenian Defence Ministry"). */
  speaker: { text: string; span: Span } | null;
  party: PartyMention | null;
  /** A pronoun or generic organ ("the ministry", "it") that names no party: the previous speaker's. */
  anaphoric: boolean;
  verb: { text: string; span: Span };
  /** The whole attribution ("…, the ministry said"), left out when looking for the subject. */
  span: Span;
}

export interface OutletMention {
  name: string;
  span: Span;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const OUTLET_NAMES = [...OUTLETS].sort((a, b) => b.length - a.length).map(escape).join('|');
const OUTLET_FRAMES = [
  new RegExp(`(?:^|[\\s(/])(?<name>${OUTLET_NAMES})(?:\\s+news agency)?(?:\\s+|\\)\\s*)(?:reported|reports|said|cited|quoted|wrote|learned)\\b`, 'g'),
  new RegExp(`\\b(?:according to|told|cited by|quoted by|said in an interview with|reported by)\\s+(?:the\\s+)?(?<name>${OUTLET_NAMES})\\b`, 'g'),
  // Datelines: "MOSCOW, October 10. /TASS/.", "BAKU (Reuters) -"
  new RegExp(`(?:^|\\n)[A-Z][A-Z .,'/-]{2,40}(?:,[^/\\n(]{0,30})?\\s*[/(](?<name>${OUTLET_NAMES})[/)]`, 'g'),
];

/**
 * A wire dateline at the start of a paragraph ("YEREVAN, October 11 (Reuters) - ", "MOSCOW,
 * October 10. /TASS/. "): where and when the copy was filed, not what it reports.
 */
export const DATELINE = new RegExp(`^[ \\t]*[A-Z][A-Z .'/-]{1,40}(?:,\\s*[A-Z][a-z]+)?,\\s*(?:[A-Z][a-z]{2,8}\\.?\\s+\\d{1,2}|\\d{1,2}\\s+[A-Z][a-z]{2,8})\\.?\\s*(?:[/(][^/()\\n]{2,40}[/)]\\.?)?\\s*[-–—]?\\s*`, 'gm');

/** The text with its datelines blanked out (offsets kept). */
export function withoutDatelines(text: string): string {
  return text.replace(DATELINE, (m) => ' '.repeat(m.length));
}

/** The outlets a text names as its source ("TASS reported", "told Reuters", "/TASS/"). */
export function findOutlets(text: string, offset = 0): OutletMention[] {
  const found: OutletMention[] = [];
  for (const re of OUTLET_FRAMES) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const name = m.groups!.name!;
      const at = m.index + m[0].indexOf(name);
      found.push({ name, span: [offset + at, offset + at + name.length] });
    }
  }
  return found.sort((a, b) => a.span[0] - b.span[0]);
}

const isOutlet = (np: string) => new RegExp(`^(?:the\\s+)?(?:${OUTLET_NAMES})(?:\\s+news agency)?$`, 'i').test(np.trim());
const PRONOUN = /^(?:it|he|she|they|the (?:defen[cs]e |foreign )?ministry|the (?:spokes(?:man|woman|person)|official|officials|statement|president|prosecutor['’]?s? office|press service|ministry['’]s spokes(?:man|woman|person)))$/i;
/** A person's name as copy writes it: two to four capitalised words ("Shushan Stepanyan"). */
const PERSON = "[A-Z][\\p{L}'’.-]+(?:\\s+[A-Z][\\p{L}'’.-]+){1,3}";
/** Words that may stand between a speaker and the verb ("Baku flatly denied"). */
const ADVERB = '(?:also|again|later|earlier|on \\w+|late on \\w+|strongly|flatly|categorically|officially|firmly)';
const DETERMINER_END = /\b(?:the|a|an|its|their|these|those|this|that)$/i;
/**
 * An organ named only by its kind, with no party ("the ministry's spokeswoman", "the army's press
 * service", "ministry spokeswoman Shushan Stepanyan", or a name followed by such a role): it
 * speaks for the party that spoke last.
 */
function isGenericOrgan(np: string): boolean {
  const role = np.replace(new RegExp(`^${PERSON},\\s+`, 'u'), '');
  const m = ORGAN.exec(role);
  if (!m) return false;
  const before = role.slice(0, m.index);
  const after = role.slice(m.index + m[0].length);
  // Only lower-case words before the organ (no "Red Cross"), and at most a name after it.
  return /^(?:(?:the|its|their|his|her)\s+)?(?:[a-z]+(?:['’]s)?\s+){0,3}$/.test(before) && /^(?:['’]s)?(?:\s+(?:spokes(?:man|woman|person)|press service|press secretary))?(?:\s+[A-Z][\p{L}'’.-]+){0,3}$/u.test(after);
}
/** A clause inside the noun phrase means it is not one. */
const CLAUSE = /\b(that|which|who|after|when|while|as|because|but|and then|killing|shelled|attacked|fired)\b/i;

/**
 * The attribution of a sentence: "X said …" at its start, "…, X said." at its end, "according
 * to X" or "citing X", where X names a party or an organ; outlets ("TASS reported") are sources,
 * not speakers, and are skipped here.
 */
export function findSpeechFrame(sentence: string, offset: number, parties: PartyMatcher): SpeechFrame | null {
  const candidates: { np: string; npStart: number; verb: string; verbStart: number; frame: Span }[] = [];
  // Appositive: "Shushan Stepanyan, spokeswoman for the Armenian Defence Ministry, said …" — the
  // person's name, then the role that may name the party, between commas.
  const apposition = new RegExp(`^(?<np>${PERSON},\\s+(?<role>[^,;"“”]{2,90}?)),\\s+(?:${ADVERB}\\s+)?(?<verb>${SPEECH_VERB})\\b`, 'u').exec(sentence);
  if (apposition && ORGAN.test(apposition.groups!.role!)) {
    const verbStart = apposition[0].length - apposition.groups!.verb!.length;
    candidates.push({ np: apposition.groups!.np!, npStart: 0, verb: apposition.groups!.verb!, verbStart, frame: [0, apposition[0].length] });
  }
  const trailingApposition = new RegExp(`[,—–]\\s*["”]?\\s*(?<np>${PERSON},\\s+(?<role>[^,;"“”]{2,90}?)),\\s+(?<verb>said|says|added|told [A-Z][\\w.]*)[.!?"”]*\\s*$`, 'u').exec(sentence);
  if (trailingApposition && ORGAN.test(trailingApposition.groups!.role!)) {
    const npStart = trailingApposition.index + trailingApposition[0].indexOf(trailingApposition.groups!.np!);
    const verbStart = trailingApposition.index + trailingApposition[0].lastIndexOf(trailingApposition.groups!.verb!);
    candidates.push({ np: trailingApposition.groups!.np!, npStart, verb: trailingApposition.groups!.verb!, verbStart, frame: [trailingApposition.index, verbStart + trailingApposition.groups!.verb!.length] });
  }
  // Leading: "The Armenian Defence Ministry said …", "On Sunday, Baku accused …"
  const lead = new RegExp(`^(?<intro>(?:[^,]{0,40},\\s*)?)(?<np>[^,;"“”]{2,110}?)\\s+(?:${ADVERB}\\s+)?(?<verb>${SPEECH_VERB})\\b`, 'i');
  const leadMatch = lead.exec(sentence);
  if (leadMatch) {
    const npStart = leadMatch.groups!.intro!.length;
    const verbStart = leadMatch.index + leadMatch[0].length - leadMatch.groups!.verb!.length;
    candidates.push({ np: leadMatch.groups!.np!, npStart, verb: leadMatch.groups!.verb!, verbStart, frame: [npStart, verbStart + leadMatch.groups!.verb!.length] });
  }
  // Trailing: "…, the Azerbaijani Defence Ministry said." / "…, said the ministry."
  const trail = new RegExp(`[,—–]\\s*["”]?\\s*(?<np>[^,;"“”]{2,110}?)\\s+(?<verb>said|says|stated|claimed|added|alleged|insisted|reported|wrote|noted|told [A-Z][\\w.]*|said in a statement|announced)(?<tail>[^.!?]{0,160})[.!?"”]*\\s*$`, 'i');
  const trailMatch = trail.exec(sentence);
  if (trailMatch) {
    const npStart = trailMatch.index + trailMatch[0].indexOf(trailMatch.groups!.np!);
    const verbStart = npStart + trailMatch.groups!.np!.length + trailMatch[0].slice(trailMatch[0].indexOf(trailMatch.groups!.np!) + trailMatch.groups!.np!.length).indexOf(trailMatch.groups!.verb!);
    // The attribution ends at its verb: what follows (", adding that two people were injured") is said.
    candidates.push({ np: trailMatch.groups!.np!, npStart, verb: trailMatch.groups!.verb!, verbStart, frame: [trailMatch.index, verbStart + trailMatch.groups!.verb!.length] });
  }
  const inverted = /[,—–]\s*["”]?\s*(?<verb>said|says|according to)\s+(?<np>[^,;"“”]{2,110}?)[.!?"”]*\s*$/i.exec(sentence);
  if (inverted) {
    const verbStart = inverted.index + inverted[0].indexOf(inverted.groups!.verb!);
    const npStart = verbStart + inverted.groups!.verb!.length + 1;
    candidates.push({ np: inverted.groups!.np!, npStart, verb: inverted.groups!.verb!, verbStart, frame: [inverted.index, sentence.length] });
  }
  for (const m of sentence.matchAll(/\b(?<verb>according to|citing|quoting)\s+(?<np>[^,;.]{2,110}?)(?=[,;.]|$)/gi)) {
    const verbStart = m.index;
    const npStart = verbStart + m.groups!.verb!.length + 1;
    candidates.push({ np: m.groups!.np!, npStart, verb: m.groups!.verb!, verbStart, frame: [m.index, m.index + m[0].length] });
  }

  for (const c of candidates) {
    const np = c.np.trim();
    if (isOutlet(np)) continue;
    if (CLAUSE.test(np)) continue;
    // "the reports …": a noun phrase does not end in its article, so the word after it was no verb.
    if (DETERMINER_END.test(np)) continue;
    const npStart = c.npStart + c.np.indexOf(np);
    const mentions = parties.find(np, offset + npStart);
    const organ = ORGAN.test(np);
    const anaphoric = mentions.length === 0 && (PRONOUN.test(np) || isGenericOrgan(np));
    if (mentions.length === 0 && !anaphoric) continue;
    // A party named as the speaker, or whose organ speaks: the first such name in the phrase.
    const party = mentions[0] ?? null;
    // "Baku said": the party itself, not an organ, is the speaker.
    const speakerText = np.replace(/^the\s+/i, '');
    const speakerStart = npStart + np.length - speakerText.length;
    return {
      speaker: organ || anaphoric ? { text: speakerText, span: [offset + speakerStart, offset + speakerStart + speakerText.length] } : null,
      party,
      anaphoric,
      verb: { text: c.verb, span: [offset + c.verbStart, offset + c.verbStart + c.verb.length] },
      span: [offset + c.frame[0], offset + c.frame[1]],
    };
  }
  return null;
}

export type { KnownParty };
