import { Injectable } from '@nestjs/common';
import { agreementInForceAt } from '../agreements/domain/agreement-in-force';
import type { Role } from '../auth/roles';
import { ConflictDirectory } from '../conflicts/conflict-directory.service';
import type { ReadStreamOptions } from '../event-store/event-store.service';
import { SourceProtection } from '../sources/source-protection.service';
import { ClaimReader, type LoadedClaim } from './claim-reader.service';
import type { Attribution } from './domain/attribution';
import type { ClaimEvent } from './domain/claim';
import { locate } from '../places/domain/place-location';
import { Gazetteer } from '../places/gazetteer.service';

/** GET /api/claims/:id (DESIGN §6), folded from the claim's stream. */
@Injectable()
export class ClaimQueries {
  constructor(
    private readonly claims: ClaimReader,
    private readonly directory: ConflictDirectory,
    private readonly sources: SourceProtection,
    private readonly gazetteer: Gazetteer,
  ) {}

  /** The claim now, or as the log had it at `asOf` (audit). */
  async get(claimId: string, role: Role | null, asOf: ReadStreamOptions = {}) {
    const loaded = await this.claims.get(claimId, asOf);
    const { state, events } = loaded;
    const c = state.claim;
    const reveal = (attributions: Attribution[]) => this.sources.reveal(attributions, role);
    const agreements = await this.directory.agreementsOf(c.conflictId, asOf);
    const responses = await this.claims.responsesTo(claimId, asOf);
    const history = events.map((e) => ({ event: { type: e.type, data: e.data } as unknown as ClaimEvent, recordedAt: e.recordedAt, position: e.position }));
    const active = c.attributions.filter((a) => !Object.hasOwn(state.withdrawn, a.attributionId));
    const withdrawn = c.attributions.filter((a) => Object.hasOwn(state.withdrawn, a.attributionId));
    const latestAssessment = state.assessments.at(-1);

    const corrections = [];
    const casualtyRevisions = [];
    const assessments = [];
    // The claim's fields as they stand after each event: a correction's "before".
    const current: Record<string, unknown> = {};
    for (const { event, recordedAt, position } of history) {
      if (event.type === 'ClaimRecorded') {
        Object.assign(current, event.data);
      } else if (event.type === 'ClaimCorrected') {
        const { attributions, ...changes } = event.data.changes;
        const { attributions: attributionsBefore, ...before } = Object.fromEntries(
          Object.keys(event.data.changes).flatMap((field) => (current[field] === undefined ? [] : [[field, current[field]]])),
        ) as typeof event.data.changes;
        Object.assign(current, event.data.changes);
        corrections.push({
          changes: attributions ? { ...changes, attributions: await reveal(attributions) } : changes,
          before: attributionsBefore ? { ...before, attributions: await reveal(attributionsBefore) } : before,
          reason: event.data.reason,
          recordedAt,
          position,
        });
      } else if (event.type === 'CasualtiesRevised') {
        current.casualties = event.data.casualties;
        const { casualties, asOf, attributions } = event.data;
        casualtyRevisions.push({ casualties, asOf, attributions: await reveal(attributions), recordedAt, position });
      } else if (event.type === 'ClaimAssessed') {
        const { status, rationale, evidence } = event.data;
        assessments.push({ status, rationale, evidence, recordedAt, position });
      }
    }

    return {
      id: c.claimId,
      conflictId: c.conflictId,
      claimant: c.claimant,
      subject: c.subject,
      assertion: c.assertion,
      stance: c.stance ?? null,
      respondsTo: c.respondsTo ?? null,
      category: c.category,
      occurred: c.occurred,
      statedAt: c.statedAt,
      location: c.location ? locate(c.location, (c.location.placeId && (await this.gazetteer.find(c.location.placeId))) || undefined) : null,
      casualties: c.casualties ?? null,
      summary: c.summary,
      attributions: await reveal(active),
      withdrawnAttributions: await Promise.all(
        withdrawn.map(async (a) => ({ ...(await reveal([a]))[0], withdrawalReason: state.withdrawn[a.attributionId] })),
      ),
      agreementId: agreementInForceAt(
        agreements.map((a) => ({ agreementId: a.agreementId, effectiveFrom: a.effectiveFrom, ended: a.ended })),
        c.occurred.from,
      ),
      provisionId: c.provisionId ?? null,
      status: latestAssessment?.status ?? 'unverified',
      retracted: state.retracted !== null,
      retraction: state.retracted ? { statedAt: state.retracted.statedAt, attributions: await reveal(state.retracted.attributions) } : null,
      voided: state.voided !== null,
      voidReason: state.voided?.reason ?? null,
      duplicateOf: state.duplicateOf?.claimId ?? null,
      duplicateReason: state.duplicateOf?.reason ?? null,
      responses: responses.map(responseSummary),
      assessments,
      corrections,
      casualtyRevisions,
      recordedAt: events[0]!.recordedAt,
      updatedAt: events.at(-1)!.recordedAt,
      version: events.length,
    };
  }
}

function responseSummary({ state, events }: LoadedClaim) {
  const c = state.claim;
  return {
    id: c.claimId,
    claimant: c.claimant,
    subject: c.subject,
    assertion: c.assertion,
    stance: c.stance ?? null,
    statedAt: c.statedAt,
    summary: c.summary,
    retracted: state.retracted !== null,
    voided: state.voided !== null,
    duplicateOf: state.duplicateOf?.claimId ?? null,
    recordedAt: events[0]!.recordedAt,
  };
}
