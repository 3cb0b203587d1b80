import type { Attribution } from '../../claims/domain/attribution';
import type { ClaimEvent } from '../../claims/domain/claim';

/**
 * The source ledger's working set (DESIGN §5), pure: no I/O, no clock. One citation per
 * attribution a claim event names; a batch of events is applied in memory to the citations of
 * the claims it mentions, then the changed rows and the ledger's deltas are written at once.
 */

/** One row of `source_citations_v1`. */
export interface Citation {
  claimId: string;
  attributionId: string;
  outlet: string;
  claimant: string;
  conflictId: string;
  /** When the outlet was seen citing the claim; as stored, or as the event gave it. Never changes. */
  seenAt: string | Date;
  /**
   * When the claimant made the claim (its statedAt, as corrected): the time a source added later
   * without a publication date is seen at, so the ledger never mixes in the server's clock.
   */
  statedAt: string | Date;
  active: boolean;
  /** True for the claim's own list of sources, false for those of a revision or retraction. */
  listed: boolean;
  /** The claim it counts for: itself, its original if it is a duplicate, or null once voided. */
  countsFor: string | null;
}

/** A citation counts in the ledger when it is active and counts for some claim. */
export const isCounted = (c: Citation): boolean => c.active && c.countsFor !== null;

/** What the ledger row of one outlet changes by. */
export interface OutletDelta {
  /** Change in the number of distinct claims counted. */
  claims: number;
  /** Change, per claimant, in the number of distinct claims counted. */
  claimants: Map<string, number>;
  /** Whether the set of counted citations changed (so first/last seen may have). */
  membership: boolean;
}

/** One row of `source_ledger_v1` without its dates. */
export interface LedgerCounts {
  outlet: string;
  claims: number;
  claimants: Record<string, number>;
}

/** The event types the ledger reads. */
export const CITATION_EVENT_TYPES = [
  'ClaimRecorded',
  'AttributionAdded',
  'AttributionWithdrawn',
  'CasualtiesRevised',
  'ClaimCorrected',
  'ClaimRetracted',
  'ClaimVoided',
  'ClaimMarkedDuplicate',
] as const satisfies readonly ClaimEvent['type'][];

/** What the ledger reads of an event (a `ProjectedEvent` is one). */
export interface CitationInput {
  type: string;
  data: unknown;
}

/**
 * The claims whose citations a batch needs: every claim an event is about, and every original a
 * duplicate mark names. Loading their rows (by claim and by what they count for) gives every
 * citation the batch can change.
 */
export function mentionedClaims(events: readonly CitationInput[]): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    const data = (e.data ?? {}) as { claimId?: unknown; duplicateOf?: unknown };
    if (typeof data.claimId === 'string') ids.add(data.claimId);
    if (e.type === 'ClaimMarkedDuplicate' && typeof data.duplicateOf === 'string') ids.add(data.duplicateOf);
  }
  return [...ids];
}

/**
 * The claims some loaded citation counts for that were not loaded as such: their whole family
 * (their own citations and their duplicates') is needed to know what a change to one of them
 * does to the ledger.
 */
export function originalsToLoad(loaded: readonly Citation[], alreadyLoaded: readonly string[]): string[] {
  const known = new Set(alreadyLoaded);
  const ids = new Set<string>();
  for (const c of loaded) if (c.countsFor !== null && !known.has(c.countsFor)) ids.add(c.countsFor);
  return [...ids];
}

interface Entry {
  /** The row as loaded; null for a row this batch creates. */
  readonly before: Readonly<Citation> | null;
  readonly now: Citation;
}

const keyOf = (claimId: string, attributionId: string) => `${claimId}/${attributionId}`;

/** Stored times come back as Dates, events give strings: compared as instants. */
const instantOf = (t: string | Date): number => new Date(t).getTime();

/**
 * The citations of the claims a batch mentions, before and after its events. Every rule is the
 * one the row-by-row SQL of version 1 applied, event by event:
 *
 * - a claim's events add one citation per attribution they name (ClaimRecorded, AttributionAdded
 *   and a correction's list as listed, CasualtiesRevised and ClaimRetracted as unlisted), seen at
 *   the attribution's publishedAt, else the statement's time (statedAt, asOf) or, for an added
 *   source or a correction's list, the claim's statedAt (as corrected): never the time the event
 *   was recorded, which is the server's clock and not a publication date; an attribution already
 *   cited is left as it is; a confidential one is cited as the confidential outlet, never under
 *   its name;
 * - a claim with no citation yet (unknown, or recorded without sources) gets none from later events;
 *   new citations take the claimant, conflict and counts_for of the claim's existing ones;
 * - a withdrawal deactivates one citation; a correction of the claimant or of statedAt changes
 *   every citation of the claim; a correction of the sources deactivates the listed ones, then cites the new list;
 * - a void makes the claim's citations, and those of its duplicates, count for nothing;
 * - a duplicate mark makes the claim's counting citations count for the original, or for nothing
 *   if the original was voided (one of its citations counts for nothing).
 */
