import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, dataOf } from '../../api/client';
import { Flash } from '../../components/flash';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/form';
import { PageTitle } from '../../components/page-title';
import { useFormSubmit } from '../../components/use-form-submit';
import { parseTimeInput } from '../../lib/local-time';
import { useSession } from '../auth/session';
import { conflictQueries } from '../conflicts/queries';
import { type Draft, draftTitle, draftToHandoff } from './draft-values';
import { answeredClaim, applyRecorded, type FromReport, isResponse, loadReportSession, type RecordedDraft, type ReportSession, saveReportSession } from './report-session';
import './drafts.css';

interface ReportValues {
  conflictId: string;
  text: string;
  outlet: string;
  url: string;
  publishedAt: string;
}

type ReadBody = { text: string; outlet?: string; url?: string; publishedAt?: string };

/** "Paste a report": the copy read into drafts, each to review in the desk's form before it is recorded. */
export function PasteReportPage() {
  const navigate = useNavigate();
  const session = useSession();
  const conflicts = useQuery(conflictQueries.list());
  // The report read before on this tab comes back (the journalist left to record one of its
  // drafts), with what the record forms handed back applied.
  const recordedDraft = (useLocation().state as { recordedDraft?: RecordedDraft } | null)?.recordedDraft;
  const [reading, setReading] = useState<ReportSession | null>(() => {
    const restored = applyRecorded(loadReportSession(), recordedDraft);
    saveReportSession(restored);
    return restored;
  });
  const form = useForm<ReportValues>({
    defaultValues: reading
      ? { conflictId: reading.conflictId, text: reading.text, outlet: reading.outlet, url: reading.url, publishedAt: reading.publishedAt }
      : { conflictId: '', text: '', outlet: '', url: '', publishedAt: '' },
    shouldFocusError: false,
  });
  const conflictId = useWatch({ control: form.control, name: 'conflictId' });
  const conflict = useQuery(conflictQueries.detail(conflictId));
  /** The response draft whose "Review" found the claim it answers not recorded yet. */
  const [waiting, setWaiting] = useState<number | null>(null);

  useEffect(() => {
    if (conflicts.data?.length === 1 && !form.getValues('conflictId')) form.setValue('conflictId', conflicts.data[0]!.id);
  }, [conflicts.data, form]);

  const timeZone = conflict.data?.timeZone ?? 'UTC';
  const read = useMutation({
    mutationFn: async (body: ReadBody) => dataOf(await api.POST('/api/conflicts/{conflictId}/drafts', { params: { path: { conflictId } }, body })),
  });
  const { onSubmit, attempt, errors, submitting } = useFormSubmit(
    form,
    (v): ReadBody => {
      const published = v.publishedAt.trim() ? parseTimeInput(v.publishedAt, timeZone, { allowDate: false }) : null;
      return {
        text: v.text,
        ...(v.outlet.trim() ? { outlet: v.outlet.trim() } : {}),
        ...(v.url.trim() ? { url: v.url.trim() } : {}),
        ...(published?.ok ? { publishedAt: published.value } : {}),
      };
    },
    async (body) => {
      const result = await read.mutateAsync(body);
      const v = form.getValues();
      const next: ReportSession = { id: newReadingId(), conflictId, text: body.text, outlet: v.outlet, url: v.url, publishedAt: v.publishedAt, result, recorded: {} };
      saveReportSession(next);
      setWaiting(null);
      setReading(next);
    },
  );

  const parties = conflict.data?.parties ?? [];
  const partyName = (id: string | undefined) => (id ? (parties.find((p) => p.id === id)?.shortName ?? parties.find((p) => p.id === id)?.name ?? 'unknown party') : 'an unnamed party');
  const review = (draft: Draft, index: number) => {
    if (!reading) return;
    const fromReport: FromReport = { reportId: reading.id, index };
    const state = { draft: draftToHandoff(draft, reading.conflictId, timeZone), fromReport };
    if (!isResponse(draft)) return navigate('/claims/new', { state });
    const answered = answeredClaim(reading, index);
    // A response is recorded against the claim it answers: until that is recorded, say so here.
    if (!answered) return setWaiting(index);
    return navigate(`/claims/${answered}/respond`, { state });
  };

  return (
    <>
      <PageTitle title="Paste a report" />
      <ErrorSummary errors={errors} attempt={attempt} />
      <h1>Paste a report</h1>
      <p className="lead">Paste wire copy: the claims and agreements it contains come back as drafts. Nothing is recorded until you review a draft and record it.</p>
      <form noValidate onSubmit={onSubmit} className="report-form">
        <SelectField
          form={form}
          name="conflictId"
          label="Conflict"
          choices={(conflicts.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          placeholder={conflicts.isPending ? 'Loading conflicts…' : 'Choose a conflict'}
          rules={{ validate: (v) => v !== '' || 'Choose the conflict' }}
        />
        <TextAreaField form={form} name="text" label="Report text" rows={10} rules={{ validate: (v) => v.trim() !== '' || 'Paste the report' }} />
        <TextField form={form} name="outlet" label="Outlet" optional hint="When the text does not say, e.g. TASS" />
        <TextField form={form} name="url" label="Link" optional inputMode="url" />
        <TextField
          form={form}
          name="publishedAt"
          label="Publication time"
          optional
          hint={`Local time in the conflict's zone, like 2020-10-11 09:40; "overnight" and "on Sunday" are read from it`}
          rules={{ validate: (v) => v.trim() === '' || parseTimeInput(v, timeZone, { allowDate: false }).ok || 'Give a date and a time, like 2020-10-11 09:40' }}
        />
        <div className="actions">
          <button type="submit" disabled={submitting || !conflictId}>
            Find claims
          </button>
        </div>
      </form>
      <Flash />
      {reading ? (
        <section className="drafts" aria-labelledby="drafts-heading">
          <h2 id="drafts-heading">
            {reading.result.drafts.length === 0 ? 'No drafts' : `${reading.result.drafts.length} draft${reading.result.drafts.length === 1 ? '' : 's'}`}
          </h2>
          <div className="drafts-layout">
            <HighlightedText text={reading.text} drafts={reading.result.drafts} />
            <ol className="draft-list">
              {reading.result.drafts.map((draft, i) => (
                <li key={i} className="draft">
                  <h3>
                    <span className="draft-number">{i + 1}</span> {draftTitle(draft, partyName)}
                  </h3>
                  {reading.recorded[i] ? (
                    <p className="recorded">
                      Recorded: <Link to={`/claims/${reading.recorded[i]}`}>open the claim recorded from draft {i + 1}</Link>
                    </p>
                  ) : draft.recordedAs.length > 0 ? (
                    <p className="recorded">
                      Already recorded: <Link to={`/claims/${draft.recordedAs[0]!.id}`}>{draft.recordedAs[0]!.summary}</Link>
                    </p>
                  ) : null}
                  {draft.respondsToDraft !== undefined ? (
                    <p className="meta">
                      Answers draft {draft.respondsToDraft + 1}
                      {answeredClaim(reading, i) ? ', recorded' : ', not recorded yet'}
                    </p>
                  ) : null}
                  {draft.kind === 'claim' && !reading.recorded[i] ? <RelatedClaims conflictId={reading.conflictId} draft={draft} /> : null}
                  {draft.kind === 'claim' && reading.recorded[i] ? null : draft.kind === 'claim' ? (
                    <>
                      <button type="button" onClick={() => void review(draft, i)} aria-label={`Review draft ${i + 1}`}>
                        Review
                      </button>
                      <div role="status" className="draft-waiting">
                        {waiting === i ? <AnswerFirst draft={draft} index={i} onReview={(n) => void review(reading.result.drafts[n]!, n)} /> : null}
                      </div>
                    </>
                  ) : session.isEditor ? (
                    <button type="button" onClick={() => void navigate(`/conflicts/${conflictId}`, { state: { agreementDraft: draft.body } })} aria-label={`Review draft ${i + 1}`}>
                      Review
                    </button>
                  ) : (
                    <p className="meta">Agreements are recorded by editors; this draft gives its signatories, start and provisions.</p>
                  )}
                </li>
              ))}
            </ol>
          </div>
          {reading.result.notes.length > 0 ? (
            <>
              <h3>Notes</h3>
              <ul className="notes">
                {reading.result.notes.map((n, i) => (
                  <li key={i}>
                    “{reading.text.slice(n.span[0], n.span[1])}” — {n.text}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

// Not crypto.randomUUID(): that needs a secure context, and the desk may be served over plain HTTP inside a newsroom.
const newReadingId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** Why a response draft cannot be reviewed yet, and the way on: review the claim it answers first. */
function AnswerFirst({ draft, index, onReview }: { draft: Draft; index: number; onReview: (answered: number) => void }) {
  const answered = draft.respondsToDraft;
  if (answered === undefined) {
    return (
      <p>
        Draft {index + 1} answers a claim that is not in the record yet. Record that claim first (or find it on the claims page), then find claims again: this draft will answer it.
      </p>
    );
  }
  return (
    <>
      <p>
        Draft {index + 1} answers draft {answered + 1}, which is not recorded yet. Record draft {answered + 1} first; this draft will then answer it.
      </p>
      <button type="button" onClick={() => onReview(answered)}>
        Review draft {answered + 1} first
      </button>
    </>
  );
}

/** The report with each draft's sentences marked and numbered. */
function HighlightedText({ text, drafts }: { text: string; drafts: Draft[] }) {
  const marks = drafts
    .map((d, i) => ({ span: d.spans.summary ?? d.spans.terms, n: i + 1 }))
    .filter((m): m is { span: [number, number]; n: number } => m.span !== undefined)
    .sort((a, b) => a.span[0] - b.span[0]);
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.span[0] < at) continue;
    parts.push(text.slice(at, m.span[0]));
    parts.push(
      <mark key={m.n}>
        <span className="draft-number">{m.n}</span> {text.slice(m.span[0], m.span[1])}
      </mark>,
    );
    at = m.span[1];
  }
  parts.push(text.slice(at));
  return (
    <div className="report-text" aria-label="The report, with the drafts' sentences marked">
      {parts}
    </div>
  );
}

/** Claims already recorded at that time and place: maybe the same happening. */
function RelatedClaims({ conflictId, draft }: { conflictId: string; draft: Draft }) {
  const b = draft.body as { occurred?: { from: string; to?: string; precision: string }; location?: { placeId?: string } };
  const related = useQuery({
    queryKey: ['drafts', 'related', conflictId, b.occurred, b.location?.placeId],
    enabled: b.occurred !== undefined,
    queryFn: async ({ signal }) =>
      dataOf(
        await api.GET('/api/conflicts/{conflictId}/related', {
          params: {
            path: { conflictId },
            query: { from: b.occurred!.from, ...(b.occurred!.to ? { to: b.occurred!.to } : {}), precision: b.occurred!.precision as 'day', ...(b.location?.placeId ? { placeId: b.location.placeId } : {}) },
          },
          signal,
        }),
      ),
  });
  const claims = related.data?.claims ?? [];
  if (claims.length === 0) return null;
  return (
    <div className="related">
      <p>May already be recorded:</p>
      <ul>
        {claims.slice(0, 3).map((c) => (
          <li key={c.id}>
            <Link to={`/claims/${c.id}`}>{c.summary}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
