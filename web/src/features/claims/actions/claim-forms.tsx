// Respond, Correct and Mark duplicate: the actions that need the conflict's parties or a search.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useLocation } from 'react-router';
import { api, ApiProblem, dataOf } from '../../../api/client';
import type { components } from '../../../api/schema';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../../components/form';
import { useFormSubmit } from '../../../components/use-form-submit';
import { showInstant } from '../../../lib/local-time';
import type { Conflict } from '../../conflicts/queries';
import { partyNames } from '../../conflicts/queries';
import { ClaimFields } from '../../desk/claim-fields';
import { claimToValues, type ClaimValues, correctionChanges, emptySource, responseBody } from '../../desk/claim-values';
import { type Claim, claimQueries } from '../queries';
import { claimSentence, suggestedResponder, suggestedResponse } from '../words';
import { useClaimWrite } from './use-claim-write';
import type { DraftHandoff } from '../../drafts/draft-values';
import type { FromReport } from '../../drafts/report-session';

type S = components['schemas'];
const headers = (key: string) => ({ headers: { 'Idempotency-Key': key } });

export function RespondForm({ claim, conflict }: { claim: Claim; conflict: Conflict }) {
  const original = claimToValues(claim, conflict.timeZone);
  // A denial or counter-accusation read from a report (features/drafts) comes pre-filled.
  const { draft, fromReport } = (useLocation().state as { draft?: DraftHandoff; fromReport?: FromReport } | null) ?? {};
  const form = useForm<ClaimValues>({
    defaultValues: draft ? { ...draft.values, conflictId: original.conflictId } : {
      ...original,
      claimant: suggestedResponder(claim),
      subject: '',
      assertion: '',
      stance: '',
      summary: '',
      statedAt: '',
      casualties: claimToValues({ ...claim, casualties: null }, conflict.timeZone).casualties,
      attributions: [emptySource()],
    },
    shouldFocusError: false,
  });
  const stance = useWatch({ control: form.control, name: 'stance' });
  const responder = useWatch({ control: form.control, name: 'claimant' });
  useEffect(() => {
    if (!stance) return;
    const suggestion = suggestedResponse(stance as S['Stance'], responder, claim);
    form.setValue('subject', suggestion.subject);
    form.setValue('assertion', suggestion.assertion);
  }, [stance, responder, claim, form]);
  const write = useClaimWrite(
    '',
    async (body: S['RespondToClaimRequest'], key) => dataOf(await api.POST('/api/claims/{claimId}/responses', { params: { path: { claimId: claim.id } }, body, ...headers(key) })),
    'Response recorded',
    // Reviewed from a report: back to it, to record its next draft.
    fromReport ? (id) => ({ to: '/reports/new', state: { recordedDraft: { ...fromReport, claimId: id } } }) : undefined,
  );
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(form, (v) => responseBody(v, conflict.timeZone), write);
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit} className="claim-form">
        <p className="hint">
          A denial is usually the responder about itself, complied; a counter-accusation the responder about the original claimant, violated. Choosing a stance fills these in; change them if the statement says otherwise.
        </p>
        <ClaimFields form={form} parties={conflict.parties} timeZone={conflict.timeZone} withSources withStance />
        <div className="actions">
          <button type="submit" disabled={submitting}>
            Record response
          </button>
        </div>
      </form>
    </>
  );
}

export function CorrectForm({ claim, conflict }: { claim: Claim; conflict: Conflict }) {
  const zone = conflict.timeZone;
  const [base, setBase] = useState(() => ({ version: claim.version, values: claimToValues(claim, zone) }));
  const [conflictInfo, setConflictInfo] = useState<{ from: number; to: number; latest: Claim } | null>(null);
  const form = useForm<ClaimValues & { reason: string }>({ defaultValues: { ...base.values, reason: '' }, shouldFocusError: false });
  const queries = useQueryClient();
  const write = useClaimWrite(claim.id, async (body: S['CorrectClaimRequest'], key) => dataOf(await api.POST('/api/claims/{claimId}/corrections', { params: { path: { claimId: claim.id } }, body, ...headers(key) })), 'Correction recorded');
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => {
      const changes = correctionChanges(v, base.values, zone);
      if (Object.keys(changes).length === 0) throw new ApiProblem(400, { detail: 'Nothing was changed: change a field to correct it.' });
      return { changes, reason: v.reason.trim(), expectedVersion: base.version };
    },
    write,
    (error) => {
      if (!(error instanceof ApiProblem) || error.status !== 409) return false;
      void (async () => {
        const latest = await queries.fetchQuery({ ...claimQueries.detail(claim.id), staleTime: 0 });
        setConflictInfo({ from: base.version, to: error.currentVersion ?? latest.version, latest });
      })();
      form.setError('root.serverError', { type: 'server', message: `Someone changed this claim while you were correcting it (version ${base.version} → ${error.currentVersion ?? 'newer'}). Your entries are kept: check what changed below, then re-apply your correction.` });
      return true;
    },
  );
  const reapply = () => {
    if (!conflictInfo) return;
    // The user's own changes stay and now apply on top of the latest version; every field they
    // did not touch shows its latest value.
    const latest = claimToValues(conflictInfo.latest, zone);
    const current = form.getValues();
    for (const key of Object.keys(latest) as (keyof ClaimValues)[]) {
      if (key !== 'attributions' && JSON.stringify(current[key]) === JSON.stringify(base.values[key])) form.setValue(key, latest[key]);
    }
    setBase({ version: conflictInfo.latest.version, values: latest });
    setConflictInfo(null);
    form.clearErrors();
  };
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      {conflictInfo ? <ChangedMeanwhile before={claim} latest={conflictInfo.latest} conflict={conflict} onReapply={reapply} /> : null}
      <form noValidate onSubmit={onSubmit} className="claim-form">
        <p className="hint">Change what was entered wrongly. Each changed field replaces the old value; the old one stays in the claim&rsquo;s history.</p>
        <ClaimFields form={form as never} parties={conflict.parties} timeZone={zone} withSources={false} />
        <fieldset>
          <legend>Why</legend>
          <TextAreaField form={form} name="reason" label="Reason for the correction" rules={{ validate: (v) => String(v).trim() !== '' || 'Enter the reason for the correction' }} />
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={submitting}>
            Record correction
          </button>
        </div>
      </form>
    </>
  );
}

