import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useNavigate } from 'react-router';
import { useSession, useToken } from '../features/auth/session';
import { writeToken } from '../features/auth/token-store';
import { notePosition } from '../api/client';
import { CLAIM_READS } from '../api/query-client';

/** Refreshes what is shown when the log grows (GET /api/live), at most once a second. */
function useLiveUpdates(enabled: boolean) {
  const queries = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/live');
    let timer: ReturnType<typeof setTimeout> | null = null;
    source.addEventListener('appended', (event) => {
      // Later reads ask for this position (minPosition): a new URL, so neither the browser's
      // cache of anonymous answers (READ_CACHE_SECONDS) nor a lagging read model answers the
      // numbers from before it.
      try {
        notePosition((JSON.parse(String(event.data)) as { position?: number }).position);
      } catch {
        // A malformed event still refreshes, as before.
      }
      timer ??= setTimeout(() => {
        timer = null;
        for (const queryKey of [...CLAIM_READS, ['conflicts']]) void queries.invalidateQueries({ queryKey });
      }, 1000);
    });
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [enabled, queries]);
}

export function AppShell() {
  const session = useSession();
  const token = useToken();
  const navigate = useNavigate();
  const queries = useQueryClient();
  // EventSource sends no Authorization header: the feed serves anonymous (public) reads.
  useLiveUpdates(session.publicReads);
  const signOut = async () => {
    writeToken(null);
    queries.clear();
    await navigate('/sign-in', { state: { flash: 'Signed out' } });
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Ceasefire tracker
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Dashboard
              </NavLink>
            </li>
            <li>
              <NavLink to="/claims" end>
                Claims
              </NavLink>
            </li>
            <li>
              <NavLink to="/conflicts">Conflicts</NavLink>
            </li>
            {session.canWrite ? (
              <>
                <li>
                  <NavLink to="/claims/new">Record a claim</NavLink>
                </li>
                <li>
                  <NavLink to="/reports/new">Paste a report</NavLink>
                </li>
              </>
            ) : null}
            {session.canWrite ? <li><NavLink to="/claims/import">Import claims</NavLink></li> : null}
          </ul>
        </nav>
        <div className="who">
          {token && session.role ? (
            <>
              <span>
                {session.name} <span className="role">({session.role})</span>
              </span>
              <button type="button" className="secondary" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <Link to="/sign-in">Sign in</Link>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="bottom">
        <p>
          Every claim is kept with its sources and history. The API: <a href="/docs">reference</a>.
        </p>
      </footer>
      <ScrollRestoration />
    </>
  );
}
