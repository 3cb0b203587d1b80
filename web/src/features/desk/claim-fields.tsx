// The fields of a claim, shared by "Record a claim", "Respond" and "Correct".
import { type UseFormReturn, useFieldArray, useWatch } from 'react-hook-form';
import { CheckboxField, type Choice, SelectField, TextAreaField, TextField } from '../../components/form';
import { DAY_OR_COARSER, parseTimeInput, zoneLabel } from '../../lib/local-time';
import { type Party, partyLabel } from '../conflicts/queries';
import { CasualtyFields } from '../claims/actions/casualty-fields';
import { type ClaimValues, emptySource } from './claim-values';

export const ASSERTIONS: Choice[] = [
  { value: 'violated', label: 'Violated the truce' },
  { value: 'complied', label: 'Complied with the truce' },
];

export const CATEGORIES: Choice[] = [
  ['shelling', 'Shelling'],
  ['air-strike', 'Air strike'],
  ['drone-strike', 'Drone strike'],
  ['missile-strike', 'Missile strike'],
  ['small-arms', 'Small-arms fire'],
  ['ground-assault', 'Ground assault'],
  ['incursion', 'Incursion'],
  ['ceasefire-statement', 'Statement about the ceasefire'],
  ['obstruction', 'Obstruction (of an exchange, of access…)'],
  ['non-implementation', 'Not carrying out a provision'],
  ['other', 'Other'],
].map(([value, label]) => ({ value: value!, label: label! }));

export const PRECISIONS: Choice[] = [
  ['minute', 'To the minute'],
  ['hour', 'To the hour'],
  ['part-of-day', 'Part of a day (morning, night…)'],
  ['day', 'Day'],
  ['week', 'Week'],
  ['month', 'Month'],
  ['approximate', 'Approximate'],
].map(([value, label]) => ({ value: value!, label: label! }));

export const STANCES: Choice[] = [
  { value: 'denial', label: 'Denial' },
  { value: 'counter-accusation', label: 'Counter-accusation' },
  { value: 'acknowledgement', label: 'Acknowledgement' },
  { value: 'justification', label: 'Justification' },
];

/** The Admiralty grades, with what each means. */
export const RELIABILITY: Choice[] = [
  ['A', 'A — completely reliable'],
  ['B', 'B — usually reliable'],
  ['C', 'C — fairly reliable'],
  ['D', 'D — not usually reliable'],
  ['E', 'E — unreliable'],
  ['F', 'F — reliability cannot be judged'],
].map(([value, label]) => ({ value: value!, label: label! }));

export const CREDIBILITY: Choice[] = [
  ['1', '1 — confirmed by other sources'],
  ['2', '2 — probably true'],
  ['3', '3 — possibly true'],
  ['4', '4 — doubtful'],
  ['5', '5 — improbable'],
  ['6', '6 — truth cannot be judged'],
].map(([value, label]) => ({ value: value!, label: label! }));

const LOCATION_PRECISIONS: Choice[] = ['exact', 'settlement', 'district', 'region'].map((v) => ({ value: v, label: v[0]!.toUpperCase() + v.slice(1) }));

const required = (message: string) => ({ validate: (v: unknown) => (typeof v === 'string' ? v.trim() !== '' : v !== undefined) || message });

export function timeRules(timeZone: string, what: string, { allowDate, optional = false }: { allowDate: () => boolean; optional?: boolean }) {
  return {
    validate: (value: unknown) => {
      const text = String(value ?? '').trim();
      if (text === '') return optional || `Enter ${what}`;
      const parsed = parseTimeInput(text, timeZone, { allowDate: allowDate() });
      return parsed.ok || `Enter ${what} as ${parsed.message}`;
    },
  };
}

export function TimeZoneNote({ timeZone }: { timeZone: string }) {
  return (
    <p className="zone-note">
      Times are in the conflict&rsquo;s time zone: <strong>{zoneLabel(timeZone)}</strong>. Type them as 2020-10-11 09:30; they are sent with that offset.
    </p>
  );
}

interface Props {
  form: UseFormReturn<ClaimValues>;
  parties: Party[];
  timeZone: string;
  /** Sources are part of the form (record, respond), or managed by their own actions (correct). */
  withSources: boolean;
  withStance?: boolean;
}

