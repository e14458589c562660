// The relay address as the user types it, normalised, and the host permission
// pattern that covers it. No browser APIs here: wxt.config.ts imports it too.

/** Used when the build sets no WXT_PSST_RELAY_URL. */
export const FALLBACK_RELAY_URL = 'http://127.0.0.1:8787';

export class RelayUrlError extends Error {
  override name = 'RelayUrlError';
}

/**
 * Normalises a relay address: http or https, no credentials, query or fragment,
 * an optional path prefix kept without its trailing slash.
 */
export function normaliseRelayUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new RelayUrlError('This is not a valid address. It should look like https://psst.example.org');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RelayUrlError('The address must start with https:// or http://');
  if (url.username !== '' || url.password !== '') throw new RelayUrlError('The address must not contain a user name or password');
  if (url.search !== '' || url.hash !== '') throw new RelayUrlError('The address must not contain ? or #');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The match pattern for the relay's host. Match patterns carry no port (Firefox
 * rejects one, Chrome ignores none), so `http://127.0.0.1/*` covers every port
 * on that host: one grant serves a relay on any port of the same host.
 */
export function hostPatternFor(relayUrl: string): string {
  const url = new URL(relayUrl);
  return `${url.protocol}//${url.hostname}/*`;
}
