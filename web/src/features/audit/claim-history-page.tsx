// The auditor's view of one claim: every event of its stream as a version (who recorded it, when
// the tracker learned it, what changed, its log position and hash), the claim as of any version,
// and the log's verification status with the last signed checkpoint.
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, dataOf } from '../../api/client';
import type { components } from '../../api/schema';
import { PageTitle } from '../../components/page-title';
import { QueryState } from '../../components/query-state';
import { showInstant } from '../../lib/local-time';

type RecordedEvent = components['schemas']['RecordedEventResponse'];

/** Past versions and positions never change: cached for good (W3). */
export const auditQueries = {
  stream: (streamId: string) => ({
    queryKey: ['audit', 'stream', streamId],
    queryFn: async ({ signal }: { signal: AbortSignal }) => dataOf(await api.GET('/api/audit/streams/{streamId}', { params: { path: { streamId } }, signal })),
  }),
  claimAsOf: (claimId: string, position: number) => ({
    queryKey: ['audit', 'claim', claimId, position],
    queryFn: async ({ signal }: { signal: AbortSignal }) =>
      dataOf(await api.GET('/api/audit/claims/{claimId}', { params: { path: { claimId }, query: { asOf: String(position) } }, signal })),
    staleTime: 'static' as const,
  }),
  verify: () => ({
    queryKey: ['audit', 'verify'],
    queryFn: async ({ signal }: { signal: AbortSignal }) => dataOf(await api.GET('/api/audit/verify', { signal })),
  }),
  checkpoints: () => ({
    queryKey: ['audit', 'checkpoints'],
    queryFn: async ({ signal }: { signal: AbortSignal }) => dataOf(await api.GET('/api/audit/checkpoints', { signal })),
  }),
};

const EVENT_WORDS: Record<string, string> = {
  ClaimRecorded: 'Recorded',
  ClaimResponded: 'Recorded as a response',
  ClaimCorrected: 'Corrected',
  AttributionAdded: 'Source added',
  AttributionWithdrawn: 'Source withdrawn',
  CasualtiesRevised: 'Casualty figures revised',
  ClaimAssessed: 'Assessed',
  ClaimRetracted: 'Retracted by its claimant',
  ClaimMarkedDuplicate: 'Marked a duplicate',
  ClaimVoided: 'Voided',
};

/** What an event changed, in a line: the fields it carries besides the claim's id. */
function changed(event: RecordedEvent): string {
  const data = { ...event.data };
  delete data.claimId;
  const changes = (data.changes as Record<string, unknown> | undefined) ?? data;
  const fields = Object.keys(changes);
  return fields.length ? fields.join(', ') : '—';
}

const actorOf = (event: RecordedEvent) => {
  const actor = event.metadata.actor as { name?: string } | undefined;
  const role = event.metadata.role as string | undefined;
  return `${actor?.name ?? 'unknown'}${role ? ` (${role})` : ''}`;
};

