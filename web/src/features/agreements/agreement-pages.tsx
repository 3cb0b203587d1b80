// An agreement's page (its terms, provisions and sources) and the editors' actions on it:
// record, correct (with expectedVersion; a 409 shows what changed and re-applies) and end.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, ApiProblem, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorSummary, TextAreaField, TextField } from '../../components/form';
import { Flash } from '../../components/flash';
import { PageTitle } from '../../components/page-title';
import { QueryState } from '../../components/query-state';
import { useFormSubmit } from '../../components/use-form-submit';
import { parseTimeInput, showInstant, zoneLabel } from '../../lib/local-time';
import { useSession } from '../auth/session';
import { SourceList } from '../claims/claim-page';
import { type Conflict, conflictQueries, partyNames } from '../conflicts/queries';
import { timeRules } from '../desk/claim-fields';
import { AgreementFields, AGREEMENT_KINDS, BASES, PROVISION_KINDS } from './agreement-fields';
import { type Agreement, agreementBody, agreementChanges, agreementToValues, type AgreementValues, draftToAgreementValues, emptyAgreement } from './agreement-values';

type S = components['schemas'];
/** Conflicts (with their agreements), agreements and the claims under them. */
const REGISTRY = [['conflicts'], ['claims']] as const;
const headers = (key: string) => ({ headers: { 'Idempotency-Key': key } });
const labelOf = (choices: { value: string; label: string }[], value: string) => choices.find((c) => c.value === value)?.label ?? value;

export const agreementQueries = {
  detail: (agreementId: string) =>
    queryOptions({
      queryKey: ['conflicts', 'agreement', agreementId],
      queryFn: async ({ signal }) => dataOf(await api.GET('/api/agreements/{agreementId}', { params: { path: { agreementId } }, signal })),
      enabled: agreementId !== '',
    }),
};

/** The agreement and its conflict (for party names and the time zone), loaded together. */
function useAgreementWithConflict(agreementId: string) {
  const agreement = useQuery(agreementQueries.detail(agreementId));
  const conflict = useQuery({ ...conflictQueries.detail(agreement.data?.conflictId ?? ''), enabled: Boolean(agreement.data) });
  return { agreement, conflict };
}

export function AgreementPage() {
  const { agreementId = '' } = useParams();
  const { agreement, conflict } = useAgreementWithConflict(agreementId);
  const session = useSession();
  const navigate = useNavigate();
  return (
    <QueryState query={agreement} what="the agreement">
      {(a) => (
        <>
          <PageTitle title={a.title} />
          <Flash />
          <h1>{a.title}</h1>
          {conflict.data ? <AgreementDetails agreement={a} conflict={conflict.data} /> : <p className="loading">Loading…</p>}
          {session.isEditor && conflict.data ? (
            <div className="claim-actions" role="group" aria-label="Actions on this agreement">
              <button type="button" onClick={() => void navigate(`/agreements/${a.id}/correct`)}>
                Correct agreement
              </button>
              {a.endedAt ? null : <EndAgreement conflict={conflict.data} agreementId={a.id} title={a.title} />}
            </div>
          ) : null}
        </>
      )}
    </QueryState>
  );
}

