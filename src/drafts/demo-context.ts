import { DEMO_PARTIES, DEMO_PLACES } from '../demo/demo-scenario';
import type { DraftContext } from './domain/draft';

/** Stable ids for the demo's parties and places when they are read without a database (tests, evaluation). */
const id = (n: number, kind: 1 | 2) => `00000000-0000-4000-8000-${String(kind * 1000 + n).padStart(12, '0')}`;

/** The demo conflict (DEMO_PARTIES, DEMO_PLACES) as the extractors see it. */
export function demoDraftContext(conflictId = '00000000-0000-4000-8000-000000000001'): DraftContext & { partyId: (shortName: string) => string } {
  const parties = DEMO_PARTIES.map((p, i) => ({ partyId: id(i + 1, 1), name: p.name, shortName: p.shortName, kind: p.kind, aliases: [...p.aliases] }));
  return {
    conflictId,
    timeZone: 'Asia/Baku',
    parties,
    places: DEMO_PLACES.map((p, i) => ({ placeId: id(i + 1, 2), names: p.names.map((n) => n.name) })),
    partyId: (shortName) => {
      const party = parties.find((p) => p.shortName === shortName);
      if (!party) throw new Error(`No demo party ${shortName}`);
      return party.partyId;
    },
  };
}
