// Editors' registry: conflicts (with their time zone), parties, agreements and their end.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/form';
import { Flash } from '../../components/flash';
import { PageTitle } from '../../components/page-title';
import { QueryState } from '../../components/query-state';
import { useFormSubmit } from '../../components/use-form-submit';
import { showInstant, zoneLabel } from '../../lib/local-time';
import { useSession } from '../auth/session';
import { TIME_ZONES } from '../agreements/agreement-fields';
import { EndAgreement, RecordAgreementForm } from '../agreements/agreement-pages';
import { type Conflict, conflictQueries, partyLabel } from './queries';

type S = components['schemas'];
const REGISTRY = [['conflicts'], ['claims']] as const;
const required = (message: string) => ({ validate: (v: unknown) => String(v ?? '').trim() !== '' || message });
const optional = (v: string) => (v.trim() === '' ? undefined : v.trim());
const headers = (key: string) => ({ headers: { 'Idempotency-Key': key } });

const PARTY_KINDS = [
  ['state', 'State'],
  ['armed-group', 'Armed group'],
  ['de-facto-authority', 'De facto authority'],
  ['mediator', 'Mediator'],
  ['observer', 'Observer'],
  ['other', 'Other'],
].map(([value, label]) => ({ value: value!, label: label! }));

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
            {c.region ?? 'No region given'} · times in {zoneLabel(c.timeZone)} · <Link to={`/claims?conflictId=${c.id}`}>its claims</Link> ·{' '}
            <Link to={`/conflicts/${c.id}/incidents`}>its incidents</Link> · <Link to={`/conflicts/${c.id}/places`}>its places</Link>
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
                    <Link to={`/agreements/${a.id}`}>
                      <strong>{a.title}</strong>
                    </Link>{' '}
                    <span className="meta">· {a.kind} · in force from {showInstant(a.effectiveFrom.at, c.timeZone)}{a.effectiveFrom.raw ? ` (“${a.effectiveFrom.raw}”, ${a.effectiveFrom.basis})` : ''}{a.endedAt ? ` · ended ${showInstant(a.endedAt, c.timeZone)}` : ''}</span>
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
