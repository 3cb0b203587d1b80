import { randomUUID } from 'node:crypto';
import type { CommandBus } from '@nestjs/cqrs';
import { CorrectAgreementCommand } from '../agreements/commands/correct-agreement.handler';
import { EndAgreementCommand } from '../agreements/commands/end-agreement.handler';
import { RecordAgreementCommand } from '../agreements/commands/record-agreement.handler';
import type { RecordAgreementRequest } from '../agreements/requests/agreement.request';
import {
  AddAttributionCommand,
  AssessClaimCommand,
  CorrectClaimCommand,
  MarkDuplicateCommand,
  ReviseCasualtiesCommand,
} from '../claims/commands/claim-updates.handlers';
import { RecordClaimCommand, RespondToClaimCommand } from '../claims/commands/record-claim.handler';
import type { ClaimBodyRequest, RecordClaimRequest, RespondToClaimRequest } from '../claims/requests/claim.request';
import { AddPartyCommand } from '../conflicts/commands/add-party.handler';
import { ChangeIncidentCommand, OpenIncidentCommand } from '../incidents/commands/incident.handlers';
import { RegisterPlaceCommand } from '../places/commands/place.handlers';
import { RegisterConflictCommand } from '../conflicts/commands/register-conflict.handler';
import type { WriteOutcome } from '../event-store/stream-writer.service';
import type { CommandMeta } from '../shared/command';

/** Who the demo data is recorded as: it goes through the same commands as any client's writes. */
export const DEMO_META: CommandMeta = {
  actor: { tokenId: 'demo-loader', name: 'demo data' },
  role: 'admin',
  requestId: 'demo',
  correlationId: 'demo',
  causationId: null,
  idempotencyKey: null,
  requestHash: 'demo',
};

const BAKU = 'Asia/Baku';

export interface DemoParty {
  name: string;
  kind: 'state' | 'de-facto-authority' | 'mediator';
  shortName: string;
  /** How copy names them besides: demonyms and capitals ("Azerbaijani", "Baku") let reports be read. */
  aliases: readonly string[];
}

/** The demo conflict's parties, in the order they are added. */
export const DEMO_PARTIES: readonly DemoParty[] = [
  { name: 'Republic of Azerbaijan', kind: 'state', shortName: 'Azerbaijan', aliases: ['Azerbaijani', 'Azeri', 'Baku'] },
  { name: 'Republic of Armenia', kind: 'state', shortName: 'Armenia', aliases: ['Armenian', 'Yerevan'] },
  { name: 'Nagorno-Karabakh authorities', kind: 'de-facto-authority', shortName: 'Nagorno-Karabakh', aliases: ['Artsakh', 'Republic of Artsakh', 'Karabakh'] },
  { name: 'Russian Federation', kind: 'mediator', shortName: 'Russia', aliases: ['OSCE Minsk Group co-chair', 'Russian', 'Kremlin'] },
  { name: 'French Republic', kind: 'mediator', shortName: 'France', aliases: ['OSCE Minsk Group co-chair', 'French'] },
  { name: 'United States of America', kind: 'mediator', shortName: 'United States', aliases: ['OSCE Minsk Group co-chair', 'U.S.', 'American'] },
];

export interface DemoPlace {
  key: string;
  /** Each side's names; usedBy names parties by their short names. */
  names: { name: string; language: string; usedBy?: string[] }[];
  lat: number;
  lon: number;
}