function AgreementDetails({ agreement: a, conflict }: { agreement: Agreement; conflict: Conflict }) {
  const names = partyNames(conflict);
  const list = (ids: string[]) => ids.map((id) => names.name(id)).join(', ');
  const zone = conflict.timeZone;
  return (
    <>
      <p className="lead">
        {labelOf(AGREEMENT_KINDS, a.kind)} in <Link to={`/conflicts/${conflict.id}`}>{conflict.name}</Link> · signed by {list(a.signatories)}
        {a.mediators.length ? `, mediated by ${list(a.mediators)}` : ''}
      </p>
      <dl className="facts">
        <dt>In force from</dt>
        <dd>
          {showInstant(a.effectiveFrom.at, a.effectiveFrom.timeZone)}, {a.effectiveFrom.timeZone} time
          {a.effectiveFrom.raw ? ` — “${a.effectiveFrom.raw}”` : ''}; {labelOf(BASES, a.effectiveFrom.basis).toLowerCase()}
        </dd>
        {a.agreedAt ? (
          <>
            <dt>Agreed</dt>
            <dd>{showInstant(a.agreedAt, zone)}</dd>
          </>
        ) : null}
        <dt>Status</dt>
        <dd>{a.endedAt ? `Ended ${showInstant(a.endedAt, zone)}${a.endReason ? ` — ${a.endReason}` : ''}` : 'In force'}</dd>
        {a.terms ? (
          <>
            <dt>Terms</dt>
            <dd>{a.terms}</dd>
          </>
        ) : null}
        <dt>Version</dt>
        <dd>{a.version}</dd>
      </dl>
      <p>
        <Link to={`/claims?conflictId=${conflict.id}&agreementId=${a.id}`}>Claims under this agreement</Link>
      </p>
      <section aria-labelledby="provisions-heading">
        <h2 id="provisions-heading">Provisions</h2>
        {a.provisions.length ? (
          <ul className="plain-list">
            {a.provisions.map((p) => (
              <li key={p.provisionId}>
                <strong>{labelOf(PROVISION_KINDS, p.kind)}</strong>: {p.text}{' '}
                <Link to={`/claims?conflictId=${conflict.id}&provisionId=${p.provisionId}`} aria-label={`Claims about: ${labelOf(PROVISION_KINDS, p.kind)}`}>
                  claims about it
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">No provisions recorded.</p>
        )}
      </section>
      <section aria-labelledby="agreement-sources-heading">
        <h2 id="agreement-sources-heading">Sources</h2>
        <SourceList attributions={a.attributions} zone={zone} />
      </section>
    </>
  );
}

export function RecordAgreementForm({ conflict }: { conflict: Conflict }) {
  const navigate = useNavigate();
  // "Review" on an agreement drafted from a report opens this form pre-filled (router state).
  const draft = (useLocation().state as { agreementDraft?: Partial<S['RecordAgreementRequest']> } | null)?.agreementDraft;
  const form = useForm<AgreementValues>({ defaultValues: draft ? draftToAgreementValues(draft, conflict.timeZone) : emptyAgreement(conflict.timeZone), shouldFocusError: false });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (draft) heading.current?.scrollIntoView({ block: 'start' });
  }, [draft]);
  const record = useMutation({
    mutationFn: async ({ body, key }: { body: S['RecordAgreementRequest']; key: string }) =>
      dataOf(await api.POST('/api/conflicts/{conflictId}/agreements', { params: { path: { conflictId: conflict.id } }, body, ...headers(key) })),
    meta: { invalidates: REGISTRY },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => agreementBody(v, conflict.timeZone),
    async (body, key) => {
      const written = await record.mutateAsync({ body, key });
      await navigate(`/agreements/${written.id}`, { state: { flash: `Agreement recorded: ${body.title}` } });
    },
  );
  return (
    <section aria-labelledby="agreement-heading">
      <h2 id="agreement-heading" ref={heading} tabIndex={-1}>
        Record an agreement
      </h2>
      {draft ? <p className="notice">Pre-filled from a report: check every field against the text before recording it.</p> : null}
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <AgreementFields form={form} conflict={conflict} />
        <button type="submit" disabled={submitting}>
          Record agreement
        </button>
      </form>
    </section>
  );
}

export function CorrectAgreementPage() {
  const { agreementId = '' } = useParams();
  const { agreement, conflict } = useAgreementWithConflict(agreementId);
  return (
    <QueryState query={agreement} what="the agreement">
      {(a) => (
        <>
          <PageTitle title={`Correct: ${a.title}`} />
          <h1>Correct agreement</h1>
          <p className="lead">
            <Link to={`/agreements/${a.id}`}>{a.title}</Link>
          </p>
          {conflict.data ? <CorrectAgreementForm agreement={a} conflict={conflict.data} /> : <p className="loading">Loading…</p>}
        </>
      )}
    </QueryState>
  );
}

function CorrectAgreementForm({ agreement, conflict }: { agreement: Agreement; conflict: Conflict }) {
  const zone = conflict.timeZone;
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [base, setBase] = useState(() => ({ version: agreement.version, values: agreementToValues(agreement, zone) }));
  const [latest, setLatest] = useState<Agreement | null>(null);
  const form = useForm<AgreementValues & { reason: string }>({ defaultValues: { ...base.values, reason: '' }, shouldFocusError: false });
  const correct = useMutation({
    mutationFn: async ({ body, key }: { body: S['CorrectAgreementRequest']; key: string }) =>
      dataOf(await api.POST('/api/agreements/{agreementId}/corrections', { params: { path: { agreementId: agreement.id } }, body, ...headers(key) })),
    meta: { invalidates: REGISTRY },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => {
      const changes = agreementChanges(v, base.values, zone);
      if (Object.keys(changes).length === 0) throw new ApiProblem(400, { detail: 'Nothing was changed: change a field to correct it.' });
      return { changes, reason: v.reason.trim(), expectedVersion: base.version };
    },
    async (body, key) => {
      await correct.mutateAsync({ body, key });
      await navigate(`/agreements/${agreement.id}`, { state: { flash: 'Correction recorded' } });
    },
    (error) => {
      if (!(error instanceof ApiProblem) || error.status !== 409) return false;
      void queries.fetchQuery({ ...agreementQueries.detail(agreement.id), staleTime: 0 }).then(setLatest);
      form.setError('root.serverError', {
        type: 'server',
        message: `Someone changed this agreement while you were correcting it (version ${base.version} → ${error.currentVersion ?? 'newer'}). Your entries are kept: check what changed below, then re-apply your correction.`,
      });
      return true;
    },
  );
  const reapply = () => {
    if (!latest) return;
    // The user's own changes stay and apply on top of the latest version; every field they did
    // not touch takes its latest value.
    const now = agreementToValues(latest, zone);
    const current = form.getValues();
    for (const key of Object.keys(now) as (keyof AgreementValues)[]) {
      if (JSON.stringify(current[key]) === JSON.stringify(base.values[key])) form.setValue(key, now[key]);
    }
    setBase({ version: latest.version, values: now });
    setLatest(null);
    form.clearErrors();
  };
  return (
    <>
      <ErrorSummary errors={errors} attempt={attempt} />
      {latest ? (
        <section className="notice" aria-labelledby="changed-heading">
          <h2 id="changed-heading">Changed meanwhile</h2>
          <p>
            Version {base.version} → {latest.version}. Changed: {changedFields(base.values, agreementToValues(latest, zone)).join(', ') || 'nothing you can edit here'}
            {latest.endedAt ? `; it ended ${showInstant(latest.endedAt, zone)}` : ''}.
          </p>
          <button type="button" onClick={reapply}>
            Re-apply my correction
          </button>
        </section>
      ) : null}
      <form noValidate onSubmit={onSubmit}>
        <p className="hint">Change what was entered wrongly, or a new reading of an ambiguous start. The old values stay in the agreement&rsquo;s history.</p>
        <AgreementFields form={form as never} conflict={conflict} />
        <fieldset>
          <legend>Why</legend>
          <TextAreaField form={form} name="reason" label="Reason for the correction" rules={{ validate: (v) => String(v).trim() !== '' || 'Enter the reason for the correction' }} />
        </fieldset>
        <button type="submit" disabled={submitting}>
          Record correction
        </button>
      </form>
    </>
  );
}

const FIELD_NAMES: Record<keyof AgreementValues, string> = {
  title: 'title',
  agreementKind: 'kind',
  signatories: 'signatories',
  mediators: 'mediators',
  agreedAt: 'when it was agreed',
  effectiveAt: 'effective from',
  effectiveRaw: 'its wording of the start',
  effectiveZone: 'time zone of its wording',
  basis: 'basis',
  terms: 'terms',
  provisions: 'provisions',
  attributions: 'sources',
};

/** The fields, in plain words, whose values differ between two readings of an agreement. */
function changedFields(before: AgreementValues, after: AgreementValues): string[] {
  return (Object.keys(FIELD_NAMES) as (keyof AgreementValues)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => FIELD_NAMES[k]);
}

export function EndAgreement({ conflict, agreementId, title }: { conflict: Conflict; agreementId: string; title: string }) {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { endedAt: '', reason: '' }, shouldFocusError: false });
  const end = useMutation({
    mutationFn: async ({ body, key }: { body: S['EndAgreementRequest']; key: string }) =>
      dataOf(await api.POST('/api/agreements/{agreementId}/end', { params: { path: { agreementId } }, body, ...headers(key) })),
    meta: { invalidates: REGISTRY },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => {
      const at = parseTimeInput(v.endedAt, conflict.timeZone, { allowDate: false });
      return { endedAt: at.ok ? at.value : v.endedAt, reason: v.reason.trim() };
    },
    async (body, key) => {
      await end.mutateAsync({ body, key });
      setOpen(false);
      await navigate('.', { replace: true, state: { flash: `Agreement ended: ${title}` } });
    },
  );
  if (!open) {
    return (
      <button type="button" className="secondary" aria-label={`End agreement: ${title}`} onClick={() => setOpen(true)}>
        End agreement
      </button>
    );
  }
  return (
    <div className="panel">
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit} className="narrow">
        <TextField form={form} name="endedAt" label="Ended at" hint={`Local time (${zoneLabel(conflict.timeZone)}), like 2020-10-18 00:00`} rules={timeRules(conflict.timeZone, 'when it ended', { allowDate: () => false })} />
        <TextAreaField form={form} name="reason" label="Reason" rules={{ validate: (v: unknown) => String(v ?? '').trim() !== '' || 'Enter why the agreement ended' }} />
        <button type="submit" disabled={submitting}>
          Record the end
        </button>
      </form>
    </div>
  );
}