export function ClaimHistoryPage() {
  const { claimId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const stream = useQuery(auditQueries.stream(`claim-${claimId}`));
  const asOf = Number(params.get('asOf') ?? '') || null;
  const zone = 'UTC';
  return (
    <>
      <PageTitle title="Claim history" />
      <h1>
        Claim history <span className="subtitle">every recorded change, in the order the tracker learned it</span>
      </h1>
      <p className="notice">
        Two clocks: <strong>recorded at</strong> is when the tracker learned something (the log&rsquo;s clock, shown here, in UTC); <strong>occurred</strong> is when
        the claim says it happened (on the <Link to={`/claims/${claimId}`}>claim&rsquo;s page</Link>). “As of” a version or a recorded time means what the record said then,
        not what had happened by then: a claim recorded in 2026 about 2020 did not exist “as of 12 October 2020”.
      </p>
      <QueryState query={stream} what="the claim's history">
        {(data) => (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Versions (scrolls sideways)">
              <table className="versions">
                <caption>
                  {data.items.length} version{data.items.length === 1 ? '' : 's'} of <code>{data.streamId}</code>
                </caption>
                <thead>
                  <tr>
                    {['Version', 'What happened', 'Who recorded it', 'Recorded at', 'What changed', 'Log position', 'Hash', ''].map((h, i) => (
                      <th scope="col" className="text" key={i}>
                        {h || <span className="visually-hidden">The claim then</span>}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((e) => (
                    <tr key={e.eventId} aria-current={asOf === e.position ? 'true' : undefined}>
                      <th scope="row" className="text">
                        {e.streamVersion}
                      </th>
                      <td className="text">{EVENT_WORDS[e.type] ?? e.type}</td>
                      <td className="text">{actorOf(e)}</td>
                      <td className="text">
                        <time dateTime={e.recordedAt}>{showInstant(e.recordedAt, zone)}</time>
                      </td>
                      <td className="text">{changed(e)}</td>
                      <td>{e.position}</td>
                      <td className="text">
                        <code className="hash" title={`previous: ${e.prevHash}`}>
                          {e.hash}
                        </code>
                      </td>
                      <td className="text">
                        <button type="button" className="link" onClick={() => setParams({ asOf: String(e.position) }, { preventScrollReset: true })}>
                          The claim as of version {e.streamVersion}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {asOf ? <ClaimAsOf claimId={claimId} position={asOf} /> : null}
          </>
        )}
      </QueryState>
      <LogStatus />
    </>
  );
}

function ClaimAsOf({ claimId, position }: { claimId: string; position: number }) {
  const claim = useQuery(auditQueries.claimAsOf(claimId, position));
  return (
    <section className="panel" aria-labelledby="as-of-heading">
      <h2 id="as-of-heading">The claim as the record had it at log position {position}</h2>
      <QueryState query={claim} what="the claim at that position">
        {(c) => (
          <dl className="facts">
            <dt>Summary</dt>
            <dd>{c.summary}</dd>
            <dt>Version</dt>
            <dd>{c.version}</dd>
            <dt>Status</dt>
            <dd>{c.status}{c.retracted ? ' · retracted' : ''}{c.voided ? ' · voided' : ''}</dd>
            <dt>Occurred (claimed)</dt>
            <dd>{c.occurred.from}{c.occurred.to ? ` to ${c.occurred.to}` : ''}</dd>
            <dt>Casualties (claimed)</dt>
            <dd>
              <code>{JSON.stringify(c.casualties ?? {})}</code>
            </dd>
            <dt>Sources</dt>
            <dd>{c.attributions.map((a) => a.outlet ?? 'confidential source').join(', ') || 'none'}</dd>
          </dl>
        )}
      </QueryState>
    </section>
  );
}

function LogStatus() {
  const verify = useQuery(auditQueries.verify());
  const checkpoints = useQuery(auditQueries.checkpoints());
  const last = checkpoints.data?.items[0];
  return (
    <section className="panel" aria-labelledby="log-heading">
      <h2 id="log-heading">The log</h2>
      <QueryState query={verify} what="the verification">
        {(v) =>
          v.ok ? (
            <p>
              <strong>Verified:</strong> the hash chain of all {v.checked} events matches, up to position {v.headPosition} (head hash <code className="hash">{v.headHash}</code>).
            </p>
          ) : (
            <p className="error-text">
              The chain does not match at position {v.firstMismatch?.position}: expected <code className="hash">{v.firstMismatch?.expectedHash}</code>, found{' '}
              <code className="hash">{v.firstMismatch?.actualHash}</code>.
            </p>
          )
        }
      </QueryState>
      {last ? (
        <p>
          Last signed checkpoint: position {last.position}, hash <code className="hash">{last.hash}</code>, signed by key <code>{last.keyId}</code>, recorded at {showInstant(last.recordedAt, 'UTC')}.
        </p>
      ) : checkpoints.isPending ? null : (
        <p className="empty">No checkpoint signed yet.</p>
      )}
      <h3>Checking an export offline</h3>
      <ol className="plain-list">
        <li>Download the log as an auditor: <code>GET /api/audit/export</code> (newline-delimited JSON) and a checkpoint (<code>GET /api/audit/checkpoints</code>).</li>
        <li>
          Save the public key that signed it from <a href="/api/audit/public-key">/api/audit/public-key</a>.
        </li>
        <li>
          Run <code>node scripts/verify-export.mjs events.ndjson --checkpoint checkpoint.json --public-key ceasefire-key.pem</code>: it recomputes every hash and checks the
          signature without our database (README, “Signed checkpoints”).
        </li>
      </ol>
    </section>
  );
}
