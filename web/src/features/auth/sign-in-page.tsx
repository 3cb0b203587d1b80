import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { ApiProblem } from '../../api/client';
import { ErrorSummary, listErrors, TextField } from '../../components/form';
import { PageTitle } from '../../components/page-title';
import { sessionQuery } from './session';
import { writeToken } from './token-store';

export function SignInPage() {
  const form = useForm<{ token: string }>({ defaultValues: { token: '' }, shouldFocusError: false });
  const [attempt, setAttempt] = useState(0);
  const queries = useQueryClient();
  const navigate = useNavigate();
  const onSubmit = form.handleSubmit(
    async ({ token }) => {
      const value = token.trim();
      try {
        // The token is checked before it is kept: a wrong one is an error on this form.
        writeToken(value);
        const session = await queries.fetchQuery(sessionQuery(value));
        await queries.invalidateQueries();
        await navigate(session.role === 'reader' || session.role === 'auditor' ? '/claims' : '/claims/new', { state: { flash: `Signed in as ${session.name ?? 'unknown'} (${session.role})` } });
      } catch (error) {
        writeToken(null);
        form.setError('token', { type: 'server', message: error instanceof ApiProblem && error.status === 401 ? 'The access token is unknown or revoked' : `The token could not be checked: ${String((error as Error).message)}` });
        setAttempt((n) => n + 1);
      }
    },
    () => setAttempt((n) => n + 1),
  );
  return (
    <>
      <PageTitle title="Sign in" />
      <ErrorSummary errors={listErrors(form.formState.errors)} attempt={attempt} />
      <h1>Sign in</h1>
      <form noValidate onSubmit={onSubmit} className="narrow">
        <TextField
          form={form}
          name="token"
          label="Access token"
          type="password"
          hint="The token your administrator gave you. It is kept in this tab only and forgotten when you sign out or close it."
          rules={{ validate: (v) => (v.trim() !== '' && /^[!-~]{1,512}$/.test(v.trim())) || 'Enter your access token' }}
        />
        <button type="submit">Sign in</button>
      </form>
    </>
  );
}
