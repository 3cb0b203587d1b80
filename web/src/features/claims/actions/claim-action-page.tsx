import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { PageTitle } from '../../../components/page-title';
import { ProblemPage } from '../../../components/problem-page';
import { QueryState } from '../../../components/query-state';
import { ApiProblem } from '../../../api/client';
import { useSession } from '../../auth/session';
import { conflictQueries } from '../../conflicts/queries';
import { claimQueries } from '../queries';
import { CorrectForm, DuplicateForm, RespondForm } from './claim-forms';
import { AddSourceForm, AssessForm, ReviseCasualtiesForm, RetractionForm, VoidForm, WithdrawSourceForm } from './simple-actions';

const ACTIONS = {
  respond: { title: 'Respond', editor: false },
  'add-source': { title: 'Add source', editor: false },
  'withdraw-source': { title: 'Withdraw source', editor: false },
  correct: { title: 'Correct', editor: false },
  casualties: { title: 'Revise casualties', editor: false },
  retraction: { title: 'Record retraction', editor: false },
  assess: { title: 'Assess', editor: true },
  void: { title: 'Void', editor: true },
  duplicate: { title: 'Mark duplicate', editor: true },
} as const;
type Action = keyof typeof ACTIONS;

export function ClaimActionPage() {
  const { claimId = '', action = '' } = useParams();
  const session = useSession();
  const claim = useQuery(claimQueries.detail(claimId));
  const conflict = useQuery({ ...conflictQueries.detail(claim.data?.conflictId ?? ''), enabled: Boolean(claim.data) });
  if (!(action in ACTIONS)) return <ProblemPage error={new ApiProblem(404, null)} />;
  const meta = ACTIONS[action as Action];
  if (!session.loading && (!session.canWrite || (meta.editor && !session.isEditor))) {
    return <ProblemPage error={new ApiProblem(session.role ? 403 : 401, { detail: meta.editor ? 'This needs an editor’s token.' : 'This needs a journalist’s or an editor’s token.' })} />;
  }
  return (
    <QueryState query={claim} what="the claim">
      {(c) => (
        <>
          <PageTitle title={`${meta.title}: ${c.summary}`} />
          <p className="back">
            <Link to={`/claims/${c.id}`}>Back to the claim</Link>
          </p>
          <h1>
            {meta.title}
            <span className="subtitle">{c.summary}</span>
          </h1>
          {conflict.data ? <ActionForm action={action as Action} claim={c} conflict={conflict.data} /> : <p className="loading">Loading…</p>}
        </>
      )}
    </QueryState>
  );
}

function ActionForm({ action, ...props }: { action: Action } & Parameters<typeof RespondForm>[0]) {
  const simple = { claim: props.claim, timeZone: props.conflict.timeZone };
  switch (action) {
    case 'respond':
      return <RespondForm {...props} />;
    case 'correct':
      return <CorrectForm {...props} />;
    case 'duplicate':
      return <DuplicateForm {...props} />;
    case 'add-source':
      return <AddSourceForm {...simple} />;
    case 'withdraw-source':
      return <WithdrawSourceForm {...simple} />;
    case 'casualties':
      return <ReviseCasualtiesForm {...simple} />;
    case 'retraction':
      return <RetractionForm {...simple} />;
    case 'assess':
      return <AssessForm {...simple} />;
    case 'void':
      return <VoidForm {...simple} />;
  }
}
