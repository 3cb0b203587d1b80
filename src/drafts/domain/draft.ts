import type { PartyKind } from '../../conflicts/domain/conflict';

/**
 * What a report is read against and what reading it gives (pure types, no framework imports).
 * Offsets are UTF-16 code units into the text as sent, `[start, end)`.
 */
export type Span = [number, number];

export interface KnownParty {
  partyId: string;
  name: string;
  shortName?: string;
  kind: PartyKind;
  aliases: string[];
}

export interface KnownPlace {
  placeId: string;
  /** Every name the gazetteer has for it, in any script. */
  names: string[];
}

export interface DraftContext {
  conflictId: string;
  /** The conflict's IANA zone: times without a zone ("12:00 local time") are read in it. */
  timeZone: string;
  parties: KnownParty[];
  places: KnownPlace[];
}

export interface ReportInput {
  text: string;
  /** When the outlet published it: relative times ("on Sunday", "overnight") are read from here. */
  publishedAt?: string;
  outlet?: string;
  url?: string;
  language?: string;
  /** The server's clock, used when publishedAt is missing. */
  now: string;
}

export type DraftKind = 'claim' | 'agreement';

export interface Draft {
  kind: DraftKind;
  /** A request body of POST /api/claims, POST /api/claims/:id/responses or POST /api/conflicts/:id/agreements, as far as the text supports it. */
  body: Record<string, unknown>;
  /** 0…1 per field path of body ("claimant", "occurred", "attributions[0].outlet"). */
  confidence: Record<string, number>;
  /** Where in the text each field was read. */
  spans: Record<string, Span>;
  /** The earlier draft of this report (its index) that this one answers. */
  respondsToDraft?: number;
}

export interface DraftNote {
  span: Span;
  text: string;
}

export interface DraftsReading {
  language: { code: string; supported: boolean };
  drafts: Draft[];
  notes: DraftNote[];
}

/** A match of a pattern, with its span. */
export interface Found<T> {
  value: T;
  span: Span;
  text: string;
}
