// Solving a relay's proof-of-work challenge (PROTOCOL.md "Proof of work": an
// ALTCHA PoW v2 challenge, PBKDF2/SHA-256) with WebCrypto alone, so that the
// same few lines run in a page, an extension worker and Node 20: find the
// counter whose key, PBKDF2(nonce || u32be(counter), salt, cost), starts with
// the challenge's prefix. altcha-lib's own solver would do the same, without
// progress and at several times the size.
import type { ProofOfWork, ProofOfWorkChallenge } from '@psst/protocol/api';
import { ProofOfWorkError } from './proof-of-work-error.js';

export const PROOF_OF_WORK_ALGORITHM = 'PBKDF2/SHA-256';
/**
 * The most work a client does for one challenge, in PBKDF2 iterations (cost × attempts; about 15 s on a
 * laptop core): a relay may not make its clients burn a CPU for minutes.
 */
export const MAX_PROOF_OF_WORK_ITERATIONS = 100_000_000;

export interface SolveOptions {
  /** 0 to 1, at most every 100 ms, as the attempts approach the challenge's upper bound (when it says one). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Attempts in flight at once (WebCrypto runs them off the calling thread); default 2. */
  lanes?: number;
}

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/** Solves `challenge`: the proof to send as the create's `proofOfWork`. Throws ProofOfWorkError. */
export async function solveProofOfWork(challenge: ProofOfWorkChallenge, options: SolveOptions = {}): Promise<ProofOfWork> {
  const { algorithm, cost, keyLength, keyPrefix, nonce, salt, data } = challenge.parameters;
  if (algorithm !== PROOF_OF_WORK_ALGORITHM || keyPrefix.length === 0 || keyPrefix.length % 2 !== 0 || keyPrefix.length > keyLength * 2)
    throw new ProofOfWorkError('unsupported', `the relay asks for a proof of work this client cannot solve (${algorithm.slice(0, 32)})`);
  const maxCounter = typeof data?.maxCounter === 'number' && data.maxCounter > 0 ? data.maxCounter : null;
  const maxAttempts = Math.floor(MAX_PROOF_OF_WORK_ITERATIONS / cost);
  if (maxCounter !== null && maxCounter > maxAttempts)
    throw new ProofOfWorkError('too_costly', 'the relay asks for more proof of work than this client does for one secret');
  const limit = Math.min(maxCounter ?? maxAttempts, maxAttempts);
  const prefix = hexBytes(keyPrefix);
  const saltBytes = hexBytes(salt);
  const nonceBytes = hexBytes(nonce);
  const subtle = globalThis.crypto.subtle;
  const started = Date.now();
  let reported = started;
  let tried = 0;
  let found: { counter: number; key: Uint8Array } | null = null;

  const attempt = async (counter: number): Promise<Uint8Array> => {
    const password = new Uint8Array(nonceBytes.length + 4);
    password.set(nonceBytes);
    new DataView(password.buffer).setUint32(nonceBytes.length, counter, false);
    const base = await subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
    const bits = await subtle.deriveBits({ name: 'PBKDF2', salt: saltBytes, iterations: cost, hash: 'SHA-256' }, base, keyLength * 8);
    return new Uint8Array(bits);
  };

  // Lane i tries i, i + lanes, i + 2 lanes, …; the lowest counter found wins, as altcha's solver would find it.
  const lanes = Math.max(1, Math.min(8, options.lanes ?? 2));
  const lane = async (first: number) => {
    for (let counter = first; counter < limit && (found === null || counter < found.counter); counter += lanes) {
      if (options.signal?.aborted) throw new ProofOfWorkError('aborted', 'the proof of work was cancelled');
      const key = await attempt(counter);
      tried++;
      if (startsWith(key, prefix)) {
        if (found === null || counter < found.counter) found = { counter, key };
        return;
      }
      const now = Date.now();
      if (options.onProgress && now - reported >= 100) {
        reported = now;
        options.onProgress(Math.min(0.99, tried / limit));
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
  const solved = found as { counter: number; key: Uint8Array } | null;
  if (solved === null) throw new ProofOfWorkError('unsolved', 'the proof of work has no solution within its bounds');
  options.onProgress?.(1);
  return { challenge, solution: { counter: solved.counter, derivedKey: toHex(solved.key), time: Date.now() - started } };
}
