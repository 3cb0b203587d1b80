import type { Category } from '../../claims/domain/claim';
import type { ProvisionKind } from '../../agreements/domain/agreement';
import { readCasualties } from './casualties';
import type { Draft, DraftContext, DraftNote, DraftsReading, KnownParty, ReportInput, Span } from './draft';
import { detectLanguage, isSupportedLanguage } from './language';
import { PartyMatcher, type PartyMention } from './party-mentions';
import { PlaceMatcher } from './place-mentions';
import { splitSentences, type Sentence } from './sentences';
import { findOutlets, findSpeechFrame, type OutletMention, withoutDatelines } from './sources';
import { inZone, localDate, readTimes, type TimeMention } from './times';
import {
  ACCUSATION,
  AGREEMENT,
  CATEGORY_CUES,
  COMPLIANCE,
  COUNTER,
  DENIAL_VERB,
  DENIAL_WORDS,
  APPEAL,
  NEGATED_ACT,
  FORCE_NOUN,
  PROVISION_CUES,
  VIOLATION,
} from './vocabulary';

/** Grades a journalist gives after checking; a draft starts at "cannot be judged". */
const UNGRADED = { reliability: 'F', credibility: 6 } as const;

const NOTE_NO_CLAIMANT = 'Reports accusations without saying who makes them about whom: no claim drafted.';
const NOTE_NO_SUBJECT = 'Says who accuses, but not whom: the subject is left for you to choose.';

interface Reading {
  input: ReportInput;
  context: DraftContext;
  parties: PartyMatcher;
  places: PlaceMatcher;
  publishedAt: Date;
  outlets: OutletMention[];
  language: string;
  drafts: Draft[];
  notes: DraftNote[];
  /** Per draft, the sentence it was read from (continuations are merged into it). */
  sentenceOf: Sentence[];
  lastSpeaker: { party: KnownParty; speaker: { text: string; span: Span } | null; paragraph: number } | null;
}

/**
 * Reads wire copy into drafts of claims and agreements (DESIGN §4), each with its confidence
 * and the spans it was read from, and notes for what it would not guess. Rule-based and pure:
 * nothing is looked up or stored here (see drafts.service.ts for the gazetteer and claims).
 */
export function extractDrafts(input: ReportInput, context: DraftContext): DraftsReading {
  const declared = input.language?.trim();
  const language = declared && declared.length > 0 ? declared : detectLanguage(input.text);
  if (!isSupportedLanguage(language)) {
    return {
      language: { code: language, supported: false },
      drafts: [],
      notes: [{ span: [0, input.text.length], text: `The report reads as ${languageName(language)}; only English copy is read for now, so no drafts were made.` }],
    };
  }
  const publishedAt = new Date(input.publishedAt ?? input.now);
  const reading: Reading = {
    input,
    context,
    parties: new PartyMatcher(context.parties),
    places: new PlaceMatcher(context.places),
    publishedAt,
    outlets: findOutlets(input.text),
    language: language.toLowerCase().split('-')[0]!,
    drafts: [],
    notes: [],
    sentenceOf: [],
    lastSpeaker: null,
  };
  for (const sentence of splitSentences(withoutDatelines(input.text))) {
    // "the U.S.-brokered ceasefire" names a truce already made; it does not make one.
    if (AGREEMENT.test(sentence.text.replace(/-brokered\b/gi, '')) && readAgreement(reading, sentence)) continue;
    readClaim(reading, sentence);
  }
  return { language: { code: reading.language, supported: true }, drafts: reading.drafts, notes: reading.notes };
}

function languageName(code: string): string {
  const names: Record<string, string> = { ru: 'Russian', hy: 'Armenian', az: 'Azerbaijani', und: 'an undetermined language' };
  return names[code] ?? `language "${code}"`;
}

