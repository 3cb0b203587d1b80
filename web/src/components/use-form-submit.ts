import { useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { newIdempotencyKey } from '../api/client';
import { listErrors } from './form';
import { showProblem } from './server-errors';

/**
 * A form's submit: client checks, then one request per attempt with an Idempotency-Key that
 * stays the same while the body does (a double click or a retry records once), errors shown
 * on the form. `attempt` tells the error summary to take focus again.
 */
export function useFormSubmit<T extends FieldValues, B>(form: UseFormReturn<T>, build: (values: T) => B, send: (body: B, idempotencyKey: string) => Promise<unknown>, onProblem?: (error: unknown) => boolean) {
  const [attempt, setAttempt] = useState(0);
  const last = useRef<{ body: string; key: string } | null>(null);
  const busy = useRef(false);
  const onSubmit = form.handleSubmit(
    async (values) => {
      if (busy.current) return;
      busy.current = true;
      form.clearErrors();
      try {
        const body = build(values);
        const text = JSON.stringify(body);
        if (last.current?.body !== text) last.current = { body: text, key: newIdempotencyKey() };
        await send(body, last.current.key);
      } catch (error) {
        if (!onProblem?.(error)) showProblem(form, error);
        setAttempt((n) => n + 1);
      } finally {
        busy.current = false;
      }
    },
    () => setAttempt((n) => n + 1),
  );
  return { onSubmit, attempt, errors: listErrors(form.formState.errors), submitting: form.formState.isSubmitting };
}
