// Reads the secret's id, key and relay origin from the page's own address.
// The key comes from the fragment, which the browser never sends anywhere.
import { LinkError } from '@psst/protocol/errors';
import { isSecretId, type ParsedLink, parseLink } from '@psst/protocol/link';

export type LinkProblem = 'incomplete' | 'not_a_link';

export type LinkResult = { ok: true; link: ParsedLink } | { ok: false; problem: LinkProblem; id?: string };

export function readSecretLink(href: string): LinkResult {
  try {
    return { ok: true, link: parseLink(href) };
  } catch (error) {
    const incomplete = error instanceof LinkError && (error.reason === 'missing_key' || error.reason === 'malformed_key');
    if (!incomplete) return { ok: false, problem: 'not_a_link' };
    const id = /\/s\/([^/]+)$/.exec(new URL(href).pathname)?.[1];
    return id && isSecretId(id) ? { ok: false, problem: 'incomplete', id } : { ok: false, problem: 'incomplete' };
  }
}

/** The address without its fragment, for history.replaceState once the key is no longer needed. */
export function withoutFragment(href: string): string {
  const url = new URL(href);
  url.hash = '';
  return url.pathname + url.search;
}

const REVEALED_PREFIX = 'psst:revealed:';

/**
 * Remembers, for this tab only, that a secret was revealed here (its id and
 * when; never the key), so a reload after the fragment was removed can say so.
 */
export function rememberRevealed(storage: Storage | undefined, id: string, at: Date): void {
  try {
    storage?.setItem(REVEALED_PREFIX + id, at.toISOString());
  } catch {
    // Storage can be disabled or full; the note is only a courtesy.
  }
}

export function recallRevealed(storage: Storage | undefined, id: string): Date | null {
  try {
    const value = storage?.getItem(REVEALED_PREFIX + id);
    const at = value ? new Date(value) : null;
    return at && !Number.isNaN(at.getTime()) ? at : null;
  } catch {
    return null;
  }
}

/** This tab's sessionStorage, or undefined where the browser refuses it (it can be disabled). */
export function tabStorage(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}
