import { describe, expect, it } from '@jest/globals';
import { demoDraftContext } from '../demo-context';
import { amountRange, readCasualties } from './casualties';
import { deniedObject, extractDrafts } from './extract-drafts';
import { detectLanguage } from './language';
import { PartyMatcher } from './party-mentions';
import { PlaceMatcher } from './place-mentions';
import { splitSentences } from './sentences';
import { findSpeechFrame } from './sources';
import { readTimes } from './times';

const context = demoDraftContext();
const id = context.partyId;
const baku = (iso: string) => ({ instant: new Date(iso), timeZone: 'Asia/Baku' });

describe('times', () => {
  const morning = baku('2020-10-11T09:40:00+04:00');
  const read = (s: string, ref = morning) => readTimes(s, 0, ref).map(({ from, to, precision, raw, timeZone, zoneStated }) => ({ from, to, precision, raw, timeZone, zoneStated }));

  it('reads "overnight" as the night that ended on the day of the report, in the conflict zone', () => {
    expect(read('Azerbaijani forces shelled Stepanakert overnight')).toEqual([
      { from: '2020-10-10T22:00:00+04:00', to: '2020-10-11T06:00:00+04:00', precision: 'part-of-day', raw: 'overnight', timeZone: 'Asia/Baku', zoneStated: false },
    ]);
  });

  it('reads "around 2 a.m." to the hour, keeping the words', () => {
    expect(read('a missile hit Ganja around 2 a.m.')).toEqual([
      { from: '2020-10-11T02:00:00+04:00', to: '2020-10-11T03:00:00+04:00', precision: 'hour', raw: 'around 2 a.m.', timeZone: 'Asia/Baku', zoneStated: false },
    ]);
  });

  it('reads "12:00 local time of October 10" in the conflict zone, and says the zone was stated', () => {
    expect(read('agreed to cease fire starting from 12:00 local time of October 10', baku('2020-10-10T04:10:00+04:00'))).toEqual([
      { from: '2020-10-10T12:00:00+04:00', precision: 'minute', raw: '12:00 local time of October 10', timeZone: 'Asia/Baku', zoneStated: true, to: undefined },
    ]);
  });

  it('reads "12:00 Moscow time" in Moscow, one hour before noon in Baku', () => {
    const [t] = readTimes('will take effect at 12:00 Moscow time on October 10', 0, baku('2020-10-10T11:00:00+03:00'));
    expect(t).toMatchObject({ timeZone: 'Europe/Moscow', zoneStated: true, raw: '12:00 Moscow time on October 10' });
    expect(t!.at.toISOString()).toBe('2020-10-10T09:00:00.000Z');
  });

  it('reads exact minutes, weekdays back from the report and parts of named days', () => {
    expect(read('shot dead a civilian at 10:45 on Sunday', baku('2020-10-18T16:45:00+04:00'))[0]).toMatchObject({ from: '2020-10-18T10:45:00+04:00', precision: 'minute' });
    expect(read('struck on Thursday', baku('2020-10-17T10:00:00+04:00'))[0]).toMatchObject({ from: '2020-10-15', precision: 'day' });
    expect(read('shelled on Wednesday morning', baku('2020-10-21T11:30:00+04:00'))[0]).toMatchObject({ from: '2020-10-21T06:00:00+04:00', precision: 'part-of-day' });
  });
});

describe('casualties', () => {
  const read = (s: string) => readCasualties(s, 0).map((c) => [c.group, c.kind, c.range]);

  it('reads numbers and number words next to killed and wounded, civilian or military', () => {
    expect(read('killing two civilians')).toEqual([['civilian', 'killed', { min: 2, max: 2, raw: 'two' }]]);
    expect(read('3 soldiers were killed and 11 injured')).toEqual([
      ['military', 'killed', { min: 3, max: 3, raw: '3' }],
      ['military', 'wounded', { min: 11, max: 11, raw: '11' }],
    ]);
    expect(read('killing 21 civilians and wounding 70')).toEqual([
      ['civilian', 'killed', { min: 21, max: 21, raw: '21' }],
      ['civilian', 'wounded', { min: 70, max: 70, raw: '70' }],
    ]);
  });

  it('turns "at least 5", "dozens", "up to 30" and "more than 40" into ranges that keep the words', () => {
    expect(read('At least 5 people were killed')).toEqual([['civilian', 'killed', { min: 5, max: 5, raw: 'At least 5' }]]);
    expect(read('Dozens of servicemen were killed')).toEqual([['military', 'killed', { min: 24, max: 99, raw: 'Dozens' }]]);
    expect(amountRange('up to 30')).toEqual({ min: 0, max: 30 });
    expect(amountRange('more than 40')).toEqual({ min: 41, max: 41 });
    expect(amountRange('twenty-three')).toEqual({ min: 23, max: 23 });
    expect(amountRange('between 10 and 15')).toEqual({ min: 10, max: 15 });
  });

  it('does not take years or clock times for figures', () => {
    expect(read('in 2020 killed')).toEqual([]);
  });
});

