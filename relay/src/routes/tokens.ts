// Bearer tokens and their constant-time check against stored SHA-256 verifiers.
import { createHash, timingSafeEqual } from 'node:crypto';
import { B64U32_PATTERN } from '@psst/protocol/api';
import { decodeB64u } from '@psst/protocol/b64u';

/** The scheme is case-insensitive (RFC 9110); the token is not, and must be canonical b64u of 32 bytes. */
const BEARER = /^bearer +(\S+) *$/i;
/** Compared against when there is no record, so a miss costs the same work as a wrong token. */
const DUMMY_VERIFIER = new Uint8Array(32);

/** The 32 token bytes from `Authorization: Bearer <b64u>`, or null when absent or malformed. */
export function readBearer(header: string | undefined): Uint8Array | null {
  const token = header ? BEARER.exec(header)?.[1] : undefined;
  return token !== undefined && B64U32_PATTERN.test(token) ? decodeB64u(token) : null;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

/** Whether SHA-256(token) equals the stored verifier, in constant time. A missing token or verifier never matches. */
export function tokenMatches(token: Uint8Array | null, verifier: Uint8Array | null | undefined): boolean {
  const digest = sha256(token ?? DUMMY_VERIFIER);
  const expected = verifier && verifier.length === digest.length ? verifier : DUMMY_VERIFIER;
  return timingSafeEqual(digest, expected) && token !== null && expected !== DUMMY_VERIFIER;
}