export class CitationSet {
  private readonly entries = new Map<string, Entry>();
  private readonly byClaim = new Map<string, Entry[]>();
  private readonly byCountsFor = new Map<string, Set<Entry>>();

  constructor(
    loaded: readonly Citation[],
    /** The outlet name confidential attributions are cited under. */
    private readonly confidentialOutlet: string,
  ) {
    for (const row of loaded) {
      if (this.entries.has(keyOf(row.claimId, row.attributionId))) continue;
      this.add({ before: { ...row }, now: { ...row } });
    }
  }

  /** Applies one event; events of other types, and events about claims without citations, change nothing. */
  apply(recorded: CitationInput): void {
    const event = { type: recorded.type, data: recorded.data } as ClaimEvent;
    const claimId = event.data?.claimId;
    if (typeof claimId !== 'string') return;
    switch (event.type) {
      case 'ClaimRecorded': {
        const { claimant, conflictId, statedAt } = event.data;
        const known = claimant && conflictId ? { claimant, conflictId, countsFor: claimId, statedAt } : undefined;
        return this.cite(claimId, event.data.attributions, true, statedAt, known);
      }
      case 'AttributionAdded':
        return this.cite(claimId, event.data.attribution ? [event.data.attribution] : [], true);
      case 'CasualtiesRevised':
        return this.cite(claimId, event.data.attributions, false, event.data.asOf);
      case 'ClaimRetracted':
        return this.cite(claimId, event.data.attributions, false, event.data.statedAt);
      case 'AttributionWithdrawn': {
        const entry = this.entries.get(keyOf(claimId, event.data.attributionId));
        if (entry) entry.now.active = false;
        return;
      }
      case 'ClaimCorrected': {
        const { attributions, claimant, statedAt } = event.data.changes ?? {};
        if (claimant) for (const entry of this.claimEntries(claimId)) entry.now.claimant = claimant;
        if (statedAt) for (const entry of this.claimEntries(claimId)) entry.now.statedAt = statedAt;
        if (attributions) {
          // The corrected list replaces the old one whole.
          for (const entry of this.claimEntries(claimId)) if (entry.now.listed) entry.now.active = false;
          this.cite(claimId, attributions, true);
        }
        return;
      }
      case 'ClaimVoided': {
        // The claim's own citations, and those of its duplicates, which counted for it.
        const affected = new Set([...this.claimEntries(claimId), ...(this.byCountsFor.get(claimId) ?? [])]);
        for (const entry of affected) this.countFor(entry, null);
        return;
      }
      case 'ClaimMarkedDuplicate': {
        const original = event.data.duplicateOf;
        // They count for the original, unless it was voided (its own citations count for nothing).
        const voided = this.claimEntries(original).some((entry) => entry.now.countsFor === null);
        for (const entry of this.claimEntries(claimId)) {
          if (entry.now.countsFor !== null) this.countFor(entry, voided ? null : original);
        }
        return;
      }
    }
  }

  /** The rows to write: new ones, and loaded ones whose claimant, statedAt, activity or counts_for changed. */
  changes(): { added: Citation[]; changed: Citation[] } {
    const added: Citation[] = [];
    const changed: Citation[] = [];
    for (const { before, now } of this.changedEntries()) (before ? changed : added).push(now);
    return { added, changed };
  }

  /**
   * What the batch does to each outlet's ledger row. A claim counts once per outlet (and once per
   * claimant of the citing claims), however many of its citations, or its duplicates', cite the
   * outlet: the deltas compare, for every claim whose counted citations changed, the outlets and
   * (outlet, claimant) pairs it counted in before the batch and after it. Every citation counting
   * for such a claim is in the set (it holds each loaded claim's duplicates' citations too).
   * Only the outlets whose row changes are given.
   */
  ledgerDeltas(): Map<string, OutletDelta> {
    const deltas = new Map<string, OutletDelta>();
    const delta = (outlet: string) => {
      let d = deltas.get(outlet);
      if (!d) deltas.set(outlet, (d = { claims: 0, claimants: new Map(), membership: false }));
      return d;
    };
    const claims = new Set<string>();
    for (const { before, now } of this.changedEntries()) {
      if (before && isCounted(before)) claims.add(before.countsFor!);
      if (isCounted(now)) claims.add(now.countsFor!);
      if ((before !== null && isCounted(before)) !== isCounted(now)) delta(now.outlet).membership = true;
    }
    if (claims.size === 0) return deltas;

    // Per claim: the outlets, and outlet–claimant pairs, its counted citations are in, before and after.
    const before = new Map<string, Map<string, Set<string>>>();
    const after = new Map<string, Map<string, Set<string>>>();
    const note = (side: Map<string, Map<string, Set<string>>>, c: Readonly<Citation>) => {
      if (!isCounted(c) || !claims.has(c.countsFor!)) return;
      let outlets = side.get(c.countsFor!);
      if (!outlets) side.set(c.countsFor!, (outlets = new Map()));
      let claimants = outlets.get(c.outlet);
      if (!claimants) outlets.set(c.outlet, (claimants = new Set()));
      claimants.add(c.claimant);
    };
    for (const entry of this.entries.values()) {
      if (entry.before) note(before, entry.before);
      note(after, entry.now);
    }
    for (const claim of claims) {
      const was = before.get(claim) ?? new Map<string, Set<string>>();
      const is = after.get(claim) ?? new Map<string, Set<string>>();
      for (const outlet of new Set([...was.keys(), ...is.keys()])) {
        const wasClaimants = was.get(outlet) ?? new Set<string>();
        const isClaimants = is.get(outlet) ?? new Set<string>();
        const d = delta(outlet);
        d.claims += Number(isClaimants.size > 0) - Number(wasClaimants.size > 0);
        for (const claimant of new Set([...wasClaimants, ...isClaimants])) {
          const change = Number(isClaimants.has(claimant)) - Number(wasClaimants.has(claimant));
          if (change !== 0) d.claimants.set(claimant, (d.claimants.get(claimant) ?? 0) + change);
        }
      }
    }
    for (const [outlet, d] of deltas) {
      for (const [claimant, change] of d.claimants) if (change === 0) d.claimants.delete(claimant);
      if (!d.membership && d.claims === 0 && d.claimants.size === 0) deltas.delete(outlet);
    }
    return deltas;
  }

