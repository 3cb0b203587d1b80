// The short actions on a claim: add or withdraw a source, revise casualties, retraction, assess, void.
import { useForm } from 'react-hook-form';
import { api, dataOf } from '../../../api/client';
import type { components } from '../../../api/schema';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../../components/form';
import { useFormSubmit } from '../../../components/use-form-submit';
import { timeRules, TimeZoneNote } from '../../desk/claim-fields';
import { SourceFields } from '../../desk/claim-fields';
import { casualtiesBody, type ClaimValues, emptyClaim, emptySource, type SourceValues, sourceBody, stripUndefined } from '../../desk/claim-values';
import { parseTimeInput } from '../../../lib/local-time';
import type { Claim } from '../queries';
import { useClaimWrite } from './use-claim-write';
import { CasualtyFields } from './casualty-fields';

type S = components['schemas'];
export interface ActionProps {
  claim: Claim;
  timeZone: string;
}

const required = (message: string) => ({ validate: (v: unknown) => String(v ?? '').trim() !== '' || message });
const instant = (text: string, zone: string) => {
  const parsed = parseTimeInput(text, zone, { allowDate: false });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};
const path = (claimId: string) => ({ params: { path: { claimId } } });
const headers = (key: string) => ({ headers: { 'Idempotency-Key': key } });

function Submit({ label, submitting }: { label: string; submitting: boolean }) {
  return (
    <div className="actions">
      <button type="submit" disabled={submitting}>
        {label}
      </button>
    </div>
  );
}

export function AddSourceForm({ claim, timeZone }: ActionProps) {
  const form = useForm<{ attribution: SourceValues }>({ defaultValues: { attribution: emptySource() }, shouldFocusError: false });
  const confidential = form.watch('attribution.confidential');
  const write = useClaimWrite(claim.id, async (body: S['AddAttributionRequest'], key) => dataOf(await api.POST('/api/claims/{claimId}/attributions', { ...path(claim.id), body, ...headers(key) })), 'Source added');
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(form, (v) => stripUndefined({ attribution: sourceBody(v.attribution, timeZone), expectedVersion: claim.version }), write);
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <TimeZoneNote timeZone={timeZone} />
        <SourceFields form={form} prefix="attribution" timeZone={timeZone} confidential={confidential} />
        <Submit label="Add source" submitting={submitting} />
      </form>
    </>
  );
}

export function WithdrawSourceForm({ claim }: ActionProps) {
  const form = useForm({ defaultValues: { attributionId: '', reason: '' }, shouldFocusError: false });
  const write = useClaimWrite(
    claim.id,
    async ({ attributionId, ...body }: S['WithdrawAttributionRequest'] & { attributionId: string }, key) =>
      dataOf(await api.POST('/api/claims/{claimId}/attributions/{attributionId}/withdrawal', { params: { path: { claimId: claim.id, attributionId } }, body, ...headers(key) })),
    'Source withdrawn',
  );
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(form, (v) => ({ attributionId: v.attributionId, reason: v.reason.trim(), expectedVersion: claim.version }), write);
  const choices = claim.attributions.map((a) => ({ value: a.attributionId, label: a.outlet ? `${a.outlet}${a.speaker ? `, ${a.speaker}` : ''} (${a.reliability}${a.credibility})` : `confidential source (${a.reliability}${a.credibility})` }));
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <SelectField form={form} name="attributionId" label="Source" choices={choices} placeholder="Choose a source" rules={required('Choose the source to withdraw')} />
        <TextAreaField form={form} name="reason" label="Reason" hint="Why the source no longer supports the claim" rules={required('Enter the reason for withdrawing the source')} />
        <Submit label="Withdraw source" submitting={submitting} />
      </form>
    </>
  );
}

