// Incidents: one happening, every account of it side by side. Journalists open them and link
// claims (from the tracker's suggestions); editors unlink and assess.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/form';
import { Flash } from '../../components/flash';
import { PageTitle } from '../../components/page-title';
import { QueryState } from '../../components/query-state';
import { useFormSubmit } from '../../components/use-form-submit';
import { DAY_OR_COARSER, instantToLocalInput, parseTimeInput, showInstant } from '../../lib/local-time';
import { useSession } from '../auth/session';
import { STATUSES } from '../claims/actions/simple-actions';
import { claimSentence, type PartyNames } from '../claims/words';
import { type Conflict, conflictQueries, partyNames } from '../conflicts/queries';
import { PRECISIONS, timeRules, TimeZoneNote } from '../desk/claim-fields';
import { placeQueries } from '../places/queries';
import { type Incident, INCIDENT_READS, incidentQueries } from './queries';

type S = components['schemas'];
type Occurred = S['OccurredResponse'];
const headers = (key: string) => ({ headers: { 'Idempotency-Key': key } });
const required = (message: string) => ({ validate: (v: unknown) => String(v ?? '').trim() !== '' || message });
const statusLabel = (status: string) => STATUSES.find((s) => s.value === status)?.label ?? status;

export function occurredText(o: Occurred, zone: string): string {
  const time = !DAY_OR_COARSER.has(o.precision);
  return `${showInstant(o.from, zone, { time })}${o.to ? ` to ${showInstant(o.to, zone, { time })}` : ''}${o.raw ? ` (“${o.raw}”)` : ''}`;
}

function instant(text: string, zone: string, allowDate: boolean): string {
  const parsed = parseTimeInput(text, zone, { allowDate });
  return parsed.ok ? parsed.value : text;
}

