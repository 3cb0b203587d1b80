import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';

/** A write on a claim (`claimId`), or a new claim (`''`), that once done opens its page with a confirmation. */
export function useClaimWrite<B>(
  claimId: string,
  send: (body: B, idempotencyKey: string) => Promise<{ id: string }>,
  done: string,
  /** Where to go instead once written (a report the write was reviewed from), given the written id. */
  returnTo?: (writtenId: string) => { to: string; state: Record<string, unknown> },
) {
  const navigate = useNavigate();
  const mutation = useMutation({ mutationFn: ({ body, key }: { body: B; key: string }) => send(body, key) });
  return async (body: B, key: string) => {
    const written = await mutation.mutateAsync({ body, key });
    if (returnTo) {
      const next = returnTo(written.id);
      await navigate(next.to, { state: { flash: done, ...next.state } });
      return;
    }
    // An update answers with the id of what it made (a source's id, say): open the claim it changed.
    await navigate(`/claims/${claimId || written.id}`, { state: { flash: done } });
  };
}
