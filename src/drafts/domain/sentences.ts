import nlp from 'compromise/one';
import type { Span } from './draft';

export interface Sentence {
  text: string;
  span: Span;
  /** The paragraph it belongs to (blank lines separate paragraphs). */
  paragraph: number;
}

/**
 * The report's sentences with their offsets. compromise splits them (it knows "a.m.", "Mr.",
 * "U.S." and the like); each paragraph is split alone so that a headline without a full stop
 * does not run into the first sentence.
 */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  const paragraphs = /[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*/g;
  let paragraph = 0;
  for (const block of text.matchAll(paragraphs)) {
    const base = block.index;
    const parsed = nlp(block[0]).json({ offset: true, text: false }) as { offset: { start: number; length: number } }[];
    for (const s of parsed) {
      const start = base + s.offset.start;
      const raw = text.slice(start, start + s.offset.length);
      const trimmed = raw.trim();
      if (trimmed.length === 0) continue;
      const lead = raw.indexOf(trimmed);
      sentences.push({ text: trimmed, span: [start + lead, start + lead + trimmed.length], paragraph });
    }
    paragraph += 1;
  }
  return sentences;
}
