// The gazetteer: a conflict's places under every name each side uses. Editors register places,
// add names and correct coordinates; everyone searches in any spelling.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type UseFormReturn, useFieldArray, useForm } from 'react-hook-form';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/form';
import { Flash } from '../../components/flash';
import { PageTitle } from '../../components/page-title';
import { QueryState } from '../../components/query-state';
import { useFormSubmit } from '../../components/use-form-submit';
import { useSession } from '../auth/session';
import { type Conflict, conflictQueries, partyLabel, partyNames } from '../conflicts/queries';
import { type Place, PLACE_READS, placeQueries } from './queries';

type S = components['schemas'];
const headers = (key: string) => ({ headers: { 'Idempotency-Key': key } });
const required = (message: string) => ({ validate: (v: unknown) => String(v ?? '').trim() !== '' || message });
const KINDS = ['settlement', 'district', 'region', 'site'].map((v) => ({ value: v, label: v[0]!.toUpperCase() + v.slice(1) }));
const latitude = { validate: (v: unknown) => (String(v).trim() !== '' && Math.abs(Number(v)) <= 90) || 'Enter the latitude as a number from -90 to 90' };
const longitude = { validate: (v: unknown) => (String(v).trim() !== '' && Math.abs(Number(v)) <= 180) || 'Enter the longitude as a number from -180 to 180' };
const language = { validate: (v: unknown) => String(v ?? '').trim() === '' || /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(String(v).trim()) || 'Enter the language as a tag like en, ru, az or hy' };

interface NameValues {
  name: string;
  language: string;
  usedBy: string[];
}
const emptyName = (): NameValues => ({ name: '', language: '', usedBy: [] });
const nameBody = (n: NameValues): S['PlaceNameRequest'] => ({ name: n.name.trim(), ...(n.language.trim() ? { language: n.language.trim() } : {}), ...(n.usedBy.length ? { usedBy: n.usedBy } : {}) });

