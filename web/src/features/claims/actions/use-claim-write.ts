import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';

/** A write on a claim that, once done, opens the claim's page with a confirmation. */
export function useClaimWrite<B>(claimId: string, send: (body: B, idempotencyKey: string) => Promise<{ id: string }>, done: string) {
  const navigate = useNavigate();
  const mutation = useMutation({ mutationFn: ({ body, key }: { body: B; key: string }) => send(body, key) });
  return async (body: B, key: string) => {
    const written = await mutation.mutateAsync({ body, key });
    await navigate(`/claims/${written.id === claimId ? claimId : written.id}`, { state: { flash: done } });
  };
}