describe('parties and places', () => {
  it("finds parties by name, short name and alias, longest first, capitalised only", () => {
    const found = new PartyMatcher(context.parties).find("Baku said the Republic of Artsakh and Armenian forces, not armenian ones, fired; Azerbaijan's ministry agreed.");
    expect(found.map((m) => [m.text, m.party.partyId])).toEqual([
      ['Baku', id('Azerbaijan')],
      ['Republic of Artsakh', id('Nagorno-Karabakh')],
      ['Armenian', id('Armenia')],
      ['Azerbaijan', id('Azerbaijan')],
    ]);
  });

  it("finds a place by either side's name, keeping the name as written and the other names beside it", () => {
    const places = new PlaceMatcher(context.places);
    const [khankendi] = places.find('shells fell on Khankendi');
    const [stepanakert] = places.find('shells fell on Stepanakert');
    expect(khankendi!.place.placeId).toBe(stepanakert!.place.placeId);
    expect(khankendi).toMatchObject({ name: 'Khankendi', altNames: ['Stepanakert', 'Xankəndi'], certainty: 1 });
    expect(places.find("Shushi's cathedral")[0]).toMatchObject({ name: 'Shushi', altNames: ['Şuşa', 'Shusha'] });
    expect(places.find('in Shusha')[0]!.place.placeId).toBe(places.find('in Şuşa')[0]!.place.placeId);
    expect(places.find('near Gandja')[0]).toMatchObject({ name: 'Gandja', certainty: 0.7 });
    expect(places.find('the Tartar district')[0]).toMatchObject({ name: 'Tartar', district: true });
  });
});

describe('speech frames', () => {
  const parties = new PartyMatcher(context.parties);
  const frame = (s: string) => {
    const f = findSpeechFrame(s, 0, parties);
    return f && { speaker: f.speaker?.text ?? null, party: f.party?.party.shortName ?? null, anaphoric: f.anaphoric, verb: f.verb.text };
  };

  it('reads a person named with a role between commas, the party taken from the role', () => {
    expect(frame('Anna Naghdalyan, spokeswoman for the Armenian Foreign Ministry, said Azerbaijani forces fired on Martuni.')).toEqual({
      speaker: 'Anna Naghdalyan, spokeswoman for the Armenian Foreign Ministry',
      party: 'Armenia',
      anaphoric: false,
      verb: 'said',
    });
    expect(frame('Azerbaijani forces fired on Martuni, Anna Naghdalyan, spokeswoman for the Armenian Foreign Ministry, said.')).toMatchObject({ party: 'Armenia', verb: 'said' });
  });

  it('takes an organ named without a party ("the ministry\'s spokesman", "the army\'s press service") for the last speaker', () => {
    expect(frame("Vagif Dargahli, the ministry's spokesman, said the Azerbaijani side observes the truce.")).toEqual({
      speaker: "Vagif Dargahli, the ministry's spokesman",
      party: null,
      anaphoric: true,
      verb: 'said',
    });
    expect(frame("According to the army's press service, the night passed calmly.")).toMatchObject({ speaker: "army's press service", anaphoric: true });
    expect(frame('Ministry spokesman Vagif Dargahli said the night passed calmly.')).toMatchObject({ speaker: 'Ministry spokesman Vagif Dargahli', anaphoric: true });
    // A named body that is no party's organ is no speaker at all.
    expect(frame('The Red Cross spokesman said the night passed calmly.')).toBeNull();
  });

  it('reads "called the reports groundless" as the speaker calling, not "the reports" as a verb', () => {
    expect(frame("Armenia's Foreign Ministry called the reports groundless.")).toMatchObject({ speaker: "Armenia's Foreign Ministry", party: 'Armenia', verb: 'called' });
  });
});