export function IncidentsPage() {
  const { conflictId = '' } = useParams();
  const conflict = useQuery(conflictQueries.detail(conflictId));
  const incidents = useQuery(incidentQueries.list(conflictId));
  const session = useSession();
  return (
    <QueryState query={conflict} what="the conflict">
      {(c) => (
        <>
          <PageTitle title={`Incidents · ${c.name}`} />
          <Flash />
          <h1>Incidents</h1>
          <p className="lead">
            In <Link to={`/conflicts/${c.id}`}>{c.name}</Link>: each incident gathers every side&rsquo;s account of one happening.
          </p>
          <QueryState query={incidents} what="the incidents">
            {(items) =>
              items.length ? (
                <ul className="plain-list">
                  {items.map((i) => (
                    <li key={i.id}>
                      <Link to={`/incidents/${i.id}`}>{i.title}</Link>{' '}
                      <span className="meta">
                        · {occurredText(i.occurred, c.timeZone)} · {i.claims} {i.claims === 1 ? 'account' : 'accounts'} · {statusLabel(i.status).toLowerCase()}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="empty">No incidents yet.</p>
              )
            }
          </QueryState>
          {session.canWrite ? <OpenIncidentForm conflict={c} /> : null}
        </>
      )}
    </QueryState>
  );
}

interface OpenIncidentValues {
  title: string;
  from: string;
  to: string;
  precision: string;
  raw: string;
  placeId: string;
}

/** Opens an incident (and, from a claim's page, links that claim to it at once). */
export function OpenIncidentForm({ conflict, fromClaim }: { conflict: Conflict; fromClaim?: { id: string; summary: string; occurred: Occurred; placeId?: string } }) {
  const navigate = useNavigate();
  const zone = conflict.timeZone;
  const local = (value: string | null | undefined, precision: string) => (value ? showLocal(value, zone, precision) : '');
  const form = useForm<OpenIncidentValues>({
    defaultValues: fromClaim
      ? { title: '', from: local(fromClaim.occurred.from, fromClaim.occurred.precision), to: local(fromClaim.occurred.to, fromClaim.occurred.precision), precision: fromClaim.occurred.precision, raw: fromClaim.occurred.raw ?? '', placeId: fromClaim.placeId ?? '' }
      : { title: '', from: '', to: '', precision: 'day', raw: '', placeId: '' },
    shouldFocusError: false,
  });
  const places = useQuery(placeQueries.search(conflict.id, ''));
  const precision = useWatch({ control: form.control, name: 'precision' });
  const allowDate = () => DAY_OR_COARSER.has(form.getValues('precision'));
  const open = useMutation({
    mutationFn: async ({ body, key }: { body: S['OpenIncidentRequest']; key: string }) => {
      const opened = dataOf(await api.POST('/api/conflicts/{conflictId}/incidents', { params: { path: { conflictId: conflict.id } }, body, ...headers(key) }));
      if (fromClaim) {
        await api.POST('/api/incidents/{incidentId}/claims', {
          params: { path: { incidentId: opened.id } },
          body: { claimId: fromClaim.id, reason: 'The incident was opened from this claim.' },
          ...headers(`${key}-link`),
        }).then(dataOf);
      }
      return opened;
    },
    meta: { invalidates: INCIDENT_READS },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => {
      const day = DAY_OR_COARSER.has(v.precision);
      return {
        title: v.title.trim(),
        occurred: {
          from: instant(v.from, zone, day),
          ...(v.to.trim() ? { to: instant(v.to, zone, day) } : {}),
          precision: v.precision as S['OccurredPrecision'],
          ...(v.raw.trim() ? { raw: v.raw.trim() } : {}),
        },
        ...(v.placeId ? { placeId: v.placeId } : {}),
      };
    },
    async (body, key) => {
      const opened = await open.mutateAsync({ body, key });
      await navigate(`/incidents/${opened.id}`, { state: { flash: `Incident opened: ${body.title}` } });
    },
  );
  const placeChoices = (places.data ?? []).map((p) => ({ value: p.id, label: p.names.map((n) => n.name).join(' / ') }));
  return (
    <section aria-labelledby="open-incident-heading">
      <h2 id="open-incident-heading">{fromClaim ? 'Open an incident from this claim' : 'Open an incident'}</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit} className="narrow">
        <TextField form={form} name="title" label="Incident title" hint="What happened, where, without taking a side — like “Shelling of Ganja, 11 October”" rules={required('Enter a title for the incident')} />
        <TimeZoneNote timeZone={zone} />
        <SelectField form={form} name="precision" label="Precision" choices={PRECISIONS} />
        <TextField
          form={form}
          name="from"
          label="Happened from"
          hint={DAY_OR_COARSER.has(precision) ? 'A date like 2020-10-11, or a local time' : 'Local time, like 2020-10-11 02:00'}
          rules={timeRules(zone, 'when it happened', { allowDate })}
        />
        <TextField form={form} name="to" label="Happened to" optional rules={timeRules(zone, 'when it ended', { allowDate, optional: true })} />
        <TextField form={form} name="raw" label="As reported" optional hint="The time in the sources' words, like “overnight”" />
        <SelectField form={form} name="placeId" label="Place" optional choices={placeChoices} placeholder="Not in the gazetteer" />
        <button type="submit" disabled={submitting}>
          Open incident
        </button>
      </form>
    </section>
  );
}

/** An instant as the form's local input, a date alone at day precision or coarser. */
function showLocal(value: string, zone: string, precision: string): string {
  const local = instantToLocalInput(value, zone);
  return DAY_OR_COARSER.has(precision) ? local.slice(0, 10) : local;
}

export function IncidentPage() {
  const { incidentId = '' } = useParams();
  const incident = useQuery(incidentQueries.detail(incidentId));
  const conflict = useQuery({ ...conflictQueries.detail(incident.data?.conflictId ?? ''), enabled: Boolean(incident.data) });
  return (
    <QueryState query={incident} what="the incident">
      {(i) => (
        <>
          <PageTitle title={i.title} />
          <Flash />
          <h1>{i.title}</h1>
          {conflict.data ? <IncidentBody incident={i} conflict={conflict.data} /> : <p className="loading">Loading…</p>}
        </>
      )}
    </QueryState>
  );
}

function IncidentBody({ incident: i, conflict }: { incident: Incident; conflict: Conflict }) {
  const session = useSession();
  const names = partyNames(conflict);
  const place = useQuery({ ...placeQueries.detail(i.placeId ?? ''), enabled: Boolean(i.placeId) });
  const summaries = new Map(i.parties.flatMap((p) => p.claims.map((c) => [c.id, c.summary] as const)));
  return (
    <>
      <dl className="facts">
        <dt>When it happened</dt>
        <dd>{occurredText(i.occurred, conflict.timeZone)}</dd>
        <dt>Place</dt>
        <dd>{i.placeId ? place.data ? <Link to={`/places/${i.placeId}`}>{place.data.names.map((n) => n.name).join(' / ')}</Link> : '…' : 'Not given'}</dd>
        <dt>Assessment</dt>
        <dd>
          {statusLabel(i.status)}
          {i.rationale ? ` — ${i.rationale}` : ''}
        </dd>
        <dt>Conflict</dt>
        <dd>
          <Link to={`/conflicts/${conflict.id}/incidents`}>{conflict.name}</Link>
        </dd>
      </dl>
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">Accounts, by who gives them</h2>
        {i.parties.length ? (
          <div className="accounts">
            {i.parties.map((p) => (
              <section key={p.partyId} aria-label={`${names.name(p.partyId)}'s accounts`} className="panel">
                <h3>{names.name(p.partyId)}</h3>
                <ul className="plain-list">
                  {p.claims.map((c) => (
                    <li key={c.id}>
                      <Link to={`/claims/${c.id}`}>{c.summary}</Link>
                      <div className="meta">
                        {claimSentence(c, names)} · said {showInstant(c.statedAt, conflict.timeZone)}
                      </div>
                      {session.isEditor ? <UnlinkClaim incident={i} claimId={c.id} summary={c.summary} /> : null}
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        ) : (
          <p className="empty">No accounts linked yet.</p>
        )}
      </section>
      {session.canWrite ? <LinkSuggestedClaim incident={i} names={names} zone={conflict.timeZone} /> : null}
      {session.isEditor ? <AssessIncidentForm incident={i} /> : null}
      <section aria-labelledby="links-heading">
        <h2 id="links-heading">History of its links</h2>
        {i.links.length ? (
          <ol className="history">
            {i.links.map((l) => (
              <li key={l.position}>
                <span className="meta">{showInstant(l.recordedAt, conflict.timeZone)}</span> <strong>{l.change === 'linked' ? 'Linked' : 'Unlinked'}</strong>{' '}
                <Link to={`/claims/${l.claimId}`}>{summaries.get(l.claimId) ?? 'a claim no longer linked'}</Link> — {l.reason}
              </li>
            ))}
          </ol>
        ) : (
          <p className="empty">Nothing linked yet.</p>
        )}
      </section>
    </>
  );
}

function LinkSuggestedClaim({ incident, names, zone }: { incident: Incident; names: PartyNames; zone: string }) {
  const related = useQuery(incidentQueries.related(incident.id));
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { claimId: '', reason: '' }, shouldFocusError: false });
  const link = useMutation({
    mutationFn: async ({ body, key }: { body: S['LinkClaimRequest']; key: string }) =>
      dataOf(await api.POST('/api/incidents/{incidentId}/claims', { params: { path: { incidentId: incident.id } }, body, ...headers(key) })),
    meta: { invalidates: INCIDENT_READS },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => ({ claimId: v.claimId, reason: v.reason.trim(), expectedVersion: incident.version }),
    async (body, key) => {
      await link.mutateAsync({ body, key });
      form.reset();
      await navigate('.', { replace: true, state: { flash: 'Claim linked' } });
    },
  );
  const suggestions = related.data?.claims ?? [];
  return (
    <section aria-labelledby="link-heading">
      <h2 id="link-heading">Link an account</h2>
      <p className="hint">Claims not yet linked that may tell of this happening: overlapping times, the same place or a place nearby. Best first.</p>
      <ErrorSummary errors={errors} attempt={attempt} />
      {related.isPending ? <p className="loading">Loading suggestions…</p> : null}
      {!related.isPending && suggestions.length === 0 ? <p className="empty">No other claim fits its time and place.</p> : null}
      {suggestions.length ? (
        <form noValidate onSubmit={onSubmit}>
          <fieldset id="claimId">
            <legend>Claim to link</legend>
            {form.formState.errors.claimId?.message ? (
              <p className="error-message" id="claimId-error">
                <span className="visually-hidden">Error: </span>
                {String(form.formState.errors.claimId.message)}
              </p>
            ) : null}
            {suggestions.map((c) => (
              <div className="field checkbox" key={c.id}>
                <input type="radio" id={`claimId-${c.id}`} value={c.id} {...form.register('claimId', required('Choose the claim to link'))} />
                <label htmlFor={`claimId-${c.id}`}>
                  {c.summary} <span className="meta">· {claimSentence(c, names)} · {occurredText(c.occurred, zone)}{c.location ? ` · ${c.location.name}` : ''}{c.distanceKm !== null ? ` · ${c.distanceKm.toFixed(0)} km away` : ''}</span>
                </label>
              </div>
            ))}
          </fieldset>
          <TextAreaField form={form} name="reason" label="Why it is an account of this incident" rules={required('Enter why the claim belongs to this incident')} />
          <button type="submit" disabled={submitting}>
            Link claim
          </button>
        </form>
      ) : null}
    </section>
  );
}

function UnlinkClaim({ incident, claimId, summary }: { incident: Incident; claimId: string; summary: string }) {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { reason: '' }, shouldFocusError: false });
  const unlink = useMutation({
    mutationFn: async ({ body, key }: { body: S['UnlinkClaimRequest']; key: string }) =>
      dataOf(await api.POST('/api/incidents/{incidentId}/claims/{claimId}/unlink', { params: { path: { incidentId: incident.id, claimId } }, body, ...headers(key) })),
    meta: { invalidates: INCIDENT_READS },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => ({ reason: v.reason.trim(), expectedVersion: incident.version }),
    async (body, key) => {
      await unlink.mutateAsync({ body, key });
      await navigate('.', { replace: true, state: { flash: 'Claim unlinked' } });
    },
  );
  if (!open) {
    return (
      <button type="button" className="secondary" aria-label={`Unlink: ${summary}`} onClick={() => setOpen(true)}>
        Unlink
      </button>
    );
  }
  return (
    <div className="panel">
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit} className="narrow">
        <TextAreaField form={form} name="reason" label="Why it is not an account of this incident" rules={required('Enter why the claim is unlinked')} />
        <button type="submit" disabled={submitting}>
          Unlink claim
        </button>
      </form>
    </div>
  );
}

function AssessIncidentForm({ incident }: { incident: Incident }) {
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { status: '', rationale: '' }, shouldFocusError: false });
  const assess = useMutation({
    mutationFn: async ({ body, key }: { body: S['AssessIncidentRequest']; key: string }) =>
      dataOf(await api.POST('/api/incidents/{incidentId}/assessments', { params: { path: { incidentId: incident.id } }, body, ...headers(key) })),
    meta: { invalidates: INCIDENT_READS },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => ({ status: v.status as S['AssessmentStatus'], rationale: v.rationale.trim(), expectedVersion: incident.version }),
    async (body, key) => {
      await assess.mutateAsync({ body, key });
      form.reset();
      await navigate('.', { replace: true, state: { flash: 'Incident assessed' } });
    },
  );
  return (
    <section aria-labelledby="assess-incident-heading">
      <h2 id="assess-incident-heading">Assess the incident</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit} className="narrow">
        <SelectField form={form} name="status" label="Incident status" choices={STATUSES} placeholder="Choose a status" rules={required('Choose the status of the incident')} />
        <TextAreaField form={form} name="rationale" label="Rationale" hint="Why, weighing the accounts side by side" rules={required('Enter the rationale for the assessment')} />
        <button type="submit" disabled={submitting}>
          Record assessment
        </button>
      </form>
    </section>
  );
}

/** On a claim's page: the incidents it belongs to or may belong to, and claims that may tell of the same happening. */
export function ClaimIncidents({ claim, conflict }: { claim: S['ClaimResponse']; conflict: Conflict }) {
  const session = useSession();
  const related = useQuery(incidentQueries.relatedToClaim(claim.id));
  const names = partyNames(conflict);
  const [opening, setOpening] = useState(false);
  return (
    <section aria-labelledby="incident-heading">
      <h2 id="incident-heading">Incident</h2>
      <QueryState query={related} what="related incidents">
        {(r) => {
          const linked = r.incidents.filter((i) => i.linked);
          const candidates = r.incidents.filter((i) => !i.linked);
          return (
            <>
              {linked.length ? (
                <p>
                  An account of{' '}
                  {linked.map((i, n) => (
                    <span key={i.id}>
                      {n > 0 ? ', ' : ''}
                      <Link to={`/incidents/${i.id}`}>{i.title}</Link>
                    </span>
                  ))}
                  .
                </p>
              ) : (
                <p className="empty">Not linked to an incident.</p>
              )}
              {candidates.length ? (
                <>
                  <h3>Incidents it may belong to</h3>
                  <ul className="plain-list">
                    {candidates.map((i) => (
                      <li key={i.id}>
                        <Link to={`/incidents/${i.id}`}>{i.title}</Link> <span className="meta">· {occurredText(i.occurred, conflict.timeZone)} · {i.claims} linked{i.distanceKm !== null ? ` · ${i.distanceKm.toFixed(0)} km away` : ''}</span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {r.claims.length ? (
                <>
                  <h3>Other claims that may tell of the same happening</h3>
                  <ul className="plain-list">
                    {r.claims.map((c) => (
                      <li key={c.id}>
                        <Link to={`/claims/${c.id}`}>{c.summary}</Link> <span className="meta">· {claimSentence(c, names)}</span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {session.canWrite && linked.length === 0 ? (
                opening ? (
                  <OpenIncidentForm conflict={conflict} fromClaim={{ id: claim.id, summary: claim.summary, occurred: claim.occurred, placeId: claim.location?.placeId }} />
                ) : (
                  <button type="button" className="secondary" onClick={() => setOpening(true)}>
                    Open an incident from this claim
                  </button>
                )
              ) : null}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
