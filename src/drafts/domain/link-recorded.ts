import type { Draft } from './draft';

/** A claim already in the record, as the drafts are matched against it. */
export interface RecordedClaim {
  id: string;
  claimant: string;
  subject: string;
  assertion: string;
  stance: string | null;
  statedAt: string;
  placeId: string | null;
  summary: string;
  /** The quotes of its sources: a draft read from the same words is already recorded. */
  quotes: string[];
}

/** How far back a denial is looked for the accusation it answers. */
const ANSWER_WINDOW_MS = 7 * 24 * 3_600_000;

export interface LinkedDraft extends Draft {
  /** The recorded claim this draft answers, when it answers none of the report's own drafts. */
  respondsToClaim?: { id: string; summary: string };
  /** Recorded claims quoting the same words: this draft is probably recorded already. */
  recordedAs: { id: string; summary: string }[];
}

/**
 * Links drafts to the record: a denial or counter-accusation that answers none of the report's
 * own drafts answers the latest recorded accusation against its claimant (by its subject, for a
 * counter-accusation), stated within a week before it, at the same place when one is known; and
 * a draft whose quote a recorded claim cites is said to be recorded already. Pure.
 */
export function linkToRecorded(drafts: readonly Draft[], recorded: readonly RecordedClaim[]): LinkedDraft[] {
  return drafts.map((draft) => {
    const body = draft.body;
    const quote = (body.attributions as { quote?: string }[] | undefined)?.[0]?.quote;
    const recordedAs = quote ? recorded.filter((c) => c.quotes.includes(quote)).map((c) => ({ id: c.id, summary: c.summary })) : [];
    const linked: LinkedDraft = { ...draft, recordedAs };
    if (draft.kind !== 'claim' || draft.respondsToDraft !== undefined || (body.stance !== 'denial' && body.stance !== 'counter-accusation')) return linked;
    const statedAt = Date.parse(String(body.statedAt));
    const placeId = (body.location as { placeId?: string } | undefined)?.placeId ?? null;
    const candidates = recorded.filter((c) => {
      const at = Date.parse(c.statedAt);
      const answersClaimant = c.subject === body.claimant && c.assertion === 'violated' && c.stance === null;
      const byAccused = body.stance === 'denial' || c.claimant === body.subject;
      return answersClaimant && byAccused && at <= statedAt && statedAt - at <= ANSWER_WINDOW_MS;
    });
    candidates.sort((a, b) => Number(b.placeId !== null && b.placeId === placeId) - Number(a.placeId !== null && a.placeId === placeId) || Date.parse(b.statedAt) - Date.parse(a.statedAt));
    const answered = candidates[0];
    if (!answered) return linked;
    return {
      ...linked,
      body: { ...body, respondsTo: answered.id },
      confidence: { ...draft.confidence, respondsTo: placeId && answered.placeId === placeId ? 0.6 : 0.4 },
      respondsToClaim: { id: answered.id, summary: answered.summary },
    };
  });
}
