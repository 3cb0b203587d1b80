// Editors' registry: conflicts (with their time zone), parties, agreements and their end.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/form';
import { PageTitle } from '../../components/page-title';
import { QueryState } from '../../components/query-state';
import { useFormSubmit } from '../../components/use-form-submit';
import { parseTimeInput, showInstant, zoneLabel } from '../../lib/local-time';
import { useSession } from '../auth/session';
import { timeRules, TimeZoneNote } from '../desk/claim-fields';
import { type Conflict, conflictQueries, partyLabel } from './queries';

type S = components['schemas'];
const REGISTRY = [['conflicts'], ['claims']] as const;
const required = (message: string) => ({ validate: (v: unknown) => String(v ?? '').trim() !== '' || message });
const optional = (v: string) => (v.trim() === '' ? undefined : v.trim());
const headers = (key: string) => ({ headers: { 'Idempotency-Key': key } });

const TIME_ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

const PARTY_KINDS = [
  ['state', 'State'],
  ['armed-group', 'Armed group'],
  ['de-facto-authority', 'De facto authority'],
  ['mediator', 'Mediator'],
  ['observer', 'Observer'],
  ['other', 'Other'],
].map(([value, label]) => ({ value: value!, label: label! }));

const AGREEMENT_KINDS = [
  ['humanitarian-truce', 'Humanitarian truce'],
  ['ceasefire', 'Ceasefire'],
  ['armistice', 'Armistice'],
  ['other', 'Other'],
].map(([value, label]) => ({ value: value!, label: label! }));

const BASES = [
  ['stated', 'Stated in the agreement'],
  ['inferred', 'Inferred from its wording'],
  ['assumed', 'Assumed'],
].map(([value, label]) => ({ value: value!, label: label! }));

/**
 * A conflict's agreements come from a read model that GET /api/conflicts/:id does not wait for:
 * after a write, read it again until it shows the change (a few seconds at most).
 */