function ChangedMeanwhile({ before, latest, conflict, onReapply }: { before: Claim; latest: Claim; conflict: Conflict; onReapply: () => void }) {
  const newer = latest.corrections.filter((c) => !before.corrections.some((b) => b.position === c.position));
  const ref = useRef<HTMLElement>(null);
  return (
    <section className="notice" aria-labelledby="changed-heading" ref={ref}>
      <h2 id="changed-heading">Changed meanwhile</h2>
      <p>
        Version {before.version} → {latest.version}.
      </p>
      <ul>
        {newer.map((c) => (
          <li key={c.position}>
            Corrected {Object.keys(c.changes).join(', ')} — {c.reason}
          </li>
        ))}
        {latest.summary !== before.summary ? <li>Summary is now: {latest.summary}</li> : null}
        {latest.assessments.length > before.assessments.length ? <li>Assessed: {latest.status}</li> : null}
        {latest.casualtyRevisions.length > before.casualtyRevisions.length ? <li>Casualties revised</li> : null}
        {latest.attributions.length !== before.attributions.length ? <li>Sources changed</li> : null}
      </ul>
      <p>The latest claim: {claimSentence(latest, partyNames(conflict))}, said {showInstant(latest.statedAt, conflict.timeZone)}.</p>
      <button type="button" onClick={onReapply}>
        Re-apply my correction
      </button>
    </section>
  );
}

export function DuplicateForm({ claim, conflict }: { claim: Claim; conflict: Conflict }) {
  const form = useForm({ defaultValues: { q: '', claimId: '', reason: '' }, shouldFocusError: false });
  const q = useWatch({ control: form.control, name: 'q' });
  const [search, setSearch] = useState('');
  const results = useQuery({
    queryKey: ['claims', 'duplicate-search', claim.conflictId, search],
    queryFn: async ({ signal }) => dataOf(await api.GET('/api/claims', { params: { query: { conflictId: claim.conflictId, q: search, limit: 20 } }, signal })).items,
    enabled: search.trim() !== '',
  });
  const write = useClaimWrite(claim.id, async (body: S['MarkDuplicateRequest'], key) => dataOf(await api.POST('/api/claims/{claimId}/duplicate-of', { params: { path: { claimId: claim.id } }, body, ...headers(key) })), 'Marked as a duplicate');
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(form, (v) => ({ claimId: v.claimId, reason: v.reason.trim(), expectedVersion: claim.version }), write);
  const parties = partyNames(conflict);
  const choices = (results.data ?? []).filter((c) => c.id !== claim.id).map((c) => ({ value: c.id, label: `${c.summary} — ${claimSentence(c, parties)}, ${showInstant(c.occurred.from, conflict.timeZone, { time: false })}${c.location ? `, ${c.location.name}` : ''}` }));
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form
        noValidate
        role="search"
        className="search"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(q);
        }}
      >
        <TextField form={form} name="q" label="Search for the original" hint="Words of its summary, the place, or the outlet" />
        <button type="submit" className="secondary">
          Search
        </button>
      </form>
      <form noValidate onSubmit={onSubmit}>
        {search && results.isPending ? <p className="loading" role="status">Searching…</p> : null}
        {search && results.data && choices.length === 0 ? <p role="status">No claim matches “{search}”.</p> : null}
        <SelectField form={form} name="claimId" label="Original claim" choices={choices} placeholder={choices.length ? 'Choose the original' : 'Search first'} rules={{ validate: (v) => v !== '' || 'Choose the original claim' }} />
        <TextAreaField form={form} name="reason" label="Reason" rules={{ validate: (v) => String(v).trim() !== '' || 'Enter the reason for marking it a duplicate' }} />
        <div className="actions">
          <button type="submit" disabled={submitting}>
            Mark duplicate
          </button>
        </div>
      </form>
    </>
  );
}
