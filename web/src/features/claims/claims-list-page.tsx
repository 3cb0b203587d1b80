import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, type MouseEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageTitle } from '../../components/page-title';
import { api, dataOf } from '../../api/client';
import { conflictQueries, partyLabel, partyNames } from '../conflicts/queries';
import { placeQueries } from '../places/queries';
import { downloadWithToken } from '../imports/download';
import { readToken } from '../auth/token-store';
import { ClaimTable } from './claim-table';
import { type ClaimFilters, claimQueries } from './queries';

/** The URL's filters, under the API's own names: what a journalist shares is what the API is asked. */
const FILTERS = ['q', 'conflictId', 'claimant', 'subject', 'assertion', 'status', 'agreementId', 'placeId', 'outlet', 'from', 'to', 'by', 'counted', 'retracted', 'answered', 'provisionId'] as const;

/** Filters the dashboard's numbers add (drill-down) that the form has no field for: kept, and said in words. */
const EXTRA_WORDS: Record<string, Record<string, string>> = {
  by: { stated: 'dates are when it was said', occurred: 'dates are when it allegedly happened' },
  counted: { true: 'only claims that count (not voided, not duplicates)', false: 'only voided claims and duplicates' },
  retracted: { true: 'only retracted claims', false: 'only claims not retracted' },
  answered: { denied: 'only claims a response denied', 'counter-accused': 'only claims answered with a counter-accusation' },
  provisionId: {},
};

export function filtersFrom(params: URLSearchParams): ClaimFilters {
  const filters: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters as ClaimFilters;
}

