import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';

/** A write on a claim (`claimId`), or a new claim (`''`), that once done opens its page with a confirmation. */
export function useClaimWrite<B>(claimId: string, send: (body: B, idempotencyKey: string) => Promise<{ id: string }>, done: string) {
  const navigate = useNavigate();
  const mutation = useMutation({ mutationFn: ({ body, key }: { body: B; key: string }) => send(body, key) });
  return async (body: B, key: string) => {
    const written = await mutation.mutateAsync({ body, key });
    // An update answers with the id of what it made (a source's id, say): open the claim it changed.
    await navigate(`/claims/${claimId || written.id}`, { state: { flash: done } });
  };
}