interface ClaimReading {
  claimant: PartyMention | { party: KnownParty; span: Span | null; inherited: true };
  speaker: { text: string; span: Span } | null;
  subject: { party: KnownParty; span: Span | null; certainty: number } | null;
  assertion: { value: 'violated' | 'complied'; span: Span; certainty: number };
  stance: { value: 'denial' | 'counter-accusation'; span: Span } | null;
  category: { value: Category; span: Span | null; certainty: number };
}

function readClaim(r: Reading, sentence: Sentence): void {
  const offset = sentence.span[0];
  const s = sentence.text;
  const frame = findSpeechFrame(s, offset, r.parties);
  const accusing = ACCUSATION.test(s) || VIOLATION.test(s);
  let claimant: ClaimReading['claimant'] | null = frame?.party ?? null;
  let speaker = frame?.speaker ?? null;
  if (frame && !claimant && frame.anaphoric && r.lastSpeaker && r.lastSpeaker.paragraph >= sentence.paragraph - 1) {
    claimant = { party: r.lastSpeaker.party, span: null, inherited: true };
    if (r.lastSpeaker.speaker && /^(the )?(ministry|it|he|she|they)$/i.test(frame.speaker?.text ?? '')) speaker = r.lastSpeaker.speaker;
  }
  if (!frame || !claimant) {
    if (accusing) r.notes.push({ span: sentence.span, text: NOTE_NO_CLAIMANT });
    return;
  }

  // The statement without its attribution: where the subject, acts and times are read.
  const [fs, fe] = [frame.span[0] - offset, frame.span[1] - offset];
  const said = s.slice(0, fs) + ' '.repeat(fe - fs) + s.slice(fe);
  // What a denial rejects ("dismissed Armenian claims that its forces had attacked Hadrut") is the
  // other side's claim, not the speaker's: its parties and acts are left out when looking for who
  // did what, so that only what the speaker asserts besides ("…, saying Armenian forces shelled
  // Tartar") can make the denial a counter-accusation.
  const rejected = deniedObject(s);
  const content = rejected ? said.slice(0, rejected[0]) + ' '.repeat(rejected[1] - rejected[0]) + said.slice(rejected[1]) : said;
  const mentions = r.parties.find(content, offset).filter((m) => !(claimant.span && m.span[0] === claimant.span[0]));

  if (APPEAL.test(s)) return;
  const denial = DENIAL_VERB.exec(s.slice(fs, fe)) ?? DENIAL_VERB.exec(said) ?? DENIAL_WORDS.exec(said) ?? NEGATED_ACT.exec(content);
  // "Our forces are not shelling X": the speaker's own side denies the act.
  const selfDenied = NEGATED_ACT.test(content);
  const compliance = COMPLIANCE.exec(content);
  // "No violations were recorded": a negated violation is compliance, whatever its words.
  const negated = compliance && /^no violations|calm|quiet/i.test(compliance[0]) ? compliance : null;
  // "accused X of obstructing the exchange, saying its forces fired…": what X is accused of comes first.
  const asserted = rejected ? s.slice(0, rejected[0]) + ' '.repeat(rejected[1] - rejected[0]) + s.slice(rejected[1]) : s;
  // Read with the attribution in place: "accused" is often the attribution's own verb.
  const accusedOf = /\baccus\w+\s+[^.;]*?\bof\s+(?:\w+ly\s+)?(\w+ing\b[^,.;]*)/i.exec(asserted);
  const ofCategory = accusedOf ? categoryOf(accusedOf[1]!, offset + accusedOf.index + accusedOf[0].length - accusedOf[1]!.length) : null;
  const category = negated ? ({ value: 'other', span: null, certainty: 0.3 } as const) : ofCategory?.span ? ofCategory : categoryOf(content, offset);
  const violation = category.span || negated ? null : (VIOLATION.exec(content) ?? /\baccus\w+|\bblam\w+/i.exec(asserted));
  const accuses = negated ? null : /\baccus\w+|\bblam\w+/i.exec(asserted);

  let assertion: ClaimReading['assertion'] | null = null;
  let stance: ClaimReading['stance'] = null;
  let subject: ClaimReading['subject'] = null;
  const agent = agentOf(content, offset, mentions, claimant.party);

  if (denial && (selfDenied || !(agent && agent.party.partyId !== claimant.party.partyId && (accuses || category.span)))) {
    assertion = { value: 'complied', span: spanOf(denial, offset, denial.input === s.slice(fs, fe) ? fs : 0), certainty: 0.85 };
    stance = { value: 'denial', span: assertion.span };
    subject = { party: claimant.party, span: claimant.span, certainty: 0.85 };
  } else if (category.span || violation || accuses) {
    const cue = category.span ?? (violation ? spanOf(violation, offset, violation.input === s ? 0 : 0) : spanOf(accuses!, offset, 0));
    assertion = { value: 'violated', span: cue, certainty: category.span ? 0.9 : 0.75 };
    subject = agent;
    if (denial) stance = { value: 'counter-accusation', span: spanOf(denial, offset, denial.input === s.slice(fs, fe) ? fs : 0) };
  } else if (compliance) {
    assertion = { value: 'complied', span: spanOf(compliance, offset, 0), certainty: 0.8 };
    const who = mentions.find((m) => m.span[0] - offset < compliance.index);
    subject = who ? { party: who.party, span: who.span, certainty: 0.7 } : { party: claimant.party, span: claimant.span, certainty: 0.8 };
  }
  if (!assertion) {
    // "It said Armenian forces lost up to 30 servicemen": figures the same speaker adds to its last claim.
    const last = r.drafts.at(-1);
    const casualties = readCasualties(content, offset);
    if (casualties.length > 0 && last?.kind === 'claim' && last.body.claimant === claimant.party.partyId && r.sentenceOf.at(-1)!.paragraph >= sentence.paragraph - 1) {
      mergeCasualties(last, casualties);
    }
    return;
  }
  // A party accuses itself only when it acknowledges it (DESIGN §4): here the subject is unknown.
  if (assertion.value === 'violated' && subject?.party.partyId === claimant.party.partyId) subject = null;

  // Answering a claim of this report: a denial answers the last accusation against the speaker; an
  // accusation of the accuser answers it back.
  let respondsToDraft: number | undefined;
  for (let i = r.drafts.length - 1; i >= 0; i -= 1) {
    const earlier = r.drafts[i]!.body;
    if (r.drafts[i]!.kind !== 'claim' || earlier.assertion !== 'violated') continue;
    if (stance?.value === 'denial' && earlier.subject === claimant.party.partyId) {
      respondsToDraft = i;
      break;
    }
    // An accusation back at the accuser answers it when the words say so ("in response", "first"),
    // or when it comes with a denial; otherwise it is a claim of its own.
    const counterCue = COUNTER.exec(content);
    if (assertion.value === 'violated' && subject && earlier.subject === claimant.party.partyId && earlier.claimant === subject.party.partyId && (stance || counterCue)) {
      respondsToDraft = i;
      stance ??= { value: 'counter-accusation', span: spanOf(counterCue!, offset, 0) };
      break;
    }
  }
  if (!stance && assertion.value === 'violated' && COUNTER.test(content) && /\b(first|instead|in response|in turn)\b/i.test(content)) {
    stance = { value: 'counter-accusation', span: spanOf(COUNTER.exec(content)!, offset, 0) };
  }
  // "Baku denied the report. It said Armenian forces had shelled Tartar": an accusation of the
  // other side right after the same speaker's denial answers back, as the denial's counter-accusation.
  const previous = r.drafts.at(-1);
  if (
    !stance &&
    assertion.value === 'violated' &&
    subject &&
    previous?.kind === 'claim' &&
    previous.body.stance === 'denial' &&
    previous.body.claimant === claimant.party.partyId &&
    subject.party.partyId !== claimant.party.partyId &&
    r.sentenceOf.at(-1)!.paragraph >= sentence.paragraph - 1
  ) {
    stance = { value: 'counter-accusation', span: claimant.span ?? frame.verb.span };
    if (respondsToDraft === undefined && previous.respondsToDraft !== undefined) respondsToDraft = previous.respondsToDraft;
  }

  const claim: ClaimReading = {
    claimant,
    speaker,
    subject,
    assertion,
    stance,
    category: assertion.value === 'complied' ? { value: 'ceasefire-statement', span: null, certainty: 0.7 } : category.span ? category : { value: 'other', span: null, certainty: 0.4 },
  };

  const times = readTimes(s, offset, { instant: r.publishedAt, timeZone: r.context.timeZone });
  const statedTime = times.find((t) => t.span[0] >= frame.verb.span[1] && t.span[0] - frame.verb.span[1] <= 12 && t.precision !== 'hour' && t.precision !== 'minute');
  const occurredTime = times.find((t) => t !== statedTime);
  const place = r.places.find(said, offset)[0];
  const casualties = readCasualties(content, offset);

  // A sentence that only adds to the last claim of the same speaker ("The ministry added that two
  // civilians were killed") is merged into it, not made a claim of its own.
  const last = r.drafts.at(-1);
  if (
    last &&
    last.kind === 'claim' &&
    !stance &&
    last.body.claimant === claimant.party.partyId &&
    (subject === null || last.body.subject === subject.party.partyId) &&
    last.body.assertion === assertion.value &&
    // A denial followed by "the Armenian side strictly observes the ceasefire, she said" is one claim.
    (last.body.stance === undefined || (last.body.stance === 'denial' && assertion.value === 'complied')) &&
    r.sentenceOf.at(-1)!.paragraph >= sentence.paragraph - 1 &&
    (!place || !last.spans.location || (last.body.location as { placeId?: string }).placeId === place.place.placeId)
  ) {
    mergeInto(last, { claim, occurredTime, place, casualties, offset });
    // The claim's summary and quote now span both sentences.
    const first = last.spans.summary!;
    const both = r.input.text.slice(first[0], sentence.span[1]);
    last.body.summary = both;
    last.spans.summary = [first[0], sentence.span[1]];
    (last.body.attributions as Record<string, unknown>[])[0]!.quote = both;
    return;
  }

  const draft = claimDraft(r, sentence, claim, { frame, statedTime, occurredTime, place, casualties, respondsToDraft });
  if (!subject && assertion.value === 'violated') r.notes.push({ span: sentence.span, text: NOTE_NO_SUBJECT });
  r.drafts.push(draft);
  r.sentenceOf.push(sentence);
  if (!('inherited' in claimant)) r.lastSpeaker = { party: claimant.party, speaker, paragraph: sentence.paragraph };
}

