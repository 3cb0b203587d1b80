import { readToken } from '../auth/token-store';

/** Sends a file as the request body, with the session's token. */
export function sendFile(path: string, file: File, type: string): Promise<Response> {
  const token = readToken();
  return fetch(path, { method: 'POST', body: file, headers: { 'Content-Type': type, ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
}

/**
 * Follows a download link with the session's token (reads may need one) and saves the answer
 * under `filename`; without a token the link is followed as it is.
 */
export async function downloadWithToken(href: string, filename: string): Promise<void> {
  const token = readToken();
  const response = await fetch(href, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`The download failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
