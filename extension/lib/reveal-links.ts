// Where a psst link goes when the extension opens it: its own reveal page,
// `reveal.html?link={relay}/s/{id}#{k}`. The link rides in the query (never
// sent anywhere: the page is the extension's own) and the key stays in the
// fragment. Also the redirect rules that send links of granted relays there
// before the relay's page is requested. No browser APIs here.

/** The extension page that hosts @psst/reveal-ui. */
export const REVEAL_PAGE_PATH = '/reveal.html';

const QUERY_PREFIX = '?link=';

/**
 * The extension's reveal page for `link` (`{origin}{prefix}/s/{id}#{k}`), in the
 * same form the redirect rules produce: the link without its fragment, verbatim
 * after `?link=`, then the fragment.
 */
export function revealPageUrl(revealPage: string, link: string): string {
  const url = new URL(link);
  return `${revealPage}${QUERY_PREFIX}${url.origin}${url.pathname}${url.hash}`;
}

/** The psst link an extension reveal page was opened for ('' when there is none). */
export function linkFromRevealPage(search: string, hash: string): string {
  if (!search.startsWith(QUERY_PREFIX)) return '';
  let link = search.slice(QUERY_PREFIX.length);
  // tabs.create and a pasted address may have percent-encoded it; the rules never do.
  if (/^https?%3A/i.test(link)) {
    try {
      link = decodeURIComponent(link);
    } catch {
      return '';
    }
  }
  return /^https?:\/\//.test(link) ? `${link}${hash}` : '';
}

/** A granted host permission (`https://psst.example.org/*`) as scheme and host, or null for wildcards and other schemes. */
export function relayHostOf(pattern: string): { scheme: 'http' | 'https'; host: string } | null {
  const match = /^(https?):\/\/([^/*]+)\/\*$/.exec(pattern);
  if (!match) return null;
  return { scheme: match[1] as 'http' | 'https', host: (match[2] as string).toLowerCase() };
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Matches `{scheme}://{host}[:port][/prefix…]/s/{id}[#k]` and nothing else. The
 * fragment is part of what Chrome's rules match (measured), so it is allowed at
 * the end and carried along by the substitution. RE2's 2 KB per-rule budget
 * rules out `{22}` on the id; the page checks the id itself.
 */
export function linkRegexFor(scheme: 'http' | 'https', host: string): string {
  return `^${scheme}://${escapeRegex(host)}(:[0-9]+)?(/[A-Za-z0-9._~-]+)*/s/[A-Za-z0-9_-]+(#.*)?$`;
}

/** A Chrome declarativeNetRequest rule, the subset psst uses. */
export interface RedirectRule {
  id: number;
  priority: number;
  action: { type: 'redirect'; redirect: { regexSubstitution: string } };
  condition: { regexFilter: string; resourceTypes: ['main_frame']; isUrlFilterCaseSensitive: false };
}

/** One redirect rule per granted relay host, to the extension's reveal page. */
export function redirectRulesFor(grantedOrigins: readonly string[], revealPage: string): RedirectRule[] {
  const hosts = new Map<string, { scheme: 'http' | 'https'; host: string }>();
  for (const pattern of grantedOrigins) {
    const relay = relayHostOf(pattern);
    if (relay) hosts.set(`${relay.scheme}://${relay.host}`, relay);
  }
  return [...hosts.values()].map((relay, index) => ({
    id: index + 1,
    priority: 1,
    action: { type: 'redirect', redirect: { regexSubstitution: `${revealPage}${QUERY_PREFIX}\\0` } },
    condition: { regexFilter: linkRegexFor(relay.scheme, relay.host), resourceTypes: ['main_frame'], isUrlFilterCaseSensitive: false },
  }));
}

/** Firefox's blocking webRequest: the reveal page for a link of a granted relay, or undefined to let the request go. */
export function redirectTargetFor(url: string, grantedOrigins: readonly string[], revealPage: string): string | undefined {
  for (const pattern of grantedOrigins) {
    const relay = relayHostOf(pattern);
    if (relay && new RegExp(linkRegexFor(relay.scheme, relay.host), 'i').test(url)) return revealPageUrl(revealPage, url);
  }
  return undefined;
}
