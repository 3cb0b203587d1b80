import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useLocation, useNavigate } from 'react-router';
import { api, dataOf } from '../../api/client';
import { ErrorSummary, SelectField } from '../../components/form';
import { PageTitle } from '../../components/page-title';
import { useFormSubmit } from '../../components/use-form-submit';
import { conflictQueries } from '../conflicts/queries';
import { ClaimFields } from './claim-fields';
import { claimBody, type ClaimValues, emptyClaim, type RecordClaimBody } from './claim-values';
import type { DraftHandoff } from '../drafts/draft-values';
import type { FromReport } from '../drafts/report-session';

export function RecordClaimPage() {
  const navigate = useNavigate();
  const conflicts = useQuery(conflictQueries.list());
  // "Review" on a draft read from a report (features/drafts) opens this form pre-filled.
  const { draft, fromReport } = (useLocation().state as { draft?: DraftHandoff; fromReport?: FromReport } | null) ?? {};
  const form = useForm<ClaimValues>({ defaultValues: draft?.values ?? emptyClaim(), shouldFocusError: false });
  const conflictId = useWatch({ control: form.control, name: 'conflictId' });
  const conflict = useQuery(conflictQueries.detail(conflictId));

  // With one conflict there is nothing to choose.
  useEffect(() => {
    if (conflicts.data?.length === 1 && !form.getValues('conflictId')) form.setValue('conflictId', conflicts.data[0]!.id);
  }, [conflicts.data, form]);

  const record = useMutation({
    mutationFn: async ({ body, key }: { body: RecordClaimBody; key: string }) =>
      dataOf(await api.POST('/api/claims', { body, headers: { 'Idempotency-Key': key } })),
  });
  const timeZone = conflict.data?.timeZone ?? 'UTC';
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (values) => claimBody(values, timeZone),
    async (body, key) => {
      const written = await record.mutateAsync({ body, key });
      // Reviewed from a report: back to it, where the drafts answering this one now answer the recorded claim.
      if (fromReport) await navigate('/reports/new', { state: { flash: 'Claim recorded', recordedDraft: { ...fromReport, claimId: written.id } } });
      else await navigate(`/claims/${written.id}`, { state: { flash: 'Claim recorded' } });
    },
  );

  return (
    <>
      <PageTitle title="Record a claim" />
      <ErrorSummary errors={errors} attempt={attempt} />
      <h1>Record a claim</h1>
      <p className="lead">
        Check first that nobody has recorded it yet: <a href="/claims">search the claims</a>.
      </p>
      {draft ? (
        <div className="report-checks" role="note">
          <p>Pre-filled from a report. Check every field{draft.check.length ? '; these were read with little confidence or not at all:' : '.'}</p>
          {draft.check.length ? (
            <ul>
              {draft.check.map((label) => (
                <li key={label}>{label}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form noValidate onSubmit={onSubmit} className="claim-form">
        <SelectField
            form={form}
            name="conflictId"
            label="Conflict"
            choices={(conflicts.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            placeholder={conflicts.isPending ? 'Loading conflicts…' : 'Choose a conflict'}
            rules={{ validate: (v) => v !== '' || 'Choose the conflict' }}
          />
        {conflict.data ? (
          <ClaimFields form={form} parties={conflict.data.parties} timeZone={conflict.data.timeZone} withSources />
        ) : (
          <p className="empty">{conflictId ? 'Loading the conflict…' : 'Choose a conflict to record a claim about it.'}</p>
        )}
        <div className="actions">
          <button type="submit" disabled={submitting || !conflict.data}>
            Record claim
          </button>
        </div>
      </form>
    </>
  );
}