export function ReviseCasualtiesForm({ claim, timeZone }: ActionProps) {
  const base = emptyClaim(claim.conflictId);
  const form = useForm<Pick<ClaimValues, 'casualties'> & { asOf: string }>({ defaultValues: { casualties: base.casualties, asOf: '' }, shouldFocusError: false });
  const write = useClaimWrite(claim.id, async (body: S['ReviseCasualtiesRequest'], key) => dataOf(await api.POST('/api/claims/{claimId}/casualties', { ...path(claim.id), body, ...headers(key) })), 'Casualties revised');
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(form, (v) => ({ casualties: casualtiesBody(v.casualties) ?? {}, asOf: instant(v.asOf, timeZone), expectedVersion: claim.version }), write);
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <TimeZoneNote timeZone={timeZone} />
        <TextField form={form} name="asOf" label="As of" hint="When the claimant gave the new figure, local time like 2020-10-11 16:00" rules={timeRules(timeZone, 'when the claimant gave the figure', { allowDate: () => false })} />
        <CasualtyFields form={form} />
        <Submit label="Revise casualties" submitting={submitting} />
      </form>
    </>
  );
}

export function RetractionForm({ claim, timeZone }: ActionProps) {
  const form = useForm({ defaultValues: { statedAt: '' }, shouldFocusError: false });
  const write = useClaimWrite(claim.id, async (body: S['RetractClaimRequest'], key) => dataOf(await api.POST('/api/claims/{claimId}/retraction', { ...path(claim.id), body, ...headers(key) })), 'Retraction recorded');
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(form, (v) => ({ statedAt: instant(v.statedAt, timeZone), expectedVersion: claim.version }), write);
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <TimeZoneNote timeZone={timeZone} />
        <TextField form={form} name="statedAt" label="Retracted at" hint="When the claimant withdrew the claim, local time like 2020-10-12 10:00" rules={timeRules(timeZone, 'when the claim was retracted', { allowDate: () => false })} />
        <Submit label="Record retraction" submitting={submitting} />
      </form>
    </>
  );
}

export const STATUSES = [
  ['unverified', 'Unverified'],
  ['corroborated', 'Corroborated'],
  ['contested', 'Contested'],
  ['refuted', 'Refuted'],
  ['unverifiable', 'Unverifiable'],
].map(([value, label]) => ({ value: value!, label: label! }));

export function AssessForm({ claim }: ActionProps) {
  const form = useForm({ defaultValues: { status: '', rationale: '', evidence: '' }, shouldFocusError: false });
  const write = useClaimWrite(claim.id, async (body: S['AssessClaimRequest'], key) => dataOf(await api.POST('/api/claims/{claimId}/assessments', { ...path(claim.id), body, ...headers(key) })), 'Assessment recorded');
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => ({
      status: v.status as S['AssessmentStatus'],
      rationale: v.rationale.trim(),
      evidence: v.evidence.split('\n').map((e) => e.trim()).filter(Boolean),
      expectedVersion: claim.version,
    }),
    write,
  );
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <SelectField form={form} name="status" label="Status" choices={STATUSES} placeholder="Choose a status" rules={required('Choose the status of the claim')} />
        <TextAreaField form={form} name="rationale" label="Rationale" hint="Why, in a sentence or two" rules={required('Enter the rationale for the assessment')} />
        <TextAreaField form={form} name="evidence" label="Evidence" optional hint="Links or references, one a line" />
        <Submit label="Record assessment" submitting={submitting} />
      </form>
    </>
  );
}

export function VoidForm({ claim }: ActionProps) {
  const form = useForm({ defaultValues: { reason: '' }, shouldFocusError: false });
  const write = useClaimWrite(claim.id, async (body: S['VoidClaimRequest'], key) => dataOf(await api.POST('/api/claims/{claimId}/void', { ...path(claim.id), body, ...headers(key) })), 'Claim voided');
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(form, (v) => ({ reason: v.reason.trim(), expectedVersion: claim.version }), write);
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <p>A voided claim was never claimed: it stays in the record, flagged, and leaves every count.</p>
        <TextAreaField form={form} name="reason" label="Reason" rules={required('Enter the reason for voiding the claim')} />
        <Submit label="Void claim" submitting={submitting} />
      </form>
    </>
  );
}