export function ClaimFields({ form, parties, timeZone, withSources, withStance = false }: Props) {
  const partyChoices = parties.map((p) => ({ value: p.id, label: partyLabel(p) }));
  const precision = useWatch({ control: form.control, name: 'occurred.precision' });
  const allowDate = () => DAY_OR_COARSER.has(form.getValues('occurred.precision'));
  const timeHint = DAY_OR_COARSER.has(precision) ? 'Local time, like 2020-10-11 09:30, or a date alone, like 2020-10-11' : 'Local time, like 2020-10-11 09:30';
  return (
    <>
      <fieldset>
        <legend>Who says what</legend>
        {withStance ? <SelectField form={form} name="stance" label="Stance" choices={STANCES} placeholder="Choose a stance" rules={required('Choose the stance of the response')} /> : null}
        <SelectField form={form} name="claimant" label="Claimant" hint="The party making the statement" choices={partyChoices} placeholder="Choose a party" rules={required('Choose the claimant')} />
        <SelectField form={form} name="subject" label="Subject" hint="The party whose conduct is described" choices={partyChoices} placeholder="Choose a party" rules={required('Choose the subject')} />
        <SelectField form={form} name="assertion" label="Assertion" choices={ASSERTIONS} placeholder="Choose one" rules={required('Choose whether the claimant says the subject violated or complied')} />
        <SelectField form={form} name="category" label="Category" choices={CATEGORIES} placeholder="Choose a category" rules={required('Choose a category')} />
        <TextAreaField form={form} name="summary" label="Summary" hint="The claim in one sentence" rules={required('Enter a summary of the claim')} />
      </fieldset>

      <fieldset>
        <legend>When</legend>
        <TimeZoneNote timeZone={timeZone} />
        <SelectField form={form} name="occurred.precision" label="Precision" hint="How precisely the source dates it" choices={PRECISIONS} />
        <TextField form={form} name="occurred.from" label="Occurred from" hint={timeHint} rules={timeRules(timeZone, 'when it occurred', { allowDate })} />
        <TextField form={form} name="occurred.to" label="Occurred to" optional hint={timeHint} rules={timeRules(timeZone, 'when it ended', { allowDate, optional: true })} />
        <TextField form={form} name="occurred.raw" label="As reported" optional hint="The time in the source's own words, like “overnight”" />
        <TextField form={form} name="statedAt" label="Stated at" hint="When the claimant said it, local time like 2020-10-11 09:30" rules={timeRules(timeZone, 'when it was stated', { allowDate: () => false })} />
      </fieldset>

      <fieldset>
        <legend>Where</legend>
        <TextField form={form} name="location.name" label="Place" optional hint="As the source names it; never “fixed”" />
        <TextField form={form} name="location.altNames" label="Alternative names" optional hint="Other names of the place, separated by commas" />
        <div className="row">
          <TextField form={form} name="location.lat" label="Latitude" optional inputMode="decimal" rules={{ validate: (v) => String(v).trim() === '' || (Math.abs(Number(v)) <= 90 && String(v).trim() !== '' && !Number.isNaN(Number(v))) || 'Latitude must be a number from -90 to 90' }} />
          <TextField form={form} name="location.lon" label="Longitude" optional inputMode="decimal" rules={{ validate: (v) => String(v).trim() === '' || (Math.abs(Number(v)) <= 180 && !Number.isNaN(Number(v))) || 'Longitude must be a number from -180 to 180' }} />
          <SelectField form={form} name="location.precision" label="Location accuracy" optional choices={LOCATION_PRECISIONS} placeholder="Not given" />
        </div>
      </fieldset>

      <CasualtyFields form={form} />

      {withSources ? <SourcesFields form={form} timeZone={timeZone} /> : null}
    </>
  );
}

/** The sources of a claim (at least one: `keepOne`) or of an agreement (any number). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function SourcesFields({ form, timeZone, keepOne = true }: { form: UseFormReturn<any>; timeZone: string; keepOne?: boolean }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'attributions' });
  const confidential = useWatch({ control: form.control, name: 'attributions' });
  return (
    <fieldset>
      <legend>Sources</legend>
      {fields.map((field, i) => (
        <fieldset key={field.id} className="source">
          <legend>Source {i + 1}</legend>
          <SourceFields form={form} prefix={`attributions.${i}`} timeZone={timeZone} confidential={Boolean(confidential?.[i]?.confidential)} />
          {fields.length > 1 || !keepOne ? (
            <button type="button" className="secondary" onClick={() => remove(i)}>
              Remove source {i + 1}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button type="button" className="secondary" onClick={() => append(emptySource(), { shouldFocus: true, focusName: `attributions.${fields.length}.outlet` })}>
        Add source
      </button>
    </fieldset>
  );
}

/** One source's fields under `prefix` (attributions.0, attribution…). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function SourceFields({ form, prefix, timeZone, confidential }: { form: UseFormReturn<any>; prefix: string; timeZone: string; confidential: boolean }) {
  return (
    <>
      <TextField form={form} name={`${prefix}.outlet`} label="Outlet" hint="Who published it (TASS, a ministry's channel…)" rules={required('Enter the outlet')} />
      <TextField form={form} name={`${prefix}.speaker`} label="Speaker" optional hint="Who said it, according to the outlet" />
      <TextField form={form} name={`${prefix}.url`} label="Link" optional type="url" inputMode="url" rules={{ validate: (v: unknown) => String(v ?? '').trim() === '' || /^https?:\/\/\S+$/.test(String(v).trim()) || 'Enter the link as a web address starting with http:// or https://' }} />
      <TextField form={form} name={`${prefix}.publishedAt`} label="Published at" optional hint="Local time, like 2020-10-11 09:30" rules={timeRules(timeZone, 'when it was published', { allowDate: () => false, optional: true })} />
      <TextAreaField form={form} name={`${prefix}.quote`} label="Quote" optional rows={2} />
      <TextField form={form} name={`${prefix}.language`} label="Language" optional hint="A language tag, like en, ru, az or hy" rules={{ validate: (v: unknown) => String(v ?? '').trim() === '' || /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(String(v).trim()) || 'Enter the language as a tag like en, ru or az' }} />
      <div className="row">
        <SelectField form={form} name={`${prefix}.reliability`} label="Reliability" hint="Of the source (Admiralty grade)" choices={RELIABILITY} placeholder="Choose a grade" rules={required('Choose the reliability of the source')} />
        <SelectField form={form} name={`${prefix}.credibility`} label="Credibility" hint="Of the information (Admiralty grade)" choices={CREDIBILITY} placeholder="Choose a grade" rules={required('Choose the credibility of the information')} />
      </div>
      <CheckboxField form={form} name={`${prefix}.confidential`} label="Confidential" hint="Readers see only “confidential source” and its grades" />
      {confidential ? <TextField form={form} name={`${prefix}.protectedIdentity`} label="Protected identity" optional hint="Who the source is: sealed, shown only to editors" /> : null}
    </>
  );
}
