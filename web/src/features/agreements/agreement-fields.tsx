// The fields of an agreement, shared by "Record an agreement" and "Correct agreement".
import { type UseFormReturn, useFieldArray } from 'react-hook-form';
import { SelectField, TextAreaField, TextField } from '../../components/form';
import { zoneLabel } from '../../lib/local-time';
import type { Conflict } from '../conflicts/queries';
import { partyLabel } from '../conflicts/queries';
import { SourcesFields, timeRules, TimeZoneNote } from '../desk/claim-fields';
import { type AgreementValues, emptyProvision } from './agreement-values';

const choices = (pairs: string[][]) => pairs.map(([value, label]) => ({ value: value!, label: label! }));

export const AGREEMENT_KINDS = choices([
  ['humanitarian-truce', 'Humanitarian truce'],
  ['ceasefire', 'Ceasefire'],
  ['armistice', 'Armistice'],
  ['other', 'Other'],
]);

export const BASES = choices([
  ['stated', 'Stated in the agreement'],
  ['inferred', 'Inferred from its wording'],
  ['assumed', 'Assumed'],
]);

export const PROVISION_KINDS = choices([
  ['cessation-of-hostilities', 'Cessation of hostilities'],
  ['exchange-of-prisoners', 'Exchange of prisoners'],
  ['exchange-of-bodies', 'Exchange of bodies'],
  ['humanitarian-access', 'Humanitarian access'],
  ['withdrawal', 'Withdrawal'],
  ['monitoring', 'Monitoring'],
  ['other', 'Other'],
]);

export const TIME_ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

const required = (message: string) => ({ validate: (v: unknown) => String(v ?? '').trim() !== '' || message });

export function AgreementFields({ form, conflict }: { form: UseFormReturn<AgreementValues>; conflict: Conflict }) {
  const partyBoxes = (name: 'signatories' | 'mediators', legend: string, rules?: object) => (
    <fieldset id={name}>
      <legend>{legend}</legend>
      {form.formState.errors[name]?.message ? (
        <p className="error-message" id={`${name}-error`}>
          <span className="visually-hidden">Error: </span>
          {String(form.formState.errors[name]?.message)}
        </p>
      ) : null}
      {conflict.parties.map((p) => (
        <div className="field checkbox" key={p.id}>
          <input type="checkbox" id={`${name}-${p.id}`} value={p.id} {...form.register(name, rules)} />
          <label htmlFor={`${name}-${p.id}`}>{partyLabel(p)}</label>
        </div>
      ))}
    </fieldset>
  );
  return (
    <>
      <TextField form={form} name="title" label="Title" rules={required('Enter the title of the agreement')} />
      <SelectField form={form} name="agreementKind" label="Kind of agreement" choices={AGREEMENT_KINDS} placeholder="Choose a kind" rules={required('Choose the kind of agreement')} />
      {partyBoxes('signatories', 'Signatories', { validate: (v: string[]) => (v?.length ?? 0) >= 2 || 'Choose at least two signatories' })}
      {partyBoxes('mediators', 'Mediators (optional)')}
      <TimeZoneNote timeZone={conflict.timeZone} />
      <TextField form={form} name="agreedAt" label="Agreed at" optional hint="When it was agreed, local time like 2020-10-10 03:00" rules={timeRules(conflict.timeZone, 'when it was agreed', { allowDate: () => false, optional: true })} />
      <SelectField form={form} name="effectiveZone" label="Time zone of its wording" hint="The zone the agreement's time is read in" choices={TIME_ZONES.map((z) => ({ value: z, label: zoneLabel(z) }))} />
      <TextField form={form} name="effectiveAt" label="Effective from" hint="Local time in the zone above, like 2020-10-10 12:00" rules={{ validate: (v: unknown) => timeRules(form.getValues('effectiveZone'), 'when it took effect', { allowDate: () => false }).validate(v) }} />
      <TextField form={form} name="effectiveRaw" label="As worded" optional hint="The agreement's own words, like “12:00 on 10 October”" />
      <SelectField form={form} name="basis" label="Basis" choices={BASES} />
      <TextAreaField form={form} name="terms" label="Terms" optional />
      <ProvisionsFields form={form} />
      <SourcesFields form={form} timeZone={conflict.timeZone} keepOne={false} />
    </>
  );
}

function ProvisionsFields({ form }: { form: UseFormReturn<AgreementValues> }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'provisions' });
  return (
    <fieldset>
      <legend>Provisions</legend>
      <p className="hint">Each undertaking claims can be about, like an exchange of bodies.</p>
      {fields.map((field, i) => (
        <fieldset key={field.id} className="source">
          <legend>Provision {i + 1}</legend>
          <SelectField form={form} name={`provisions.${i}.kind`} label="Kind of provision" choices={PROVISION_KINDS} placeholder="Choose a kind" rules={required('Choose the kind of provision')} />
          <TextAreaField form={form} name={`provisions.${i}.text`} label="Provision text" rows={2} rules={required('Enter the text of the provision')} />
          <button type="button" className="secondary" onClick={() => remove(i)}>
            Remove provision {i + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" className="secondary" onClick={() => append(emptyProvision(), { shouldFocus: true, focusName: `provisions.${fields.length}.kind` })}>
        Add provision
      </button>
    </fieldset>
  );
}