export function ClaimsListPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const conflicts = useQuery(conflictQueries.list());
  const conflictId = filters.conflictId ?? (conflicts.data?.length === 1 ? conflicts.data[0]!.id : '');
  const conflict = useQuery(conflictQueries.detail(conflictId));
  const claims = useInfiniteQuery({ ...claimQueries.list(filters), placeholderData: (previous) => previous });
  const parties = partyNames(conflict.data);
  const places = useQuery(placeQueries.search(conflictId, ''));
  const sources = useQuery({ queryKey: ['sources', 'outlets'], queryFn: async ({ signal }) => dataOf(await api.GET('/api/sources', { signal })).items });
  const provisionText = (id: string) => conflict.data?.agreements.flatMap((a) => a.provisions).find((p) => p.provisionId === id)?.text ?? 'of an agreement';
  const partyChoices = (conflict.data?.parties ?? []).map((p) => ({ value: p.id, label: partyLabel(p) }));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = String(data.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  };
  const select = (name: (typeof FILTERS)[number], label: string, choices: { value: string; label: string }[], any: string) => (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={filters[name] ?? ''} key={`${name}-${filters[name] ?? ''}-${choices.length}`}>
        <option value="">{any}</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <PageTitle title="Claims" />
      <h1>Claims</h1>
      <form role="search" aria-label="Claims" className="panel filters" onSubmit={onSubmit} key={params.toString()}>
        <div className="field wide">
          <label htmlFor="filter-q">Search</label>
          <p className="hint" id="filter-q-hint">
            Words of the summary, a place (any of its names) or an outlet: “Ganja”, “TASS”
          </p>
          <input id="filter-q" name="q" type="search" defaultValue={filters.q ?? ''} aria-describedby="filter-q-hint" />
        </div>
        {select('conflictId', 'Conflict', (conflicts.data ?? []).map((c) => ({ value: c.id, label: c.name })), 'Any conflict')}
        {select('claimant', 'Claimant', partyChoices, 'Any party')}
        {select('subject', 'Subject', partyChoices, 'Any party')}
        {select('assertion', 'Assertion', [
          { value: 'violated', label: 'Violated the truce' },
          { value: 'complied', label: 'Complied with the truce' },
        ], 'Either')}
        {select('status', 'Status', ['unverified', 'corroborated', 'contested', 'refuted', 'unverifiable'].map((s) => ({ value: s, label: s })), 'Any status')}
        {select('agreementId', 'Agreement', (conflict.data?.agreements ?? []).map((a) => ({ value: a.id, label: a.title })), 'Any or none')}
        {select('placeId', 'Place', (places.data ?? []).map((p) => ({ value: p.id, label: p.names.map((n) => n.name).join(' / ') })), 'Any place')}
        {select('outlet', 'Outlet', (sources.data ?? []).map((o) => ({ value: o.outlet, label: o.outlet })), 'Any outlet')}
        <div className="field">
          <label htmlFor="filter-from">{filters.by === 'stated' ? 'Stated from' : 'Occurred from'}</label>
          <input id="filter-from" name="from" type="date" defaultValue={filters.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="filter-to">{filters.by === 'stated' ? 'Stated to' : 'Occurred to'}</label>
          <input id="filter-to" name="to" type="date" defaultValue={filters.to ?? ''} />
        </div>
        {Object.keys(EXTRA_WORDS).some((name) => filters[name as keyof ClaimFilters]) ? (
          <p className="hint wide" id="filter-extra">
            Also:{' '}
            {Object.keys(EXTRA_WORDS)
              .flatMap((name) => {
                const value = filters[name as keyof ClaimFilters];
                if (!value) return [];
                if (name === 'provisionId') return [`only claims about the provision “${provisionText(String(value))}”`];
                return [EXTRA_WORDS[name]![String(value)] ?? `${name} ${String(value)}`];
              })
              .join('; ')}
            .
          </p>
        ) : null}
        {Object.keys(EXTRA_WORDS).map((name) => {
          const value = filters[name as keyof ClaimFilters];
          return value ? <input key={name} type="hidden" name={name} value={String(value)} /> : null;
        })}
        <div className="actions">
          <button type="submit">Search claims</button>
        </div>
      </form>
      <section aria-labelledby="results-heading">
        <h2 id="results-heading">Results</h2>
        <Downloads filters={filters} />
        <div role="status" aria-live="polite" className="visually-hidden">
          {claims.isFetching ? 'Loading claims…' : `${claims.data?.pages.flatMap((p) => p.items).length ?? 0} claims shown`}
        </div>
        {claims.isError ? <p className="error-text">The claims could not be loaded: {claims.error.message}</p> : <ClaimTable pages={claims.data?.pages} parties={parties} zone={conflict.data?.timeZone ?? 'UTC'} loading={claims.isPending} updating={claims.isPlaceholderData} />}
        {claims.hasNextPage ? (
          <button type="button" className="secondary" disabled={claims.isFetchingNextPage} onClick={() => void claims.fetchNextPage()}>
            More claims
          </button>
        ) : null}
      </section>
    </>
  );
}

/** The export filters the claims list shares with it (search words aside: the exports do not search). */
const EXPORT_FILTERS = ['conflictId', 'claimant', 'subject', 'assertion', 'status', 'agreementId', 'from', 'to'] as const;

/** The claims shown, as files: links to the exports with the page's filters. */
function Downloads({ filters }: { filters: ClaimFilters }) {
  const [failed, setFailed] = useState<string | null>(null);
  const query = new URLSearchParams();
  for (const name of EXPORT_FILTERS) if (filters[name]) query.set(name, filters[name]);
  const link = (path: string, filename: string, label: string) => {
    const href = `${path}${query.size > 0 ? `?${query}` : ''}`;
    // Reads may need the token (PUBLIC_READS off): then the file is fetched with it and saved.
    const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
      if (!readToken()) return;
      event.preventDefault();
      setFailed(null);
      downloadWithToken(href, filename).catch((error: unknown) => setFailed(error instanceof Error ? error.message : String(error)));
    };
    return (
      <a href={href} download={filename} onClick={onClick}>
        {label}
      </a>
    );
  };
  return (
    <div className="downloads">
      <p>
        {link('/api/exports/claims.csv', 'claims.csv', 'Download CSV')} · {link('/api/exports/claims.geojson', 'claims.geojson', 'Download GeoJSON')}
        {filters.q ? <span className="hint"> (the downloads carry the filters, not the search words)</span> : null}
      </p>
      {failed ? <p className="error-text" role="alert">{failed}</p> : null}
    </div>
  );
}
