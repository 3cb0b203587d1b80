import { Injectable } from '@nestjs/common';
import type { Role } from '../auth/roles';
import { NotFoundError } from '../shared/domain-error';
import { SourceProtection } from '../sources/source-protection.service';
import { ConflictDirectory, type RecordedAgreement, type RegisteredConflict } from './conflict-directory.service';

/** The shapes of the conflict and agreement reads (DESIGN §6). */
@Injectable()
export class ConflictQueries {
  constructor(
    private readonly directory: ConflictDirectory,
    private readonly sources: SourceProtection,
  ) {}

  async list() {
    const conflicts = await this.directory.list();
    return { items: conflicts.map(conflictView), nextCursor: null };
  }

  async get(conflictId: string, role: Role | null) {
    const conflict = await this.directory.get(conflictId);
    const agreements = await this.directory.agreementsOf(conflictId);
    return { ...conflictView(conflict), agreements: await Promise.all(agreements.map((a) => this.agreementView(a, role))) };
  }

  async agreements(conflictId: string, role: Role | null) {
    await this.directory.get(conflictId);
    const agreements = await this.directory.agreementsOf(conflictId);
    return { items: await Promise.all(agreements.map((a) => this.agreementView(a, role))), nextCursor: null };
  }

  async agreement(agreementId: string, role: Role | null) {
    const agreement = await this.directory.findAgreement(agreementId);
    if (!agreement) throw new NotFoundError('agreement.not_found', `No agreement ${agreementId}`);
    return this.agreementView(agreement, role);
  }

  async agreementView(a: RecordedAgreement, role: Role | null) {
    return {
      id: a.agreementId,
      conflictId: a.conflictId,
      title: a.title,
      kind: a.kind,
      signatories: a.signatories,
      mediators: a.mediators,
      agreedAt: a.agreedAt ?? null,
      effectiveFrom: a.effectiveFrom,
      endedAt: a.ended?.endedAt ?? null,
      endReason: a.ended?.reason ?? null,
      supersededBy: a.ended?.supersededBy ?? null,
      terms: a.terms ?? null,
      reaffirms: a.reaffirms,
      provisions: a.provisions,
      attributions: await this.sources.reveal(a.attributions, role),
      version: a.version,
    };
  }
}

function conflictView(c: RegisteredConflict) {
  return {
    id: c.conflictId,
    name: c.name,
    region: c.region ?? null,
    timeZone: c.timeZone,
    description: c.description ?? null,
    parties: c.parties.map(({ partyId, ...party }) => ({ id: partyId, ...party, shortName: party.shortName ?? null })),
    version: c.version,
  };
}
