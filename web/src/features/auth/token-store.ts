// The bearer token lives in this tab only (sessionStorage); "Sign out" forgets it.
import { REPORT_SESSION_KEY } from '../drafts/report-session';

const KEY = 'ceasefire-tracker.token';
const listeners = new Set<() => void>();

export function readToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function writeToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else {
    sessionStorage.removeItem(KEY);
    // Signing out forgets this tab's work too: the report being read on "Paste a report".
    sessionStorage.removeItem(REPORT_SESSION_KEY);
  }
  for (const listener of listeners) listener();
}

export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
