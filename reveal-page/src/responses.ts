// Response checks for the three bodies the page reads. The protocol's zod
// schemas (protocol/src/api.ts) are the contract; importing them would add
// about 25 KB gzip of zod to a page whose whole budget is 30 KB, so these
// guards mirror them field by field, with the protocol's own types and limits.
// responses.test.ts checks that they accept and reject exactly what the zod
// schemas do.
import type { ErrorCode, ErrorResponse, GoneReason, KdfDescription, LookResponse, RevealResponse } from '@psst/protocol/api';
import { MAX_PASSPHRASE_ATTEMPTS, READER_KDF_LIMITS } from '@psst/protocol/limits';

type Json = Record<string, unknown>;

const B64U = /^[A-Za-z0-9_-]*$/;
// z.iso.datetime({ offset: false }): UTC with a Z, optional fractional seconds.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z$/;
const ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid_request',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'storage_full',
  'creation_disabled',
  'not_found',
  'gone',
  'wrong_passphrase',
  'method_not_allowed',
  'internal',
]);
const GONE_REASONS: ReadonlySet<GoneReason> = new Set<GoneReason>(['read', 'expired', 'deleted', 'burned']);

const isOneOf = <T extends string>(set: ReadonlySet<T>, v: unknown): v is T => typeof v === 'string' && (set as ReadonlySet<string>).has(v);
const isIssue = (v: unknown): v is { path: string; message: string } =>
  isObject(v) && typeof v.path === 'string' && typeof v.message === 'string';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const isTimestamp = (v: unknown): v is string => typeof v === 'string' && ISO_UTC.test(v) && !Number.isNaN(Date.parse(v));
const isB64u = (v: unknown): v is string => typeof v === 'string' && B64U.test(v);

function parseKdf(v: unknown): KdfDescription | null | undefined {
  if (v === null) return null;
  if (!isObject(v) || v.alg !== 'scrypt') return undefined;
  const { log2n, r, p, salt } = v;
  if (!isInt(log2n, 1, READER_KDF_LIMITS.log2n) || !isInt(r, 1, READER_KDF_LIMITS.r) || !isInt(p, 1, READER_KDF_LIMITS.p)) return undefined;
  if (!isB64u(salt) || salt.length !== 22) return undefined;
  return { alg: 'scrypt', log2n, r, p, salt };
}

/** The Look body, or null when it does not match LookResponse. */
export function parseLookResponse(v: unknown): LookResponse | null {
  if (!isObject(v) || !isTimestamp(v.expiresAt) || !isInt(v.viewsLeft, 1)) return null;
  const kdf = parseKdf(v.kdf);
  if (kdf === undefined) return null;
  return { expiresAt: v.expiresAt, viewsLeft: v.viewsLeft, kdf };
}

/** The Reveal body, or null when it does not match RevealResponse. */
export function parseRevealResponse(v: unknown): RevealResponse | null {
  if (!isObject(v) || !isB64u(v.envelope) || v.envelope.length === 0 || !isInt(v.viewsLeft, 0)) return null;
  return { envelope: v.envelope, viewsLeft: v.viewsLeft };
}

/** An error body, or null when it does not match ErrorResponse. The page uses only the fields it needs. */
export function parseErrorResponse(v: unknown): ErrorResponse | null {
  if (!isObject(v) || !isOneOf(ERROR_CODES, v.error) || typeof v.message !== 'string') return null;
  const out: ErrorResponse = { error: v.error, message: v.message };
  if (v.reason !== undefined) {
    if (!isOneOf(GONE_REASONS, v.reason)) return null;
    out.reason = v.reason;
  }
  if (v.at !== undefined) {
    if (!isTimestamp(v.at)) return null;
    out.at = v.at;
  }
  if (v.attemptsLeft !== undefined) {
    if (!isInt(v.attemptsLeft, 0, MAX_PASSPHRASE_ATTEMPTS)) return null;
    out.attemptsLeft = v.attemptsLeft;
  }
  if (v.retryAfter !== undefined) {
    if (!isInt(v.retryAfter, 0)) return null;
    out.retryAfter = v.retryAfter;
  }
  if (v.issues !== undefined) {
    const issues: unknown = v.issues;
    if (!Array.isArray(issues) || !issues.every(isIssue)) return null;
    out.issues = issues;
  }
  return out;
}
