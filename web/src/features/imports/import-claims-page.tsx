import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiProblem, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { PageTitle } from '../../components/page-title';
import { useSession } from '../auth/session';
import { conflictQueries } from '../conflicts/queries';
import { sendFile } from './download';

type Report = components['schemas']['ImportReportResponse'];
type Mode = Report['mode'];

/** JSON Lines by its extension; anything else is read as the CSV template. */
const mediaTypeOf = (file: File) => (/\.(jsonl|ndjson)$/i.test(file.name) ? 'application/x-ndjson' : 'text/csv');

/** The desk's bulk import: choose a file, check it (nothing recorded), then import it. */
export function ImportClaimsPage() {
  const session = useSession();
  const conflicts = useQuery(conflictQueries.list());
  const [report, setReport] = useState<Report | null>(null);
  const [problem, setProblem] = useState<{ field: 'file' | 'conflict' | 'form'; message: string } | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);

  const run = async (form: HTMLFormElement, dryRun: boolean) => {
    const data = new FormData(form);
    const file = data.get('file');
    const conflictId = String(data.get('conflictId') ?? '');
    const mode = String(data.get('mode') ?? 'all-or-nothing') as Mode;
    setReport(null);
    if (!conflictId) return setProblem({ field: 'conflict', message: 'Choose the conflict the claims belong to' });
    if (!(file instanceof File) || file.size === 0) return setProblem({ field: 'file', message: 'Choose a CSV or JSON Lines file' });
    setProblem(null);
    setBusy(dryRun ? 'check' : 'import');
    try {
      const query = new URLSearchParams({ mode, dryRun: String(dryRun) });
      const response = await sendFile(`/api/conflicts/${conflictId}/imports?${query}`, file, mediaTypeOf(file));
      const body = (await response.json().catch(() => null)) as (Report & Partial<Problem>) | null;
      if (response.ok) setReport(body);
      else if (body?.report) setReport(body.report);
      else {
        const error = new ApiProblem(response.status, body);
        const about = error.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
        setProblem({ field: 'file', message: about ? `${error.message} — ${about}` : error.message });
      }
    } catch {
      setProblem({ field: 'form', message: 'The tracker did not answer: check the connection and try again.' });
    } finally {
      setBusy(null);
    }
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    void run(event.currentTarget, submitter?.value !== 'import');
  };

  if (!session.canWrite) {
    return (
      <>
        <PageTitle title="Import claims" />
        <h1>Import claims</h1>
        <p>Importing claims needs a journalist&rsquo;s or an editor&rsquo;s token: sign in first.</p>
      </>
    );
  }
  return (
    <>
      <PageTitle title="Import claims" />
      <h1>Import claims</h1>
      <p>
        A spreadsheet saved as CSV in the <a href="/api/imports/template.csv">import template</a> (one row per claim; the columns are explained in the README), or JSON Lines with one claim
        per line. Check the file first: nothing is recorded until you import it, and importing the same file again records nothing twice.
      </p>
      <form className="panel" noValidate onSubmit={onSubmit} aria-describedby={problem?.field === 'form' ? 'import-error' : undefined}>
        <div className="field">
          <label htmlFor="import-conflict">Conflict</label>
          {problem?.field === 'conflict' ? (
            <p className="error-text" id="import-conflict-error">
              <span className="visually-hidden">Error: </span>
              {problem.message}
            </p>
          ) : null}
          <select id="import-conflict" name="conflictId" defaultValue={conflicts.data?.length === 1 ? conflicts.data[0]!.id : ''} key={conflicts.data?.length ?? 0} aria-invalid={problem?.field === 'conflict' || undefined} aria-describedby={problem?.field === 'conflict' ? 'import-conflict-error' : undefined}>
            <option value="">Choose a conflict</option>
            {(conflicts.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="import-file">Claims file</label>
          <p className="hint" id="import-file-hint">
            CSV (commas or semicolons) or JSON Lines (.jsonl)
          </p>
          {problem?.field === 'file' ? (
            <p className="error-text" id="import-file-error">
              <span className="visually-hidden">Error: </span>
              {problem.message}
            </p>
          ) : null}
          <input
            id="import-file"
            name="file"
            type="file"
            accept=".csv,.jsonl,.ndjson,text/csv"
            aria-invalid={problem?.field === 'file' || undefined}
            aria-describedby={problem?.field === 'file' ? 'import-file-hint import-file-error' : 'import-file-hint'}
            onChange={() => setReport(null)}
          />
        </div>
        <fieldset>
          <legend>If some rows are invalid</legend>
          <div className="field checkbox">
            <input id="import-mode-all" type="radio" name="mode" value="all-or-nothing" defaultChecked onChange={() => setReport(null)} />
            <label htmlFor="import-mode-all">All or nothing</label>
          </div>
          <div className="field checkbox">
            <input id="import-mode-valid" type="radio" name="mode" value="valid-only" onChange={() => setReport(null)} />
            <label htmlFor="import-mode-valid">Only valid rows</label>
          </div>
        </fieldset>
        {problem?.field === 'form' ? (
          <p className="error-text" id="import-error" role="alert">
            {problem.message}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" name="action" value="check" className="secondary" disabled={busy !== null}>
            {busy === 'check' ? 'Checking…' : 'Check file'}
          </button>
          <button type="submit" name="action" value="import" disabled={busy !== null}>
            {busy === 'import' ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
      {report ? <ImportReport report={report} /> : null}
    </>
  );
}

const rows = (n: number) => (n === 1 ? '1 row' : `${n} rows`);

function ImportReport({ report }: { report: Report }) {
  const outcome = report.dryRun
    ? `Checked: ${report.valid} of ${report.rows} rows are valid${report.invalid > 0 ? `; ${rows(report.invalid)} ${report.invalid === 1 ? 'is' : 'are'} not` : ''}. Nothing was recorded.`
    : report.written
      ? `Recorded ${report.appended === 1 ? '1 claim' : `${report.appended} claims`}${report.alreadyImported > 0 ? `; ${rows(report.alreadyImported)} had already been recorded by an earlier import of this file` : ''}${report.invalid > 0 ? `; ${report.invalid === 1 ? '1 invalid row was' : `${report.invalid} invalid rows were`} left out` : ''}.`
      : `Nothing was recorded: ${report.invalid} of ${report.rows} rows are invalid. Fix them, or choose “Only valid rows”.`;
  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">Report</h2>
      <p role="status">{outcome}</p>
      {report.errors.length > 0 ? (
        <div className="table-wrap">
          <table className="import-report">
            <caption className="visually-hidden">Problems found, by row and column</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col" className="text">
                  Column
                </th>
                <th scope="col" className="text">
                  Problem
                </th>
              </tr>
            </thead>
            <tbody>
              {report.errors.slice(0, 500).map((e, i) => (
                <tr key={`${e.row}-${e.column}-${i}`}>
                  <td>{e.row}</td>
                  <td className="text">{e.column}</td>
                  <td className="text">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.errors.length + report.errorsOmitted > 500 ? <p>… and {report.errors.length + report.errorsOmitted - 500} more problems.</p> : null}
        </div>
      ) : null}
    </section>
  );
}
