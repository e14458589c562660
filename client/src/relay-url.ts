// The relay address as the user types it, normalised, and the host permission
// pattern that covers it. Shared by the extension and the CLI. No browser APIs
// here: the extension's wxt.config.ts imports it too.

/** Used when the build sets no WXT_PSST_RELAY_URL. */
export const FALLBACK_RELAY_URL = 'http://127.0.0.1:8787';

/** What is wrong with the address, so a UI can say it in its own language (the message is English, for the CLI). */
export type RelayUrlProblem = 'invalid' | 'scheme' | 'insecure' | 'credentials' | 'query';

export class RelayUrlError extends Error {
  override name = 'RelayUrlError';
  constructor(
    readonly reason: RelayUrlProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Loopback hosts, where plain http never crosses a network: 127.0.0.0/8, ::1
 * and localhost (which browsers resolve to loopback only).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4?.slice(1).every((octet) => Number(octet) <= 255) ?? false;
}

/**
 * Normalises a relay address: https (http only for a loopback relay), no
 * credentials, query or fragment, an optional path prefix kept without its
 * trailing slash. Over plain http anyone on the network would read every link,
 * manage token and the reveal page itself.
 */
export function normaliseRelayUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new RelayUrlError('invalid', 'This is not a valid address. It should look like https://psst.example.org');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RelayUrlError('scheme', 'The address must start with https://');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new RelayUrlError(
      'insecure',
      'Use https:// for this relay. Over plain http:// anyone on the network could read your links and the page that opens them; http:// is only for a relay on this computer (127.0.0.1, ::1 or localhost).',
    );
  }
  if (url.username !== '' || url.password !== '')
    throw new RelayUrlError('credentials', 'The address must not contain a user name or password');
  if (url.search !== '' || url.hash !== '') throw new RelayUrlError('query', 'The address must not contain ? or #');
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
