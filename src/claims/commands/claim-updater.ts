import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConflictDirectory } from '../../conflicts/conflict-directory.service';
import type { AppendResult } from '../../event-store/event-store.types';
import { StreamWriter, type WriteOutcome } from '../../event-store/stream-writer.service';
import { CLOCK, type Clock } from '../../shared/clock';
import type { CommandMeta } from '../../shared/command';
import { Gazetteer } from '../../places/gazetteer.service';
import { SourceProtection, type SealedAttributions } from '../../sources/source-protection.service';
import { ClaimReader, type LoadedClaim } from '../claim-reader.service';
import { claimDecider, type ClaimCommand, claimStreamId } from '../domain/claim';

/** What a command against an existing claim may need to know before deciding. */
export interface ClaimLookups {
  claim: LoadedClaim;
  partyIds: ReadonlySet<string>;
  /** The conflict's IANA time zone, in which plain dates are read. */
  timeZone: string;
  /** The ids of the provisions of the conflict's agreements (folded on first use). */
  provisionIds(): Promise<ReadonlySet<string>>;
  /** The ids of the places of the conflict's gazetteer (folded on first use). */
  placeIds(): Promise<ReadonlySet<string>>;
  now: string;
}

export interface ClaimUpdate {
  claimId: string;
  expectedVersion: number | undefined;
  meta: CommandMeta;
  /** The id the answer names; the claim's own by default. */
  resultId?: string;
  sealed?: SealedAttributions;
  command(lookups: ClaimLookups): ClaimCommand | Promise<ClaimCommand>;
  /** More to do in the append's transaction, besides storing sealed identities' keys. */
  afterAppend?: (tx: EntityManager, appended: AppendResult) => Promise<void>;
}

/** Looks a claim up (404 if it is unknown), builds the command and writes it to the claim's stream. */
@Injectable()
export class ClaimUpdater {
  constructor(
    private readonly writer: StreamWriter,
    private readonly claims: ClaimReader,
    private readonly directory: ConflictDirectory,
    private readonly sources: SourceProtection,
    private readonly gazetteer: Gazetteer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async update(u: ClaimUpdate): Promise<WriteOutcome> {
    const claim = await this.claims.get(u.claimId);
    const conflict = await this.directory.get(claim.state.claim.conflictId);
    const partyIds = new Set(conflict.parties.map((p) => p.partyId));
    const provisionIds = () => this.directory.provisionIdsOf(conflict.conflictId);
    const placeIds = () => this.gazetteer.placeIdsOf(conflict.conflictId);
    const command = await u.command({ claim, partyIds, timeZone: conflict.timeZone, provisionIds, placeIds, now: this.clock.now() });
    const keys = u.sealed?.keys ?? [];
    return this.writer.write({
      streamId: claimStreamId(u.claimId),
      decider: claimDecider,
      command,
      expectedVersion: u.expectedVersion,
      meta: u.meta,
      resultId: u.resultId ?? u.claimId,
      afterAppend: async (tx: EntityManager, appended: AppendResult) => {
        await this.sources.storeKeys(tx, keys, appended.events[0]!.recordedAt);
        await u.afterAppend?.(tx, appended);
      },
    });
  }
}