/** The gazetteer: the places the claims and reports name, under each side's names. */
export const DEMO_PLACES: readonly DemoPlace[] = [
  { key: 'ganja', names: [{ name: 'Gəncə', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Ganja', language: 'en' }, { name: 'Գանձակ', language: 'hy', usedBy: ['Armenia'] }], lat: 40.6828, lon: 46.3606 },
  { key: 'hadrut', names: [{ name: 'Hadrut', language: 'en', usedBy: ['Armenia', 'Nagorno-Karabakh'] }, { name: 'Hadrud', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Հադրութ', language: 'hy' }], lat: 39.52, lon: 47.0311 },
  { key: 'tartar', names: [{ name: 'Tərtər', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Tartar', language: 'en' }, { name: 'Terter', language: 'en', usedBy: ['Armenia'] }], lat: 40.3447, lon: 46.9303 },
  { key: 'aghdam', names: [{ name: 'Ağdam', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Aghdam', language: 'en' }, { name: 'Akna', language: 'hy', usedBy: ['Armenia', 'Nagorno-Karabakh'] }], lat: 39.9931, lon: 46.9267 },
  {
    key: 'stepanakert',
    names: [{ name: 'Stepanakert', language: 'en', usedBy: ['Armenia', 'Nagorno-Karabakh'] }, { name: 'Xankəndi', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Khankendi', language: 'en', usedBy: ['Azerbaijan'] }],
    lat: 39.8153,
    lon: 46.752,
  },
  { key: 'shusha', names: [{ name: 'Şuşa', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Shusha', language: 'en' }, { name: 'Shushi', language: 'en', usedBy: ['Armenia', 'Nagorno-Karabakh'] }], lat: 39.7579, lon: 46.7476 },
  { key: 'martakert', names: [{ name: 'Martakert', language: 'en', usedBy: ['Armenia', 'Nagorno-Karabakh'] }, { name: 'Ağdərə', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Aghdara', language: 'en', usedBy: ['Azerbaijan'] }], lat: 40.2106, lon: 46.8131 },
  { key: 'martuni', names: [{ name: 'Martuni', language: 'en', usedBy: ['Armenia', 'Nagorno-Karabakh'] }, { name: 'Xocavənd', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Khojavend', language: 'en', usedBy: ['Azerbaijan'] }], lat: 39.7914, lon: 47.1108 },
  { key: 'fuzuli', names: [{ name: 'Füzuli', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Fuzuli', language: 'en' }, { name: 'Varanda', language: 'hy', usedBy: ['Armenia', 'Nagorno-Karabakh'] }], lat: 39.6003, lon: 47.1431 },
  { key: 'jabrayil', names: [{ name: 'Cəbrayıl', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Jabrayil', language: 'en' }, { name: 'Jrakan', language: 'hy', usedBy: ['Armenia', 'Nagorno-Karabakh'] }], lat: 39.3987, lon: 47.0245 },
  { key: 'barda', names: [{ name: 'Bərdə', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Barda', language: 'en' }], lat: 40.3744, lon: 47.1267 },
  { key: 'mingachevir', names: [{ name: 'Mingəçevir', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Mingachevir', language: 'en' }], lat: 40.7703, lon: 47.0489 },
  { key: 'lachin', names: [{ name: 'Laçın', language: 'az', usedBy: ['Azerbaijan'] }, { name: 'Lachin', language: 'en' }, { name: 'Berdzor', language: 'hy', usedBy: ['Armenia', 'Nagorno-Karabakh'] }], lat: 39.6408, lon: 46.5469 },
  { key: 'vardenis', names: [{ name: 'Vardenis', language: 'en', usedBy: ['Armenia'] }, { name: 'Վարդենիս', language: 'hy' }], lat: 40.1833, lon: 45.7333 },
];

async function sequence<T>(steps: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (const step of steps) results.push(await step());
  return results;
}

/**
 * A small scenario after the humanitarian ceasefire agreed in Moscow on 10 October 2020 between
 * Azerbaijan and Armenia: its ambiguous "12:00" start, the truces that followed, accusations
 * both ways, a denial, a counter-accusation, a party asserting it observes the truce, casualty
 * figures that moved, and editors' assessments. Statements are paraphrased, not quoted.
 */
export async function loadDemoScenario(commands: CommandBus, meta: CommandMeta = DEMO_META): Promise<{ conflictId: string; events: number }> {
  let events = 0;
  const run = async (command: Parameters<CommandBus['execute']>[0]): Promise<string> => {
    const outcome = (await commands.execute(command)) as WriteOutcome;
    if (outcome.appended) events += 1;
    return outcome.id;
  };

  const conflictId = await run(
    new RegisterConflictCommand(
      {
        name: 'Nagorno-Karabakh war (2020)',
        region: 'South Caucasus',
        timeZone: BAKU,
        description: 'Demo data: statements about the humanitarian ceasefires of October 2020, as reported.',
      },
      meta,
    ),
  );
  const party = (p: DemoParty) => run(new AddPartyCommand(conflictId, { name: p.name, kind: p.kind, shortName: p.shortName, aliases: [...p.aliases] }, undefined, meta));
  const [azerbaijan, armenia, artsakh, russia, france, usa] = (await sequence(DEMO_PARTIES.map((p) => () => party(p)))) as [string, string, string, string, string, string];

  const tass = { outlet: 'TASS', speaker: 'Russian Foreign Ministry', reliability: 'B' as const, credibility: 2, language: 'ru' };
  const exchangeOfBodies = randomUUID();
  const moscowTerms: RecordAgreementRequest = {
    title: 'Moscow humanitarian ceasefire',
    kind: 'humanitarian-truce',
    signatories: [azerbaijan, armenia],
    mediators: [russia],
    agreedAt: '2020-10-10T03:00:00+03:00',
    // First read as Moscow time, as several outlets did; corrected below.
    effectiveFrom: { at: '2020-10-10T12:00:00+03:00', raw: '12:00 on 10 October', timeZone: 'Europe/Moscow', basis: 'assumed' },
    terms: 'A ceasefire for humanitarian purposes, to exchange prisoners and the bodies of the dead, mediated by the ICRC.',
    provisions: [
      { kind: 'exchange-of-prisoners', text: 'The parties exchange prisoners of war and other detained persons, mediated by the ICRC.' },
      { provisionId: exchangeOfBodies, kind: 'exchange-of-bodies', text: 'The parties exchange the bodies of the dead, mediated by the ICRC.' },
    ],
    attributions: [{ ...tass, publishedAt: '2020-10-10T03:10:00+03:00' }],
  };
  const moscow = await run(new RecordAgreementCommand(conflictId, moscowTerms, meta));
  await run(
    new CorrectAgreementCommand(
      moscow,
      {
        changes: { effectiveFrom: { at: '2020-10-10T12:00:00+04:00', raw: '12:00 on 10 October', timeZone: BAKU, basis: 'inferred' } },
        reason: 'The statement gave only "12:00"; both parties applied it as local time (GMT+4), not Moscow time.',
      },
      undefined,
      meta,
    ),
  );
  const october17 = await run(
    new RecordAgreementCommand(
      conflictId,
      {
        title: 'Humanitarian truce of 17 October',
        kind: 'humanitarian-truce',
        signatories: [azerbaijan, armenia],
        mediators: [france, russia, usa],
        agreedAt: '2020-10-17T20:00:00+04:00',
        effectiveFrom: { at: '2020-10-18T00:00:00+04:00', raw: 'from 00:00 on 18 October', timeZone: BAKU, basis: 'stated' },
        terms: 'A humanitarian truce reaffirming the Moscow statement of 10 October.',
        reaffirms: [moscow],
        attributions: [{ outlet: 'Reuters', speaker: 'Foreign ministries of Armenia and Azerbaijan', reliability: 'A', credibility: 2 }],
      },
      meta,
    ),
  );
  await run(
    new EndAgreementCommand(moscow, { endedAt: '2020-10-18T00:00:00+04:00', reason: 'Superseded by the truce of 17 October.', supersededBy: october17 }, undefined, meta),
  );
  const washington = await run(
    new RecordAgreementCommand(
      conflictId,
      {
        title: 'Washington humanitarian ceasefire',
        kind: 'humanitarian-truce',
        signatories: [azerbaijan, armenia],
        mediators: [usa],
        agreedAt: '2020-10-25T17:00:00-04:00',
        effectiveFrom: { at: '2020-10-26T08:00:00+04:00', raw: '08:00 local time on 26 October', timeZone: BAKU, basis: 'stated' },
        reaffirms: [moscow, october17],
        attributions: [{ outlet: 'US Department of State', reliability: 'A', credibility: 2, language: 'en' }],
      },
      meta,
    ),
  );
  await run(
    new EndAgreementCommand(october17, { endedAt: '2020-10-26T08:00:00+04:00', reason: 'Superseded by the Washington ceasefire.', supersededBy: washington }, undefined, meta),
  );

  // The gazetteer: the places the claims name, under each side's names.
  const idOf: Record<string, string> = Object.fromEntries(DEMO_PARTIES.map((p, i) => [p.shortName, [azerbaijan, armenia, artsakh, russia, france, usa][i]!]));
  const placeIds: Record<string, string> = {};
  for (const p of DEMO_PLACES) {
    const names = p.names.map((n) => ({ name: n.name, language: n.language, ...(n.usedBy ? { usedBy: n.usedBy.map((s) => idOf[s]!) } : {}) }));
    placeIds[p.key] = await run(new RegisterPlaceCommand(conflictId, { names, lat: p.lat, lon: p.lon, kind: 'settlement' }, meta));
  }
  const [ganjaPlace, hadrutPlace, tartarPlace, aghdamPlace, stepanakertPlace] = ['ganja', 'hadrut', 'tartar', 'aghdam', 'stepanakert'].map((k) => placeIds[k]!);

  const claim = (body: Omit<RecordClaimRequest, 'conflictId'>) => run(new RecordClaimCommand({ conflictId, ...body }, meta));
  const respond = (to: string, body: RespondToClaimRequest) => run(new RespondToClaimCommand(to, body, meta));
  const ministry = (outlet: string, speaker: string, language: string, reliability: 'A' | 'B' | 'C' = 'B', credibility = 3) =>
    ({ outlet, speaker, language, reliability, credibility }) satisfies ClaimBodyRequest['attributions'][number];

  const ganja = await claim({
    claimant: azerbaijan,
    subject: armenia,
    assertion: 'violated',
    category: 'missile-strike',
    occurred: { from: '2020-10-11T02:00:00+04:00', to: '2020-10-11T03:00:00+04:00', precision: 'hour', raw: 'around 2 a.m.' },
    statedAt: '2020-10-11T08:30:00+04:00',
    location: { name: 'Ganja', altNames: ['Gəncə'], lat: 40.6828, lon: 46.3606, precision: 'settlement', placeId: ganjaPlace },
    casualties: { civilian: { killed: { min: 5, max: 5 }, wounded: { min: 28, max: 28 } } },
    summary: 'Armenian forces struck residential buildings in Ganja overnight, the Azerbaijani Prosecutor General’s Office said.',
    attributions: [ministry('APA', 'Azerbaijani Prosecutor General’s Office', 'az'), ministry('TASS', 'Azerbaijani Defence Ministry', 'ru', 'B', 3)],
  });
  for (const [killed, asOf] of [
    [7, '2020-10-11T11:00:00+04:00'],
    [9, '2020-10-11T16:00:00+04:00'],
    [10, '2020-10-12T10:00:00+04:00'],
  ] as const) {
    await run(
      new ReviseCasualtiesCommand(
        ganja,
        { casualties: { civilian: { killed: { min: killed, max: killed }, wounded: { min: 33, max: 34 } } }, asOf, attributions: [ministry('Azertac', 'Azerbaijani Prosecutor General’s Office', 'az')] },
        undefined,
        meta,
      ),
    );
  }
  const ganjaDenial = await respond(ganja, {
    claimant: armenia,
    subject: armenia,
    assertion: 'complied',
    stance: 'denial',
    category: 'ceasefire-statement',
    occurred: { from: '2020-10-11T02:00:00+04:00', precision: 'hour' },
    statedAt: '2020-10-11T10:15:00+04:00',
    summary: 'The Armenian Defence Ministry denied that Armenian forces fired on Ganja.',
    attributions: [ministry('Armenpress', 'Armenian Defence Ministry', 'hy')],
  });
  // The incident: one strike, every side's account of it.
  const ganjaStrike = await run(
    new OpenIncidentCommand(
      conflictId,
      { title: 'Missile strike on Ganja, night of 11 October', occurred: { from: '2020-10-11T02:00:00+04:00', to: '2020-10-11T03:00:00+04:00', precision: 'hour' }, placeId: ganjaPlace },
      meta,
    ),
  );
  for (const claimId of [ganja, ganjaDenial]) {
    await run(new ChangeIncidentCommand(ganjaStrike, { type: 'LinkClaim', claimId, reason: 'An account of the strike on Ganja that night' }, undefined, meta));
  }
  await run(
    new AssessClaimCommand(
      ganja,
      { status: 'corroborated', rationale: 'Destroyed residential buildings and casualties in Ganja were seen by international reporters on 11 October.', evidence: ['Reporters on site, 11 October 2020'] },
      undefined,
      meta,
    ),
  );

  const south = await claim({
    claimant: armenia,
    subject: azerbaijan,
    assertion: 'violated',
    category: 'ground-assault',
    occurred: { from: '2020-10-10T12:05:00+04:00', to: '2020-10-10T18:00:00+04:00', precision: 'part-of-day', raw: 'minutes after the truce took effect' },
    statedAt: '2020-10-10T19:00:00+04:00',
    location: { name: 'Hadrut', altNames: ['Hadrud', 'Xocavənd district'], precision: 'district', placeId: hadrutPlace },
    summary: 'Azerbaijani forces attacked in the south minutes after the ceasefire took effect, the Armenian Defence Ministry said.',
    attributions: [
      ministry('Armenpress', 'Armenian Defence Ministry', 'hy'),
      { outlet: 'Local reporter', reliability: 'C', credibility: 3, confidential: true, protectedIdentity: 'A municipal official in Hadrut (demo)' },
    ],
  });
  await respond(south, {
    claimant: azerbaijan,
    subject: armenia,
    assertion: 'violated',
    stance: 'counter-accusation',
    category: 'shelling',
    occurred: { from: '2020-10-10T12:00:00+04:00', to: '2020-10-10T18:00:00+04:00', precision: 'part-of-day' },
    statedAt: '2020-10-10T21:00:00+04:00',
    location: { name: 'Tartar', altNames: ['Terter'], precision: 'district', placeId: tartarPlace },
    summary: 'The Azerbaijani Defence Ministry said Armenian forces broke the truce first, shelling Tartar and Aghdam districts.',
    attributions: [ministry('Azertac', 'Azerbaijani Defence Ministry', 'az'), { ...tass, speaker: 'Azerbaijani Defence Ministry', credibility: 3 }],
  });

  await claim({
    claimant: artsakh,
    subject: artsakh,
    assertion: 'complied',
    category: 'ceasefire-statement',
    occurred: { from: '2020-10-10T12:00:00+04:00', precision: 'day' },
    statedAt: '2020-10-10T15:00:00+04:00',
    summary: 'The Nagorno-Karabakh authorities said their forces observe the humanitarian ceasefire.',
    attributions: [ministry('Artsakhpress', 'Nagorno-Karabakh presidential office', 'hy', 'C', 3)],
  });

  const aghdam = await claim({
    claimant: azerbaijan,
    subject: armenia,
    assertion: 'violated',
    category: 'shelling',
    occurred: { from: '2020-10-18T01:00:00+04:00', precision: 'part-of-day', raw: 'overnight' },
    statedAt: '2020-10-18T10:00:00+04:00',
    location: { name: 'Agdam', altNames: ['Ağdam'], precision: 'district', placeId: aghdamPlace },
    summary: 'Armenian forces shelled Aghdam district hours after the new truce took effect, the Azerbaijani Defence Ministry said.',
    attributions: [ministry('Azertac', 'Azerbaijani Defence Ministry', 'az')],
  });
  await run(
    new CorrectClaimCommand(
      aghdam,
      {
        changes: { location: { name: 'Aghdam', altNames: ['Ağdam', 'Agdam'], precision: 'district', placeId: aghdamPlace } },
        reason: 'Place name entered with the wrong spelling.',
      },
      undefined,
      meta,
    ),
  );
  const aghdamAgain = await claim({
    claimant: azerbaijan,
    subject: armenia,
    assertion: 'violated',
    category: 'shelling',
    occurred: { from: '2020-10-18T01:00:00+04:00', precision: 'part-of-day', raw: 'at night' },
    statedAt: '2020-10-18T10:00:00+04:00',
    location: { name: 'Aghdam', altNames: ['Ağdam'], precision: 'district', placeId: aghdamPlace },
    summary: 'Azerbaijan accused Armenia of shelling Aghdam, TASS reported, citing the Azerbaijani Defence Ministry.',
    attributions: [{ ...tass, speaker: 'Azerbaijani Defence Ministry', credibility: 3 }],
  });
  await run(new MarkDuplicateCommand(aghdamAgain, { claimId: aghdam, reason: 'The same ministry statement, relayed by another outlet.' }, undefined, meta));
  await run(
    new AddAttributionCommand(aghdam, { attribution: { outlet: 'TASS', speaker: 'Azerbaijani Defence Ministry', reliability: 'B', credibility: 3, language: 'ru' } }, undefined, meta),
  );
  await run(
    new AssessClaimCommand(aghdam, { status: 'contested', rationale: 'Armenia denied it; no independent observers had access to the line of contact.' }, undefined, meta),
  );

  // Not a shot fired: a claim about the Moscow truce's provision on exchanging the bodies of the dead.
  await claim({
    claimant: armenia,
    subject: azerbaijan,
    assertion: 'violated',
    category: 'obstruction',
    provisionId: exchangeOfBodies,
    occurred: { from: '2020-10-12', to: '2020-10-13', precision: 'day' },
    statedAt: '2020-10-13T15:00:00+04:00',
    summary: 'Continued shelling kept the bodies of the dead from being collected and exchanged as agreed in Moscow, the Armenian Foreign Ministry said.',
    attributions: [ministry('Armenpress', 'Armenian Foreign Ministry', 'hy')],
  });

  const drone = await claim({
    claimant: armenia,
    subject: azerbaijan,
    assertion: 'violated',
    category: 'drone-strike',
    occurred: { from: '2020-10-26T09:00:00+04:00', precision: 'hour' },
    statedAt: '2020-10-26T12:00:00+04:00',
    location: { name: 'Stepanakert', altNames: ['Khankendi', 'Xankəndi'], precision: 'settlement', placeId: stepanakertPlace },
    summary: 'Azerbaijani drones struck near Stepanakert an hour after the Washington ceasefire began, the Armenian Defence Ministry said.',
    attributions: [ministry('Armenpress', 'Armenian Defence Ministry', 'hy')],
  });
  await respond(drone, {
    claimant: azerbaijan,
    subject: azerbaijan,
    assertion: 'complied',
    stance: 'denial',
    category: 'ceasefire-statement',
    occurred: { from: '2020-10-26T09:00:00+04:00', precision: 'hour' },
    statedAt: '2020-10-26T14:00:00+04:00',
    summary: 'The Azerbaijani Defence Ministry called the report false and said its forces observe the ceasefire.',
    attributions: [ministry('Azertac', 'Azerbaijani Defence Ministry', 'az')],
  });

  return { conflictId, events };
}
