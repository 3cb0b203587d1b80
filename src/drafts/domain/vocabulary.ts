import type { Category } from '../../claims/domain/claim';
import type { ProvisionKind } from '../../agreements/domain/agreement';

/**
 * The words the extractors read, in one place so that they can be reviewed (and, later, given
 * for other languages). English wire-copy usage.
 */

/** Verbs that report a statement; the noun phrase before them (or after "according to") is who spoke. */
export const SPEECH_VERB =
  'said|says|stated|states|claimed|claims|announced|announces|reported|reports|accused|accuses|denied|denies|rejected|rejects|dismissed|dismisses|insisted|insists|told|added|alleged|alleges|charged|blamed|blames|declared|declares|confirmed|confirms|warned|noted|wrote|countered|refuted|refutes|described|maintained|maintains|asserted|asserts|called|calls';

/** Words that make a noun phrase an organ of a party (its ministry, its spokesperson). */
export const ORGAN =
  /\b(defen[cs]e ministry|ministry of defen[cs]e|foreign ministry|ministry of foreign affairs|foreign minister|defen[cs]e minister|interior ministry|ministry|prosecutor[- ]general['’]?s? office|prosecutor(?:'s)? office|prosecutor general|president(?:ial)?(?: office| administration|['’]s office)?|prime minister|spokes(?:man|woman|person)|press secretary|press service|ombudsman|human rights (?:defender|ombudsman)|government|authorities|officials?|emergency service|leader|command|headquarters|army|military|assistant|aide|minister|envoy|parliament|security council|state committee|mission)\b/i;

/** Wire services and outlets as they name themselves in copy. */
export const OUTLETS = [
  'TASS', 'Reuters', 'AFP', 'Agence France-Presse', 'AP', 'Associated Press', 'Interfax', 'RIA Novosti', 'RIA', 'Sputnik', 'APA', 'Armenpress', 'Azertac', 'AZERTAC',
  'Trend', 'news.am', 'Artsakhpress', 'Report.az', 'BBC', 'Anadolu', 'Xinhua', 'Al Jazeera', 'Eurasianet', 'RFE/RL', 'Radio Liberty', 'Azatutyun', 'Turan', 'Arminfo', 'Mediamax', 'EFE', 'dpa', 'Kommersant', 'RBC',
];

/** Nouns after a party's name that make it the one acting ("Azerbaijani forces shelled…"). */
export const FORCE_NOUN =
  /^[\s-]*(?:armed\s+forces|forces|troops|army|military|side|units?|soldiers|servicemen|artillery|drones?|aircraft|warplanes|jets|gunners|snipers|sabotage (?:groups?|units?)|special forces|fighters|militants|troops|mercenaries|tanks|helicopters)\b/i;

/** How an act is categorised, most specific first. */
export const CATEGORY_CUES: [Category, RegExp][] = [
  ['missile-strike', /\b(missiles?|ballistic|Tochka|Iskander|Scud|Smerch|Elbrus|rocket strikes?)\b/i],
  ['drone-strike', /\b(drones?|UAVs?|unmanned aerial|loitering munitions?|kamikaze)\b/i],
  ['air-strike', /\b(air ?strikes?|air raids?|warplanes?|aircraft|jets?|aviation|Su-25s?|F-16s?|bomb(?:ed|ing|ers?) from the air)\b/i],
  ['shelling', /\b(shell(?:ed|ing|s)?|artillery|mortars?|mortared|bombard(?:ed|ment|ing)|howitzers?|Grad|multiple rocket launchers?|rocket (?:fire|launchers?)|rockets?)\b/i],
  ['small-arms', /\b(small[- ]arms|snipers?|gunfire|machine[- ]guns?|opened fire|fired (?:at|on)|shot (?:at|dead)|shooting|automatic weapons|rifles?)\b/i],
  ['incursion', /\b(incursions?|infiltrat\w*|sabotage (?:groups?|units?|attempts?)|reconnaissance groups?|crossed the (?:line|border|contact line))\b/i],
  ['ground-assault', /\b(attack(?:ed|s|ing)?|offensive|assaults?|advanc(?:e|ed|ing)|storm(?:ed|ing)?|counter-?attack(?:ed|s)?|push(?:ed)? into|break through|tried to (?:capture|seize|take)|captur(?:e|ed|ing)|seiz(?:e|ed|ing))\b/i],
  ['obstruction', /\b(obstruct(?:ed|ing|s)?|block(?:ed|ing|s)? the (?:exchange|evacuation|collection|transfer)|hinder(?:ed|ing|s)?|prevent(?:ed|ing|s)? (?:the )?(?:exchange|collection|evacuation))\b/i],
  ['non-implementation', /\b(fail(?:ed|s)? to (?:hand over|return|exchange|implement|withdraw)|refus(?:ed|es) to (?:hand over|return|exchange|implement))\b/i],
];

/** Words that say the truce was broken, without saying how. */
export const VIOLATION = /\b(violat(?:ed|es|ing|ion|ions)|breach(?:ed|es|ing)?|br(?:oke|eaking|eak)(?: the)? (?:humanitarian )?(?:ceasefire|cease-fire|truce)|struck|hit|target(?:ed|ing)|fired|fire at|under fire|killing|wounding|killed|wounded|injured)\b/i;

export const ACCUSATION = /\b(accus(?:ed|es|ing|ation|ations)|blam(?:ed|es|ing)|violat\w*|breach\w*|trad(?:ed|e|ing) (?:accusations|blame)|each other|one another|either side|both sides|mutual)\b/i;

export const DENIAL_VERB = /\b(denied|denies|deny|denying|rejected|rejects|dismissed|dismisses|refuted|refutes)\b/i;
/** A violent act said not to have happened ("are not shelling", "never fired"): a denial. */
export const NEGATED_ACT = /\b(?:not|never|no longer)\s+(?:\w+\s+)?(?:shell|fir(?:e|ed|ing)\b|attack|strik|struck|target|violat|bomb)\w*/i;
/** Appeals are not assertions: "called on both sides to observe the truce". */
export const APPEAL = /\b(call(?:ed|s)? on|urg(?:ed|es)|appeal(?:ed|s)? to|ask(?:ed|s))\b[^.;]{0,60}\bto\s+(?:\w+\s+)?(?:observe|respect|stop|cease|adhere|comply|halt|abide)\b/i;
export const DENIAL_WORDS = /\b(false|untrue|not true|lies?|lying|disinformation|misinformation|groundless|baseless|fabricat\w*|fake|did not (?:violate|fire|shell|attack|strike|target)|never (?:violated|fired|shelled|attacked))\b/i;

export const COMPLIANCE =
  /\b(observ(?:e|es|ed|ing)|adher(?:e|es|ed|ing)|respect(?:s|ed|ing)?|compl(?:y|ies|ied|ying) with|abid(?:e|es|ing) by|honou?r(?:s|ed|ing)?|committed to|fully implement(?:s|ed|ing)?)\b[^.;]{0,40}\b(ceasefire|cease-fire|truce|agreement|regime)\b|\b(no violations|remained calm|was calm|quiet overnight)\b/i;

/** Words that make an accusation an answer to the other side's ("in response", "it was … who"). */
export const COUNTER = /\b(in response|in turn|for its part|countered|retaliat\w*|instead|it was (?:the )?\w+ (?:side|forces|army)|(?:were|was) the first to|first opened fire|provocation)\b/i;

/** The undertakings of an agreement, by the words that name them. */
export const PROVISION_CUES: [ProvisionKind, RegExp][] = [
  ['exchange-of-prisoners', /\b(prisoners?|detainees?|captives?|POWs?|detained persons)\b/i],
  ['exchange-of-bodies', /\b(bodies|remains|the dead|corpses)\b/i],
  ['humanitarian-access', /\b(humanitarian (?:aid|access|corridors?|convoys?)|evacuat\w*|civilians? to leave)\b/i],
  ['withdrawal', /\b(withdraw\w*|pull(?:ing)? back)\b/i],
  ['monitoring', /\b(monitor\w*|observers?|verification mechanism)\b/i],
];

export const AGREEMENT = /\b(agreed|agree|agreement|reached|announced|brokered|declared)\b[^.;]{0,80}\b(cease ?-?fire|ceasefire|truce)\b|\b(cease ?-?fire|ceasefire|truce)\b[^.;]{0,60}\b(was agreed|were agreed|agreed|brokered|reached|announced)\b/i;