describe('denials', () => {
  const object = (s: string) => {
    const span = deniedObject(s);
    return span && s.slice(span[0], span[1]);
  };

  it('finds the claim a denial rejects, up to what the speaker says besides', () => {
    expect(object('Baku rejected Yerevan\'s claims that its troops had shelled Martakert, saying Armenian forces fired first.')).toBe("Yerevan's claims that its troops had shelled Martakert");
    expect(object('The ministry dismissed as fabricated the Armenian reports about a strike on Shushi.')).toBe('the Armenian reports about a strike on Shushi');
    expect(object('Yerevan denied the accusations and accused Azerbaijani forces of shelling Martuni.')).toBe('the accusations');
    expect(object('Stepanyan called the Azerbaijani statements a lie.')).toBe('the Azerbaijani statements a lie');
    expect(object('Baku denied it.')).toBeNull();
  });
});

describe('sentences and language', () => {
  it('splits sentences without breaking on a.m. and keeps their offsets', () => {
    const text = 'A missile hit Ganja around 2 a.m. on Sunday, officials said. Baku denied it.';
    expect(splitSentences(text).map((s) => text.slice(s.span[0], s.span[1]))).toEqual(['A missile hit Ganja around 2 a.m. on Sunday, officials said.', 'Baku denied it.']);
  });

  it('tells English from Russian, Armenian and Azerbaijani copy', () => {
    expect(detectLanguage('The Armenian Defence Ministry said Azerbaijani forces shelled Stepanakert.')).toBe('en');
    expect(detectLanguage('Минобороны Армении заявило об обстреле Степанакерта.')).toBe('ru');
    expect(detectLanguage('Հայաստանի պաշտպանության նախարարությունը հայտարարել է')).toBe('hy');
    expect(detectLanguage('Ermənistan silahlı qüvvələri Tərtər rayonunu atəşə tutub.')).toBe('az');
  });
});

