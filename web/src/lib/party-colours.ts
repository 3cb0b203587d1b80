// One source of party colours for the whole app: the chart, the legends, the badges and the map.
// A party's colour comes from its order of registration in its conflict (the order the API lists
// them), never from its name, so two parties never share a colour and a reload never swaps them.
// Okabe–Ito (colour-blind safe), ordered by contrast on white; no flag colours, no red/green.

export const PARTY_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#F0E442'] as const;
/** Beyond seven parties: grey, and the name is always printed beside it. */
export const OTHER_PARTY = '#767676';

/** The colour of the party registered in this position (0-based) of its conflict. */
export const colourAt = (index: number): string => (index >= 0 && index < PARTY_PALETTE.length ? PARTY_PALETTE[index]! : OTHER_PARTY);

/** The CSS class carrying the same colour (`--party-N` in app.css) for HTML swatches: no inline styles under the CSP. */
export const colourClassAt = (index: number): string => (index >= 0 && index < PARTY_PALETTE.length ? `party-${index + 1}` : 'party-other');

export interface PartyColours {
  colour(partyId: string): string;
  className(partyId: string): string;
}

export function partyColours(parties: readonly { id: string }[] | undefined): PartyColours {
  const order = new Map((parties ?? []).map((p, i) => [p.id, i]));
  return {
    colour: (id) => colourAt(order.get(id) ?? -1),
    className: (id) => colourClassAt(order.get(id) ?? -1),
  };
}
