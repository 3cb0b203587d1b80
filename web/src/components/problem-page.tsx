import { Link } from 'react-router';
import { ApiProblem } from '../api/client';
import { PageTitle } from './page-title';

export function ProblemPage({ error, what }: { error: unknown; what?: string }) {
  const problem = error instanceof ApiProblem ? error : null;
  if (problem?.status === 404) {
    return (
      <>
        <PageTitle title="Not found" />
        <h1>Page not found</h1>
        <p>There is no {what?.replace(/^the /, '') ?? 'page'} at this address. <Link to="/claims">See the claims</Link>.</p>
      </>
    );
  }
  if (problem?.status === 401 || problem?.status === 403) {
    return (
      <>
        <PageTitle title="Access needed" />
        <h1>{problem.status === 401 ? 'Sign in to see this' : 'Your role may not do this'}</h1>
        <p>
          {problem.message} <Link to="/sign-in">Sign in</Link> with a token that may.
        </p>
      </>
    );
  }
  return (
    <>
      <PageTitle title="There is a problem" />
      <h1>There is a problem with the service</h1>
      <p>{error instanceof Error ? error.message : 'Something went wrong.'}</p>
      {problem?.requestId ? <p>Quote this request id when you report it: {problem.requestId}</p> : null}
    </>
  );
}