/** The nouns that name what a denial rejects. */
const REPORTED = '(?:claims?|reports?|accusations?|allegations?|statements?|information|assertions?|charges?|news)';
const DENIED_OBJECT = new RegExp(
  `\\b(?:denied|denies|deny|denying|rejected|rejects|reject|rejecting|dismissed|dismisses|dismissing|refuted|refutes|called|calls|calling)\\s+` +
    // "rejected as disinformation the reports …"
    `(?:as\\s+(?:\\w+\\s+){0,2}?\\w+\\s+)?` +
    `(?<obj>[^,;.]{0,40}?\\b${REPORTED}\\b[^,;]*?)` +
    // …up to what the speaker says besides: ", saying …", "and accused …", or the clause's end.
    `(?=,\\s|;|\\s+and\\s+(?:accused|said|blamed|added|insisted|claimed|charged)\\b|\\s+as\\s+(?:\\w+\\s+){0,2}?(?:groundless|baseless|false|untrue|disinformation|lies?|fabricat\\w*|fake|absurd|a provocation)\\b|\\.?["”]?\\s*$)`,
  'i',
);

/** Where in a sentence the claim a denial rejects is told ("Armenian claims that its forces had attacked Hadrut"), if it says. */
export function deniedObject(sentence: string): Span | null {
  const m = DENIED_OBJECT.exec(sentence);
  if (!m) return null;
  const start = m.index + m[0].length - m.groups!.obj!.length;
  return [start, start + m.groups!.obj!.length];
}