describe('drafts from a report', () => {
  const read = (text: string, publishedAt = '2020-10-11T09:40:00+04:00') => extractDrafts({ text, publishedAt, now: publishedAt }, context);

  it('reads the seed paragraph of 10 October into an agreement draft with its two provisions', () => {
    const { drafts } = read(
      'MOSCOW, October 10. /TASS/. Baku and Yerevan agreed to cease fire starting from 12:00 local time of October 10 for humanitarian purposes, for exchanging prisoners of war and bodies, Russian Foreign Minister Sergei Lavrov said.',
      '2020-10-10T03:10:00+03:00',
    );
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.body).toMatchObject({
      kind: 'humanitarian-truce',
      signatories: [id('Azerbaijan'), id('Armenia')],
      mediators: [id('Russia')],
      effectiveFrom: { at: '2020-10-10T12:00:00+04:00', raw: '12:00 local time of October 10', timeZone: 'Asia/Baku', basis: 'stated' },
      provisions: [
        { kind: 'exchange-of-prisoners', text: 'exchanging prisoners of war' },
        { kind: 'exchange-of-bodies', text: 'exchanging bodies' },
      ],
      attributions: [{ outlet: 'TASS', reliability: 'F', credibility: 6 }],
    });
  });

  it('makes a note, not a claim, of accusations nobody makes', () => {
    const text = 'Either side accuses the other of violating the truce. Artillery shells landed in Tartar, an AFP correspondent saw.';
    const reading = read(text);
    expect(reading.drafts).toEqual([]);
    expect(reading.notes).toEqual([{ span: [0, text.indexOf(' Artillery')], text: expect.stringContaining('no claim drafted') }]);
  });

  it('reads an organ as its party, an outlet as the source, and a denial as answering the accusation before it', () => {
    const { drafts } = read('Azerbaijani forces shelled Stepanakert overnight, the Armenian Defence Ministry said, TASS reported. Baku denied the report.');
    expect(drafts[0]!.body).toMatchObject({ claimant: id('Armenia'), subject: id('Azerbaijan'), assertion: 'violated', category: 'shelling', attributions: [{ outlet: 'TASS', speaker: 'Armenian Defence Ministry' }] });
    expect(drafts[1]).toMatchObject({ respondsToDraft: 0, body: { claimant: id('Azerbaijan'), subject: id('Azerbaijan'), assertion: 'complied', stance: 'denial' } });
  });

  it('does not take an appeal for a claim, and says the subject is unknown rather than guess it', () => {
    expect(read('Russia called on Baku and Yerevan to strictly observe the truce.').drafts).toEqual([]);
    const { drafts, notes } = read('Five civilians were killed in Ganja, the Azerbaijani Defence Ministry said.');
    expect(drafts[0]!.body.subject).toBeUndefined();
    expect(notes[0]!.text).toContain('subject');
  });

  it('reads a denial of "claims that its forces had attacked X" as the denier saying it complied, not as an accusation', () => {
    const { drafts } = read("The Nagorno-Karabakh defence ministry rejected Azerbaijani claims that its units had shelled Barda, calling them fake.");
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.body).toMatchObject({ claimant: id('Nagorno-Karabakh'), subject: id('Nagorno-Karabakh'), assertion: 'complied', stance: 'denial', category: 'ceasefire-statement', location: { name: 'Barda' } });
  });

  it('reads a denial that accuses the other side besides as a counter-accusation against it', () => {
    const { drafts } = read("Baku rejected Yerevan's accusations that it had violated the truce, saying it was the Armenian side that shelled Aghdam first.");
    expect(drafts[0]!.body).toMatchObject({ claimant: id('Azerbaijan'), subject: id('Armenia'), assertion: 'violated', stance: 'counter-accusation', category: 'shelling' });
  });

  it('reads an accusation right after the same speaker\'s denial as its counter-accusation, answering what the denial answers', () => {
    const { drafts } = read(
      'The Armenian Defence Ministry said Azerbaijani drones struck Martakert. The Azerbaijani Defence Ministry denied the report. It said Armenian artillery had shelled Tartar on Sunday.',
    );
    expect(drafts.map((d) => [d.body.stance ?? null, d.respondsToDraft ?? null])).toEqual([
      [null, null],
      ['denial', 0],
      ['counter-accusation', 0],
    ]);
    expect(drafts[2]!.body).toMatchObject({ claimant: id('Azerbaijan'), subject: id('Armenia'), category: 'shelling' });
  });

  it('keeps a statement of compliance after a denial by the same speaker in the denial', () => {
    const { drafts } = read('Yerevan denied the Azerbaijani reports. The Armenian side fully respects the truce, the ministry said.');
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.body.summary).toBe('Yerevan denied the Azerbaijani reports. The Armenian side fully respects the truce, the ministry said.');
  });

  it('does not take a "Russian-brokered truce" that a statement mentions for a new agreement', () => {
    const { drafts } = read('The Armenian Defence Ministry said Azerbaijani forces attacked Hadrut hours after the Russian-brokered truce took effect.');
    expect(drafts.map((d) => d.kind)).toEqual(['claim']);
    expect(drafts[0]!.body).toMatchObject({ subject: id('Azerbaijan'), category: 'ground-assault' });
  });

  it('reads the category from what the accused is said to have done when "accused" is the attribution\'s verb', () => {
    const { drafts } = read('Yerevan accused Baku of blocking the exchange of prisoners, saying Azerbaijani troops opened fire near Hadrut.');
    expect(drafts[0]!.body).toMatchObject({ claimant: id('Armenia'), subject: id('Azerbaijan'), category: 'obstruction' });
  });

  it('adds figures from a following sentence of the same speaker to its claim ("It said … lost up to 30 servicemen")', () => {
    const { drafts } = read('Armenian troops tried to advance near Fuzuli, the Azerbaijani Defence Ministry said. It said the Armenian side lost up to 30 soldiers.');
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.body.casualties).toEqual({ military: { killed: { min: 0, max: 30, raw: 'up to 30' } } });
  });

  it('says when the copy is not in a language it reads', () => {
    expect(read('Минобороны Армении заявило, что азербайджанские войска обстреляли Степанакерт.')).toMatchObject({ drafts: [], language: { code: 'ru', supported: false } });
  });
});