function useConflictUntil() {
  const queries = useQueryClient();
  return async (conflictId: string, done: (c: Conflict) => boolean) => {
    for (let i = 0; i < 40; i++) {
      const c = await queries.fetchQuery({ ...conflictQueries.detail(conflictId), staleTime: 0 });
      if (done(c)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
}

function Flash() {
  const flash = (useLocation().state as { flash?: string } | null)?.flash;
  return flash ? (
    <p className="flash" role="status">
      {flash}
    </p>
  ) : null;
}

export function ConflictsPage() {
  const conflicts = useQuery(conflictQueries.list());
  const session = useSession();
  return (
    <>
      <PageTitle title="Conflicts" />
      <Flash />
      <h1>Conflicts</h1>
      <QueryState query={conflicts} what="the conflicts">
        {(items) =>
          items.length ? (
            <ul className="plain-list">
              {items.map((c) => (
                <li key={c.id}>
                  <Link to={`/conflicts/${c.id}`}>{c.name}</Link> <span className="meta">· {c.region ?? 'no region'} · {zoneLabel(c.timeZone)} · {c.parties.length} parties</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">No conflicts registered yet.</p>
          )
        }
      </QueryState>
      {session.isEditor ? <RegisterConflictForm /> : null}
    </>
  );
}

function RegisterConflictForm() {
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { name: '', region: '', timeZone: '', description: '' }, shouldFocusError: false });
  const register = useMutation({
    mutationFn: async ({ body, key }: { body: S['RegisterConflictRequest']; key: string }) => dataOf(await api.POST('/api/conflicts', { body, ...headers(key) })),
    meta: { invalidates: REGISTRY },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => ({ name: v.name.trim(), region: optional(v.region), timeZone: v.timeZone, description: optional(v.description) }),
    async (body, key) => {
      const written = await register.mutateAsync({ body, key });
      await navigate(`/conflicts/${written.id}`, { state: { flash: 'Conflict registered' } });
    },
  );
  return (
    <section aria-labelledby="register-heading">
      <h2 id="register-heading">Register a conflict</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit} className="narrow">
        <TextField form={form} name="name" label="Name" rules={required('Enter the name of the conflict')} />
        <TextField form={form} name="region" label="Region" optional />
        <SelectField
          form={form}
          name="timeZone"
          label="Time zone"
          hint="Its days are counted, and its times shown, in this zone"
          choices={TIME_ZONES.map((z) => ({ value: z, label: zoneLabel(z) }))}
          placeholder="Choose a time zone"
          rules={required('Choose the time zone of the conflict')}
        />
        <TextAreaField form={form} name="description" label="Description" optional />
        <button type="submit" disabled={submitting}>
          Register conflict
        </button>
      </form>
    </section>
  );
}

export function ConflictPage() {
  const { conflictId = '' } = useParams();
  const conflict = useQuery(conflictQueries.detail(conflictId));
  const session = useSession();
  return (
    <QueryState query={conflict} what="the conflict">
      {(c) => (
        <>
          <PageTitle title={c.name} />
          <Flash />
          <h1>{c.name}</h1>
          <p className="lead">
            {c.region ?? 'No region given'} · times in {zoneLabel(c.timeZone)} · <Link to={`/claims?conflictId=${c.id}`}>its claims</Link>
          </p>
          {c.description ? <p>{c.description}</p> : null}
          <section aria-labelledby="parties-heading">
            <h2 id="parties-heading">Parties</h2>
            {c.parties.length ? (
              <ul className="plain-list">
                {c.parties.map((p) => (
                  <li key={p.id}>
                    <strong>{partyLabel(p)}</strong> {p.shortName ? `(${p.name})` : ''} <span className="meta">· {p.kind}{p.aliases.length ? ` · also ${p.aliases.join(', ')}` : ''}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">No parties yet.</p>
            )}
          </section>
          <section aria-labelledby="agreements-heading">
            <h2 id="agreements-heading">Agreements</h2>
            {c.agreements.length ? (
              <ul className="plain-list">
                {c.agreements.map((a) => (
                  <li key={a.id}>
                    <strong>{a.title}</strong> <span className="meta">· {a.kind} · in force from {showInstant(a.effectiveFrom.at, c.timeZone)}{a.effectiveFrom.raw ? ` (“${a.effectiveFrom.raw}”, ${a.effectiveFrom.basis})` : ''}{a.endedAt ? ` · ended ${showInstant(a.endedAt, c.timeZone)}` : ''}</span>
                    {session.isEditor && !a.endedAt ? <EndAgreement conflict={c} agreementId={a.id} title={a.title} /> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">No agreements yet.</p>
            )}
          </section>
          {session.isEditor ? (
            <>
              <AddPartyForm conflict={c} />
              <RecordAgreementForm conflict={c} />
            </>
          ) : null}
        </>
      )}
    </QueryState>
  );
}

function AddPartyForm({ conflict }: { conflict: Conflict }) {
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { name: '', shortName: '', kind: '', aliases: '' }, shouldFocusError: false });
  const add = useMutation({
    mutationFn: async ({ body, key }: { body: S['AddPartyRequest']; key: string }) => dataOf(await api.POST('/api/conflicts/{conflictId}/parties', { params: { path: { conflictId: conflict.id } }, body, ...headers(key) })),
    meta: { invalidates: REGISTRY },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => ({
      name: v.name.trim(),
      shortName: optional(v.shortName),
      kind: v.kind as S['PartyKind'],
      aliases: v.aliases.split(',').map((a) => a.trim()).filter(Boolean),
      expectedVersion: conflict.version,
    }),
    async (body, key) => {
      await add.mutateAsync({ body, key });
      form.reset();
      await navigate('.', { replace: true, state: { flash: `Party added: ${body.name}` } });
    },
  );
  return (
    <section aria-labelledby="add-party-heading">
      <h2 id="add-party-heading">Add a party</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit} className="narrow">
        <TextField form={form} name="name" label="Party name" rules={required('Enter the name of the party')} />
        <TextField form={form} name="shortName" label="Short name" optional hint="Shown where space is short" />
        <SelectField form={form} name="kind" label="Kind" choices={PARTY_KINDS} placeholder="Choose a kind" rules={required('Choose the kind of party')} />
        <TextField form={form} name="aliases" label="Aliases" optional hint="Other names it goes by, separated by commas" />
        <button type="submit" disabled={submitting}>
          Add party
        </button>
      </form>
    </section>
  );
}

function RecordAgreementForm({ conflict }: { conflict: Conflict }) {
  const navigate = useNavigate();
  const form = useForm({
    defaultValues: { title: '', agreementKind: '', signatories: [] as string[], mediators: [] as string[], effectiveAt: '', effectiveRaw: '', effectiveZone: conflict.timeZone, basis: 'stated', terms: '' },
    shouldFocusError: false,
  });
  const conflictUntil = useConflictUntil();
  const record = useMutation({
    mutationFn: async ({ body, key }: { body: S['RecordAgreementRequest']; key: string }) => dataOf(await api.POST('/api/conflicts/{conflictId}/agreements', { params: { path: { conflictId: conflict.id } }, body, ...headers(key) })),
    meta: { invalidates: REGISTRY },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => {
      const at = parseTimeInput(v.effectiveAt, v.effectiveZone, { allowDate: false });
      return {
        title: v.title.trim(),
        kind: v.agreementKind as S['AgreementKind'],
        signatories: v.signatories,
        mediators: v.mediators,
        effectiveFrom: { at: at.ok ? at.value : v.effectiveAt, raw: optional(v.effectiveRaw), timeZone: v.effectiveZone, basis: v.basis as S['EffectiveFromBasis'] },
        terms: optional(v.terms),
      };
    },
    async (body, key) => {
      const written = await record.mutateAsync({ body, key });
      await conflictUntil(conflict.id, (c) => c.agreements.some((a) => a.id === written.id));
      form.reset();
      await navigate('.', { replace: true, state: { flash: `Agreement recorded: ${body.title}` } });
    },
  );
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
    <section aria-labelledby="agreement-heading">
      <h2 id="agreement-heading">Record an agreement</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <TextField form={form} name="title" label="Title" rules={required('Enter the title of the agreement')} />
        <SelectField form={form} name="agreementKind" label="Kind of agreement" choices={AGREEMENT_KINDS} placeholder="Choose a kind" rules={required('Choose the kind of agreement')} />
        {partyBoxes('signatories', 'Signatories', { validate: (v: string[]) => (v?.length ?? 0) >= 2 || 'Choose at least two signatories' })}
        {partyBoxes('mediators', 'Mediators (optional)')}
        <TimeZoneNote timeZone={conflict.timeZone} />
        <SelectField form={form} name="effectiveZone" label="Time zone of its wording" hint="The zone the agreement's time is read in" choices={TIME_ZONES.map((z) => ({ value: z, label: zoneLabel(z) }))} />
        <TextField form={form} name="effectiveAt" label="Effective from" hint="Local time in the zone above, like 2020-10-10 12:00" rules={{ validate: (v: unknown) => timeRules(form.getValues('effectiveZone'), 'when it took effect', { allowDate: () => false }).validate(v) }} />
        <TextField form={form} name="effectiveRaw" label="As worded" optional hint="The agreement's own words, like “12:00 on 10 October”" />
        <SelectField form={form} name="basis" label="Basis" choices={BASES} />
        <TextAreaField form={form} name="terms" label="Terms" optional />
        <button type="submit" disabled={submitting}>
          Record agreement
        </button>
      </form>
    </section>
  );
}

function EndAgreement({ conflict, agreementId, title }: { conflict: Conflict; agreementId: string; title: string }) {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { endedAt: '', reason: '' }, shouldFocusError: false });
  const conflictUntil = useConflictUntil();
  const end = useMutation({
    mutationFn: async ({ body, key }: { body: S['EndAgreementRequest']; key: string }) => dataOf(await api.POST('/api/agreements/{agreementId}/end', { params: { path: { agreementId } }, body, ...headers(key) })),
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
      await conflictUntil(conflict.id, (c) => c.agreements.some((a) => a.id === agreementId && a.endedAt !== null));
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
        <TextAreaField form={form} name="reason" label="Reason" rules={required('Enter why the agreement ended')} />
        <button type="submit" disabled={submitting}>
          Record the end
        </button>
      </form>
    </div>
  );
}
