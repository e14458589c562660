// The link `{origin}/s/{id}#{k}`: the id goes to the relay, the key `k` stays
// in the fragment, which browsers never send to a server.
import { decodeB64u, encodeB64u } from './b64u.js';
import { LinkError } from './errors.js';
import { ID_BYTES, KEY_BYTES } from './limits.js';

export interface ParsedLink {
  /** Origin plus any path prefix before `/s/`, without a trailing slash. */
  origin: string;
  id: string;
  key: Uint8Array;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** True when `id` is the b64u form of 16 bytes (22 canonical characters). */
export function isSecretId(id: string): boolean {
  if (!ID_PATTERN.test(id)) return false;
  try {
    return decodeB64u(id).length === ID_BYTES;
  } catch {
    return false;
  }
}

export function parseKey(k: string): Uint8Array {
  if (!KEY_PATTERN.test(k)) throw new LinkError('malformed_key', 'The key in the link is incomplete or damaged.');
  try {
    return decodeB64u(k);
  } catch (cause) {
    throw Object.assign(new LinkError('malformed_key', 'The key in the link is incomplete or damaged.'), { cause });
  }
}

function normaliseOrigin(origin: string): string {
  return origin.replace(/\/+$/, '');
}

export function buildLink(origin: string, id: string, key: Uint8Array): string {
  if (!isSecretId(id)) throw new LinkError('malformed_id', 'The secret id is not valid.');
  if (key.length !== KEY_BYTES) throw new LinkError('malformed_key', 'The key must be 32 bytes.');
  let base: URL;
  try {
    base = new URL(normaliseOrigin(origin));
  } catch {
    throw new LinkError('malformed_url', 'The relay address is not a valid URL.');
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new LinkError('malformed_url', 'The relay address must be http or https.');
  }
  return `${base.origin}${normaliseOrigin(base.pathname)}/s/${id}#${encodeB64u(key)}`;
}

/**
 * Parses a full link. Accepts http and https origins and a path prefix before
 * `/s/`; rejects anything else with a typed LinkError naming what is wrong.
 */
export function parseLink(link: string): ParsedLink {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new LinkError('malformed_url', 'This is not a valid link.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LinkError('malformed_url', 'The link must start with http:// or https://.');
  }
  if (url.search !== '') throw new LinkError('wrong_path', 'The link has unexpected extra parts.');
  const match = /^(.*)\/s\/([^/]*)$/.exec(url.pathname);
  if (!match) throw new LinkError('wrong_path', 'This is not a psst secret link.');
  const [, prefix = '', id = ''] = match;
  if (!isSecretId(id)) throw new LinkError('malformed_id', 'The secret id in the link is damaged.');
  const fragment = url.hash.slice(1);
  if (fragment === '') throw new LinkError('missing_key', 'The link is incomplete: the part after # is missing.');
  return { origin: url.origin + prefix, id, key: parseKey(fragment) };
}
