// The report being read on "Paste a report", kept while the journalist records its drafts one by
// one on other pages, and what each recorded draft became.
import type { Draft, DraftsReading } from './draft-values';

/** This tab's report (sessionStorage, like the token): gone when the tab closes or on sign-out. */
export const REPORT_SESSION_KEY = 'ceasefire-tracker.report';

export interface ReportSession {
  /** Tells this reading from a later one, so that a record made from an older reading is not applied to it. */
  id: string;
  conflictId: string;
  text: string;
  outlet: string;
  url: string;
  publishedAt: string;
  result: DraftsReading;
  /** Draft index → the id of the claim recorded from it on this tab. */
  recorded: Record<number, string>;
}

/** What "Review" hands to the record forms besides the values, so that they come back here. */
export interface FromReport {
  reportId: string;
  index: number;
}

/** What the record forms hand back (router state `recordedDraft`). */
export type RecordedDraft = FromReport & { claimId: string };

/**
 * The recorded claim a denial or counter-accusation answers: the one the reading linked it to, or
 * the report's own draft it answers once that is recorded (on this tab, or found recorded when the
 * report was read). Undefined while the answered claim is not recorded.
 */
export function answeredClaim(session: Pick<ReportSession, 'result' | 'recorded'>, index: number): string | undefined {
  const draft = session.result.drafts[index];
  if (!draft) return undefined;
  const given = (draft.body as { respondsTo?: string }).respondsTo;
  if (given) return given;
  const answered = draft.respondsToDraft;
  if (answered === undefined) return undefined;
  return session.recorded[answered] ?? session.result.drafts[answered]?.recordedAs[0]?.id;
}

/** Whether a draft answers another claim (a denial or a counter-accusation), so is recorded as a response. */
export const isResponse = (draft: Draft) => draft.kind === 'claim' && typeof (draft.body as { stance?: string }).stance === 'string';

/**
 * The session once draft `index` is recorded as `claimId`: the drafts that answer it now answer
 * that claim (`respondsTo` filled in), as if it had been recorded before the report was read.
 */
export function withRecorded(session: ReportSession, index: number, claimId: string): ReportSession {
  const drafts = session.result.drafts.map((d) =>
    d.respondsToDraft === index && !(d.body as { respondsTo?: string }).respondsTo ? { ...d, body: { ...d.body, respondsTo: claimId } } : d,
  );
  return { ...session, result: { ...session.result, drafts }, recorded: { ...session.recorded, [index]: claimId } };
}

/** The session with a record the forms handed back applied, when it was made from this reading. */
export function applyRecorded(session: ReportSession | null, recorded: RecordedDraft | undefined): ReportSession | null {
  if (!session || !recorded || recorded.reportId !== session.id || session.recorded[recorded.index] === recorded.claimId) return session;
  return withRecorded(session, recorded.index, recorded.claimId);
}

export function loadReportSession(): ReportSession | null {
  try {
    const stored = sessionStorage.getItem(REPORT_SESSION_KEY);
    return stored ? (JSON.parse(stored) as ReportSession) : null;
  } catch {
    return null;
  }
}

export function saveReportSession(session: ReportSession | null): void {
  try {
    if (session) sessionStorage.setItem(REPORT_SESSION_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(REPORT_SESSION_KEY);
  } catch {
    // Storage full or refused: the page still works, it only forgets the report on leaving.
  }
}
