import { useEffect } from 'react';

/** The document's title for this page: "<page> — Ceasefire tracker". */
export function PageTitle({ title }: { title: string }) {
  useEffect(() => {
    document.title = `${title} — Ceasefire tracker`;
  }, [title]);
  return null;
}