/** "Shushi (hy; used by Armenia) / Şuşa (az; used by Azerbaijan)" */
function NamesList({ place, conflict }: { place: Place | S['PlaceSearchItemResponse']; conflict: Conflict }) {
  const names = partyNames(conflict);
  return (
    <ul className="plain-list">
      {place.names.map((n) => (
        <li key={`${n.name}-${n.language}`}>
          <strong lang={n.language ?? undefined}>{n.name}</strong>
          <span className="meta">
            {n.language ? ` · ${n.language}` : ''}
            {n.usedBy.length ? ` · used by ${n.usedBy.map((p) => names.name(p)).join(', ')}` : ' · neutral'}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function PlacesPage() {
  const { conflictId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const conflict = useQuery(conflictQueries.detail(conflictId));
  const places = useQuery(placeQueries.search(conflictId, q));
  const session = useSession();
  return (
    <QueryState query={conflict} what="the conflict">
      {(c) => (
        <>
          <PageTitle title={`Places · ${c.name}`} />
          <Flash />
          <h1>Places</h1>
          <p className="lead">
            The gazetteer of <Link to={`/conflicts/${c.id}`}>{c.name}</Link>: each place under every name each side uses.
          </p>
          <form
            role="search"
            aria-label="Places"
            className="search"
            onSubmit={(e) => {
              e.preventDefault();
              setParams(typed.trim() ? { q: typed.trim() } : {});
            }}
          >
            <div className="field">
              <label htmlFor="place-search">Search places</label>
              <p className="hint" id="place-search-hint">
                Any name, in any script or spelling: “Gandja”, “Гянджа”
              </p>
              <input id="place-search" type="search" value={typed} aria-describedby="place-search-hint" onChange={(e) => setTyped(e.target.value)} />
            </div>
            <button type="submit">Search places</button>
          </form>
          <QueryState query={places} what="the places">
            {(items) =>
              items.length ? (
                <ul className="plain-list places">
                  {items.map((p) => (
                    <li key={p.id}>
                      <Link to={`/places/${p.id}`}>{p.matchedName ?? p.names[0]?.name ?? 'A place'}</Link>{' '}
                      <span className="meta">
                        · {p.kind} · {p.lat.toFixed(4)}, {p.lon.toFixed(4)} · also {p.names.filter((n) => n.name !== (p.matchedName ?? p.names[0]?.name)).map((n) => n.name).join(', ') || 'no other name'}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="empty">{q ? 'No place goes by that name.' : 'No places registered yet.'}</p>
              )
            }
          </QueryState>
          {session.isEditor ? <RegisterPlaceForm conflict={c} /> : null}
        </>
      )}
    </QueryState>
  );
}

function NameFields({ form, conflict }: { form: UseFormReturn<{ names: NameValues[] }>; conflict: Conflict }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'names' });
  return (
    <fieldset>
      <legend>Names</legend>
      <p className="hint">Every name the place goes by, in its own script, with who uses it. A name no side claims is neutral.</p>
      {fields.map((field, i) => (
        <fieldset key={field.id} className="source">
          <legend>Name {i + 1}</legend>
          <TextField form={form} name={`names.${i}.name`} label="Name" rules={required('Enter the name')} />
          <TextField form={form} name={`names.${i}.language`} label="Language" optional hint="A language tag, like az, hy, ru or en" rules={language} />
          <fieldset>
            <legend>Used by (optional)</legend>
            {conflict.parties.map((p) => (
              <div className="field checkbox" key={p.id}>
                <input type="checkbox" id={`names-${i}-usedBy-${p.id}`} value={p.id} {...form.register(`names.${i}.usedBy`)} />
                <label htmlFor={`names-${i}-usedBy-${p.id}`}>{partyLabel(p)}</label>
              </div>
            ))}
          </fieldset>
          {fields.length > 1 ? (
            <button type="button" className="secondary" onClick={() => remove(i)}>
              Remove name {i + 1}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button type="button" className="secondary" onClick={() => append(emptyName(), { shouldFocus: true, focusName: `names.${fields.length}.name` })}>
        Add a name
      </button>
    </fieldset>
  );
}

function RegisterPlaceForm({ conflict }: { conflict: Conflict }) {
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { names: [emptyName()], lat: '', lon: '', kind: '' }, shouldFocusError: false });
  const register = useMutation({
    mutationFn: async ({ body, key }: { body: S['RegisterPlaceRequest']; key: string }) =>
      dataOf(await api.POST('/api/conflicts/{conflictId}/places', { params: { path: { conflictId: conflict.id } }, body, ...headers(key) })),
    meta: { invalidates: PLACE_READS },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => ({ names: v.names.map(nameBody), lat: Number(v.lat), lon: Number(v.lon), kind: v.kind as S['PlaceKind'] }),
    async (body, key) => {
      const written = await register.mutateAsync({ body, key });
      await navigate(`/places/${written.id}`, { state: { flash: `Place registered: ${body.names.map((n) => n.name).join(' / ')}` } });
    },
  );
  return (
    <section aria-labelledby="register-place-heading">
      <h2 id="register-place-heading">Register a place</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <NameFields form={form as never} conflict={conflict} />
        <div className="row">
          <TextField form={form} name="lat" label="Latitude" inputMode="decimal" rules={latitude} />
          <TextField form={form} name="lon" label="Longitude" inputMode="decimal" rules={longitude} />
          <SelectField form={form} name="kind" label="Kind of place" choices={KINDS} placeholder="Choose a kind" rules={required('Choose the kind of place')} />
        </div>
        <button type="submit" disabled={submitting}>
          Register place
        </button>
      </form>
    </section>
  );
}

export function PlacePage() {
  const { placeId = '' } = useParams();
  const place = useQuery(placeQueries.detail(placeId));
  const conflict = useQuery({ ...conflictQueries.detail(place.data?.conflictId ?? ''), enabled: Boolean(place.data) });
  const session = useSession();
  return (
    <QueryState query={place} what="the place">
      {(p) => (
        <>
          <PageTitle title={p.names.map((n) => n.name).join(' / ')} />
          <Flash />
          <h1>{p.names.map((n) => n.name).join(' / ')}</h1>
          {conflict.data ? (
            <>
              <dl className="facts">
                <dt>Kind</dt>
                <dd>{p.kind}</dd>
                <dt>Coordinates</dt>
                <dd>
                  {p.lat}, {p.lon}
                </dd>
                <dt>Conflict</dt>
                <dd>
                  <Link to={`/conflicts/${conflict.data.id}/places`}>{conflict.data.name}</Link>
                </dd>
              </dl>
              <section aria-labelledby="names-heading">
                <h2 id="names-heading">Its names</h2>
                <NamesList place={p} conflict={conflict.data} />
              </section>
              <p>
                <Link to={`/claims?conflictId=${conflict.data.id}&placeId=${p.id}`}>Claims located here</Link>
              </p>
              {session.isEditor ? (
                <>
                  <AddNamesForm place={p} conflict={conflict.data} />
                  <CorrectPlaceForm place={p} />
                </>
              ) : null}
            </>
          ) : (
            <p className="loading">Loading…</p>
          )}
        </>
      )}
    </QueryState>
  );
}

function AddNamesForm({ place, conflict }: { place: Place; conflict: Conflict }) {
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { names: [emptyName()] }, shouldFocusError: false });
  const add = useMutation({
    mutationFn: async ({ body, key }: { body: S['AddPlaceNamesRequest']; key: string }) =>
      dataOf(await api.POST('/api/places/{placeId}/names', { params: { path: { placeId: place.id } }, body, ...headers(key) })),
    meta: { invalidates: PLACE_READS },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => ({ names: v.names.map(nameBody), expectedVersion: place.version }),
    async (body, key) => {
      await add.mutateAsync({ body, key });
      form.reset();
      await navigate('.', { replace: true, state: { flash: 'Names added' } });
    },
  );
  return (
    <section aria-labelledby="add-names-heading">
      <h2 id="add-names-heading">Add names</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit}>
        <NameFields form={form} conflict={conflict} />
        <button type="submit" disabled={submitting}>
          Add names
        </button>
      </form>
    </section>
  );
}

function CorrectPlaceForm({ place }: { place: Place }) {
  const navigate = useNavigate();
  const form = useForm({ defaultValues: { lat: String(place.lat), lon: String(place.lon), kind: place.kind as string, reason: '' }, shouldFocusError: false });
  const correct = useMutation({
    mutationFn: async ({ body, key }: { body: S['CorrectPlaceRequest']; key: string }) =>
      dataOf(await api.POST('/api/places/{placeId}/corrections', { params: { path: { placeId: place.id } }, body, ...headers(key) })),
    meta: { invalidates: PLACE_READS },
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v) => {
      const changes: S['PlaceChangesRequest'] = {};
      if (Number(v.lat) !== place.lat) changes.lat = Number(v.lat);
      if (Number(v.lon) !== place.lon) changes.lon = Number(v.lon);
      if (v.kind !== place.kind) changes.kind = v.kind as S['PlaceKind'];
      return { changes, reason: v.reason.trim(), expectedVersion: place.version };
    },
    async (body, key) => {
      await correct.mutateAsync({ body, key });
      await navigate('.', { replace: true, state: { flash: 'Place corrected' } });
    },
  );
  return (
    <section aria-labelledby="correct-place-heading">
      <h2 id="correct-place-heading">Correct the place</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form noValidate onSubmit={onSubmit} className="narrow">
        <div className="row">
          <TextField form={form} name="lat" label="Latitude" inputMode="decimal" rules={latitude} />
          <TextField form={form} name="lon" label="Longitude" inputMode="decimal" rules={longitude} />
          <SelectField form={form} name="kind" label="Kind of place" choices={KINDS} />
        </div>
        <TextAreaField form={form} name="reason" label="Reason for the correction" rules={required('Enter the reason for the correction')} />
        <button type="submit" disabled={submitting}>
          Record correction
        </button>
      </form>
    </section>
  );
}
