import { useLocation } from 'react-router';

/** The confirmation a write leaves for the page it opens (router state `flash`), read out politely. */
export function Flash() {
  const flash = (useLocation().state as { flash?: string } | null)?.flash;
  return flash ? (
    <p className="flash" role="status">
      {flash}
    </p>
  ) : null;
}
