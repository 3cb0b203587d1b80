import { instant } from '../../shared/decider';

export interface AgreementPeriod {
  agreementId: string;
  effectiveFrom: { at: string };
  ended: { endedAt: string } | null;
}

/**
 * The agreement in force at `at` (DESIGN §4): effectiveFrom ≤ at < endedAt, the latest to take
 * effect if several are; among equals, the last recorded. Null when none was in force.
 */
export function agreementInForceAt(agreements: readonly AgreementPeriod[], at: string): string | null {
  const t = instant(at);
  let best: AgreementPeriod | null = null;
  for (const a of agreements) {
    const from = instant(a.effectiveFrom.at);
    const inForce = from <= t && (a.ended === null || t < instant(a.ended.endedAt));
    if (inForce && (best === null || from >= instant(best.effectiveFrom.at))) best = a;
  }
  return best?.agreementId ?? null;
}