  private changedEntries(): Entry[] {
    return [...this.entries.values()].filter(
      ({ before, now }) =>
        !before ||
        before.active !== now.active ||
        before.claimant !== now.claimant ||
        before.countsFor !== now.countsFor ||
        instantOf(before.statedAt) !== instantOf(now.statedAt),
    );
  }

  private claimEntries(claimId: string): readonly Entry[] {
    return this.byClaim.get(claimId) ?? [];
  }

  private add(entry: Entry): void {
    const { claimId, attributionId, countsFor } = entry.now;
    this.entries.set(keyOf(claimId, attributionId), entry);
    const ofClaim = this.byClaim.get(claimId);
    if (ofClaim) ofClaim.push(entry);
    else this.byClaim.set(claimId, [entry]);
    if (countsFor !== null) this.indexCountsFor(entry, countsFor);
  }

  private indexCountsFor(entry: Entry, countsFor: string): void {
    const set = this.byCountsFor.get(countsFor);
    if (set) set.add(entry);
    else this.byCountsFor.set(countsFor, new Set([entry]));
  }

  private countFor(entry: Entry, countsFor: string | null): void {
    if (entry.now.countsFor === countsFor) return;
    if (entry.now.countsFor !== null) this.byCountsFor.get(entry.now.countsFor)?.delete(entry);
    entry.now.countsFor = countsFor;
    if (countsFor !== null) this.indexCountsFor(entry, countsFor);
  }

  /**
   * Cites attributions for a claim: `known` for a new claim, else what its existing citations say
   * (it gets none if it has none). Without a publication date, an attribution is seen at `seenAt`,
   * else at the claim's statedAt. An attribution already cited is left as it is.
   */
  private cite(
    claimId: string,
    attributions: readonly Attribution[] | undefined,
    listed: boolean,
    seenAt?: string,
    known?: { claimant: string; conflictId: string; countsFor: string | null; statedAt: string },
  ): void {
    if (!attributions || attributions.length === 0) return;
    const first = this.claimEntries(claimId)[0]?.now;
    const claim = known ?? (first && { claimant: first.claimant, conflictId: first.conflictId, countsFor: first.countsFor, statedAt: first.statedAt });
    if (!claim) return;
    for (const a of attributions) {
      if (this.entries.has(keyOf(claimId, a.attributionId))) continue;
      this.add({
        before: null,
        now: {
          claimId,
          attributionId: a.attributionId,
          outlet: a.confidential ? this.confidentialOutlet : a.outlet,
          claimant: claim.claimant,
          conflictId: claim.conflictId,
          seenAt: a.publishedAt ?? seenAt ?? claim.statedAt,
          statedAt: claim.statedAt,
          active: true,
          listed,
          countsFor: claim.countsFor,
        },
      });
    }
  }
}

/**
 * An outlet's ledger counts after a batch: null when it no longer counts any claim (its row goes).
 * Claimants left with no claim drop out.
 */
export function applyLedgerDelta(outlet: string, row: LedgerCounts | undefined, delta: OutletDelta): LedgerCounts | null {
  const claims = (row?.claims ?? 0) + delta.claims;
  if (claims <= 0) return null;
  const claimants: Record<string, number> = { ...(row?.claimants ?? {}) };
  for (const [claimant, change] of delta.claimants) {
    const n = (claimants[claimant] ?? 0) + change;
    if (n > 0) claimants[claimant] = n;
    else delete claimants[claimant];
  }
  return { outlet, claims, claimants };
}
