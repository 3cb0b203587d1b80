import { useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../../api/client';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { PageTitle } from '../../components/page-title';
import { QueryState } from '../../components/query-state';
import { showInstant } from '../../lib/local-time';
import { useSession } from '../auth/session';
import { type Conflict, conflictQueries, partyNames } from '../conflicts/queries';
import { CATEGORIES, CREDIBILITY, PRECISIONS, RELIABILITY } from '../desk/claim-fields';
import { type Claim, claimQueries } from './queries';
import { ClaimThread } from './claim-thread';
import { ClaimIncidents } from '../incidents/incident-pages';
import { claimSentence, type PartyNames } from './words';
import type { components } from '../../api/schema';

type Casualties = components['schemas']['CasualtiesResponse'];
type Attribution = components['schemas']['AttributionResponse'];

const labelOf = (choices: { value: string; label: string }[], value: string) => choices.find((c) => c.value === value)?.label ?? value;

export function ClaimPage() {
  const { claimId = '' } = useParams();
  const claim = useQuery(claimQueries.detail(claimId));
  const conflict = useQuery({ ...conflictQueries.detail(claim.data?.conflictId ?? ''), enabled: Boolean(claim.data) });
  const flash = (useLocation().state as { flash?: string } | null)?.flash;
  return (
    <QueryState query={claim} what="the claim">
      {(c) => (
        <>
          <PageTitle title={c.summary} />
          {flash ? (
            <p className="flash" role="status">
              {flash}
            </p>
          ) : null}
          {conflict.data ? <ClaimView claim={c} conflict={conflict.data} /> : <p className="loading">Loading the claim…</p>}
        </>
      )}
    </QueryState>
  );
}

function ClaimView({ claim, conflict }: { claim: Claim; conflict: Conflict }) {
  const parties = partyNames(conflict);
  const zone = conflict.timeZone;
  const agreement = conflict.agreements.find((a) => a.id === claim.agreementId);
  return (
    <article className="claim">
      {claim.status !== 'unverified' ? <ClaimReviewData claimId={claim.id} version={claim.version} /> : null}
      <h1>{claim.summary}</h1>
      <p className="sentence">{claimSentence(claim, parties)}</p>
      <Notices claim={claim} zone={zone} />
      <ClaimActions claim={claim} />
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`tag status-${claim.status}`}>{claim.status}</span>
        </dd>
        <dt>Category</dt>
        <dd>{labelOf(CATEGORIES, claim.category)}</dd>
        <dt>When it happened</dt>
        <dd>
          {showInstant(claim.occurred.from, zone)}
          {claim.occurred.to ? ` to ${showInstant(claim.occurred.to, zone)}` : ''} · precision: {labelOf(PRECISIONS, claim.occurred.precision).toLowerCase()}
          {claim.occurred.raw ? <> · as reported: “{claim.occurred.raw}”</> : null}
        </dd>
        <dt>When it was said</dt>
        <dd>{showInstant(claim.statedAt, zone)}</dd>
        <dt>Place</dt>
        <dd>
          {claim.location ? (
            <>
              {claim.location.name}
              {claim.location.altNames.length ? ` (also ${claim.location.altNames.join(', ')})` : ''}
              {claim.location.lat !== undefined && claim.location.lon !== undefined ? ` · ${claim.location.lat}, ${claim.location.lon}` : ''}
              {claim.location.precision ? ` · ${claim.location.precision}` : ''}
            </>
          ) : (
            'Not given'
          )}
        </dd>
        <dt>Casualties as claimed</dt>
        <dd>
          <CasualtyText casualties={claim.casualties} />
        </dd>
        <dt>Agreement</dt>
        <dd>
          {agreement ? (
            <>
              <Link to={`/agreements/${agreement.id}`}>{agreement.title}</Link> (in force from {showInstant(agreement.effectiveFrom.at, zone)})
            </>
          ) : (
            'None in force when it happened'
          )}
        </dd>
        <dt>Conflict</dt>
        <dd>
          {conflict.name} · times in {zone}
        </dd>
        <dt>Recorded</dt>
        <dd>
          {showInstant(claim.recordedAt, zone)} · version {claim.version} · <Link to={`/audit/claims/${claim.id}`}>history (auditors)</Link>
        </dd>
      </dl>

      <section aria-labelledby="sources-heading">
        <h2 id="sources-heading">Sources</h2>
        <SourceList attributions={claim.attributions} zone={zone} />
        {claim.withdrawnAttributions.length ? (
          <>
            <h3>Withdrawn sources</h3>
            <ul className="sources withdrawn">
              {claim.withdrawnAttributions.map((a) => (
                <li key={a.attributionId}>
                  <SourceText a={a} zone={zone} /> — withdrawn: {a.withdrawalReason}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section aria-labelledby="thread-heading">
        <h2 id="thread-heading">Thread</h2>
        <ClaimThread claim={claim} parties={parties} zone={zone} />
      </section>

      <ClaimIncidents claim={claim} conflict={conflict} />

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <History claim={claim} parties={parties} zone={zone} />
      </section>
    </article>
  );
}

function Notices({ claim, zone }: { claim: Claim; zone: string }) {
  return (
    <>
      {claim.retraction ? (
        <p className="notice">
          <strong>Retracted:</strong> the claimant withdrew this claim on {showInstant(claim.retraction.statedAt, zone, { time: false })}.
        </p>
      ) : null}
      {claim.voided ? (
        <p className="notice">
          <strong>Voided</strong> by the editors: {claim.voidReason}. It leaves every count.
        </p>
      ) : null}
      {claim.duplicateOf ? (
        <p className="notice">
          <strong>Duplicate</strong> of <Link to={`/claims/${claim.duplicateOf}`}>the original claim</Link>: {claim.duplicateReason}. It leaves every count.
        </p>
      ) : null}
    </>
  );
}

function ClaimActions({ claim }: { claim: Claim }) {
  const session = useSession();
  const navigate = useNavigate();
  if (!session.canWrite) return null;
  const go = (action: string) => () => void navigate(`/claims/${claim.id}/${action}`);
  const closed = claim.voided || claim.duplicateOf !== null;
  return (
    <div className="claim-actions" role="group" aria-label="Actions on this claim">
      <button type="button" onClick={go('respond')}>
        Respond
      </button>
      <button type="button" onClick={go('add-source')}>
        Add source
      </button>
      {claim.attributions.length > 1 ? (
        <button type="button" onClick={go('withdraw-source')}>
          Withdraw source
        </button>
      ) : null}
      {!claim.retracted ? (
        <button type="button" onClick={go('correct')}>
          Correct
        </button>
      ) : null}
      <button type="button" onClick={go('casualties')}>
        Revise casualties
      </button>
      {!claim.retracted ? (
        <button type="button" onClick={go('retraction')}>
          Record retraction
        </button>
      ) : null}
      {session.isEditor ? (
        <>
          <button type="button" onClick={go('assess')}>
            Assess
          </button>
          {!claim.voided ? (
            <button type="button" onClick={go('void')}>
              Void
            </button>
          ) : null}
          {!closed ? (
            <button type="button" onClick={go('duplicate')}>
              Mark duplicate
            </button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

export function CasualtyText({ casualties }: { casualties: Casualties | null | undefined }) {
  const parts: string[] = [];
  const range = (r: { min: number; max: number; raw?: string } | undefined) => (r ? `${r.min === r.max ? r.min : `${r.min}–${r.max}`}${r.raw ? ` (“${r.raw}”)` : ''}` : null);
  for (const who of ['civilian', 'military'] as const) {
    for (const what of ['killed', 'wounded'] as const) {
      const text = range(casualties?.[who]?.[what]);
      if (text) parts.push(`${who} ${what}: ${text}`);
    }
  }
  return <>{parts.length ? parts.join('; ') : 'None claimed'}</>;
}

function SourceText({ a, zone }: { a: Attribution; zone: string }) {
  const grade = `${labelOf(RELIABILITY, a.reliability)}; ${labelOf(CREDIBILITY, String(a.credibility))}`;
  if (a.source === 'confidential source' || !a.outlet) {
    return (
      <>
        <strong>confidential source</strong> · {grade}
      </>
    );
  }
  return (
    <>
      <strong>{a.outlet}</strong>
      {a.speaker ? `, quoting ${a.speaker}` : ''}
      {a.publishedAt ? ` · published ${showInstant(a.publishedAt, zone)}` : ''}
      {a.language ? ` · ${a.language}` : ''} · {grade}
      {a.confidential ? (
        <>
          {' '}
          · <em>confidential</em>
          {a.protectedIdentity ? ` · identity: ${a.protectedIdentity}` : ''}
        </>
      ) : null}
      {a.url ? (
        <>
          {' '}
          ·{' '}
          <a href={a.url} rel="noopener noreferrer nofollow" target="_blank">
            link<span className="visually-hidden"> to {a.outlet}</span>
          </a>
        </>
      ) : null}
      {a.quote ? <blockquote>{a.quote}</blockquote> : null}
    </>
  );
}

export function SourceList({ attributions, zone }: { attributions: Attribution[]; zone: string }) {
  if (attributions.length === 0) return <p className="empty">No sources.</p>;
  return (
    <ul className="sources">
      {attributions.map((a) => (
        <li key={a.attributionId}>
          <SourceText a={a} zone={zone} />
        </li>
      ))}
    </ul>
  );
}

/** What changed, oldest first: corrections (before → after), casualty revisions, assessments, retraction. */
function History({ claim, parties, zone }: { claim: Claim; parties: PartyNames; zone: string }) {
  type Entry = { position: number; at: string; body: React.ReactNode };
  const entries: Entry[] = [];
  const show = (field: string, value: unknown): string => {
    if (value === undefined || value === null) return 'not given';
    if (field === 'claimant' || field === 'subject') return parties.name(String(value));
    if (field === 'occurred') {
      const o = value as Claim['occurred'];
      return `${showInstant(o.from, zone)}${o.to ? ` to ${showInstant(o.to, zone)}` : ''} (${o.precision}${o.raw ? `, “${o.raw}”` : ''})`;
    }
    if (field === 'statedAt') return showInstant(String(value), zone);
    if (field === 'location') {
      const l = value as NonNullable<Claim['location']>;
      return `${l.name}${l.altNames?.length ? ` (also ${l.altNames.join(', ')})` : ''}`;
    }
    if (field === 'casualties') return casualtyString(value as Casualties);
    if (field === 'attributions') return `${(value as Attribution[]).length} source(s)`;
    return String(value);
  };
  for (const c of claim.corrections) {
    const changes = Object.entries(c.changes);
    entries.push({
      position: c.position,
      at: c.recordedAt,
      body: (
        <>
          <strong>Corrected</strong> — {c.reason}
          <ul>
            {changes.map(([field, after]) => (
              <li key={field}>
                {field}: <del>{show(field, (c.before as Record<string, unknown>)[field])}</del> → <ins>{show(field, after)}</ins>
              </li>
            ))}
          </ul>
        </>
      ),
    });
  }
  for (const r of claim.casualtyRevisions) {
    entries.push({
      position: r.position,
      at: r.recordedAt,
      body: (
        <>
          <strong>Casualties revised</strong> (the claimant&rsquo;s figure as of {showInstant(r.asOf, zone)}): <CasualtyText casualties={r.casualties} />
        </>
      ),
    });
  }
  for (const a of claim.assessments) {
    entries.push({
      position: a.position,
      at: a.recordedAt,
      body: (
        <>
          <strong>Assessed: {a.status}</strong> — {a.rationale}
          {a.evidence.length ? ` (evidence: ${a.evidence.join(', ')})` : ''}
        </>
      ),
    });
  }
  entries.sort((x, y) => x.position - y.position);
  if (entries.length === 0 && !claim.retraction && !claim.voided && !claim.duplicateOf) return <p className="empty">No corrections, revisions or assessments yet.</p>;
  return (
    <ol className="history">
      <li>
        <strong>Recorded</strong> on {showInstant(claim.recordedAt, zone)}
      </li>
      {entries.map((e) => (
        <li key={e.position}>
          <span className="when">{showInstant(e.at, zone)}</span> {e.body}
        </li>
      ))}
      {claim.retraction ? (
        <li>
          <strong>Retracted</strong> by the claimant on {showInstant(claim.retraction.statedAt, zone)}
        </li>
      ) : null}
      {claim.voided ? (
        <li>
          <strong>Voided</strong>: {claim.voidReason}
        </li>
      ) : null}
      {claim.duplicateOf ? (
        <li>
          <strong>Marked duplicate</strong>: {claim.duplicateReason}
        </li>
      ) : null}
    </ol>
  );
}

function casualtyString(c: Casualties | null | undefined): string {
  const parts: string[] = [];
  for (const who of ['civilian', 'military'] as const)
    for (const what of ['killed', 'wounded'] as const) {
      const r = c?.[who]?.[what];
      if (r) parts.push(`${who} ${what} ${r.min === r.max ? r.min : `${r.min}–${r.max}`}`);
    }
  return parts.length ? parts.join(', ') : 'none';
}

/**
 * The editors' assessment as schema.org ClaimReview JSON-LD, for search engines and fact-check
 * aggregators. A data block, not a script: browsers never run it, and the CSP (script-src
 * 'self') does not apply to it.
 */
function ClaimReviewData({ claimId, version }: { claimId: string; version: number }) {
  const review = useQuery({
    queryKey: ['claims', 'detail', claimId, 'claimreview', version],
    queryFn: async () => dataOf(await api.GET('/api/claims/{claimId}/claimreview', { params: { path: { claimId } } })),
    retry: false,
  });
  if (!review.data) return null;
  // "<" escaped, so that no text in the review can close the element.
  const json = JSON.stringify(review.data).replace(/</g, '\\u003c');
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: json }} />;
}