const spanOf = (m: RegExpExecArray, offset: number, base: number): Span => [offset + base + m.index, offset + base + m.index + m[0].length];

/** The category the verbs give, most specific first. */
function categoryOf(content: string, offset: number): ClaimReading['category'] {
  let best: { value: Category; index: number; length: number; rank: number } | null = null;
  CATEGORY_CUES.forEach(([value, re], rank) => {
    const m = re.exec(content);
    if (m && (!best || rank < best.rank)) best = { value, index: m.index, length: m[0].length, rank };
  });
  const found = best as { value: Category; index: number; length: number } | null;
  return found ? { value: found.value, span: [offset + found.index, offset + found.index + found.length], certainty: 0.8 } : { value: 'other', span: null, certainty: 0.3 };
}

/**
 * The party said to have acted: "accused X of", "X forces shelled", "by X forces", or else the
 * one party other than the speaker that the statement names, when not as a target ("on X").
 * `content` keeps the sentence's offsets (its attribution blanked), so a mention sits at
 * `span[0] - offset` in it.
 */
function agentOf(content: string, offset: number, mentions: PartyMention[], claimant: KnownParty): ClaimReading['subject'] {
  const at = (m: PartyMention) => m.span[0] - offset;
  for (const m of mentions) {
    if (/\b(accus\w+|blam\w+|condemn\w+)\s+(?:the\s+)?$/i.test(content.slice(0, at(m)))) return { party: m.party, span: m.span, certainty: 0.9 };
  }
  for (const m of mentions) {
    const after = content.slice(at(m) + m.text.length).replace(/^['’]s\b/, '');
    const before = content.slice(0, at(m));
    if (FORCE_NOUN.test(after) && !/\b(against|on|at|targeting|of|into|toward|towards)\s+(?:the\s+)?$/i.test(before)) {
      return { party: m.party, span: m.span, certainty: /\bby\s+(?:the\s+)?$/i.test(before) ? 0.9 : 0.85 };
    }
  }
  const others = mentions.filter((m) => m.party.partyId !== claimant.partyId && m.party.kind !== 'mediator');
  const named = others[0];
  if (named && new Set(others.map((m) => m.party.partyId)).size === 1) {
    const before = content.slice(0, at(named));
    if (!/\b(against|on|at|targeting|in|into|toward|towards)\s+(?:the\s+)?$/i.test(before)) return { party: named.party, span: named.span, certainty: 0.6 };
  }
  return null;
}

interface ClaimParts {
  frame: NonNullable<ReturnType<typeof findSpeechFrame>>;
  statedTime: TimeMention | undefined;
  occurredTime: TimeMention | undefined;
  place: ReturnType<PlaceMatcher['find']>[number] | undefined;
  casualties: ReturnType<typeof readCasualties>;
  respondsToDraft: number | undefined;
}

function claimDraft(r: Reading, sentence: Sentence, c: ClaimReading, parts: ClaimParts): Draft {
  const body: Record<string, unknown> = {};
  const confidence: Record<string, number> = {};
  const spans: Record<string, Span> = {};
  const set = (path: string, value: unknown, certainty: number, span: Span | null | undefined) => {
    body[path] = value;
    confidence[path] = round(certainty);
    if (span) spans[path] = span;
  };
  if (!c.stance) body.conflictId = r.context.conflictId;
  set('claimant', c.claimant.party.partyId, 'inherited' in c.claimant ? 0.6 : 0.9, c.claimant.span);
  if (c.subject) set('subject', c.subject.party.partyId, c.subject.certainty, c.subject.span);
  set('assertion', c.assertion.value, c.assertion.certainty, c.assertion.span);
  if (c.stance) {
    set('stance', c.stance.value, 0.75, c.stance.span);
  }
  set('category', c.category.value, c.category.certainty, c.category.span);

  const statedAt = parts.statedTime ? new Date(Math.min(parts.statedTime.at.getTime() + 12 * 3_600_000, r.publishedAt.getTime())) : r.publishedAt;
  set('statedAt', inZone(statedAt, r.context.timeZone), parts.statedTime ? 0.6 : r.input.publishedAt ? 0.7 : 0.3, parts.statedTime?.span);
  if (parts.occurredTime) {
    const t = parts.occurredTime;
    set('occurred', { from: t.from, ...(t.to ? { to: t.to } : {}), precision: t.precision, raw: t.raw }, t.precision === 'day' ? 0.75 : 0.7, t.span);
  } else {
    // Not said: the day it was stated, marked as a guess.
    set('occurred', { from: localDate(statedAt, r.context.timeZone), precision: 'day' }, 0.3, null);
  }
  if (parts.place) {
    const p = parts.place;
    set('location', { name: p.name, altNames: p.altNames, placeId: p.place.placeId, ...(p.district ? { precision: 'district' } : {}) }, 0.85 * p.certainty, p.span);
  }
  if (parts.casualties.length > 0) {
    const casualties: Record<string, Record<string, { min: number; max: number; raw: string }>> = {};
    for (const m of parts.casualties) {
      const group = (casualties[m.group] ??= {});
      if (group[m.kind]) continue;
      group[m.kind] = m.range;
      const path = `casualties.${m.group}.${m.kind}`;
      confidence[path] = m.groupStated ? 0.8 : 0.5;
      spans[path] = m.span;
    }
    body.casualties = casualties;
    confidence.casualties = round(Math.min(...Object.entries(confidence).filter(([k]) => k.startsWith('casualties.')).map(([, v]) => v)));
  }
  set('summary', sentence.text, 0.6, sentence.span);
  const outlet = nearestOutlet(r, sentence);
  const attribution: Record<string, unknown> = {
    ...(outlet ? { outlet: outlet.name } : r.input.outlet ? { outlet: r.input.outlet } : {}),
    ...(c.speaker ? { speaker: c.speaker.text } : {}),
    ...(r.input.url ? { url: r.input.url } : {}),
    ...(r.input.publishedAt ? { publishedAt: r.input.publishedAt } : {}),
    quote: sentence.text,
    language: r.language,
    ...UNGRADED,
  };
  body.attributions = [attribution];
  if (attribution.outlet !== undefined) {
    confidence['attributions[0].outlet'] = outlet ? (within(outlet.span, sentence.span) ? 0.9 : 0.5) : 0.8;
    if (outlet) spans['attributions[0].outlet'] = outlet.span;
  }
  if (c.speaker) {
    confidence['attributions[0].speaker'] = 0.8;
    spans['attributions[0].speaker'] = c.speaker.span;
  }
  confidence['attributions[0].reliability'] = 0;
  confidence['attributions[0].credibility'] = 0;
  return { kind: 'claim', body, confidence, spans, ...(parts.respondsToDraft !== undefined ? { respondsToDraft: parts.respondsToDraft } : {}) };
}

function mergeInto(
  draft: Draft,
  more: { claim: ClaimReading; occurredTime: TimeMention | undefined; place: ClaimParts['place']; casualties: ClaimParts['casualties']; offset: number },
): void {
  const { body, confidence, spans } = draft;
  if (!spans.subject && more.claim.subject) {
    body.subject = more.claim.subject.party.partyId;
    confidence.subject = round(more.claim.subject.certainty);
    if (more.claim.subject.span) spans.subject = more.claim.subject.span;
  }
  if (body.category === 'other' && more.claim.category.span) {
    body.category = more.claim.category.value;
    confidence.category = round(more.claim.category.certainty);
    spans.category = more.claim.category.span;
  }
  if (!spans.occurred && more.occurredTime) {
    const t = more.occurredTime;
    body.occurred = { from: t.from, ...(t.to ? { to: t.to } : {}), precision: t.precision, raw: t.raw };
    confidence.occurred = 0.6;
    spans.occurred = t.span;
  }
  if (!body.location && more.place) {
    const p = more.place;
    body.location = { name: p.name, altNames: p.altNames, placeId: p.place.placeId, ...(p.district ? { precision: 'district' } : {}) };
    confidence.location = round(0.75 * p.certainty);
    spans.location = p.span;
  }
  mergeCasualties(draft, more.casualties);
}

/** Adds figures read from a later sentence to a claim draft, keeping the ones it has. */
function mergeCasualties(draft: Draft, found: ClaimParts['casualties']): void {
  if (found.length === 0) return;
  const { body, confidence, spans } = draft;
  const casualties = (body.casualties ?? {}) as Record<string, Record<string, unknown>>;
  for (const m of found) {
    const group = (casualties[m.group] ??= {});
    if (group[m.kind]) continue;
    group[m.kind] = m.range;
    confidence[`casualties.${m.group}.${m.kind}`] = m.groupStated ? 0.75 : 0.5;
    spans[`casualties.${m.group}.${m.kind}`] = m.span;
  }
  body.casualties = casualties;
  confidence.casualties = round(Math.min(...Object.entries(confidence).filter(([k]) => k.startsWith('casualties.')).map(([, v]) => v)));
}

/** The outlet named in or before the sentence (the dateline's, usually). */
function nearestOutlet(r: Reading, sentence: Sentence): OutletMention | undefined {
  const inside = r.outlets.find((o) => o.span[0] >= sentence.span[0] && o.span[1] <= sentence.span[1]);
  if (inside) return inside;
  return r.outlets.filter((o) => o.span[1] <= sentence.span[0]).at(-1) ?? (r.input.outlet ? undefined : r.outlets[0]);
}

const within = (inner: Span, outer: Span) => inner[0] >= outer[0] && inner[1] <= outer[1];
const round = (n: number) => Math.round(n * 100) / 100;

/** An agreement sentence: "Baku and Yerevan agreed to cease fire starting from 12:00 local time of October 10 for …". */
function readAgreement(r: Reading, sentence: Sentence): boolean {
  const offset = sentence.span[0];
  const s = sentence.text;
  const mentions = r.parties.find(s, offset);
  const signatories = unique(mentions.filter((m) => m.party.kind !== 'mediator' && m.party.kind !== 'observer'));
  if (signatories.length < 2) return false;
  const mediators = unique(mentions.filter((m) => m.party.kind === 'mediator'));
  const times = readTimes(s, offset, { instant: r.publishedAt, timeZone: r.context.timeZone });
  const startCue = /\b(starting|from|as of|effective|begin|beginning|take effect|takes effect|took effect|at)\b/i;
  const start = times.find((t) => startCue.test(s.slice(Math.max(0, t.span[0] - offset - 25), t.span[0] - offset))) ?? times.find((t) => t.precision === 'minute' || t.precision === 'hour');
  const humanitarian = /\bhumanitarian\b/i.test(s);
  const kind = humanitarian ? 'humanitarian-truce' : /\btruce\b/i.test(s) ? 'humanitarian-truce' : 'ceasefire';

  const body: Record<string, unknown> = {};
  const confidence: Record<string, number> = {};
  const spans: Record<string, Span> = {};
  const day = start ? new Date(start.at).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: r.context.timeZone }) : null;
  body.title = `${humanitarian ? 'Humanitarian ceasefire' : 'Ceasefire'}${day ? ` of ${day}` : ''}`;
  confidence.title = 0.4;
  body.kind = kind;
  confidence.kind = humanitarian ? 0.8 : 0.5;
  body.signatories = signatories.map((m) => m.party.partyId);
  confidence.signatories = 0.85;
  spans.signatories = [signatories[0]!.span[0], signatories.at(-1)!.span[1]];
  body.mediators = mediators.map((m) => m.party.partyId);
  confidence.mediators = mediators.length ? 0.7 : 0.3;
  if (mediators.length) spans.mediators = [mediators[0]!.span[0], mediators.at(-1)!.span[1]];
  if (start) {
    body.effectiveFrom = { at: inZone(start.at, start.timeZone), raw: start.raw, timeZone: start.timeZone, basis: start.zoneStated ? 'stated' : 'assumed' };
    confidence.effectiveFrom = start.zoneStated ? 0.8 : 0.5;
    spans.effectiveFrom = start.span;
  }
  body.terms = s;
  confidence.terms = 0.6;
  spans.terms = sentence.span;
  const provisions = readProvisions(s, offset);
  if (provisions.length) {
    body.provisions = provisions.map((p) => ({ kind: p.kind, text: p.text }));
    provisions.forEach((p, i) => {
      confidence[`provisions[${i}]`] = 0.7;
      spans[`provisions[${i}]`] = p.span;
    });
  }
  const outlet = nearestOutlet(r, sentence);
  const outletName = outlet?.name ?? r.input.outlet;
  if (outletName) {
    body.attributions = [
      {
        outlet: outletName,
        ...(r.input.url ? { url: r.input.url } : {}),
        ...(r.input.publishedAt ? { publishedAt: r.input.publishedAt } : {}),
        quote: s,
        language: r.language,
        ...UNGRADED,
      },
    ];
    confidence['attributions[0].outlet'] = outlet ? 0.9 : 0.8;
    if (outlet) spans['attributions[0].outlet'] = outlet.span;
  }
  r.drafts.push({ kind: 'agreement', body, confidence, spans });
  r.sentenceOf.push(sentence);
  return true;
}

function unique(mentions: PartyMention[]): PartyMention[] {
  const seen = new Set<string>();
  return mentions.filter((m) => !seen.has(m.party.partyId) && seen.add(m.party.partyId));
}

/**
 * The undertakings listed after "for …": "for exchanging prisoners of war and bodies" gives
 * an exchange of prisoners and an exchange of bodies, each with the words that say it.
 */
function readProvisions(s: string, offset: number): { kind: ProvisionKind; text: string; span: Span }[] {
  const found: { kind: ProvisionKind; text: string; span: Span }[] = [];
  const list = /\b(?:for|to)\s+(?:the\s+)?(?:purposes? of\s+)?([^.;]+)/gi;
  for (const m of s.matchAll(list)) {
    const listStart = m.index + m[0].length - m[1]!.length;
    // Items: split at ", for", ", to", ", and", " and for".
    const items = [...m[1]!.matchAll(/(?:^|,\s*(?:and\s+)?(?:for\s+|to\s+)?|\s+and\s+(?:for\s+|to\s+)?)([^,]+?)(?=,|\s+and\s+|$)/g)];
    let verb = '';
    for (const item of items) {
      const text = item[1]!.trim();
      const at = listStart + item.index + item[0].indexOf(text);
      const kinds = PROVISION_CUES.filter(([, re]) => re.test(text));
      const lead = /^(exchang\w*|return\w*|hand\w* over|releas\w*|collect\w*|withdraw\w*|the exchange of|an exchange of)\s+/i.exec(text);
      if (lead) verb = lead[0];
      for (const [kind] of kinds.slice(0, 1)) {
        if (found.some((f) => f.kind === kind)) continue;
        found.push({ kind, text: lead || !verb ? text : `${verb}${text}`, span: [offset + at, offset + at + text.length] });
      }
    }
    if (found.length) break;
  }
  return found;
}

